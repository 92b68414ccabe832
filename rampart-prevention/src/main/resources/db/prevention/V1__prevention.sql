-- Preventive controls, in the case database beside incidents (their own Flyway history table).
-- Times are epoch milliseconds. Names compare lower-cased: *_key columns hold the folded form.

-- People: one row per person, merged across imports by the configured keys.
CREATE TABLE prev_people (
  id            TEXT PRIMARY KEY,
  display_name  TEXT,
  email         TEXT,
  email_key     TEXT,
  employee_id   TEXT,
  department    TEXT,
  title         TEXT,
  manager       TEXT,             -- the manager's person id, once resolved
  manager_ref   TEXT,             -- what the import said (an email, a DN, a login)
  status        TEXT NOT NULL,    -- active, disabled
  source        TEXT NOT NULL,    -- the file it last came from
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX prev_people_email ON prev_people(email_key);
CREATE INDEX prev_people_employee ON prev_people(employee_id);

-- Accounts of a person (logins, sAMAccountName, UPN, Unix names), folded; events link by them.
CREATE TABLE prev_accounts (
  account_key   TEXT PRIMARY KEY,
  account       TEXT NOT NULL,
  person        TEXT NOT NULL REFERENCES prev_people(id) ON DELETE CASCADE,
  source        TEXT NOT NULL
);
CREATE INDEX prev_accounts_person ON prev_accounts(person);

-- Group memberships as last imported; privileged by the configured list at import time.
CREATE TABLE prev_memberships (
  person        TEXT NOT NULL REFERENCES prev_people(id) ON DELETE CASCADE,
  group_key     TEXT NOT NULL,
  group_name    TEXT NOT NULL,
  privileged    INTEGER NOT NULL,
  source        TEXT NOT NULL,
  seen_at       BIGINT NOT NULL,
  PRIMARY KEY (person, group_key)
);

-- Training: a course assigned to a person, due, completed or not.
CREATE TABLE prev_training (
  person        TEXT NOT NULL REFERENCES prev_people(id) ON DELETE CASCADE,
  course        TEXT NOT NULL,
  assigned_at   BIGINT,
  due_at        BIGINT,
  completed_at  BIGINT,
  score         DOUBLE PRECISION,
  source        TEXT NOT NULL,
  PRIMARY KEY (person, course)
);

-- Phishing simulations: what each person did with each campaign's message.
CREATE TABLE prev_phishing (
  person        TEXT NOT NULL REFERENCES prev_people(id) ON DELETE CASCADE,
  campaign      TEXT NOT NULL,
  sent_at       BIGINT NOT NULL,
  opened        INTEGER NOT NULL,
  clicked       INTEGER NOT NULL,
  submitted     INTEGER NOT NULL,
  reported      INTEGER NOT NULL,
  source        TEXT NOT NULL,
  PRIMARY KEY (person, campaign)
);

-- Access reviews: a campaign asks reviewers to confirm or revoke privileged memberships.
CREATE TABLE prev_campaigns (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  started_at    BIGINT NOT NULL,
  due_at        BIGINT NOT NULL,
  started_by    TEXT NOT NULL,
  closed_at     BIGINT
);

CREATE TABLE prev_review_items (
  id            TEXT PRIMARY KEY,
  campaign      TEXT NOT NULL REFERENCES prev_campaigns(id) ON DELETE CASCADE,
  person        TEXT NOT NULL,
  group_key     TEXT NOT NULL,
  group_name    TEXT NOT NULL,
  reviewer      TEXT,             -- the person id of the manager (or the configured owner)
  decision      TEXT,             -- confirm, revoke; null while open
  decided_by    TEXT,
  decided_at    BIGINT,
  comment       TEXT,
  reminded_at   BIGINT
);
CREATE INDEX prev_review_items_campaign ON prev_review_items(campaign);
