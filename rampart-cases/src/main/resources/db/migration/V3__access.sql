-- Access control of Rampart itself: users, custom roles, API tokens, and the audit trail's hash
-- chain. Portable SQL for SQLite and PostgreSQL; times are epoch ms.
CREATE TABLE users (
  name           TEXT PRIMARY KEY,
  role           TEXT NOT NULL,
  password_hash  TEXT,
  created_at     BIGINT NOT NULL,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   BIGINT,
  disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE roles (
  name         TEXT PRIMARY KEY,
  permissions  TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id            TEXT PRIMARY KEY,
  user_name     TEXT NOT NULL REFERENCES users (name),
  name          TEXT NOT NULL,
  token_hash    TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  last_used_at  BIGINT,
  revoked_at    BIGINT
);
CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (token_hash);

-- Each audit entry's hash covers the previous entry's hash and its own fields; the head row
-- serialises writers (a row lock on PostgreSQL) so the chain never forks.
ALTER TABLE audit ADD COLUMN seq BIGINT;
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_by_seq ON audit (seq);
CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY,
  seq   BIGINT NOT NULL,
  hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
