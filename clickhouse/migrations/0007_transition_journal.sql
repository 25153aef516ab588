-- Transitions come from the engine's journal (a Redis stream). journal_id is the stream entry id,
-- which makes writing them exactly once checkable; seq is the segment's change number (also
-- published on the live channel); cause says what produced the change (tick, sweep, compute,
-- deactivated, deleted). 18.16 has no ADD COLUMN IF NOT EXISTS, so this file holds this one
-- statement only: it is the last thing that can fail before the migration is recorded.
ALTER TABLE membership_transitions
  ADD COLUMN seq UInt64 DEFAULT 0,
  ADD COLUMN journal_id String DEFAULT '',
  ADD COLUMN cause String DEFAULT ''
