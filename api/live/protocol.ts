// The JSON protocol of /v1/live (docs/api.md "Live counts"). Client messages are validated here,
// at the boundary, with TypeBox schemas; the TypeScript types are derived from them. Server
// messages are built here so every field name is written once.
import { Type, type Static } from '@sinclair/typebox';
import { SegstreamError, type ErrorCode } from '../../engine/errors/errors.ts';
import type { LiveMessage } from '../../engine/membership/apply.ts';
import type { SegmentStatus } from '../../engine/membership/status.ts';
import { isRecord, shapeCheck } from '../../engine/rules/validate-shape.ts';

/** The segment id alphabet of engine/segments/ids.ts. */
const SEGMENT_ID = '^[A-Za-z0-9_-]{1,64}$';
const SegmentId = Type.String({ pattern: SEGMENT_ID });
const SegmentIds = Type.Array(SegmentId, { minItems: 1 });
const Everything = Type.Literal('*');
const Since = Type.Record(Type.String({ pattern: SEGMENT_ID }), Type.Integer({ minimum: 0 }), {
  additionalProperties: false,
});

// `segments` is either "*" or a list; each form has its own schema so an error names the exact
// item (segments[2]) instead of "matches neither branch".
const schemas = {
  subscribe: {
    all: Type.Object(
      { type: Type.Literal('subscribe'), segments: Everything, since: Type.Optional(Since) },
      { additionalProperties: false },
    ),
    some: Type.Object(
      { type: Type.Literal('subscribe'), segments: SegmentIds, since: Type.Optional(Since) },
      { additionalProperties: false },
    ),
  },
  unsubscribe: {
    all: Type.Object(
      { type: Type.Literal('unsubscribe'), segments: Everything },
      { additionalProperties: false },
    ),
    some: Type.Object(
      { type: Type.Literal('unsubscribe'), segments: SegmentIds },
      { additionalProperties: false },
    ),
  },
} as const;

export type SubscribeMessage =
  Static<typeof schemas.subscribe.all> | Static<typeof schemas.subscribe.some>;
export type UnsubscribeMessage =
  Static<typeof schemas.unsubscribe.all> | Static<typeof schemas.unsubscribe.some>;
export type ClientMessage = SubscribeMessage | UnsubscribeMessage;

const checks = {
  subscribe: {
    all: shapeCheck(schemas.subscribe.all, 'LIVE_MESSAGE_INVALID'),
    some: shapeCheck(schemas.subscribe.some, 'LIVE_MESSAGE_INVALID'),
  },
  unsubscribe: {
    all: shapeCheck(schemas.unsubscribe.all, 'LIVE_MESSAGE_INVALID'),
    some: shapeCheck(schemas.unsubscribe.some, 'LIVE_MESSAGE_INVALID'),
  },
};

/** Parses one text message of a client; throws LIVE_MESSAGE_INVALID naming the bad part. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('', 'is not JSON');
  }
  if (!isRecord(value)) throw invalid('', 'must be a JSON object');
  const type = value.type;
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    throw invalid('type', 'must be one of subscribe, unsubscribe');
  }
  checks[type][value.segments === '*' ? 'all' : 'some'](value, '');
  return value as unknown as ClientMessage;
}

function invalid(path: string, reason: string): SegstreamError {
  const where = path === '' ? '' : ` at ${path}`;
  return new SegstreamError(
    'LIVE_MESSAGE_INVALID',
    { path, reason },
    `The live message is not valid${where}: ${reason}`,
  );
}

/** One segment in a snapshot: its whole current state. */
export interface SnapshotEntry {
  readonly segment: string;
  /** null for a segment the engine has not evaluated yet (or does not know). */
  readonly state: string | null;
  readonly version: number | null;
  /** null while `state` is null. */
  readonly count: number | null;
  readonly seq: number;
}

export type ServerMessage =
  | {
      readonly type: 'snapshot';
      readonly at: string;
      readonly segments: readonly SnapshotEntry[];
      /** Segments whose `since` (or last sent) seq is current: nothing of them is resent. */
      readonly resumed: readonly string[];
    }
  | UpdateMessage
  | { readonly type: 'unsubscribed'; readonly segments: '*' | readonly string[] }
  | { readonly type: 'heartbeat'; readonly at: string }
  | {
      readonly type: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly details: Record<string, unknown>;
    };

export interface UpdateMessage {
  readonly type: 'update';
  readonly segment: string;
  readonly version: number;
  readonly count: number;
  /** Players that entered / exited in the change sets this update stands for. */
  readonly entered: number;
  readonly exited: number;
  readonly seq: number;
  /** The evaluation time of the latest change set. */
  readonly at: string;
  readonly cause: string;
  /** How many change sets this update stands for: more than 1 when updates were coalesced. */
  readonly merged: number;
}

export function snapshotEntry(status: SegmentStatus): SnapshotEntry {
  const known = status.state !== undefined || status.seq > 0;
  return {
    segment: status.segment,
    state: status.state ?? null,
    version: status.version ?? null,
    count: known ? status.count : null,
    seq: status.seq,
  };
}

export function updateMessage(message: LiveMessage, merged = 1): UpdateMessage {
  return {
    type: 'update',
    segment: message.segment,
    version: message.version,
    count: message.count,
    entered: message.entered,
    exited: message.exited,
    seq: message.seq,
    at: new Date(message.at).toISOString(),
    cause: message.cause,
    merged,
  };
}

/** A later update folded into an earlier one that was not sent yet. */
export function mergeUpdates(earlier: UpdateMessage, later: UpdateMessage): UpdateMessage {
  return {
    ...later,
    entered: earlier.entered + later.entered,
    exited: earlier.exited + later.exited,
    merged: earlier.merged + later.merged,
  };
}

export function errorMessage(err: SegstreamError): ServerMessage {
  return { type: 'error', code: err.code, message: err.message, details: { ...err.details } };
}

/**
 * Close codes: the standard ones where they fit (1008 policy violation, 1009 message too big,
 * 1013 try again later, 1001 going away), 4000 + the HTTP status for auth, as browsers cannot
 * see the HTTP status of a refused upgrade but do see close codes. The close reason is the code.
 */
export function closeCode(code: ErrorCode): number {
  switch (code) {
    case 'AUTH_REQUIRED':
    case 'AUTH_INVALID':
      return 4401;
    case 'AUTH_FORBIDDEN':
      return 4403;
    case 'LIVE_MESSAGE_TOO_LARGE':
      return 1009;
    case 'LIVE_CLIENT_TOO_SLOW':
      return 1013;
    case 'LIVE_SERVER_CLOSING':
      return 1001;
    case 'INTERNAL_ERROR':
      return 1011;
    default:
      return 1008;
  }
}
