/**
 * Console sessions. The cookie carries a random id; the database keeps only its hash, so a
 * copy of the database opens no session. A login always makes a new id (no fixation).
 */
import crypto from 'node:crypto';
import type { Db, Tx } from '../store/db';

export const SESSION_COOKIE = 'hw_session';

export interface SessionPolicy {
  /** Ends after this long without a request. */
  idleMs: number;
  /** Ends this long after login whatever happens. */
  absoluteMs: number;
}
export const defaultSessionPolicy: SessionPolicy = { idleMs: 8 * 3600_000, absoluteMs: 12 * 3600_000 };

export const hashId = (id: string) => crypto.createHash('sha256').update(id).digest('hex');

export interface SessionInfo {
  login: string;
  csrfToken: string;
  createdAt: string;
}

export class SessionStore {
  constructor(private readonly db: Db, private readonly now: () => number, private readonly policy: SessionPolicy = defaultSessionPolicy) {}

  /** Creates a session inside the caller's transaction; returns the cookie value and CSRF token. */
  async create(tx: Tx, login: string, ip: string, userAgent: string): Promise<{ id: string; csrfToken: string }> {
    const id = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const now = this.now();
    await tx.run(
      'INSERT INTO sessions (id_hash, login, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [hashId(id), login, csrfToken, iso(now), iso(now), iso(now + this.policy.absoluteMs), ip, userAgent.slice(0, 300)],
    );
    return { id, csrfToken };
  }

  /** The live session behind a cookie value, or undefined; refreshes its idle timer. */
  async lookup(id: string): Promise<SessionInfo | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
    const h = hashId(id);
    const s = await this.db.get<{ login: string; csrf_token: string; created_at: string; last_seen_at: string; expires_at: string }>(
      'SELECT login, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?', [h]);
    if (!s) return undefined;
    const now = this.now();
    if (now >= Date.parse(s.expires_at) || now - Date.parse(s.last_seen_at) >= this.policy.idleMs) {
      await this.db.run('DELETE FROM sessions WHERE id_hash = ?', [h]);
      return undefined;
    }
    // Touch at most once a minute: reads should not turn into a write each.
    if (now - Date.parse(s.last_seen_at) > 60_000) await this.db.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?', [iso(now), h]);
    return { login: s.login, csrfToken: s.csrf_token, createdAt: s.created_at };
  }

  async destroy(tx: Tx, id: string): Promise<number> {
    return (await tx.run('DELETE FROM sessions WHERE id_hash = ?', [hashId(id)])).changes;
  }

  async prune(): Promise<number> {
    const now = this.now();
    return (await this.db.run('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?', [iso(now), iso(now - this.policy.idleMs)])).changes;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
