-- Player events. event_time is when it happened (windows use it); ingested_at is when Segstream
-- stored it (the engine's watermark uses it). Rows are ordered per player and time so per-player
-- window aggregation reads contiguous ranges, and partitioned by month of event time so old
-- months can be dropped. The same event_id written twice collapses on merge (ReplacingMergeTree);
-- Segstream's own writers also skip ids already stored, so counts are exact before any merge.
CREATE TABLE IF NOT EXISTS events (
  event_id String,
  player_id String,
  type String,
  event_time DateTime('UTC'),
  ingested_at DateTime('UTC') DEFAULT now(),
  amount Nullable(Decimal(18, 4)),
  currency Nullable(String),
  game_category Nullable(String),
  product Nullable(String),
  payment_method Nullable(String),
  status Nullable(String),
  quantity Nullable(Int64),
  prop_keys Array(String),
  prop_values Array(String)
) ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (player_id, event_time, event_id)
