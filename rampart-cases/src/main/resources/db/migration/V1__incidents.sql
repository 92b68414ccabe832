-- Incidents, the alerts they group, their comments and timeline. Portable SQL: the same file
-- runs on SQLite and PostgreSQL. Times are epoch milliseconds (BIGINT); ids are text.
CREATE TABLE incidents (
  id              TEXT PRIMARY KEY,
  title           TEXT NOT NULL,
  status          TEXT NOT NULL,
  priority        TEXT NOT NULL,
  owner           TEXT,
  host            TEXT,
  user_name       TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  acknowledged_at BIGINT,
  resolved_at     BIGINT
);
CREATE INDEX incidents_by_update ON incidents (updated_at, id);
CREATE INDEX incidents_by_status ON incidents (status, updated_at, id);
CREATE INDEX incidents_by_priority ON incidents (priority, updated_at, id);
CREATE INDEX incidents_by_owner ON incidents (owner, updated_at, id);

CREATE TABLE incident_alerts (
  incident_id  TEXT NOT NULL REFERENCES incidents (id),
  alert_id     TEXT NOT NULL,
  rule_id      TEXT NOT NULL,
  title        TEXT NOT NULL,
  level        TEXT NOT NULL,
  event_time   BIGINT NOT NULL,
  detected_at  BIGINT NOT NULL,
  PRIMARY KEY (incident_id, alert_id)
);

CREATE TABLE comments (
  id           TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL REFERENCES incidents (id),
  at           BIGINT NOT NULL,
  author       TEXT NOT NULL,
  markdown     TEXT NOT NULL
);
CREATE INDEX comments_by_incident ON comments (incident_id, at);

CREATE TABLE timeline (
  incident_id  TEXT NOT NULL REFERENCES incidents (id),
  seq          BIGINT NOT NULL,
  at           BIGINT NOT NULL,
  actor        TEXT NOT NULL,
  kind         TEXT NOT NULL,
  detail       TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
);
