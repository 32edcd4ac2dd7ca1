/**
 * Today's daily check (000 §7, §11, §17) per court, read from the store at each scrape: where each
 * hall's checklist stands, and the failures it found. "Today" is each court's own day in its time
 * zone; on a day without a check (a weekend, a holiday) a court has no series.
 */
import client from 'prom-client';
import type { WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { Inventory } from '../config/inventory';
import { dayTimes, type DayTimes } from '../daily-check/plan';
import type { DailyCheckPolicy } from '../daily-check/policy';

/**
 * Each hall owed a check today is in exactly one state, so the states of a court sum to its halls.
 * scheduled: before the court's hour; not_run: the hour passed and no checklist exists; unsigned:
 * run, not signed, before dueBy; overdue: past dueBy (the owner was reminded); escalated: past
 * escalateBy (the regional coordinator was told); signed_on_time / signed_late: signed.
 */
export const DAILY_CHECK_STATES = ['scheduled', 'not_run', 'unsigned', 'overdue', 'escalated', 'signed_on_time', 'signed_late'] as const;
export type DailyCheckState = (typeof DAILY_CHECK_STATES)[number];

export interface DailyCheckMetricsOptions {
  db: { all<T>(sql: string, p?: unknown[]): Promise<T[]> };
  inv: Inventory;
  policy: DailyCheckPolicy;
  calendar: () => WorkingCalendar;
  now: () => number;
}

interface Row {
  hall_id: string;
  court_id: string;
  day: string;
  failed_items: number;
  due_at: string;
  escalate_at: string;
  on_time: number | null;
}

/** Pure: the state of one hall's check today. */
export function dailyCheckState(t: DayTimes, row: Pick<Row, 'due_at' | 'escalate_at' | 'on_time'> | undefined, now: number): DailyCheckState {
  if (!row) return now < t.runAt ? 'scheduled' : 'not_run';
  if (row.on_time !== null) return row.on_time ? 'signed_on_time' : 'signed_late';
  if (now >= Date.parse(row.escalate_at)) return 'escalated';
  if (now >= Date.parse(row.due_at)) return 'overdue';
  return 'unsigned';
}

export function registerDailyCheckMetrics(registry: client.Registry, o: DailyCheckMetricsOptions): void {
  const read = async (now: number) => {
    const today = o.inv.courts.flatMap((c) => {
      const t = dayTimes(o.policy, c.id, c.timezone, now, o.calendar());
      return t ? [{ court: c, t }] : [];
    });
    if (!today.length) return [];
    const days = [...new Set(today.map((x) => x.t.day))];
    const found = await o.db.all<Row>(
      `SELECT c.hall_id, c.court_id, c.day, c.failed_items, c.due_at, c.escalate_at, s.on_time
         FROM daily_checks c LEFT JOIN daily_check_signoffs s ON s.check_id = c.id
        WHERE c.day IN (${days.map(() => '?').join(', ')})`, days);
    return today.map(({ court, t }) => ({ court, t, rows: new Map(found.filter((r) => r.court_id === court.id && r.day === t.day).map((r) => [r.hall_id, r])) }));
  };

  new client.Gauge({
    name: 'hallwatch_daily_check_halls', help: "Halls of the court by where today's daily check stands (000 §7): scheduled, not_run, unsigned, overdue, escalated, signed_on_time, signed_late",
    labelNames: ['region', 'court', 'state'], registers: [registry],
    async collect() {
      const now = o.now();
      const courts = await read(now);
      this.reset();
      for (const { court, t, rows } of courts) {
        const n = new Map<DailyCheckState, number>(DAILY_CHECK_STATES.map((s) => [s, 0]));
        for (const h of court.hallIds) {
          const s = dailyCheckState(t, rows.get(h), now);
          n.set(s, n.get(s)! + 1);
        }
        for (const [state, v] of n) this.set({ region: court.regionId, court: court.id, state }, v);
      }
    },
  });
  new client.Gauge({
    name: 'hallwatch_daily_check_failed_items', help: "Failed items in the court's daily checklists today (each opens an incident when signed)",
    labelNames: ['region', 'court'], registers: [registry],
    async collect() {
      const courts = await read(o.now());
      this.reset();
      for (const { court, rows } of courts) {
        let failed = 0;
        for (const r of rows.values()) failed += r.failed_items;
        this.set({ region: court.regionId, court: court.id }, failed);
      }
    },
  });
}
