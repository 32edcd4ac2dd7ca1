/**
 * Failed-login throttling, per login and per client address, kept in the database so that a
 * restart does not reset it: after `maxFailures` in `windowMs` (ten times that per address),
 * locked for `lockMs`.
 */
import type { Db } from '../store/db';

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}
export const defaultThrottle: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export class LoginThrottle {
  constructor(private readonly db: Db, private readonly now: () => number, private readonly policy: ThrottlePolicy = defaultThrottle) {}

  /** Milliseconds until the key may try again (0: it may now). */
  async retryAfterMs(keys: string[]): Promise<number> {
    let wait = 0;
    for (const key of keys) {
      const r = await this.db.get<{ locked_until: string | null }>('SELECT locked_until FROM login_failures WHERE key = ?', [key]);
      if (r?.locked_until) wait = Math.max(wait, Date.parse(r.locked_until) - this.now());
    }
    return Math.max(0, wait);
  }

  async fail(keys: string[]): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      for (const key of keys) {
        const r = await tx.get<{ failures: number; first_at: string }>('SELECT failures, first_at FROM login_failures WHERE key = ?', [key]);
        const fresh = !r || now - Date.parse(r.first_at) > this.policy.windowMs;
        const failures = fresh ? 1 : r.failures + 1;
        const locked = failures >= this.limit(key) ? new Date(now + this.policy.lockMs).toISOString() : null;
        await tx.run(
          `INSERT INTO login_failures (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`,
          [key, locked ? 0 : failures, fresh || locked ? new Date(now).toISOString() : r!.first_at, locked],
        );
      }
    });
  }

  /**
   * A whole court often signs in from one address (NAT, a proxy): the per-address limit is ten
   * times the per-login one, so one person's typos never lock out the building.
   */
  private limit(key: string): number {
    return key.startsWith('ip:') ? this.policy.maxFailures * 10 : this.policy.maxFailures;
  }

  async succeed(keys: string[]): Promise<void> {
    for (const key of keys) await this.db.run('DELETE FROM login_failures WHERE key = ?', [key]);
  }
}
