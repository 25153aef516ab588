// The evaluation contexts of a differential case: the reference's and the compiler's views of
// the same timezone, as-of time and segments.
import type { Catalogue } from '../../engine/catalogue/types.ts';
import type { ReferenceContext, ReferenceSegment } from '../../engine/reference/index.ts';
import type { DifferentialCase } from './cases.ts';

/** Version under which static members are stored; an older version holds other ids. */
export const STATIC_VERSION = 2;

export function referenceContext(c: DifferentialCase, catalogue: Catalogue): ReferenceContext {
  return {
    catalogue,
    timezone: c.timezone,
    asOf: c.asOf,
    resolveSegment: (id): ReferenceSegment | undefined => {
      if (id in c.staticSegments) return { kind: 'static', id };
      const segment = c.segments.find((s) => s.id === id);
      return segment && { kind: 'rule', rule: segment.rule, timezone: segment.timezone };
    },
  };
}
