/**
 * The incident engine: the side-effect edge around the pure decisions (detect.ts, plan.ts).
 * Each decision and everything it causes — the incident, its steps and their deadlines, its
 * timeline, the notices in the outbox, the audit row — commit in one transaction; deadlines
 * are stored, so a restart or a crash resumes every timer from the database.
 */
import type { HallStatusDto } from '../../collector/api/dto';
import { appendAudit } from '../../collector/auth/audit';
import type { Inventory } from '../../collector/config/inventory';
import type { Clock, TimerHandle } from '../../collector/core/clock';
import type { EventBus } from '../../collector/core/events';
import type { Logger } from '../../collector/core/logger';
import type { CheckResult } from '../../collector/core/types';
import type { Db, Tx } from '../../collector/store/db';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { completeStep, escalationsDue, isOverdue, nextWakeup, openSteps, stepDef, type StepState } from '../escalation/plan';
import type { IncidentPolicy, Party, Recipient } from '../escalation/policy';
import { compose } from '../notify/compose';
import { enqueue, type OutboxWorker } from '../notify/outbox';
import { resolveRecipients } from '../notify/recipients';
import { approveLatestAct } from '../acts/act-service';
import { draftAct } from '../acts/draft';
import { decide, type IncidentNow } from './detect';
import { EngineError, type Actor } from './errors';
import type { IncidentCause, IncidentDto, IncidentEventDto, StepDto } from './types';

export { EngineError, type Actor } from './errors';

export interface EngineDeps {
  db: Db;
  inv: Inventory;
  policy: IncidentPolicy;
  calendar: WorkingCalendar;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  outbox: OutboxWorker;
  hallStatus: (hallId: string) => HallStatusDto | undefined;
  latestResults: (deviceId: string) => CheckResult[] | undefined;
  /** Which channels exist besides the console. */
  channels: { email: boolean; webhooks: string[] };
  /** The console's address, for links in notices. */
  publicUrl?: string;
}

interface Row {
  id: number; hall_id: string; court_id: string; region_id: string; origin: 'auto' | 'manual'; state: 'open' | 'acknowledged' | 'resolved';
  causes_json: string; case_number: string | null; opened_at: string; opened_by: string; outage_started_at: string; outage_ended_at: string | null;
  acknowledged_at: string | null; acknowledged_by: string | null; assigned_to: string | null; resolved_at: string | null; resolved_by: string | null;
  resolution: string | null; updated_at: string;
}
interface StepRow { incident_id: number; step_key: string; started_at: string | null; due_at: string | null; done_at: string | null; done_by: string | null; note: string | null; escalated: number }

const SYSTEM: Actor = { login: 'system', role: 'system', displayName: 'hallwatch' };
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (s: string | null) => (s === null ? null : Date.parse(s));

export const PARTY_OF_ROLE: Record<string, Party | undefined> = {
  'department-coordinator': 'department', 'regional-coordinator': 'regional', technician: 'service-org',
};

