-- Enrolled host agents and their one-time enrolment tokens, in the case database (own Flyway
-- history table). Times are epoch milliseconds.

-- A token is stored as the SHA-256 of its text; the text is shown once, when it is made.
CREATE TABLE agent_tokens (
  hash        TEXT PRIMARY KEY,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT,
  used_by     TEXT
);

-- next_seq: every record of the agent below it has been accepted (the deduplication point).
CREATE TABLE agents (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  version       TEXT,
  cert_serial   TEXT NOT NULL,
  enrolled_at   BIGINT NOT NULL,
  status        TEXT NOT NULL,
  next_seq      BIGINT NOT NULL,
  records       BIGINT NOT NULL,
  duplicates    BIGINT NOT NULL,
  last_seen     BIGINT,
  heartbeat     TEXT,
  silent_since  BIGINT
);
