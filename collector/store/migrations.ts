/** Versioned schema migrations, applied in order at start, each in its own transaction. */
import { VKS_SCHEMA } from '../vks/store';
import type { Db } from './db';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'results and hall status',
    sql: `
      CREATE TABLE check_latest (
        device_id   TEXT NOT NULL,
        check_name  TEXT NOT NULL,
        status      TEXT NOT NULL,
        result_json TEXT NOT NULL,
        observed_at TEXT NOT NULL,
        PRIMARY KEY (device_id, check_name)
      );
      CREATE TABLE check_history (
        id          INTEGER PRIMARY KEY,
        device_id   TEXT NOT NULL,
        check_name  TEXT NOT NULL,
        status      TEXT NOT NULL,
        message     TEXT NOT NULL,
        message_key TEXT NOT NULL,
        params_json TEXT,
        observed_at TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        values_json TEXT
      );
      CREATE INDEX check_history_device_time ON check_history (device_id, observed_at);
      CREATE INDEX check_history_time ON check_history (observed_at);
      CREATE TABLE hall_status (
        hall_id     TEXT PRIMARY KEY,
        status      TEXT NOT NULL,
        avf         TEXT,
        vks         TEXT,
        causes_json TEXT NOT NULL,
        since       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE hall_status_history (
        id          INTEGER PRIMARY KEY,
        hall_id     TEXT NOT NULL,
        status      TEXT NOT NULL,
        avf         TEXT,
        vks         TEXT,
        causes_json TEXT NOT NULL,
        at          TEXT NOT NULL
      );
      CREATE INDEX hall_status_history_hall_time ON hall_status_history (hall_id, at);
      CREATE TABLE maintenance_window (
        id          INTEGER PRIMARY KEY,
        scope       TEXT NOT NULL CHECK (scope IN ('hall', 'device')),
        target_id   TEXT NOT NULL,
        starts_at   TEXT NOT NULL,
        ends_at     TEXT NOT NULL,
        reason      TEXT NOT NULL DEFAULT '',
        created_by  TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'evidence',
    sql: `
      CREATE TABLE evidence (
        ref          TEXT PRIMARY KEY,
        device_id    TEXT NOT NULL,
        content_type TEXT NOT NULL,
        bytes        BLOB NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX evidence_created ON evidence (created_at);
    `,
  },
  {
    version: 3,
    name: 'users, sessions, tokens, audit log',
    sql: `
      CREATE TABLE users (
        login         TEXT PRIMARY KEY,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL,
        court_id      TEXT,
        region_id     TEXT,
        org_id        TEXT,
        source        TEXT NOT NULL CHECK (source IN ('local', 'ldap')),
        password_hash TEXT,
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE TABLE sessions (
        id_hash      TEXT PRIMARY KEY,
        login        TEXT NOT NULL REFERENCES users (login) ON DELETE CASCADE,
        csrf_token   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        ip           TEXT NOT NULL,
        user_agent   TEXT NOT NULL
      );
      CREATE INDEX sessions_login ON sessions (login);
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE,
        kind         TEXT NOT NULL,
        secret_hash  TEXT NOT NULL,
        created_by   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        revoked_at   TEXT,
        last_used_at TEXT
      );
      CREATE TABLE login_failures (
        key          TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL,
        first_at     TEXT NOT NULL,
        locked_until TEXT
      );
      CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        actor_role  TEXT NOT NULL,
        action      TEXT NOT NULL,
        court_id    TEXT,
        target      TEXT,
        ip          TEXT,
        outcome     TEXT NOT NULL,
        before_json TEXT,
        after_json  TEXT,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor, at);
      CREATE INDEX audit_log_court ON audit_log (court_id, at);
      -- Append-only: the application never changes or removes a row. (Someone with the file can
      -- drop these triggers; the hash chain, checked by 'hallwatch audit verify', shows that.)
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 4,
    name: 'incidents, escalation steps, acts, outbox, notifications',
    sql: `
      ALTER TABLE users ADD COLUMN email TEXT;
      CREATE TABLE incidents (
        id                INTEGER PRIMARY KEY,
        hall_id           TEXT NOT NULL,
        court_id          TEXT NOT NULL,
        region_id         TEXT NOT NULL,
        origin            TEXT NOT NULL CHECK (origin IN ('auto', 'manual')),
        state             TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        causes_json       TEXT NOT NULL,
        case_number       TEXT,
        opened_at         TEXT NOT NULL,
        opened_by         TEXT NOT NULL,
        outage_started_at TEXT NOT NULL,
        outage_ended_at   TEXT,
        acknowledged_at   TEXT,
        acknowledged_by   TEXT,
        assigned_to       TEXT,
        resolved_at       TEXT,
        resolved_by       TEXT,
        resolution        TEXT,
        updated_at        TEXT NOT NULL
      );
      CREATE INDEX incidents_hall ON incidents (hall_id, opened_at);
      CREATE INDEX incidents_state ON incidents (state);
      CREATE TABLE incident_events (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        data_json   TEXT
      );
      CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
      CREATE TABLE incident_steps (
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        step_key    TEXT NOT NULL,
        started_at  TEXT,
        due_at      TEXT,
        done_at     TEXT,
        done_by     TEXT,
        note        TEXT,
        escalated   INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (incident_id, step_key)
      );
      CREATE INDEX incident_steps_due ON incident_steps (done_at, due_at);
      CREATE TABLE cause_confirmations (
        incident_id  INTEGER NOT NULL REFERENCES incidents (id),
        party        TEXT NOT NULL,
        login        TEXT NOT NULL,
        display_name TEXT NOT NULL,
        cause        TEXT NOT NULL,
        at           TEXT NOT NULL,
        PRIMARY KEY (incident_id, party)
      );
      CREATE TABLE acts (
        incident_id  INTEGER NOT NULL REFERENCES incidents (id),
        version      INTEGER NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
        content_json TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        approved_at  TEXT,
        approved_by  TEXT,
        PRIMARY KEY (incident_id, version)
      );
      -- An approved act is frozen: a later change is a new version.
      CREATE TRIGGER acts_frozen BEFORE UPDATE ON acts WHEN OLD.status = 'approved'
        BEGIN SELECT RAISE(ABORT, 'an approved act cannot change; make a new version'); END;
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'console', 'portal')),
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        body            TEXT NOT NULL,
        payload_json    TEXT NOT NULL,
        incident_id     INTEGER,
        created_at      TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        sent_at         TEXT,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead'))
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE TABLE notifications (
        id          INTEGER PRIMARY KEY,
        outbox_key  TEXT NOT NULL UNIQUE,
        login       TEXT NOT NULL,
        incident_id INTEGER,
        message_key TEXT NOT NULL,
        params_json TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        read_at     TEXT
      );
      CREATE INDEX notifications_login ON notifications (login, read_at);
    `,
  },
  {
    version: 5,
    name: 'daily checks and sign-offs',
    sql: `
      CREATE TABLE daily_checks (
        id            INTEGER PRIMARY KEY,
        hall_id       TEXT NOT NULL,
        court_id      TEXT NOT NULL,
        region_id     TEXT NOT NULL,
        day           TEXT NOT NULL,
        owner_role    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        ran_at        TEXT NOT NULL,
        items_json    TEXT NOT NULL,
        failed_items  INTEGER NOT NULL,
        due_at        TEXT NOT NULL,
        escalate_at   TEXT NOT NULL,
        reminded_at   TEXT,
        escalated_at  TEXT,
        UNIQUE (hall_id, day)
      );
      CREATE INDEX daily_checks_court_day ON daily_checks (court_id, day);
      -- What the owner saw and signed: written once, never changed (000 §7).
      CREATE TABLE daily_check_signoffs (
        check_id     INTEGER PRIMARY KEY REFERENCES daily_checks (id),
        login        TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role         TEXT NOT NULL,
        signed_at    TEXT NOT NULL,
        on_time      INTEGER NOT NULL,
        items_json   TEXT NOT NULL,
        note         TEXT NOT NULL,
        failed_items INTEGER NOT NULL,
        incident_id  INTEGER,
        digest       TEXT NOT NULL
      );
      CREATE TRIGGER daily_check_signoffs_no_update BEFORE UPDATE ON daily_check_signoffs
        BEGIN SELECT RAISE(ABORT, 'a signed daily check cannot be changed'); END;
      CREATE TRIGGER daily_check_signoffs_no_delete BEFORE DELETE ON daily_check_signoffs
        BEGIN SELECT RAISE(ABORT, 'a signed daily check cannot be removed'); END;
    `,
  },
  {
    version: 6,
    name: 'videoconference hearings, readiness checks, impossibility acts',
    sql: VKS_SCHEMA,
  },
  {
    version: 7,
    name: 'history rows that are figure samples, not changes of state',
    // 1: written only because the sample period passed (pruned after retention.historyDays);
    // 0: a change of state (kept retention.changesDays). Rows from before are changes.
    sql: 'ALTER TABLE check_history ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1))',
  },
];

export async function migrate(db: Db, now: () => string, list: Migration[] = migrations): Promise<number[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now()]);
    });
    applied.push(m.version);
  }
  return applied;
}
