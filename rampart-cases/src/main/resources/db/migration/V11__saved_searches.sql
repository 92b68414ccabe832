-- Hunting queries kept by name: an analyst's own, or shared with the team. A shared search is seen
-- by whoever sees every tenant its owner saw when saving it (tenants: comma-separated, '' = all).
CREATE TABLE saved_searches (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  name        TEXT NOT NULL,
  query       TEXT NOT NULL,
  time_range  TEXT NOT NULL,
  description TEXT NOT NULL,
  shared      INTEGER NOT NULL,
  tenants     TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  UNIQUE (owner, name)
);
