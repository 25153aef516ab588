-- One profile per player. A profile is replaced as a whole: the row with the highest `version`
-- wins (ReplacingMergeTree), and readers use FINAL or argMax so the latest profile counts
-- before background merges have run. Nullable columns keep "missing" apart from "empty" and 0.
-- birth_date holds the date's digits, YYYYMMDD (19650412): 18.16's Date cannot go before 1970
-- (engine/store/day.ts).
CREATE TABLE IF NOT EXISTS players (
  player_id String,
  version UInt64,
  updated_at DateTime('UTC') DEFAULT now(),
  email Nullable(String),
  phone Nullable(String),
  country Nullable(String),
  currency Nullable(String),
  language Nullable(String),
  gender Nullable(String),
  registered_at Nullable(DateTime('UTC')),
  birth_date Nullable(Int32),
  vip_level Nullable(Int32),
  kyc_status Nullable(String),
  account_status Nullable(String),
  self_excluded Nullable(UInt8),
  cooling_off_until Nullable(DateTime('UTC')),
  marketing_email Nullable(UInt8),
  marketing_sms Nullable(UInt8),
  marketing_push Nullable(UInt8),
  tags Array(String),
  attr_keys Array(String),
  attr_values Array(String)
) ENGINE = ReplacingMergeTree(version)
ORDER BY player_id
