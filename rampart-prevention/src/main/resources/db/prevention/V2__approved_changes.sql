-- Changes to privileged groups that someone approved ahead of time (a change ticket): an alert
-- about exactly that change (account, group) before the approval runs out is expected.
CREATE TABLE prev_approved_changes (
  id            TEXT PRIMARY KEY,
  person        TEXT REFERENCES prev_people(id) ON DELETE CASCADE,
  account_key   TEXT NOT NULL,
  account       TEXT NOT NULL,
  group_key     TEXT NOT NULL,
  group_name    TEXT NOT NULL,
  reason        TEXT NOT NULL,
  approved_by   TEXT NOT NULL,
  approved_at   BIGINT NOT NULL,
  until_at      BIGINT NOT NULL
);
CREATE INDEX prev_approved_changes_group ON prev_approved_changes(group_key);
