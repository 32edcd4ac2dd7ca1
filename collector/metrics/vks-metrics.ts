/**
 * Today's videoconference hearings and their readiness checks (002 §13 test session, 001 §15.5
 * and §22 the day check, 002 §15 the connection), per court, read from the store at each scrape.
 * "Today" is the court's own day in its time zone; only courts with a VKS-equipped hall have series.
 */
import client from 'prom-client';
import { addDays, localParts, localToUtc } from '../../alerts/calendar/working-calendar';
import type { Inventory } from '../config/inventory';
import { CHECK_KINDS, type HearingState } from '../vks/store';

export const VKS_HEARING_STATES: readonly HearingState[] = ['scheduled', 'ready', 'failed', 'delayed', 'cancelled'];
/** A check not yet run (not due, or due and waiting for its turn) is pending. */
export const VKS_CHECK_OUTCOMES = ['passed', 'failed', 'pending'] as const;

export interface VksMetricsOptions {
  db: { all<T>(sql: string, p?: unknown[]): Promise<T[]> };
  inv: Inventory;
  now: () => number;
}

export function registerVksMetrics(registry: client.Registry, o: VksMetricsOptions): void {
  const courts = o.inv.courts.filter((c) => c.hallIds.some((h) => o.inv.hall.get(h)?.vksEquipped));
  /** Each court's today as [from, to) in UTC ISO-8601, the form hearings' starts_at is stored in. */
  const todays = (now: number) => courts.map((c) => {
    const { date } = localParts(now, c.timezone);
    return { court: c, from: new Date(localToUtc(date, 0, c.timezone)).toISOString(), to: new Date(localToUtc(addDays(date, 1), 0, c.timezone)).toISOString() };
  });
  const span = (t: ReturnType<typeof todays>) => [t.reduce((a, x) => (x.from < a ? x.from : a), t[0]!.from), t.reduce((a, x) => (x.to > a ? x.to : a), t[0]!.to)];

  new client.Gauge({
    name: 'hallwatch_vks_hearings', help: "The court's videoconference hearings starting today, by state (scheduled, ready, failed, delayed, cancelled)",
    labelNames: ['region', 'court', 'state'], registers: [registry],
    async collect() {
      const t = todays(o.now());
      const rows = t.length ? await o.db.all<{ court_id: string; starts_at: string; state: string }>(
        'SELECT court_id, starts_at, state FROM vks_hearing WHERE starts_at >= ? AND starts_at < ?', span(t)) : [];
      this.reset();
      for (const { court, from, to } of t) {
        for (const state of VKS_HEARING_STATES) {
          this.set({ region: court.regionId, court: court.id, state }, rows.filter((r) => r.court_id === court.id && r.state === state && r.starts_at >= from && r.starts_at < to).length);
        }
      }
    },
  });
  new client.Gauge({
    name: 'hallwatch_vks_readiness_checks', help: "Readiness checks of the court's videoconference hearings starting today, by kind (test-session, day-check, connection) and outcome (passed, failed, pending)",
    labelNames: ['region', 'court', 'kind', 'outcome'], registers: [registry],
    async collect() {
      const t = todays(o.now());
      const rows = t.length ? await o.db.all<{ court_id: string; starts_at: string; kind: string; outcome: string | null }>(
        `SELECT h.court_id, h.starts_at, c.kind, c.outcome FROM vks_check c JOIN vks_hearing h ON h.id = c.hearing_id
          WHERE h.starts_at >= ? AND h.starts_at < ? AND h.state != 'cancelled'`, span(t)) : [];
      this.reset();
      for (const { court, from, to } of t) {
        const mine = rows.filter((r) => r.court_id === court.id && r.starts_at >= from && r.starts_at < to);
        for (const kind of CHECK_KINDS) {
          for (const outcome of VKS_CHECK_OUTCOMES) {
            this.set({ region: court.regionId, court: court.id, kind, outcome }, mine.filter((r) => r.kind === kind && (r.outcome ?? 'pending') === outcome).length);
          }
        }
      }
    },
  });
}
