/**
 * The outbox: every notice is first a row, written in the same transaction as the change it
 * tells of; a worker then delivers it, retrying with back-off until the channel accepts it.
 * The idempotency key makes a notice unique (queued twice, sent once) and travels with it so
 * the receiving side can drop a repeat after a crash between sending and marking sent.
 */
import type { Clock, TimerHandle } from '../../collector/core/clock';
import type { Logger } from '../../collector/core/logger';
import type { Db, Tx } from '../../collector/store/db';

export type Channel = 'email' | 'webhook' | 'console' | 'portal';

export interface OutboxMessage {
  key: string;
  channel: Channel;
  /** Login (console), address (email) or URL (webhook). */
  recipient: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  incidentId?: number;
}

export interface Delivery {
  id: number;
  key: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  incidentId: number | null;
  attempts: number;
}

/** Sends one message; throws when the channel did not accept it. */
export type Sender = (m: Delivery, signal: AbortSignal) => Promise<void>;

export async function enqueue(tx: Tx, m: OutboxMessage, at: string): Promise<boolean> {
  const r = await tx.run(
    `INSERT INTO outbox (idempotency_key, channel, recipient, subject, body, payload_json, incident_id, created_at, next_attempt_at, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (idempotency_key) DO NOTHING`,
    [m.key, m.channel, m.recipient, m.subject, m.body, JSON.stringify(m.payload), m.incidentId ?? null, at, at],
  );
  return r.changes > 0;
}

export interface OutboxOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  senders: Partial<Record<Channel, Sender>>;
  /** How often the worker looks when nothing kicked it. */
  pollMs?: number;
  /** Back-off: base × 2^(attempts−1), at most maxDelayMs; a notice is dead after maxAttempts. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  /**
   * Channels that never give up: the portal must end with every hall's state however long it is
   * down (000 §4: kept up to date), so its queue waits rather than drops.
   */
  neverGiveUp?: Channel[];
  sendTimeoutMs?: number;
}

export class OutboxWorker {
  private timer: TimerHandle | undefined;
  private current: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly o: OutboxOptions) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimer(this.timer);
  }

  /** Deliver now (after a commit that queued something). */
  kick(): void {
    if (!this.stopped) void this.runOnce();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) this.o.clock.clearTimer(this.timer);
    this.timer = this.o.clock.setTimer(ms, () => void this.runOnce());
  }

  /**
   * One delivery pass over the due messages; resolves with how many were sent. A call during a
   * pass joins it, and makes it look once more for what was queued meanwhile.
   */
  runOnce(): Promise<number> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = (async () => {
      let sent = 0;
      try {
        do {
          this.again = false;
          sent += await this.pass();
        } while (this.again && !this.stopped);
      } catch (e) {
        this.o.log.error('outbox pass failed', { error: (e as Error).message });
      }
      return sent;
    })().finally(() => {
      this.current = undefined;
      this.schedule(this.o.pollMs ?? 5_000);
    });
    return this.current;
  }

  private async pass(): Promise<number> {
    const now = new Date(this.o.clock.now()).toISOString();
    const rows = await this.o.db.all<{ id: number; idempotency_key: string; channel: Channel; recipient: string; subject: string; body: string; payload_json: string; incident_id: number | null; attempts: number; next_attempt_at: string }>(
      "SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 500");
    let sent = 0;
    // Each destination is first in, first out: a message never overtakes an earlier one to the
    // same recipient (the portal must end on the newest state of a hall, not on a retried older one).
    const blocked = new Set<string>();
    for (const r of rows) {
      const dest = `${r.channel}|${r.recipient}`;
      if (blocked.has(dest)) continue;
      if (r.next_attempt_at > now) {
        blocked.add(dest);
        continue;
      }
      const m: Delivery = { id: r.id, key: r.idempotency_key, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, payload: JSON.parse(r.payload_json), incidentId: r.incident_id, attempts: r.attempts };
      const sender = this.o.senders[m.channel];
      const ac = new AbortController();
      const t = setTimeout(() => ac.abort(new Error('send timed out')), this.o.sendTimeoutMs ?? 20_000);
      try {
        if (!sender) throw new Error(`no ${m.channel} channel is configured`);
        await sender(m, ac.signal);
        await this.o.db.run("UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?", [new Date(this.o.clock.now()).toISOString(), m.id]);
        sent++;
      } catch (e) {
        const attempts = m.attempts + 1;
        const dead = !(this.o.neverGiveUp ?? ['portal']).includes(m.channel) && attempts >= (this.o.maxAttempts ?? 50);
        const delay = Math.min((this.o.baseDelayMs ?? 30_000) * 2 ** (attempts - 1), this.o.maxDelayMs ?? 3_600_000);
        const error = ((e as Error).message ?? String(e)).slice(0, 500);
        await this.o.db.run('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, state = ? WHERE id = ?',
          [attempts, new Date(this.o.clock.now() + delay).toISOString(), error, dead ? 'dead' : 'pending', m.id]);
        if (!dead) blocked.add(dest);
        this.o.log.warn(dead ? 'notice given up' : 'notice not delivered; will retry', { channel: m.channel, key: m.key, attempts, error });
      } finally {
        clearTimeout(t);
      }
    }
    return sent;
  }

  /** Drops delivered (and given-up) notices older than the cutoff; pending ones are never dropped. */
  async prune(beforeIso: string): Promise<number> {
    const r = await this.o.db.run("DELETE FROM outbox WHERE state IN ('sent', 'dead') AND created_at < ?", [beforeIso]);
    return r.changes;
  }

  async depth(): Promise<Record<string, number>> {
    const rows = await this.o.db.all<{ channel: string; state: string; n: number }>('SELECT channel, state, count(*) AS n FROM outbox GROUP BY channel, state');
    return Object.fromEntries(rows.map((r) => [`${r.channel}:${r.state}`, r.n]));
  }
}
