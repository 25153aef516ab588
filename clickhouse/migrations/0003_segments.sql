-- Every saved version of every segment, never updated in place: the current definition is the
-- highest version. `definition` is the segment as JSON (name, rule, timezone, ...), `deleted`
-- marks a tombstone version.
CREATE TABLE IF NOT EXISTS segment_versions (
  segment_id String,
  version UInt32,
  created_at DateTime('UTC') DEFAULT now(),
  created_by String,
  deleted UInt8,
  definition String
) ENGINE = MergeTree
ORDER BY (segment_id, version);

-- Player ids uploaded for static segments, per segment version.
CREATE TABLE IF NOT EXISTS static_segment_members (
  segment_id String,
  version UInt32,
  player_id String
) ENGINE = MergeTree
ORDER BY (segment_id, version, player_id)
