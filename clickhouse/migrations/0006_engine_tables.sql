-- Dense player numbers: the engine numbers a player (1, 2, 3 ...) the first time the player is
-- a member of any segment, so membership bitmaps in Redis index by number. Numbers are assigned
-- atomically in Redis and copied here so that queries can return numbers and so that Redis can
-- be rebuilt from ClickHouse after it lost its data. A number never changes once assigned; a row
-- written twice by a retry is the same (id, number) pair.
CREATE TABLE IF NOT EXISTS player_numbers (
  player_id String,
  player_num UInt32,
  assigned_at DateTime('UTC') DEFAULT now()
) ENGINE = ReplacingMergeTree
ORDER BY player_num;

-- Segment size per minute: members at the end of the minute and the transitions during it.
-- A row is written only for minutes in which the segment changed; a reader carries the last
-- count forward. Minutes older than ENGINE_HISTORY_MINUTE_DAYS are rolled up into
-- segment_sizes_hourly and their daily partition is dropped (18.16 has no TTL). A minute written
-- twice (engine failover) holds the same values and collapses (ReplacingMergeTree).
CREATE TABLE IF NOT EXISTS segment_sizes (
  segment_id String,
  minute DateTime('UTC'),
  count UInt64,
  entered UInt64,
  exited UInt64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(minute)
ORDER BY (segment_id, minute);

-- Segment size per hour, for history beyond the per-minute days: count at the end of the hour
-- and the transitions during it.
CREATE TABLE IF NOT EXISTS segment_sizes_hourly (
  segment_id String,
  hour DateTime('UTC'),
  count UInt64,
  entered UInt64,
  exited UInt64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (segment_id, hour)
