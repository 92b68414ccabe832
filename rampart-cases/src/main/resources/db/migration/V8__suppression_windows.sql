-- Suppression windows (docs/alerting.md) survive a restart. window_key is the SHA-256 of the
-- window's key (the rule and the values of the policy's by-fields, which may be long command
-- lines); until_ms is when the window ends (epoch ms); opened_by is the alert that opened it, so a
-- replay of that alert after a crash is still filed rather than swallowed by its own window.
CREATE TABLE suppression_windows (
  window_key  TEXT PRIMARY KEY,
  until_ms    BIGINT NOT NULL,
  opened_by   TEXT NOT NULL
);
