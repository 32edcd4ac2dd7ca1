/**
 * Pushes each hall's published state to the portal through the outbox: written in a transaction
 * as soon as the rollup changes (within the 10 seconds 000 §4's "kept up to date" asks), retried
 * with back-off while the portal is down, each push idempotent and carrying its hall's sequence
 * so the portal keeps the newest when retries arrive late.
 */
import { request } from 'undici';
import type { Delivery, OutboxWorker, Sender } from '../../alerts/notify/outbox';
import { enqueue } from '../../alerts/notify/outbox';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { Db } from '../store/db';
import type { HallStatusDto } from '../api/dto';
import { portalHall, publishedState } from './feed';

export interface PortalConfig {
  url: string;
  token?: string;
}

export function portalSender(cfg: PortalConfig): Sender {
  return async (m: Delivery, signal: AbortSignal) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': m.key };
    if (cfg.token) headers.authorization = `Bearer ${cfg.token}`;
    const res = await request(cfg.url, { method: 'POST', headers, body: JSON.stringify(m.payload), signal });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`portal answered HTTP ${res.statusCode}`);
  };
}

export class PortalPublisher {
  private last = new Map<string, string>();
  /**
   * Each hall's last sequence number. It is the publication time in ms (raised by one when two fall
   * in the same ms), so it only grows: across restarts, and after sent rows are pruned.
   */
  private seq = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: { db: Db; inv: Inventory; bus: EventBus; clock: Clock; log: Logger; outbox: OutboxWorker; url: string; hearings?: (hallId: string) => unknown[] }) {}

  /** Publishes every hall whose state differs from what was last queued (at start: all). */
  async start(statuses: Iterable<HallStatusDto>): Promise<void> {
    const rows = await this.d.db.all<{ recipient: string; payload_json: string }>(
      "SELECT recipient, payload_json FROM outbox WHERE channel = 'portal' AND id IN (SELECT max(id) FROM outbox WHERE channel = 'portal' GROUP BY json_extract(payload_json, '$.hall.hallId'))");
    for (const r of rows) {
      const p = JSON.parse(r.payload_json) as { sequence: number; hall: Parameters<typeof publishedState>[0] };
      this.last.set(p.hall.hallId, publishedState(p.hall));
      this.seq.set(p.hall.hallId, p.sequence);
    }
    for (const st of statuses) await this.publish(st);
    this.unsubscribe = this.d.bus.on('hall-status', (e) => void this.publish(e.hall).catch((err) => this.d.log.error('portal publish failed', { hall: e.hall.hallId, error: (err as Error).message })));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  publish(st: HallStatusDto): Promise<void> {
    const run = async () => {
      const hall = this.d.inv.hall.get(st.hallId);
      if (!hall) return;
      const feed = portalHall(this.d.inv, hall, st, this.d.hearings?.(hall.id) ?? []);
      const state = publishedState(feed);
      if (this.last.get(hall.id) === state) return;
      const at = new Date(this.d.clock.now()).toISOString();
      const seq = Math.max(this.d.clock.now(), (this.seq.get(hall.id) ?? 0) + 1);
      await this.d.db.transaction((tx) =>
        enqueue(tx, { key: `portal:${hall.id}:${seq}`, channel: 'portal', recipient: this.d.url, subject: `hall ${hall.id}`, body: state, payload: { sequence: seq, publishedAt: at, hall: feed } }, at));
      this.seq.set(hall.id, seq);
      this.last.set(hall.id, state);
      this.d.outbox.kick();
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => {});
    return p;
  }
}
