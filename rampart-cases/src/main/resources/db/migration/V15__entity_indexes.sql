-- Entity pages ask for one host's, user's or address's alerts and incidents, by name without regard to
-- case (Windows names come in any case); the alert list's host filter asks the same.
CREATE INDEX alerts_by_host ON alerts (LOWER(host), detected_at);
CREATE INDEX alerts_by_user ON alerts (LOWER(user_name), detected_at);
CREATE INDEX incidents_by_host ON incidents (LOWER(host), updated_at);
CREATE INDEX incidents_by_user ON incidents (LOWER(user_name), updated_at);
CREATE INDEX alerts_by_source_ip ON alerts (LOWER(source_ip), detected_at);
