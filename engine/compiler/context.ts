// What the compiler needs besides the rule: the catalogue that maps fields to columns, the
// segment's timezone and as-of time, and a way to look up the segments a rule references.
import type { Catalogue } from '../catalogue/types.ts';
import type { Rule } from '../rules/schema.ts';

export interface CompileContext {
  readonly catalogue: Catalogue;
  /** IANA timezone of the segment being compiled: calendar windows, day counts, date values. */
  readonly timezone: string;
  /** The as-of time, epoch milliseconds. Nothing after it exists. */
  readonly asOf: number;
  resolveSegment(id: string): ResolvedSegment | undefined;
}

export type ResolvedSegment =
  | { readonly kind: 'rule'; readonly id: string; readonly rule: Rule; readonly timezone: string }
  /** Members are the uploaded ids in static_segment_members for this id and version. */
  | { readonly kind: 'static'; readonly id: string; readonly version: number };

/** A segment of a multi-segment query (the engine's sweep). */
export interface BatchSegment {
  readonly id: string;
  readonly rule: Rule;
  readonly timezone: string;
}
