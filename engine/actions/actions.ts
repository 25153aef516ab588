// Actions bound to segments (engine/actions/schema.ts). An action can only be created for an
// active segment whose count is known, and it keeps the member and suppressed counts of that
// moment. A segment with actions cannot be deleted (api/routes/segments.ts).
import { SegstreamError } from '../errors/errors.ts';
import { MAX_TIME_MS } from '../ingest/schema.ts';
import type { MembershipReader } from '../membership/read.ts';
import type { SuppressedCounter } from '../membership/suppressed.ts';
import { newSegmentId } from '../segments/ids.ts';
import type { SegmentRepository } from '../segments/repository.ts';
import { sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import { latestRows } from '../store/versioned.ts';
import type { ActionInput } from './schema.ts';

export interface Action {
  readonly id: string;
  readonly segmentId: string;
  /** The segment version the action was created on. */
  readonly segmentVersion: number;
  readonly name: string;
  readonly type: ActionInput['type'];
  readonly channel: ActionInput['channel'];
  /** The type's settings: trigger, schedule, send_at, url. */
  readonly settings: Omit<ActionInput, 'name' | 'type' | 'channel'>;
  readonly memberCount: number;
  readonly suppressedCount: number;
  readonly createdAt: number;
  readonly createdBy: string;
}

export interface ActionStore {
  create(segmentId: string, input: ActionInput, createdBy: string): Promise<Action>;
  /** Actions of one segment, or of every segment. */
  list(segmentId?: string): Promise<Action[]>;
  /** Actions of one segment; NOT_FOUND (path `id`) when there is no such segment. */
  ofSegment(segmentId: string): Promise<Action[]>;
  get(id: string): Promise<Action | undefined>;
  delete(id: string, deletedBy: string): Promise<void>;
}

export interface ActionStoreOptions {
  readonly store: Store;
  readonly segments: SegmentRepository;
  readonly membership: MembershipReader;
  readonly suppressed: SuppressedCounter;
  readonly now?: () => number;
}

interface Row {
  action_id: string;
  version: number;
  segment_id: string;
  type: string;
  channel: string;
  config: string;
  member_count: number;
  suppressed_count: number;
  created_s: number;
  created_by: string;
  deleted: number;
}

const TABLE = 'actions';
const COLUMNS = [
  ...['action_id', 'version', 'segment_id', 'type', 'channel', 'config'],
  ...['member_count', 'suppressed_count', 'created_at', 'created_by', 'deleted'],
];
const SELECT = `action_id, version, segment_id, type, channel, config, member_count,
  suppressed_count, toUnixTimestamp(created_at) AS created_s, created_by`;

export function actionStore(opts: ActionStoreOptions): ActionStore {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const read = async (where?: string) =>
    (await latestRows<Row>(store, TABLE, 'action_id', SELECT, where)).map(fromRow);
  const write = async (a: Action, version: number, deleted: number) => {
    const config = JSON.stringify({
      ...a.settings,
      name: a.name,
      segment_version: a.segmentVersion,
    });
    const row = [a.id, version, a.segmentId, a.type, a.channel, config];
    const seconds = Math.floor(a.createdAt / 1000);
    await store.insert(TABLE, COLUMNS, [
      [...row, a.memberCount, a.suppressedCount, seconds, a.createdBy, deleted],
    ]);
  };

  return {
    create: async (segmentId, input, createdBy) => {
      checkSettings(input);
      const segment = await opts.segments.get(segmentId);
      if (!segment) throw new SegstreamError('NOT_FOUND', { path: 'id', id: segmentId });
      if (segment.definition.active === false) {
        throw new SegstreamError('SEGMENT_INACTIVE', { path: 'id', id: segmentId });
      }
      const status = await opts.membership.status(segmentId);
      if (status?.state !== 'live' || status.version !== segment.version) {
        throw new SegstreamError('SEGMENT_NOT_COMPUTED', { path: 'id', id: segmentId });
      }
      const suppressed = (await opts.suppressed.counts([segmentId])).get(segmentId) ?? 0;
      const { name, type, channel, ...settings } = input;
      const action: Action = {
        ...{ id: newSegmentId(), segmentId, segmentVersion: segment.version },
        ...{ name: name ?? `${type} ${channel}: ${segment.definition.name}`, type, channel },
        ...{ settings, memberCount: status.count, suppressedCount: suppressed },
        ...{ createdAt: Math.floor(now() / 1000) * 1000, createdBy },
      };
      await write(action, 1, 0);
      return action;
    },
    list: (segmentId) =>
      read(segmentId === undefined ? undefined : `segment_id = ${sqlString(segmentId)}`),
    ofSegment: async (segmentId) => {
      if (!(await opts.segments.get(segmentId))) {
        throw new SegstreamError('NOT_FOUND', { path: 'id', id: segmentId });
      }
      return read(`segment_id = ${sqlString(segmentId)}`);
    },
    get: async (id) => (await read(`action_id = ${sqlString(id)}`))[0],
    delete: async (id, deletedBy) => {
      const rows = await latestRows<Row>(
        store,
        TABLE,
        'action_id',
        SELECT,
        `action_id = ${sqlString(id)}`,
      );
      const row = rows[0];
      if (!row) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
      await write(
        { ...fromRow(row), createdBy: deletedBy, createdAt: now() },
        Number(row.version) + 1,
        1,
      );
    },
  };
}

/** The settings each type takes, and only those: a field of another type is a mistake. */
function checkSettings(input: ActionInput): void {
  const wrong = (path: string, reason: string) =>
    new SegstreamError('ACTION_INVALID', { path, reason });
  if (input.type === 'scheduled' && !input.schedule) {
    throw wrong('schedule', 'a scheduled action needs { every, at }');
  }
  if (input.type !== 'scheduled' && input.schedule) throw wrong('schedule', 'only for scheduled');
  if (input.type !== 'triggered' && input.trigger) throw wrong('trigger', 'only for triggered');
  if (input.type !== 'single' && input.send_at) throw wrong('send_at', 'only for single');
  if (input.channel === 'web_api' && !input.url)
    throw wrong('url', 'the web_api channel needs a url');
  if (input.channel !== 'web_api' && input.url) throw wrong('url', 'only for the web_api channel');
  if (input.url !== undefined) checkUrl(input.url, wrong);
  if (input.send_at !== undefined && !isSendTime(input.send_at)) {
    throw wrong('send_at', 'must be a date-time from 1970 to 2106');
  }
}

/** An http(s) address with a host, as WHATWG URL parsing reads it (ports above 65535 fail). */
function checkUrl(text: string, wrong: (path: string, reason: string) => SegstreamError): void {
  // Written out in full: URL parsing alone would read `http:x` as http://x/.
  if (!/^https?:\/\//i.test(text)) throw wrong('url', 'must be http or https');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw wrong('url', 'must be an absolute http or https address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw wrong('url', 'must be http or https');
  }
  if (url.hostname === '') throw wrong('url', 'must name a host');
}

/** What DateTime('UTC') holds and JavaScript reads: 1970 to 2106, no leap second. */
function isSendTime(text: string): boolean {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIME_MS;
}

function fromRow(r: Row): Action {
  const config = JSON.parse(r.config) as Record<string, unknown>;
  const { name, segment_version: version, ...settings } = config;
  return {
    id: r.action_id,
    segmentId: r.segment_id,
    segmentVersion: Number(version),
    name: String(name),
    type: r.type as Action['type'],
    channel: r.channel as Action['channel'],
    settings: settings as Action['settings'],
    memberCount: Number(r.member_count),
    suppressedCount: Number(r.suppressed_count),
    createdAt: Number(r.created_s) * 1000,
    createdBy: r.created_by,
  };
}
