-- Who entered and left which segment, when, and under which segment version.
CREATE TABLE IF NOT EXISTS membership_transitions (
  segment_id String,
  player_id String,
  kind Enum8('entered' = 1, 'exited' = 2),
  at DateTime('UTC'),
  segment_version UInt32
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (segment_id, at, player_id)
