-- API bearer tokens. Only a SHA-256 of the token is kept: tokens are 32 random bytes, so a fast
-- hash is enough (no password stretching needed) and a stolen table reveals no usable token.
-- Revoking writes the next version with revoked = 1; the highest version of a token wins.
CREATE TABLE IF NOT EXISTS api_tokens (
  token_id String,
  version UInt32,
  name String,
  role String,
  token_hash String,
  created_at DateTime('UTC') DEFAULT now(),
  created_by String,
  revoked UInt8
) ENGINE = ReplacingMergeTree(version)
ORDER BY token_id
