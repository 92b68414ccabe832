-- Certificate renewal: an agent renews its certificate over its mutual-TLS link before it expires.
-- pending_serial is the serial of a renewed certificate the agent has not used yet; until it does,
-- the current one (cert_serial) stays good, so an agent that dies before saving its new certificate
-- is not locked out. cert_expires_at is the current certificate's end (epoch ms; null for agents
-- enrolled before this column, filled at their next call).
ALTER TABLE agents ADD COLUMN pending_serial TEXT;
ALTER TABLE agents ADD COLUMN cert_expires_at BIGINT;
