-- Vulnerability management, in the case database beside incidents (its own Flyway history table).
-- Times are epoch milliseconds.

-- The advisory feeds a user registered: where they are, what they held when last loaded.
CREATE TABLE vuln_feeds (
  path          TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  advisories    INTEGER NOT NULL,
  problems      INTEGER NOT NULL,
  newest        TEXT,
  loaded_at     BIGINT NOT NULL,
  added_by      TEXT NOT NULL
);

-- Assets and their latest inventory.
CREATE TABLE vuln_assets (
  name              TEXT PRIMARY KEY,
  distro            TEXT,
  internet_facing   INTEGER NOT NULL,
  criticality       TEXT NOT NULL,
  packages          INTEGER NOT NULL,
  inventory_source  TEXT,
  first_seen        BIGINT NOT NULL,
  inventory_at      BIGINT NOT NULL
);

CREATE TABLE vuln_packages (
  asset           TEXT NOT NULL REFERENCES vuln_assets(name) ON DELETE CASCADE,
  purl            TEXT NOT NULL,
  name            TEXT NOT NULL,
  version         TEXT NOT NULL,
  ecosystem       TEXT NOT NULL,
  source_name     TEXT NOT NULL,
  source_version  TEXT NOT NULL,
  distro          TEXT,
  PRIMARY KEY (asset, purl)
);

-- One finding per (asset, package, advisory), open until an inventory shows it gone, then fixed;
-- reopened when it comes back. due_at is the remediation deadline set when it opened.
CREATE TABLE vuln_findings (
  id               TEXT PRIMARY KEY,
  asset            TEXT NOT NULL,
  package          TEXT NOT NULL,
  ecosystem        TEXT NOT NULL,
  purl             TEXT NOT NULL,
  version          TEXT NOT NULL,
  advisory         TEXT NOT NULL,
  aliases          TEXT NOT NULL,
  source           TEXT NOT NULL,
  fixed_version    TEXT,
  explanation      TEXT NOT NULL,
  severity         TEXT NOT NULL,
  cvss             DOUBLE PRECISION,
  cvss_vector      TEXT,
  kev              INTEGER NOT NULL,
  kev_due          TEXT,
  status           TEXT NOT NULL,
  first_seen       BIGINT NOT NULL,
  last_seen        BIGINT NOT NULL,
  due_at           BIGINT NOT NULL,
  fixed_at         BIGINT,
  reopened         INTEGER NOT NULL
);
CREATE INDEX vuln_findings_asset ON vuln_findings(asset, status);
CREATE INDEX vuln_findings_status ON vuln_findings(status, due_at);

-- Accepted risk: an advisory (optionally on one asset or package) is not counted until expiry.
CREATE TABLE vuln_exceptions (
  id          TEXT PRIMARY KEY,
  advisory    TEXT NOT NULL,
  asset       TEXT,
  package     TEXT,
  owner       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  expires_at  BIGINT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);

-- VEX statements imported from OpenVEX or CycloneDX VEX: a vulnerability's state for a product.
CREATE TABLE vuln_vex (
  vulnerability  TEXT NOT NULL,
  product        TEXT NOT NULL,
  state          TEXT NOT NULL,
  justification  TEXT,
  document       TEXT NOT NULL,
  imported_at    BIGINT NOT NULL,
  PRIMARY KEY (vulnerability, product)
);
