-- How far the event store had indexed (the spool offset every event below which is searchable)
-- when an alerting search last ran: events indexed after it whose time falls in a window already
-- searched are late, and their windows are counted again on the next run.
ALTER TABLE saved_searches ADD COLUMN alert_seen BIGINT;