export class IncidentEngine {
  private latest = new Map<string, IncidentNow>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly d: EngineDeps) {}

  /** Serializes every change: decisions read the state the previous change left. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => {});
    return p;
  }

  async init(): Promise<void> {
    const rows = await this.d.db.all<Row>('SELECT * FROM incidents WHERE id IN (SELECT max(id) FROM incidents GROUP BY hall_id)');
    for (const r of rows) this.latest.set(r.hall_id, this.now(r));
  }

  start(): void {
    this.unsubscribe = this.d.bus.on('hall-status', (e) => void this.evaluate(e.hall.hallId).catch((err) => this.d.log.error('incident evaluation failed', { hall: e.hall.hallId, error: (err as Error).message })));
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) this.d.clock.clearTimer(this.timer);
    await this.chain;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) this.d.clock.clearTimer(this.timer);
    this.timer = this.d.clock.setTimer(delay, () => void this.tick().catch((e) => this.d.log.error('incident tick failed', { error: (e as Error).message })).finally(() => this.schedule(10_000)));
  }

  /** Halls that have been failing long enough, and escalations that fell due. */
  async tick(): Promise<void> {
    for (const h of this.d.inv.halls) await this.evaluate(h.id);
    await this.escalate();
  }

  private now(r: Row): IncidentNow {
    return { id: r.id, state: r.state, outageEndedAt: ms(r.outage_ended_at), resolvedAt: ms(r.resolved_at) };
  }

  evaluate(hallId: string): Promise<void> {
    return this.serial(async () => {
      const hs = this.d.hallStatus(hallId);
      if (!hs) return;
      const now = this.d.clock.now();
      const decision = decide({ status: hs.status, since: Date.parse(hs.since) }, this.latest.get(hallId), now, this.d.policy);
      if (decision.kind === 'none') return;
      if (decision.kind === 'open') await this.open(hallId, 'auto', SYSTEM, decision.outageStartedAt, hs, null, null);
      else {
        const id = this.latest.get(hallId)!.id;
        await this.d.db.transaction(async (tx) => {
          if (decision.kind === 'restored') {
            await tx.run('UPDATE incidents SET outage_ended_at = ?, updated_at = ? WHERE id = ?', [iso(decision.at), iso(now), id]);
            await this.event(tx, id, SYSTEM, 'restored', { at: iso(decision.at) });
            await this.notify(tx, id, 'restored', [{ role: 'chancellery-head', of: 'court' }, { role: 'regional-coordinator', of: 'region' }, { role: 'technician', of: 'contract' }], 'notify.incident.restored', { at: iso(decision.at) });
          } else {
            // relapse or reopen: the same incident, the outage goes on (flapping folds in).
            await tx.run("UPDATE incidents SET outage_ended_at = NULL, state = CASE WHEN state = 'resolved' THEN 'open' ELSE state END, resolved_at = NULL, resolved_by = NULL, updated_at = ? WHERE id = ?", [iso(now), id]);
            await this.event(tx, id, SYSTEM, decision.kind, { at: iso(decision.at), status: hs.status });
          }
        });
        await this.reload(id);
      }
      this.d.outbox.kick();
    });
  }

  private async reload(id: number): Promise<Row> {
    const r = (await this.d.db.get<Row>('SELECT * FROM incidents WHERE id = ?', [id]))!;
    this.latest.set(r.hall_id, this.now(r));
    this.d.bus.emit('incident', { incidentId: id, hallId: r.hall_id, courtId: r.court_id, state: r.state });
    return r;
  }

  /** Causes at the moment of opening, with the proof the devices gave. */
  private causesOf(hs: HallStatusDto): IncidentCause[] {
    return hs.causes.map((c) => {
      const r = this.d.latestResults(c.deviceId)?.find((x) => x.check === c.check);
      return { ...c, ...(r ? { observedAt: r.observedAt } : {}), ...(r?.evidence ? { evidence: { ref: r.evidence.ref, contentType: r.evidence.contentType } } : {}) };
    });
  }

  private async open(hallId: string, origin: 'auto' | 'manual', by: Actor, outageStart: number, hs: HallStatusDto | undefined, caseNumber: string | null, note: string | null): Promise<number> {
    const hall = this.d.inv.hall.get(hallId)!;
    const now = this.d.clock.now();
    const steps = openSteps(this.d.policy, now, this.d.calendar);
    const causes = hs ? this.causesOf(hs) : [];
    const id = await this.d.db.transaction(async (tx) => {
      const ins = await tx.run(
        `INSERT INTO incidents (hall_id, court_id, region_id, origin, state, causes_json, case_number, opened_at, opened_by, outage_started_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
        [hallId, hall.courtId, hall.regionId, origin, JSON.stringify(causes), caseNumber, iso(now), by.login, iso(outageStart), iso(now)]);
      const id = ins.lastID;
      for (const st of steps) await this.saveStep(tx, id, st, null, null);
      await this.event(tx, id, by, 'opened', { origin, outageStartedAt: iso(outageStart), caseNumber, note, causes: causes.map((c) => `${c.deviceId}/${c.check}`) });
      await appendAudit(tx, { at: iso(now), actor: by.login, actorRole: by.role, action: origin === 'manual' ? 'incident.report' : 'incident.open', courtId: hall.courtId, target: `incident:${id}`, ip: by.ip, outcome: 'ok', after: { hallId, caseNumber, note, causes: causes.length } });
      const first = causes[0];
      const causeParams = first ? { cause: first.message, causeKey: first.messageKey, causeParams: JSON.stringify(first.params ?? {}) } : { cause: note ?? '', causeKey: 'notify.cause.reported', causeParams: JSON.stringify({ note: note ?? '' }) };
      await this.startSteps(tx, id, steps.filter((s) => s.startedAt !== null).map((s) => s.key), { sinceAt: iso(outageStart), ...causeParams });
      return id;
    });
    await this.reload(id);
    this.d.log.info('incident opened', { incident: id, hall: hallId, origin });
    return id;
  }

  /** A step begins: its notices go out; a notice step is done at once; owners are told what they owe. */
  private async startSteps(tx: Tx, id: number, keys: string[], params: Record<string, string>): Promise<void> {
    for (const key of keys) {
      const def = stepDef(this.d.policy, key)!;
      const st = (await this.loadSteps(tx, id)).find((s) => s.key === key)!;
      if (def.notify.length) await this.notify(tx, id, `step:${key}`, def.notify, def.kind === 'notify' ? 'notify.incident.opened' : 'notify.step.begin', { step: key, dueAt: iso(st.dueAt!), ...params });
      if (def.owners.length) await this.notify(tx, id, `owed:${key}`, def.owners, 'notify.step.owed', { step: key, dueAt: iso(st.dueAt!) });
      if (def.kind === 'notify') await this.finishStep(tx, id, key, SYSTEM, null);
    }
  }

  private async finishStep(tx: Tx, id: number, key: string, by: Actor, note: string | null): Promise<void> {
    const now = this.d.clock.now();
    const { steps, started } = completeStep(this.d.policy, await this.loadSteps(tx, id), key, now, this.d.calendar);
    const done = steps.find((s) => s.key === key)!;
    await this.saveStep(tx, id, done, by.login, note);
    for (const k of started) await this.saveStep(tx, id, steps.find((s) => s.key === k)!, null, null);
    await this.event(tx, id, by, 'step-done', { step: key, note });
    const def = stepDef(this.d.policy, key)!;
    if (def.notifyOnDone.length) await this.notify(tx, id, `done:${key}`, def.notifyOnDone, 'notify.step.done', { step: key, who: by.displayName, note: note ?? '' });
    // 000 §29: with the cause confirmed, the court's technical act is drafted from the evidence.
    if (def.kind === 'confirm-cause') await this.draft(tx, id, by);
    if (started.length) await this.startSteps(tx, id, started, {});
  }

  private async loadSteps(tx: Tx, id: number): Promise<StepState[]> {
    const rows = await tx.all<StepRow>('SELECT * FROM incident_steps WHERE incident_id = ?', [id]);
    const byKey = new Map(rows.map((r) => [r.step_key, r]));
    return this.d.policy.steps.map((s) => {
      const r = byKey.get(s.key);
      return { key: s.key, startedAt: ms(r?.started_at ?? null), dueAt: ms(r?.due_at ?? null), doneAt: ms(r?.done_at ?? null), escalated: r?.escalated ?? 0 };
    });
  }

  private async saveStep(tx: Tx, id: number, st: StepState, doneBy: string | null, note: string | null): Promise<void> {
    await tx.run(
      `INSERT INTO incident_steps (incident_id, step_key, started_at, due_at, done_at, done_by, note, escalated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (incident_id, step_key) DO UPDATE SET started_at = excluded.started_at, due_at = excluded.due_at, done_at = excluded.done_at,
         done_by = COALESCE(excluded.done_by, incident_steps.done_by), note = COALESCE(excluded.note, incident_steps.note), escalated = excluded.escalated`,
      [id, st.key, st.startedAt === null ? null : iso(st.startedAt), st.dueAt === null ? null : iso(st.dueAt), st.doneAt === null ? null : iso(st.doneAt), doneBy, note, st.escalated]);
  }

  private async event(tx: Tx, id: number, by: Actor, kind: string, data: Record<string, unknown> | null): Promise<void> {
    await tx.run('INSERT INTO incident_events (incident_id, at, actor, kind, data_json) VALUES (?, ?, ?, ?, ?)', [id, iso(this.d.clock.now()), by.login, kind, data ? JSON.stringify(data) : null]);
  }

  /** Queues a notice for each person (console, and e-mail when they have an address) and each webhook. */
  private async notify(tx: Tx, id: number, what: string, to: Recipient[], messageKey: string, params: Record<string, string | number>): Promise<void> {
    const inc = (await tx.get<Row>('SELECT * FROM incidents WHERE id = ?', [id]))!;
    const people = await resolveRecipients(this.d.db, this.d.inv, to, { courtId: inc.court_id, regionId: inc.region_id });
    const link = this.d.publicUrl ? `${this.d.publicUrl}/#/incident/${id}` : undefined;
    const notice = compose(this.d.inv, messageKey, { hallId: inc.hall_id, incidentId: id, ...params }, link);
    const at = iso(this.d.clock.now());
    const payload = { messageKey, params: notice.params, incidentId: id, hallId: inc.hall_id, courtId: inc.court_id, event: what };
    for (const p of people) {
      await enqueue(tx, { key: `incident:${id}:${what}:console:${p.login}`, channel: 'console', recipient: p.login, subject: notice.subject, body: notice.body, payload, incidentId: id }, at);
      if (this.d.channels.email && p.email) await enqueue(tx, { key: `incident:${id}:${what}:email:${p.email}`, channel: 'email', recipient: p.email, subject: notice.subject, body: notice.body, payload, incidentId: id }, at);
    }
    for (const url of this.d.channels.webhooks) await enqueue(tx, { key: `incident:${id}:${what}:webhook:${url}`, channel: 'webhook', recipient: url, subject: notice.subject, body: notice.body, payload, incidentId: id }, at);
    await this.event(tx, id, SYSTEM, 'notified', { what, people: people.map((p) => p.login) });
  }

  /** Overdue steps escalate, each level once. */
  async escalate(): Promise<void> {
    await this.serial(async () => {
      const now = this.d.clock.now();
      const ids = (await this.d.db.all<{ incident_id: number }>("SELECT DISTINCT s.incident_id FROM incident_steps s JOIN incidents i ON i.id = s.incident_id WHERE i.state != 'resolved' AND s.done_at IS NULL AND s.due_at IS NOT NULL AND s.due_at <= ?", [iso(now)])).map((r) => r.incident_id);
      for (const id of ids) {
        await this.d.db.transaction(async (tx) => {
          const steps = await this.loadSteps(tx, id);
          for (const a of escalationsDue(this.d.policy, steps, now)) {
            const st = steps.find((s) => s.key === a.stepKey)!;
            st.escalated = Math.max(st.escalated, a.level);
            await this.saveStep(tx, id, st, null, null);
            await this.event(tx, id, SYSTEM, 'escalated', { step: a.stepKey, level: a.level, dueAt: iso(st.dueAt!) });
            await this.notify(tx, id, `overdue:${a.stepKey}:${a.level}`, a.notify, 'notify.step.overdue', { step: a.stepKey, dueAt: iso(st.dueAt!) });
          }
        });
        await this.reload(id);
      }
      if (ids.length) this.d.outbox.kick();
    });
  }

  /** The earliest stored deadline or escalation still ahead (for tests and the console). */
  async nextDeadline(id: number): Promise<number | undefined> {
    return nextWakeup(this.d.policy, await this.loadSteps(this.d.db, id));
  }

  // --- What people do -------------------------------------------------------------------

  /** 000 §27: the secretary (or the chancellery head) reports that recording is impossible. */
  report(hallId: string, by: Actor, caseNumber: string | null, note: string | null): Promise<number> {
    return this.serial(async () => {
      const latest = this.latest.get(hallId);
      if (latest && latest.state !== 'resolved') {
        await this.d.db.transaction(async (tx) => {
          await this.event(tx, latest.id, by, 'reported', { caseNumber, note });
          if (caseNumber) await tx.run('UPDATE incidents SET case_number = COALESCE(case_number, ?) WHERE id = ?', [caseNumber, latest.id]);
          await appendAudit(tx, { at: iso(this.d.clock.now()), actor: by.login, actorRole: by.role, action: 'incident.report', courtId: this.d.inv.hall.get(hallId)!.courtId, target: `incident:${latest.id}`, ip: by.ip, outcome: 'joined', after: { caseNumber, note } });
        });
        await this.reload(latest.id);
        return latest.id;
      }
      const id = await this.open(hallId, 'manual', by, this.d.clock.now(), this.d.hallStatus(hallId), caseNumber, note);
      this.d.outbox.kick();
      return id;
    });
  }

  private async change(id: number, by: Actor, action: string, fn: (tx: Tx, inc: Row) => Promise<Record<string, unknown>>): Promise<IncidentDto> {
    await this.serial(async () => {
      await this.d.db.transaction(async (tx) => {
        const inc = await tx.get<Row>('SELECT * FROM incidents WHERE id = ?', [id]);
        if (!inc) throw new EngineError(404, 'not_found', `no incident ${id}`, 'id');
        const after = await fn(tx, inc);
        await appendAudit(tx, { at: iso(this.d.clock.now()), actor: by.login, actorRole: by.role, action, courtId: inc.court_id, target: `incident:${id}`, ip: by.ip, outcome: 'ok', before: { state: inc.state }, after });
      });
      await this.reload(id);
      this.d.outbox.kick();
    });
    return (await this.get(id))!;
  }

  acknowledge(id: number, by: Actor): Promise<IncidentDto> {
    return this.change(id, by, 'incident.acknowledge', async (tx, inc) => {
      if (inc.state !== 'open') throw new EngineError(409, 'conflict', `incident ${id} is ${inc.state}`, 'state');
      await tx.run("UPDATE incidents SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ? WHERE id = ?", [iso(this.d.clock.now()), by.login, iso(this.d.clock.now()), id]);
      await this.event(tx, id, by, 'acknowledged', null);
      return { state: 'acknowledged' };
    });
  }

  comment(id: number, by: Actor, text: string): Promise<IncidentDto> {
    return this.change(id, by, 'incident.comment', async (tx) => {
      await this.event(tx, id, by, 'comment', { text });
      return { text };
    });
  }

  assign(id: number, by: Actor, login: string): Promise<IncidentDto> {
    return this.change(id, by, 'incident.assign', async (tx, inc) => {
      const u = await tx.get<{ login: string }>('SELECT login FROM users WHERE login = ? AND disabled = 0', [login]);
      if (!u) throw new EngineError(400, 'bad_request', `no active user "${login}"`, 'login');
      await tx.run('UPDATE incidents SET assigned_to = ?, updated_at = ? WHERE id = ?', [login, iso(this.d.clock.now()), id]);
      await this.event(tx, id, by, 'assigned', { login, before: inc.assigned_to });
      return { assignedTo: login };
    });
  }

  setCaseNumber(id: number, by: Actor, caseNumber: string): Promise<IncidentDto> {
    return this.change(id, by, 'incident.case-number', async (tx) => {
      await tx.run('UPDATE incidents SET case_number = ?, updated_at = ? WHERE id = ?', [caseNumber, iso(this.d.clock.now()), id]);
      await this.event(tx, id, by, 'case-number', { caseNumber });
      return { caseNumber };
    });
  }

  resolve(id: number, by: Actor, resolution: string): Promise<IncidentDto> {
    return this.change(id, by, 'incident.resolve', async (tx, inc) => {
      if (inc.state === 'resolved') throw new EngineError(409, 'conflict', `incident ${id} is resolved already`, 'state');
      const now = iso(this.d.clock.now());
      await tx.run("UPDATE incidents SET state = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?, outage_ended_at = COALESCE(outage_ended_at, ?), updated_at = ? WHERE id = ?", [now, by.login, resolution, now, now, id]);
      await this.event(tx, id, by, 'resolved', { resolution });
      return { state: 'resolved', resolution };
    });
  }

  /** A report step (000 §28): its owner writes what happened and why. */
  completeReport(id: number, key: string, by: Actor, note: string): Promise<IncidentDto> {
    return this.change(id, by, `incident.step.${key}`, async (tx) => {
      const def = stepDef(this.d.policy, key);
      if (!def || def.kind !== 'report') throw new EngineError(404, 'not_found', `no report step "${key}"`, 'step');
      const st = (await this.loadSteps(tx, id)).find((s) => s.key === key)!;
      if (st.startedAt === null) throw new EngineError(409, 'conflict', `step "${key}" has not begun`, 'step');
      if (st.doneAt !== null) throw new EngineError(409, 'conflict', `step "${key}" is done already`, 'step');
      await this.finishStep(tx, id, key, by, note);
      return { step: key, note };
    });
  }

  /** 000 §29: a party confirms the cause; when all have, the act is drafted. */
  confirmCause(id: number, by: Actor, cause: string): Promise<IncidentDto> {
    const party = PARTY_OF_ROLE[by.role];
    return this.change(id, by, 'incident.confirm-cause', async (tx) => {
      if (!party) throw new EngineError(403, 'forbidden', `a ${by.role} is not a party to the cause confirmation`, 'role');
      const def = this.d.policy.steps.find((s) => s.kind === 'confirm-cause');
      if (!def || !def.parties?.includes(party)) throw new EngineError(403, 'forbidden', `the policy does not ask the ${party} to confirm`, 'role');
      const st = (await this.loadSteps(tx, id)).find((s) => s.key === def.key)!;
      if (st.startedAt === null) throw new EngineError(409, 'conflict', 'the cause confirmation has not begun', 'step');
      if (st.doneAt !== null) throw new EngineError(409, 'conflict', 'the cause is confirmed already; change the act instead', 'step');
      await tx.run(`INSERT INTO cause_confirmations (incident_id, party, login, display_name, cause, at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (incident_id, party) DO UPDATE SET login = excluded.login, display_name = excluded.display_name, cause = excluded.cause, at = excluded.at`,
        [id, party, by.login, by.displayName, cause, iso(this.d.clock.now())]);
      await this.event(tx, id, by, 'cause-confirmed', { party, cause });
      const have = new Set((await tx.all<{ party: string }>('SELECT party FROM cause_confirmations WHERE incident_id = ?', [id])).map((r) => r.party));
      if (def.parties.every((p) => have.has(p))) await this.finishStep(tx, id, def.key, by, null);
      return { party, cause };
    });
  }

  /** 000 §29: the court approves the act; the step it owed is done with it, in one transaction. */
  approveAct(id: number, by: Actor): Promise<IncidentDto> {
    return this.change(id, by, 'act.approve', async (tx) => {
      const version = await approveLatestAct(tx, id, by, iso(this.d.clock.now()));
      const def = this.d.policy.steps.find((s) => s.kind === 'approve-act');
      const st = def ? (await this.loadSteps(tx, id)).find((s) => s.key === def.key) : undefined;
      if (def && st && st.startedAt !== null && st.doneAt === null) await this.finishStep(tx, id, def.key, by, null);
      return { version };
    });
  }

  private async draft(tx: Tx, id: number, by: Actor): Promise<void> {
    const inc = (await tx.get<Row>('SELECT * FROM incidents WHERE id = ?', [id]))!;
    const confirmations = await tx.all<{ party: Party; login: string; display_name: string; cause: string; at: string }>('SELECT * FROM cause_confirmations WHERE incident_id = ? ORDER BY at', [id]);
    const last = await tx.get<{ version: number }>('SELECT max(version) AS version FROM acts WHERE incident_id = ?', [id]);
    const version = (last?.version ?? 0) + 1;
    const act = draftAct(this.d.inv, {
      id, hallId: inc.hall_id, caseNumber: inc.case_number, outageStartedAt: inc.outage_started_at, outageEndedAt: inc.outage_ended_at,
      causes: JSON.parse(inc.causes_json) as IncidentCause[],
      confirmations: confirmations.map((c) => ({ party: c.party, login: c.login, displayName: c.display_name, at: c.at, cause: c.cause })),
    }, version, iso(this.d.clock.now()));
    await tx.run('INSERT INTO acts (incident_id, version, status, content_json, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, version, 'draft', JSON.stringify(act), act.draftedAt, by.login, act.draftedAt]);
    await this.event(tx, id, SYSTEM, 'act-drafted', { version });
  }

  async get(id: number): Promise<IncidentDto | undefined> {
    const r = await this.d.db.get<Row>('SELECT * FROM incidents WHERE id = ?', [id]);
    return r ? this.dto(r) : undefined;
  }

  async list(filter: { states: string[]; courts?: ReadonlySet<string>; limit: number }): Promise<IncidentDto[]> {
    const rows = await this.d.db.all<Row>(`SELECT * FROM incidents WHERE state IN (${filter.states.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ?`, [...filter.states, filter.limit * 4]);
    const out: IncidentDto[] = [];
    for (const r of rows) {
      if (filter.courts && !filter.courts.has(r.court_id)) continue;
      out.push(await this.dto(r));
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  async events(id: number): Promise<IncidentEventDto[]> {
    const rows = await this.d.db.all<{ id: number; at: string; actor: string; kind: string; data_json: string | null }>('SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id', [id]);
    return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, kind: r.kind, data: r.data_json ? JSON.parse(r.data_json) : null }));
  }

  private async dto(r: Row): Promise<IncidentDto> {
    const now = this.d.clock.now();
    const steps = await this.d.db.all<StepRow>('SELECT * FROM incident_steps WHERE incident_id = ?', [r.id]);
    const conf = await this.d.db.all<{ party: Party; login: string; display_name: string; at: string; cause: string }>('SELECT * FROM cause_confirmations WHERE incident_id = ?', [r.id]);
    const byKey = new Map(steps.map((s) => [s.step_key, s]));
    const stepDtos: StepDto[] = this.d.policy.steps.map((def) => {
      const s = byKey.get(def.key);
      const st: StepState = { key: def.key, startedAt: ms(s?.started_at ?? null), dueAt: ms(s?.due_at ?? null), doneAt: ms(s?.done_at ?? null), escalated: s?.escalated ?? 0 };
      return {
        key: def.key, clause: def.clause, kind: def.kind, owners: def.owners,
        startedAt: s?.started_at ?? null, dueAt: s?.due_at ?? null, doneAt: s?.done_at ?? null, doneBy: s?.done_by ?? null, note: s?.note ?? null,
        escalated: st.escalated, overdue: r.state !== 'resolved' && isOverdue(st, now),
        ...(def.parties ? { parties: def.parties.map((p) => {
          const c = conf.find((x) => x.party === p);
          return { party: p, login: c?.login ?? null, displayName: c?.display_name ?? null, at: c?.at ?? null, cause: c?.cause ?? null };
        }) } : {}),
      };
    });
    return {
      id: r.id, hallId: r.hall_id, courtId: r.court_id, regionId: r.region_id, origin: r.origin, state: r.state,
      causes: JSON.parse(r.causes_json), caseNumber: r.case_number, openedAt: r.opened_at, openedBy: r.opened_by,
      outageStartedAt: r.outage_started_at, outageEndedAt: r.outage_ended_at, acknowledgedAt: r.acknowledged_at, acknowledgedBy: r.acknowledged_by,
      assignedTo: r.assigned_to, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, resolution: r.resolution, steps: stepDtos,
      orgIds: [...this.d.inv.serviceOrgs.values()].filter((o) => o.courtIds.includes(r.court_id)).map((o) => o.id),
    };
  }
}
