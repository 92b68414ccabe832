-- A saved search can alert: run every alert_every milliseconds over the events since alert_until
-- (the end of its last run), it files an alert of alert_level when more than alert_threshold
-- events match. Null alert_every: the search does not alert.
ALTER TABLE saved_searches ADD COLUMN alert_every BIGINT;
ALTER TABLE saved_searches ADD COLUMN alert_level TEXT;
ALTER TABLE saved_searches ADD COLUMN alert_threshold BIGINT;
ALTER TABLE saved_searches ADD COLUMN alert_until BIGINT;
