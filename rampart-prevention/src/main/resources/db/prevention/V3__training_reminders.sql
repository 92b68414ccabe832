-- When the person was last reminded of an overdue course (reminders repeat weekly at most).
ALTER TABLE prev_training ADD COLUMN reminded_at BIGINT;
