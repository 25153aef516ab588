// The Lua scripts behind membership. Every script that writes checks the engine lease token
// first (fencing): an engine that lost its lease while paused cannot write after another engine
// took over, so two engines never apply changes side by side.
import { LuaScript } from './script.ts';

const FENCE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('ENGINE_LEASE_LOST')
end
`;

/**
 * Applies one change set of a segment. KEYS: lease, bits, segment hash, journal, ids hash,
 * minute sizes hash, pending minutes, live channel, segments set. ARGV: token, segment, version,
 * at (ms), cause, minute, then pairs of player number and wanted bit.
 *
 * SETBIT returns the old bit, so only real flips count: replaying a change set, or applying one
 * that another engine already applied, changes neither the count nor the journal. Count,
 * sequence, journal entry, size counters and the live message change in the same atomic step as
 * the bits. Returns entered, exited, count, seq.
 */
export const APPLY = new LuaScript(`${FENCE}
local entered, exited = {}, {}
for i = 7, #ARGV, 2 do
  local bit = tonumber(ARGV[i + 1])
  if redis.call('SETBIT', KEYS[2], ARGV[i], bit) ~= bit then
    local id = redis.call('HGET', KEYS[5], ARGV[i])
    if bit == 1 then entered[#entered + 1] = id else exited[#exited + 1] = id end
  end
end
local e, x = #entered, #exited
if e + x == 0 then
  local count = tonumber(redis.call('HGET', KEYS[3], 'count') or '0')
  return {0, 0, count, tonumber(redis.call('HGET', KEYS[3], 'seq') or '0')}
end
local segment = ARGV[2]
local count = redis.call('HINCRBY', KEYS[3], 'count', e - x)
local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
redis.call('XADD', KEYS[4], '*', 'segment', segment, 'version', ARGV[3], 'at', ARGV[4],
  'seq', seq, 'cause', ARGV[5], 'entered', cjson.encode(entered), 'exited', cjson.encode(exited))
redis.call('HINCRBY', KEYS[6], segment .. '|entered', e)
redis.call('HINCRBY', KEYS[6], segment .. '|exited', x)
redis.call('HSET', KEYS[6], segment .. '|count', count)
redis.call('ZADD', KEYS[7], ARGV[6], ARGV[6])
redis.call('SADD', KEYS[9], segment)
redis.call('PUBLISH', KEYS[8], cjson.encode({
  segment = segment, version = tonumber(ARGV[3]), count = count, entered = e, exited = x,
  seq = seq, at = tonumber(ARGV[4]), cause = ARGV[5] }))
return {e, x, count, seq}
`);

/**
 * Writes status fields of a segment. KEYS: lease, segment hash, segments set. ARGV: token,
 * segment, JSON object of fields (null deletes a field).
 */
export const SET_STATUS = new LuaScript(`${FENCE}
local fields = cjson.decode(ARGV[3])
for name, value in pairs(fields) do
  if value == cjson.null then
    redis.call('HDEL', KEYS[2], name)
  else
    redis.call('HSET', KEYS[2], name, tostring(value))
  end
end
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`);

/** Removes a segment's keys (its members were removed first). KEYS: lease, bits, hash, set. */
export const DROP_SEGMENT = new LuaScript(`${FENCE}
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[2])
return 1
`);

/**
 * Replaces a segment's bitmap, count and sequence, when Redis is rebuilt from ClickHouse after
 * it lost its data. KEYS: lease, bits, hash, set. ARGV: token, segment, bitmap, count, seq.
 */
export const RESTORE_SEGMENT = new LuaScript(`${FENCE}
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], 'count', ARGV[4], 'seq', ARGV[5])
redis.call('SADD', KEYS[4], ARGV[2])
return 1
`);

/** Takes or renews the lease. KEYS: lease. ARGV: token, ms. Returns 1 when held. */
export const ACQUIRE_LEASE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** Gives the lease up if still held. KEYS: lease. ARGV: token. */
export const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** Moves the watermark forward only. KEYS: lease, watermark. ARGV: token, seconds. */
export const ADVANCE_WATERMARK = new LuaScript(`${FENCE}
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local wanted = tonumber(ARGV[2])
if wanted > current then redis.call('SET', KEYS[2], ARGV[2]) return wanted end
return current
`);

/**
 * Numbers players: the existing number, or the next one. KEYS: numbers, ids, last number.
 * ARGV: player ids. Returns pairs of number and 1 when it was assigned now.
 */
export const ASSIGN_NUMBERS = new LuaScript(`
local out = {}
for _, id in ipairs(ARGV) do
  local n = redis.call('HGET', KEYS[1], id)
  if n then
    out[#out + 1] = tonumber(n)
    out[#out + 1] = 0
  else
    n = redis.call('INCR', KEYS[3])
    redis.call('HSET', KEYS[1], id, n)
    redis.call('HSET', KEYS[2], n, id)
    out[#out + 1] = n
    out[#out + 1] = 1
  end
end
return out
`);

/** Whether a player is a member. KEYS: numbers, bits. ARGV: player id. */
export const IS_MEMBER = new LuaScript(`
local n = redis.call('HGET', KEYS[1], ARGV[1])
if not n then return 0 end
return redis.call('GETBIT', KEYS[2], n)
`);

/**
 * The segments a player is a member of. KEYS: numbers, segments set. ARGV: player id, key
 * prefix. Bitmap keys are derived inside the script, which needs a single Redis (no cluster).
 */
export const SEGMENTS_OF = new LuaScript(`
local n = redis.call('HGET', KEYS[1], ARGV[1])
if not n then return {} end
local found = {}
for _, segment in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('GETBIT', ARGV[2] .. 'seg:' .. segment .. ':bits', n) == 1 then
    found[#found + 1] = segment
  end
end
return found
`);
