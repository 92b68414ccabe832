-- Response actions ordered to agents: the signed command as sent, and the outcome the agent
-- reported (done, dry-run, rejected, failed; undone or undo-failed later). Times are epoch ms.
CREATE TABLE agent_actions (
  id            TEXT PRIMARY KEY,
  agent_id      TEXT NOT NULL,
  action        TEXT NOT NULL,
  args          TEXT NOT NULL,
  dry_run       INTEGER NOT NULL,
  undo_after_s  BIGINT NOT NULL,
  issued_by     TEXT NOT NULL,
  issued_at     BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  envelope      TEXT NOT NULL,
  outcome       TEXT,
  detail        TEXT,
  result_at     BIGINT,
  undone_at     BIGINT
);

CREATE INDEX agent_actions_agent ON agent_actions (agent_id, issued_at);
