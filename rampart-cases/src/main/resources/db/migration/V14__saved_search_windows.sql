-- Windows an alerting search ran over that were longer than its period (a run after the server
-- was stopped searches the periods it missed at once, and files at most one alert for them). Late
-- events in such a window are counted against the whole window, as the run did, so the alert they
-- file has that run's id and is not a second alert for the same events. Kept about a week.
CREATE TABLE saved_search_windows (
  search_id TEXT NOT NULL,
  from_ms   BIGINT NOT NULL,
  to_ms     BIGINT NOT NULL,
  PRIMARY KEY (search_id, to_ms)
);
