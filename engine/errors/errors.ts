// The one catalogue of coded errors. Callers and tests branch on `code`, never on wording.
// `status` is the HTTP status the API answers with; `retriable` tells callers whether the same
// request may succeed later unchanged.

export const ERRORS = {
  CONFIG_INVALID: { status: 500, retriable: false, message: 'A setting has an invalid value' },
  VALIDATION_FAILED: {
    status: 400,
    retriable: false,
    message: 'The input does not match its schema',
  },
  RULE_INVALID: { status: 400, retriable: false, message: 'The rule is not valid' },
  RULE_UNKNOWN_LIST: { status: 400, retriable: false, message: 'The rule names an unknown list' },
  RULE_UNKNOWN_FIELD: { status: 400, retriable: false, message: 'The rule names an unknown field' },
  RULE_FIELD_NOT_USABLE: {
    status: 400,
    retriable: false,
    message: 'The field is not usable in rules',
  },
  RULE_OPERATOR_MISMATCH: {
    status: 400,
    retriable: false,
    message: "The operator does not apply to the field's type",
  },
  RULE_VALUE_INVALID: {
    status: 400,
    retriable: false,
    message: 'The value does not fit the operator',
  },
  RULE_SEGMENT_UNKNOWN: {
    status: 400,
    retriable: false,
    message: 'The referenced segment does not exist',
  },
  RULE_SEGMENT_CYCLE: { status: 400, retriable: false, message: 'Segment references form a cycle' },
  TIMEZONE_INVALID: { status: 400, retriable: false, message: 'Unknown IANA timezone' },
  CATALOGUE_INVALID: {
    status: 500,
    retriable: false,
    message: 'The catalogue file is not valid',
  },
  SEGMENT_EXISTS: { status: 409, retriable: false, message: 'A segment with this id exists' },
  RETENTION_LIST_UNKNOWN: {
    status: 400,
    retriable: false,
    message: 'No retention list has this id',
  },
  RETENTION_LIST_IN_USE: {
    status: 409,
    retriable: false,
    message: 'Segments are bound to this retention list',
  },
  ACTION_INVALID: { status: 400, retriable: false, message: 'The action is not valid' },
  SEGMENT_NOT_COMPUTED: {
    status: 409,
    retriable: true,
    message: 'The segment has no member count yet; try again once it is live',
  },
  SEGMENT_NOT_STATIC: {
    status: 409,
    retriable: false,
    message: 'The segment has a rule; only a static segment takes uploaded members',
  },
  STATIC_MEMBERS_INVALID: {
    status: 400,
    retriable: false,
    message: 'The uploaded member list is not a CSV of player ids',
  },
  IMPORT_ROW_INVALID: { status: 400, retriable: false, message: 'An imported row is not valid' },
  IMPORT_FILE_INVALID: { status: 400, retriable: false, message: 'The import file cannot be read' },
  IMPORT_ROW_MALFORMED: {
    status: 400,
    retriable: false,
    message: 'An imported line cannot be parsed',
  },
  IMPORT_MAPPING_INVALID: {
    status: 400,
    retriable: false,
    message: 'The import column mapping is not valid',
  },
  NOT_FOUND: { status: 404, retriable: false, message: 'Not found' },
  MEMBER_COLUMN_INVALID: {
    status: 400,
    retriable: false,
    message: 'The column is not a Players field shown in tables',
  },
  MEMBER_SORT_INVALID: {
    status: 400,
    retriable: false,
    message: 'The sort is not an unmasked shown column with asc or desc',
  },
  INTERNAL_ERROR: { status: 500, retriable: false, message: 'Unexpected server error' },
  INGEST_ITEM_MALFORMED: {
    status: 400,
    retriable: false,
    message: 'The item is not a JSON object',
  },
  INGEST_FIELD_UNKNOWN: { status: 400, retriable: false, message: 'The item has an unknown field' },
  INGEST_FIELD_MISSING: { status: 400, retriable: false, message: 'A required field is missing' },
  INGEST_FIELD_INVALID: { status: 400, retriable: false, message: 'A field has an invalid value' },
  INGEST_EVENT_TOO_FAR_AHEAD: {
    status: 400,
    retriable: false,
    message: 'The event time is too far in the future',
  },
  INGEST_BODY_INVALID: {
    status: 400,
    retriable: false,
    message: 'The request body cannot be read',
  },
  INGEST_BODY_TOO_LARGE: {
    status: 413,
    retriable: false,
    message: 'The request body is larger than the ingest limit',
  },
  INGEST_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    retriable: false,
    message: 'Send application/json (an array) or application/x-ndjson',
  },
  CLICKHOUSE_UNAVAILABLE: { status: 503, retriable: true, message: 'ClickHouse is unavailable' },
  REDIS_UNAVAILABLE: { status: 503, retriable: true, message: 'Redis is unavailable' },
  SERVICE_BINARY_MISSING: {
    status: 500,
    retriable: false,
    message: 'A required program is not installed',
  },
  SERVICE_START_FAILED: { status: 500, retriable: true, message: 'A local service did not start' },
  MIGRATION_FAILED: { status: 500, retriable: false, message: 'A schema migration failed' },
  SEGMENT_EVALUATION_FAILED: {
    status: 500,
    retriable: true,
    message: 'The segment could not be evaluated',
  },
  SEGMENT_COMPUTE_TIMEOUT: {
    status: 504,
    retriable: true,
    message: 'The segment evaluation took longer than ENGINE_COMPUTE_TIMEOUT_MS',
  },
  AUTH_REQUIRED: {
    status: 401,
    retriable: false,
    message: 'Send a bearer token in the Authorization header',
  },
  AUTH_INVALID: { status: 401, retriable: false, message: 'The bearer token is not valid' },
  AUTH_FORBIDDEN: {
    status: 403,
    retriable: false,
    message: "The token's role does not allow this request",
  },
  SEGMENT_IN_USE: {
    status: 409,
    retriable: false,
    message: 'Other segments or actions depend on this segment',
  },
  PREVIEW_SUPERSEDED: {
    status: 409,
    retriable: false,
    message: 'A newer preview from the same client replaced this one',
  },
  RATE_LIMITED: {
    status: 429,
    retriable: true,
    message: 'Too many requests of this kind; wait for Retry-After seconds',
  },
  PREVIEW_TIMEOUT: { status: 504, retriable: true, message: 'The preview took too long' },
  SEGMENT_INACTIVE: { status: 409, retriable: false, message: 'The segment is not active' },
  ENGINE_LEASE_LOST: {
    status: 409,
    retriable: true,
    message: 'Another engine process holds the engine lease',
  },
  LIVE_UPGRADE_REQUIRED: {
    status: 426,
    retriable: false,
    message: 'Open /v1/live as a websocket',
  },
  LIVE_MESSAGE_INVALID: { status: 400, retriable: false, message: 'The live message is not valid' },
  LIVE_MESSAGE_TOO_LARGE: {
    status: 413,
    retriable: false,
    message: 'The live message is larger than LIVE_MESSAGE_MAX_BYTES',
  },
  LIVE_RATE_LIMITED: {
    status: 429,
    retriable: true,
    message: 'More live messages per second than LIVE_MESSAGES_PER_SECOND',
  },
  LIVE_TOO_MANY_SUBSCRIPTIONS: {
    status: 400,
    retriable: false,
    message: 'More segments subscribed than LIVE_SUBSCRIPTIONS_MAX',
  },
  LIVE_CLIENT_TOO_SLOW: {
    status: 503,
    retriable: true,
    message: 'The client read its updates too slowly for LIVE_BUFFER_STUCK_MS',
  },
  LIVE_SERVER_CLOSING: {
    status: 503,
    retriable: true,
    message: 'The API process is shutting down',
  },
} as const satisfies Record<string, { status: number; retriable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetails {
  /** Path of the offending part of the input, e.g. `include.all[2].window.unit`. */
  readonly path?: string;
  readonly field?: string;
  readonly [key: string]: unknown;
}

export class SegstreamError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    details: ErrorDetails = {},
    message?: string,
    options?: ErrorOptions,
  ) {
    const entry = ERRORS[code];
    super(message ?? describe(entry.message, details), options);
    this.name = 'SegstreamError';
    this.code = code;
    this.status = entry.status;
    this.retriable = entry.retriable;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

function describe(base: string, details: ErrorDetails): string {
  const where = details.path ?? details.field;
  return where === undefined ? base : `${base}: ${where}`;
}

export function isSegstreamError(err: unknown, code?: ErrorCode): err is SegstreamError {
  return err instanceof SegstreamError && (code === undefined || err.code === code);
}
