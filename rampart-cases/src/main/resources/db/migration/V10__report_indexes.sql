-- The SOC report of a period: the incidents closed in it (the rules' outcomes) are found by their
-- closing time, and the alerts of it are counted by triage outcome from the index alone.
CREATE INDEX incidents_by_resolution ON incidents (resolved_at);
CREATE INDEX alerts_by_time_outcome ON alerts (detected_at, tenant, outcome);
