-- Network scans the server ran (vulnerabilities.scans in the config, or POST /api/vuln/scans):
-- who asked (an actor, or "schedule"), what was scanned, how it went. Findings themselves live in
-- the vulnerability tables (ecosystem NETWORK); this is the log of runs. Times are epoch ms.
CREATE TABLE vuln_scans (
  id           TEXT PRIMARY KEY,
  asset        TEXT NOT NULL,
  target       TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT,
  status       TEXT NOT NULL,
  probed       INTEGER NOT NULL,
  open_ports   INTEGER NOT NULL,
  issues       INTEGER NOT NULL,
  opened       INTEGER NOT NULL,
  fixed        INTEGER NOT NULL,
  detail       TEXT
);
CREATE INDEX vuln_scans_by_time ON vuln_scans (requested_at);
