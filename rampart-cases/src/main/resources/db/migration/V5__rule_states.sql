-- Rules switched off (or back on) by an admin, by rule id; a rule without a row is on.
CREATE TABLE rule_states (
  rule_id     TEXT PRIMARY KEY,
  enabled     INTEGER NOT NULL,
  changed_by  TEXT NOT NULL,
  changed_at  BIGINT NOT NULL,
  reason      TEXT
);
