/**
 * The daily check at its edges: at each court's hour it probes every device of every hall and
 * runs the test recording, keeps the checklist with its evidence, reminds the owner when it is
 * overdue and then the regional coordinator, and takes the signature — once, for good.
 */
import crypto from 'node:crypto';
import type { WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { IncidentEngine } from '../../alerts/incidents/engine';
import { almatyTime } from '../../alerts/notify/compose';
import { enqueue, type OutboxWorker } from '../../alerts/notify/outbox';
import { resolveRecipients } from '../../alerts/notify/recipients';
import type { Recipient } from '../../alerts/escalation/policy';
import { translate } from '../../console-ui/i18n/messages';
import type { DriverRegistry } from '../../device-drivers/registry';
import { appendAudit } from '../auth/audit';
import type { Hall, Inventory } from '../config/inventory';
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/logger';
import type { CheckResult } from '../core/types';
import type { Scheduler } from '../scheduler/scheduler';
import type { Monitor } from '../service/monitor';
import type { Db } from '../store/db';
import { buildItems, dayTimes, failedItems, ownerRole, type ChecklistItem } from './plan';
import type { DailyCheckPolicy } from './policy';

export interface DailyCheckDto {
  id: number;
  hallId: string;
  courtId: string;
  regionId: string;
  day: string;
  ownerRole: string;
  ranAt: string;
  dueAt: string;
  escalateAt: string;
  items: ChecklistItem[];
  failedItems: number;
  remindedAt: string | null;
  escalatedAt: string | null;
  signoff: SignoffDto | null;
}

export interface SignoffDto {
  login: string;
  displayName: string;
  role: string;
  signedAt: string;
  onTime: boolean;
  items: Array<{ key: string; status: string; confirmed: boolean | null; note: string }>;
  note: string;
  failedItems: number;
  incidentId: number | null;
  digest: string;
}

export interface SignInput {
  /** The owner's word on each item that needs eyes or ears (and any other they checked). */
  marks: Array<{ key: string; confirmed: boolean; note?: string }>;
  note: string;
}

export class SignError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

interface Row {
  id: number; hall_id: string; court_id: string; region_id: string; day: string; owner_role: string; created_at: string; ran_at: string;
  items_json: string; failed_items: number; due_at: string; escalate_at: string; reminded_at: string | null; escalated_at: string | null;
}
interface SignRow {
  check_id: number; login: string; display_name: string; role: string; signed_at: string; on_time: number; items_json: string; note: string; failed_items: number; incident_id: number | null; digest: string;
}

export interface DailyCheckDeps {
  db: Db;
  inv: Inventory;
  policy: DailyCheckPolicy;
  calendar: () => WorkingCalendar;
  clock: Clock;
  log: Logger;
  scheduler: Scheduler;
  monitor: Monitor;
  registry: DriverRegistry;
  engine: IncidentEngine;
  outbox: OutboxWorker;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class DailyCheckService {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  /** Commands in flight (test recordings), aborted when the collector stops. */
  private inFlight = new Set<AbortController>();

  constructor(private readonly d: DailyCheckDeps) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops scheduling at once; the run in progress ends when its probes do (see stop()). */
  halt(): void {
    this.stopped = true;
    if (this.timer) this.d.clock.clearTimer(this.timer);
    for (const ac of this.inFlight) ac.abort(new Error('collector stopping'));
  }

  /** Waits for the run in progress: call after the scheduler stopped, which ends its probes. */
  async stop(): Promise<void> {
    this.halt();
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.d.clock.setTimer(ms, () => {
      this.running = this.tick().catch((e) => this.d.log.error('daily check tick failed', { error: (e as Error).message })).finally(() => this.schedule(30_000));
    });
  }

  /** Runs the checks that fell due, then sends the reminders and escalations that fell due. */
  async tick(): Promise<void> {
    const now = this.d.clock.now();
    for (const court of this.d.inv.courts) {
      const t = dayTimes(this.d.policy, court.id, court.timezone, now, this.d.calendar());
      if (!t || now < t.runAt) continue;
      const done = new Set((await this.d.db.all<{ hall_id: string }>('SELECT hall_id FROM daily_checks WHERE court_id = ? AND day = ?', [court.id, t.day])).map((r) => r.hall_id));
      // A court's halls are checked together: each hall waits on its slowest device, not on the others'.
      const todo = court.hallIds.filter((h) => !done.has(h));
      await Promise.all(todo.map((hallId) => (this.stopped ? undefined : this.run(hallId).catch((e) => this.d.log.warn('daily check run failed', { hall: hallId, error: (e as Error).message })))));
    }
    await this.remind();
  }

  /** Runs (or, before it is signed, re-runs) the automatic checks of one hall for today. */
  async run(hallId: string): Promise<DailyCheckDto> {
    const hall = this.d.inv.hall.get(hallId)!;
    const court = this.d.inv.court.get(hall.courtId)!;
    const now = this.d.clock.now();
    const t = dayTimes(this.d.policy, court.id, court.timezone, now, this.d.calendar())
      ?? dayTimes({ ...this.d.policy, workingDaysOnly: false }, court.id, court.timezone, now, this.d.calendar())!;
    const devices = hall.deviceIds.map((id) => this.d.inv.device.get(id)!);
    await Promise.all(devices.map((dv) => this.d.scheduler.probeNow(dv.id).catch(() => undefined)));
    const extra = await this.testRecordings(hall);
    const items = buildItems(devices, (id) => this.d.monitor.latest.get(id), extra);
    const failed = failedItems(items).length;
    const ranAt = iso(this.d.clock.now());
    await this.d.db.transaction(async (tx) => {
      const existing = await tx.get<{ id: number }>('SELECT id FROM daily_checks WHERE hall_id = ? AND day = ?', [hallId, t.day]);
      if (existing && (await tx.get('SELECT 1 FROM daily_check_signoffs WHERE check_id = ?', [existing.id]))) {
        throw new SignError(409, 'conflict', `the daily check of ${hallId} for ${t.day} is signed already`, 'id');
      }
      if (existing) await tx.run('UPDATE daily_checks SET ran_at = ?, items_json = ?, failed_items = ? WHERE id = ?', [ranAt, JSON.stringify(items), failed, existing.id]);
      else {
        await tx.run(
          `INSERT INTO daily_checks (hall_id, court_id, region_id, day, owner_role, created_at, ran_at, items_json, failed_items, due_at, escalate_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [hallId, court.id, hall.regionId, t.day, ownerRole(this.d.policy, court.level), ranAt, ranAt, JSON.stringify(items), failed, iso(t.dueAt), iso(t.escalateAt)]);
      }
    });
    return (await this.byHallDay(hallId, t.day))!;
  }

  /** Where a device offers a test recording (the recorder), it is part of the check (003 §7.7). */
  private async testRecordings(hall: Hall): Promise<Map<string, CheckResult[]>> {
    const out = new Map<string, CheckResult[]>();
    for (const id of hall.deviceIds) {
      const dv = this.d.inv.device.get(id)!;
      const cmd = this.d.registry.get(dv.driver)?.commands?.['test-recording'];
      if (!cmd) continue;
      const observedAt = iso(this.d.clock.now());
      const ac = new AbortController();
      this.inFlight.add(ac);
      const timer = setTimeout(() => ac.abort(new Error('test recording took too long')), cmd.timeoutSeconds * 1000);
      try {
        if (this.stopped) throw new Error('collector stopping');
        const r = await cmd.run(dv, { seconds: this.d.policy.testRecordingSeconds }, { signal: ac.signal, clock: this.d.clock, log: this.d.log, actor: 'daily-check' });
        out.set(id, [{ check: 'test-recording', status: r.ok ? 'ok' : 'down', message: r.message, messageKey: r.messageKey, params: r.params, observedAt, durationMs: 0 }]);
      } catch (e) {
        out.set(id, [{ check: 'test-recording', status: 'down', message: `test recording failed: ${(e as Error).message}`, messageKey: 'command.failed', params: { error: (e as Error).message }, observedAt, durationMs: 0 }]);
      } finally {
        clearTimeout(timer);
        this.inFlight.delete(ac);
      }
    }
    return out;
  }

  /** 000 §7: the owner signs; what they saw and said is kept and never changes. */
  async sign(checkId: number, by: { login: string; displayName: string; role: string; ip: string }, input: SignInput): Promise<DailyCheckDto> {
    const c = await this.get(checkId);
    if (!c) throw new SignError(404, 'not_found', `no daily check ${checkId}`, 'id');
    if (c.signoff) throw new SignError(409, 'conflict', `signed already by ${c.signoff.displayName} at ${c.signoff.signedAt}; a signed check cannot be changed`, 'id');
    if (by.role !== c.ownerRole) throw new SignError(403, 'forbidden', `this court's daily check is signed by the ${c.ownerRole} (000 §7, §11, §17)`, 'role');
    const marks = new Map(input.marks.map((m) => [m.key, m]));
    const unknownKey = input.marks.find((m) => !c.items.some((i) => i.key === m.key));
    if (unknownKey) throw new SignError(400, 'bad_request', `no item "${unknownKey.key}" in this checklist`, 'marks');
    const missing = c.items.filter((i) => i.eyeCheck && !marks.has(i.key));
    if (missing.length) throw new SignError(400, 'bad_request', `look at and confirm every camera, microphone and VKS item first: ${missing.map((i) => i.key).join(', ')}`, 'marks');
    const items = c.items.map((i) => ({ key: i.key, status: i.status, confirmed: marks.get(i.key)?.confirmed ?? null, note: marks.get(i.key)?.note ?? '' }));
    const failed = c.items.filter((i) => failedItems([i]).length > 0 || marks.get(i.key)?.confirmed === false);
    const now = this.d.clock.now();
    const signedAt = iso(now);
    const onTime = now <= Date.parse(c.dueAt);
    // A failed item opens an incident (or joins the hall's open one) before the signature is written.
    let incidentId: number | null = null;
    if (failed.length) {
      const note = `${translate('ru', 'daily.incident-note', { items: failed.map((f) => f.key).join(', ') })} ${input.note}`.trim();
      incidentId = await this.d.engine.report(c.hallId, { login: by.login, role: by.role, displayName: by.displayName, ip: by.ip }, null, note);
    }
    const content = { checkId, hallId: c.hallId, day: c.day, login: by.login, signedAt, items, note: input.note, automatic: c.items.map((i) => ({ key: i.key, status: i.status, checks: i.checks.map((x) => `${x.check}:${x.status}`) })) };
    const digest = crypto.createHash('sha256').update(JSON.stringify(content)).digest('hex');
    await this.d.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO daily_check_signoffs (check_id, login, display_name, role, signed_at, on_time, items_json, note, failed_items, incident_id, digest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [checkId, by.login, by.displayName, by.role, signedAt, onTime ? 1 : 0, JSON.stringify(items), input.note, failed.length, incidentId, digest]);
      await appendAudit(tx, { at: signedAt, actor: by.login, actorRole: by.role, action: 'checklist.sign', courtId: c.courtId, target: `daily-check:${checkId}`, ip: by.ip, outcome: failed.length ? 'failed-items' : 'ok', after: { ...content, digest, incidentId } });
    }).catch((e) => {
      if (/UNIQUE|PRIMARY KEY/.test(String((e as Error).message))) throw new SignError(409, 'conflict', 'signed already; a signed check cannot be changed', 'id');
      throw e;
    });
    return (await this.get(checkId))!;
  }

  /** Overdue: the owner is reminded at the due time, the regional coordinator told later. */
  async remind(): Promise<void> {
    const now = iso(this.d.clock.now());
    const open = await this.d.db.all<Row>('SELECT c.* FROM daily_checks c LEFT JOIN daily_check_signoffs s ON s.check_id = c.id WHERE s.check_id IS NULL AND ((c.reminded_at IS NULL AND c.due_at <= ?) OR (c.escalated_at IS NULL AND c.escalate_at <= ?))', [now, now]);
    for (const c of open) {
      const stage: 'remind' | 'escalate' = c.reminded_at === null && c.due_at <= now ? 'remind' : 'escalate';
      const to: Recipient[] = stage === 'remind'
        ? [{ role: c.owner_role as Recipient['role'], of: c.owner_role === 'technician' ? 'contract' : 'court' }]
        : [{ role: 'regional-coordinator', of: 'region' }];
      await this.d.db.transaction(async (tx) => {
        await tx.run(`UPDATE daily_checks SET ${stage === 'remind' ? 'reminded_at' : 'escalated_at'} = ? WHERE id = ?`, [now, c.id]);
        await this.notify(tx, c, stage, to);
      });
    }
    if (open.length) this.d.outbox.kick();
  }

  private async notify(tx: Parameters<Parameters<Db['transaction']>[0]>[0], c: Row, stage: 'remind' | 'escalate', to: Recipient[]): Promise<void> {
    const hall = this.d.inv.hall.get(c.hall_id)!;
    const court = this.d.inv.court.get(c.court_id)!;
    const people = await resolveRecipients(this.d.db, this.d.inv, to, { courtId: c.court_id, regionId: c.region_id });
    const key = stage === 'remind' ? 'notify.daily.overdue' : 'notify.daily.escalated';
    const params = { hallId: c.hall_id, day: c.day, dueAt: c.due_at };
    const text = (lang: 'ru' | 'kk') => translate(lang, key, { court: court.name[lang], hall: hall.number, dueAt: almatyTime(c.due_at, court.timezone) });
    const subject = `${text('ru')} / ${text('kk')}`.slice(0, 200);
    for (const p of people) {
      await enqueue(tx, { key: `daily:${c.id}:${stage}:console:${p.login}`, channel: 'console', recipient: p.login, subject, body: `${text('ru')}\n\n${text('kk')}`, payload: { messageKey: key, params } }, iso(this.d.clock.now()));
    }
  }

  // --- Reading -------------------------------------------------------------------------

  private dto(r: Row, s: SignRow | undefined): DailyCheckDto {
    return {
      id: r.id, hallId: r.hall_id, courtId: r.court_id, regionId: r.region_id, day: r.day, ownerRole: r.owner_role, ranAt: r.ran_at,
      dueAt: r.due_at, escalateAt: r.escalate_at, items: JSON.parse(r.items_json), failedItems: r.failed_items, remindedAt: r.reminded_at, escalatedAt: r.escalated_at,
      signoff: s ? {
        login: s.login, displayName: s.display_name, role: s.role, signedAt: s.signed_at, onTime: s.on_time === 1, items: JSON.parse(s.items_json),
        note: s.note, failedItems: s.failed_items, incidentId: s.incident_id, digest: s.digest,
      } : null,
    };
  }

  async get(id: number): Promise<DailyCheckDto | undefined> {
    const r = await this.d.db.get<Row>('SELECT * FROM daily_checks WHERE id = ?', [id]);
    if (!r) return undefined;
    return this.dto(r, await this.d.db.get<SignRow>('SELECT * FROM daily_check_signoffs WHERE check_id = ?', [id]));
  }

  async byHallDay(hallId: string, day: string): Promise<DailyCheckDto | undefined> {
    const r = await this.d.db.get<{ id: number }>('SELECT id FROM daily_checks WHERE hall_id = ? AND day = ?', [hallId, day]);
    return r ? this.get(r.id) : undefined;
  }

  /** One day's checks of the given courts, with the halls that have none ("missing"). */
  async day(day: string, courts: string[]): Promise<{ day: string; checks: DailyCheckDto[]; missing: string[] }> {
    if (courts.length === 0) return { day, checks: [], missing: [] };
    const rows = await this.d.db.all<Row>(`SELECT * FROM daily_checks WHERE day = ? AND court_id IN (${courts.map(() => '?').join(',')}) ORDER BY hall_id`, [day, ...courts]);
    const signs = new Map((await this.d.db.all<SignRow>(`SELECT s.* FROM daily_check_signoffs s JOIN daily_checks c ON c.id = s.check_id WHERE c.day = ?`, [day])).map((s) => [s.check_id, s]));
    const checks = rows.map((r) => this.dto(r, signs.get(r.id)));
    const have = new Set(checks.map((c) => c.hallId));
    const missing = courts.flatMap((c) => this.d.inv.court.get(c)?.hallIds ?? []).filter((h) => !have.has(h));
    return { day, checks, missing };
  }
}
