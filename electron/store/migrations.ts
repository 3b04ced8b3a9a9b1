// The store's schema, as numbered migrations: migration N brings a database from user_version N-1 to N. Never edit a
// released migration; add the next one.

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Every migration, in order; the last one's version is the schema version this build writes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'snapshots, observations, content-addressed manifests and resource sets, events',
    sql: `
      -- One row per refresh. seen: JSON [[app_cluster_id, observedAt - taken_at in ms], ...], the app × clusters it saw.
      CREATE TABLE snapshots (
        id       INTEGER PRIMARY KEY,
        taken_at INTEGER NOT NULL,
        seen     TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX snapshots_by_time ON snapshots(taken_at);

      CREATE TABLE app_clusters (
        id                 INTEGER PRIMARY KEY,
        app                TEXT NOT NULL,
        cluster            TEXT NOT NULL,
        environment        TEXT,
        latest_observation INTEGER REFERENCES observations(id),
        UNIQUE (app, cluster)
      );

      -- Masked manifests (desired and live), addressed by the sha256 (32 bytes) of their canonical JSON.
      -- (Rowid tables: bodies are kilobytes, too large for a WITHOUT ROWID b-tree.)
      CREATE TABLE manifests (
        id   INTEGER PRIMARY KEY,
        hash BLOB NOT NULL UNIQUE,
        body TEXT NOT NULL
      );

      -- An app × cluster's resource statuses (JSON array, each naming its manifests' ids), addressed by sha256.
      CREATE TABLE resource_sets (
        id   INTEGER PRIMARY KEY,
        hash BLOB NOT NULL UNIQUE,
        body TEXT NOT NULL
      );

      CREATE TABLE resource_set_manifests (
        set_id      INTEGER NOT NULL REFERENCES resource_sets(id) ON DELETE CASCADE,
        manifest_id INTEGER NOT NULL REFERENCES manifests(id),
        PRIMARY KEY (set_id, manifest_id)
      ) WITHOUT ROWID;
      CREATE INDEX resource_set_manifests_by_manifest ON resource_set_manifests(manifest_id);

      -- A state of one app × cluster, in effect from since_snapshot until the app × cluster's next observation.
      -- A refresh that finds nothing changed writes no observation. since_snapshot has no foreign key: compaction may
      -- delete that snapshot while the state is still in effect at a later one.
      CREATE TABLE observations (
        id             INTEGER PRIMARY KEY,
        app_cluster_id INTEGER NOT NULL REFERENCES app_clusters(id),
        since_snapshot INTEGER NOT NULL,
        observed_at    INTEGER NOT NULL,
        revision       TEXT NOT NULL,
        sync           TEXT NOT NULL CHECK (sync IN ('Synced', 'OutOfSync', 'Unknown')),
        health         TEXT NOT NULL,
        health_message TEXT NOT NULL,
        error          TEXT,
        drift_since    INTEGER,
        resource_count INTEGER NOT NULL,
        drifted_count  INTEGER NOT NULL,
        resource_set   INTEGER NOT NULL REFERENCES resource_sets(id),
        fingerprint    BLOB NOT NULL
      );
      CREATE INDEX observations_by_app_cluster ON observations(app_cluster_id, since_snapshot);
      CREATE INDEX observations_by_resource_set ON observations(resource_set);

      -- Events are never compacted.
      CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('drift-began', 'drift-ended', 'health-changed', 'sync-run', 'promotion')),
        app         TEXT NOT NULL,
        cluster     TEXT,
        snapshot_id INTEGER,
        detail      TEXT NOT NULL
      );
      CREATE INDEX events_by_app ON events(app, cluster, at);
      CREATE INDEX events_by_time ON events(at);
    `,
  },
  {
    version: 2,
    description: 'promotions: who moved what from which stage to which, the commit and the result',
    sql: `
      -- One row per promotion run (and per rollback, which names the promotion it reverts). apps and versions are JSON
      -- arrays; commit_sha is the pushed commit (NULL when nothing was pushed).
      CREATE TABLE promotions (
        id            INTEGER PRIMARY KEY,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        by            TEXT NOT NULL,
        pipeline      TEXT NOT NULL,
        from_stage    TEXT NOT NULL,
        to_stage      TEXT NOT NULL,
        apps          TEXT NOT NULL,
        versions      TEXT NOT NULL,
        base_revision TEXT,
        commit_sha    TEXT,
        branch        TEXT,
        result        TEXT NOT NULL CHECK (result IN ('running', 'pushed', 'no-op', 'blocked', 'failed', 'verified', 'verify-failed')),
        message       TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        rollback_of   INTEGER REFERENCES promotions(id)
      );
      CREATE INDEX promotions_by_time ON promotions(started_at);
    `,
  },
  {
    version: 3,
    description: 'observations.version: what an app × cluster runs (image tags or revision), for the fleet grid',
    sql: `ALTER TABLE observations ADD COLUMN version TEXT;`,
  },
  {
    version: 4,
    description: 'snapshots.unreachable: app × clusters a refresh could not read, which keep their last observation',
    sql: `
      -- JSON [[app_cluster_id, reason], ...]: the app × clusters this refresh could not read (cluster unreachable). They
      -- keep the observation last recorded (with its own time) instead of a fresh all-Unknown one replacing it.
      ALTER TABLE snapshots ADD COLUMN unreachable TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 5,
    description: 'promotions.repository: the repository a promotion belongs to (its root commit), so one repository never lists another\'s',
    sql: `
      -- "git:<root commit sha>" of the repository promoted. Rows from before this migration are NULL until a repository
      -- whose history holds their commit claims them.
      ALTER TABLE promotions ADD COLUMN repository TEXT;
      CREATE INDEX promotions_by_repository ON promotions(repository, id);
    `,
  },
  {
    version: 6,
    description: 'observations.running_version: what the cluster runs (live image tags), beside what Git says (version)',
    sql: `ALTER TABLE observations ADD COLUMN running_version TEXT;`,
  },
  {
    version: 7,
    description: 'observations.controller: what the GitOps controller in the cluster (Argo CD, Flux) said about the app',
    sql: `
      -- JSON ControllerStatus (shared/controllers/types.ts), NULL where no controller object speaks for the app.
      ALTER TABLE observations ADD COLUMN controller TEXT;
    `,
  },
  {
    version: 8,
    description: 'observations.fingerprint_version: which fingerprint an observation carries, so a cheaper one can replace it',
    sql: `
      -- 2: every observation recorded before this migration; 3: a change equal to the resource's desired object is
      -- fingerprinted as a reference to it (fingerprint.ts). A version 2 observation found unchanged gets its version 3
      -- fingerprint in place.
      ALTER TABLE observations ADD COLUMN fingerprint_version INTEGER NOT NULL DEFAULT 2;
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
