-- Actions bound to segments. A change writes a new row with a higher version.
CREATE TABLE IF NOT EXISTS actions (
  action_id String,
  version UInt32,
  segment_id String,
  type String,
  channel String,
  config String,
  member_count UInt64,
  suppressed_count UInt64,
  created_at DateTime('UTC') DEFAULT now(),
  created_by String,
  deleted UInt8
) ENGINE = ReplacingMergeTree(version)
ORDER BY action_id;

-- Retention lists that segments can be bound to.
CREATE TABLE IF NOT EXISTS retention_lists (
  list_id String,
  version UInt32,
  name String,
  description String,
  created_at DateTime('UTC') DEFAULT now(),
  deleted UInt8
) ENGINE = ReplacingMergeTree(version)
ORDER BY list_id
