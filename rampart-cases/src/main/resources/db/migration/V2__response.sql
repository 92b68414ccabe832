-- Alert handling and response: SLA due times, merges, tags, evidence events, analyst exceptions,
-- the audit trail and playbook runs. Portable SQL for SQLite and PostgreSQL; times are epoch ms.
ALTER TABLE incidents ADD COLUMN merged_into TEXT;
ALTER TABLE incidents ADD COLUMN ack_due_at BIGINT;
ALTER TABLE incidents ADD COLUMN resolve_due_at BIGINT;

CREATE INDEX incident_alerts_by_alert ON incident_alerts (alert_id);
CREATE INDEX incident_alerts_by_rule ON incident_alerts (rule_id);

CREATE TABLE incident_tags (
  incident_id  TEXT NOT NULL REFERENCES incidents (id),
  tag          TEXT NOT NULL,
  PRIMARY KEY (incident_id, tag)
);
CREATE INDEX incident_tags_by_tag ON incident_tags (tag, incident_id);

CREATE TABLE incident_events (
  incident_id  TEXT NOT NULL REFERENCES incidents (id),
  event_id     BIGINT NOT NULL,
  added_at     BIGINT NOT NULL,
  added_by     TEXT NOT NULL,
  note         TEXT,
  PRIMARY KEY (incident_id, event_id)
);

CREATE TABLE alert_exceptions (
  id           TEXT PRIMARY KEY,
  rule_id      TEXT NOT NULL,
  host         TEXT,
  user_name    TEXT,
  reason       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT,
  revoked_by   TEXT,
  hits         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX alert_exceptions_by_rule ON alert_exceptions (rule_id);

CREATE TABLE audit (
  id      TEXT PRIMARY KEY,
  at      BIGINT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT,
  detail  TEXT
);
CREATE INDEX audit_by_time ON audit (at);

CREATE TABLE playbook_runs (
  id           TEXT PRIMARY KEY,
  playbook     TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  subject      TEXT NOT NULL,
  started_at   BIGINT NOT NULL,
  finished_at  BIGINT,
  status       TEXT NOT NULL
);
CREATE INDEX playbook_runs_by_time ON playbook_runs (started_at, id);
CREATE UNIQUE INDEX playbook_runs_once ON playbook_runs (playbook, trigger_kind, subject);

CREATE TABLE playbook_steps (
  run_id       TEXT NOT NULL REFERENCES playbook_runs (id),
  idx          INTEGER NOT NULL,
  name         TEXT NOT NULL,
  action       TEXT NOT NULL,
  status       TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  detail       TEXT,
  started_at   BIGINT NOT NULL,
  finished_at  BIGINT,
  PRIMARY KEY (run_id, idx)
);
