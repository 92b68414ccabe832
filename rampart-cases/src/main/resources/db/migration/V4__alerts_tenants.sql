-- Tenants and the alert queue. Every incident and alert belongs to one tenant (the tenant that
-- owns the input its events came through; 'default' otherwise); a user assigned tenants sees only
-- theirs, a user assigned none sees all. Alerts are kept here with their outcome in triage and an
-- analyst's acknowledgement and assignee, so the queue pages by index at any volume.
ALTER TABLE incidents ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
CREATE INDEX incidents_by_tenant ON incidents (tenant, updated_at, id);

CREATE TABLE alerts (
  id               TEXT PRIMARY KEY,
  tenant           TEXT NOT NULL,
  rule_id          TEXT NOT NULL,
  title            TEXT NOT NULL,
  level            TEXT NOT NULL,
  level_rank       INTEGER NOT NULL,
  host             TEXT,
  user_name        TEXT,
  source_ip        TEXT,
  techniques       TEXT NOT NULL,
  event_ids        TEXT NOT NULL,
  event_time       BIGINT NOT NULL,
  detected_at      BIGINT NOT NULL,
  outcome          TEXT NOT NULL,
  incident_id      TEXT,
  state            TEXT NOT NULL,
  assignee         TEXT,
  acknowledged_at  BIGINT,
  acknowledged_by  TEXT
);
CREATE INDEX alerts_by_time ON alerts (detected_at, id);
CREATE INDEX alerts_by_tenant ON alerts (tenant, detected_at, id);
CREATE INDEX alerts_by_incident ON alerts (incident_id);

CREATE TABLE user_tenants (
  user_name  TEXT NOT NULL REFERENCES users (name),
  tenant     TEXT NOT NULL,
  PRIMARY KEY (user_name, tenant)
);
