/**
 * The VKS service: the hearing schedule, the readiness checks each hearing gets without anyone
 * remembering them (002 §13 test session a day before; 001 §15.5, §22 the check on the hearing day;
 * 002 §15 the connection 20–30 minutes before), the incident for the technical specialist when one
 * fails (001 §14, §23; 002 §16), and the drafted act of technical impossibility when the start is
 * delayed (001 §18, 002 §18).
 *
 * One timer on the Clock, set to the next due check or start; nothing sleeps. A check probes the
 * hall's endpoint with the vks-endpoint driver and places a test call through its management API.
 */
import type { WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { Actor, IncidentEngine } from '../../alerts/incidents/engine';
import type { DriverRegistry } from '../../device-drivers/registry';
import { endpointApi, probeEndpoint } from '../../device-drivers/vks-endpoint/driver';
import type { VksEndpointOptions } from '../../device-drivers/vks-endpoint/options';
import { vksEndpointPolicyDefaults, type VksEndpointPolicy } from '../../device-drivers/vks-endpoint/policy';
import { runTestCall } from '../../device-drivers/vks-endpoint/test-call';
import type { HallStatusDto } from '../api/dto';
import { appendAudit } from '../auth/audit';
import type { Device, Inventory } from '../config/inventory';
import { iso, SystemClock, type Clock } from '../core/clock';
import { discardEvidence } from '../core/driver';
import type { Logger } from '../core/logger';
import type { CheckResultDraft, ProbeTarget } from '../core/types';
import type { Db } from '../store/db';
import { answerDueAt, defaultReadinessTimes, readinessPlan, requestDueAt, type ReadinessTimes } from './deadlines';
import {
  actOf, checkOf, checksOf, getHearing, hearingOf, insertHearing,
  type CheckKind, type CheckRow, type HearingRow, type NewHearing, type VksActContent,
} from './store';

export interface VksDeps {
  db: Db;
  inv: Inventory;
  clock: Clock;
  log: Logger;
  registry: DriverRegistry;
  engine: Pick<IncidentEngine, 'report'>;
  calendar: () => WorkingCalendar;
  driverPolicy?: unknown;
  hallStatus?: (hallId: string) => HallStatusDto | undefined;
  times?: ReadinessTimes;
}

const VKS_ACTOR: Actor = { login: 'system', role: 'system', displayName: 'hallwatch (ВКС / БКБ)' };

export interface HearingView extends HearingRow {
  hallNumber: string;
  timezone: string;
  checks: CheckRow[];
  /** 001 §12, §21 deadlines (UTC), when the dates they count from are known. */
  deadlines: { requestDueAt: string | null; answerDueAt: string | null };
  act: { draftedAt: string } | null;
  endpoint: { deviceId: string | null; status: string };
}

const services = new WeakMap<Db, VksService>();
/** The running service of a collector's database (tests, the feed). */
export function vksServiceFor(db: Db): VksService | undefined {
  return services.get(db);
}

export class VksService {
  /** Cancels the pending wake-up. */
  private timer: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  readonly times: ReadinessTimes;

  constructor(readonly d: VksDeps) {
    this.times = d.times ?? defaultReadinessTimes;
  }

  get policy(): VksEndpointPolicy {
    return (this.d.driverPolicy as VksEndpointPolicy | undefined) ?? vksEndpointPolicyDefaults;
  }

  async init(): Promise<void> {
    services.set(this.d.db, this);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = undefined;
  }

  /**
   * A wake-up on the Clock. On the system clock it is an unref'd timeout: the schedule must never
   * keep a stopped collector's process alive (collector/app.ts has no stop hook for this service yet).
   */
  private wakeUp(ms: number, fn: () => void): () => void {
    if (this.d.clock instanceof SystemClock) {
      const t = setTimeout(fn, ms);
      t.unref();
      return () => clearTimeout(t);
    }
    const h = this.d.clock.setTimer(ms, fn);
    return () => this.d.clock.clearTimer(h);
  }

  /** Resolves when the work in progress (and any it started) is done. */
  async idle(): Promise<void> {
    for (;;) {
      const p = this.running;
      await p;
      if (p === this.running && !this.busy) return;
    }
  }

  /** The endpoint device of a hall: its vks-endpoint device, if any. */
  endpointOf(hallId: string): Device | undefined {
    const hall = this.d.inv.hall.get(hallId);
    return hall?.deviceIds.map((id) => this.d.inv.device.get(id)!).find((dv) => dv.category === 'vks-endpoint' && dv.driver === 'vks-endpoint');
  }

  async create(h: NewHearing, by: { login: string; role: string; ip?: string | null }): Promise<number> {
    const ids = await this.createMany([h], by);
    return ids[0]!;
  }

  async createMany(list: NewHearing[], by: { login: string; role: string; ip?: string | null }): Promise<number[]> {
    const now = iso(this.d.clock.now());
    const ids = await this.d.db.transaction(async (tx) => {
      const out: number[] = [];
      for (const h of list) {
        const tz = this.d.inv.court.get(h.courtId)?.timezone ?? 'Asia/Almaty';
        const plan = readinessPlan(Date.parse(h.startsAt), tz, this.times).map((p) => ({ kind: p.kind, dueAt: iso(p.dueAt) }));
        const id = await insertHearing(tx, h, plan, by.login, now);
        out.push(id);
        await appendAudit(tx, { at: now, actor: by.login, actorRole: by.role, action: 'vks.hearing.create', courtId: h.courtId, target: `vks-hearing:${id}`, ip: by.ip ?? null, outcome: 'ok', after: h });
      }
      return out;
    });
    this.kick();
    return ids;
  }

  /** 001 §24: the technical specialist's reported time of restoration. */
  async setRestoration(id: number, at: string, note: string | null, by: { login: string; role: string; ip?: string | null }): Promise<void> {
    await this.d.db.transaction(async (tx) => {
      const h = await getHearing(tx, id);
      if (!h) throw new Error('no hearing');
      await tx.run('UPDATE vks_hearing SET restoration_at = ?, restoration_note = ? WHERE id = ?', [at, note, id]);
      await appendAudit(tx, { at: iso(this.d.clock.now()), actor: by.login, actorRole: by.role, action: 'vks.hearing.restoration', courtId: h.courtId, target: `vks-hearing:${id}`, ip: by.ip ?? null, outcome: 'ok', before: { restorationAt: h.restorationAt }, after: { restorationAt: at, note } });
    });
  }

  async view(h: HearingRow, checks?: CheckRow[]): Promise<HearingView> {
    const cal = this.d.calendar();
    const ep = this.endpointOf(h.hallId);
    const hall = this.d.inv.hall.get(h.hallId);
    const act = await actOf(this.d.db, h.id);
    return {
      ...h,
      hallNumber: hall?.number ?? '',
      timezone: this.d.inv.court.get(h.courtId)?.timezone ?? 'Asia/Almaty',
      checks: checks ?? (await checksOf(this.d.db, [h.id])).get(h.id) ?? [],
      deadlines: {
        requestDueAt: h.resolutionAt ? iso(requestDueAt(cal, Date.parse(h.resolutionAt))) : null,
        answerDueAt: h.requestReceivedAt ? iso(answerDueAt(cal, Date.parse(h.requestReceivedAt))) : null,
      },
      act: act ? { draftedAt: act.draftedAt } : null,
      endpoint: { deviceId: ep?.id ?? null, status: this.d.hallStatus?.(h.hallId)?.vks ?? 'unknown' },
    };
  }

  async list(fromIso: string, toIso: string, courts?: (courtId: string) => boolean): Promise<HearingView[]> {
    const rows = (await this.d.db.all('SELECT * FROM vks_hearing WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, hall_id', [fromIso, toIso])).map(hearingOf)
      .filter((h) => !courts || courts(h.courtId));
    const checks = await checksOf(this.d.db, rows.map((r) => r.id));
    return Promise.all(rows.map((r) => this.view(r, checks.get(r.id) ?? [])));
  }

  // ---- the clock

  /** Run what is due now, then set the timer for the next due time. */
  kick(): void {
    if (this.stopped) return;
    // The instant the run was due: work queued behind I/O still judges "due" and "started" by it.
    const at = this.d.clock.now();
    this.running = this.running.then(() => this.runDue(at)).catch((e) => {
      if (/database is closed|SQLITE_MISUSE/.test(String((e as Error).message))) this.stop();
      else this.d.log.error('vks: readiness run failed', { error: (e as Error).message });
    }).then(() => this.arm());
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    this.timer?.();
    const now = this.d.clock.now();
    let next: number | undefined;
    try {
      const c = await this.d.db.get<{ due: string }>(`SELECT MIN(c.due_at) AS due FROM vks_check c JOIN vks_hearing h ON h.id = c.hearing_id
        WHERE c.ran_at IS NULL AND h.state != 'cancelled' AND h.starts_at > ?`, [iso(now)]);
      const s = await this.d.db.get<{ start: string }>(`SELECT MIN(starts_at) AS start FROM vks_hearing WHERE state = 'failed' AND starts_at > ?`, [iso(now)]);
      for (const t of [c?.due, s?.start]) if (t) next = Math.min(next ?? Infinity, Date.parse(t));
    } catch {
      this.stop();
      return;
    }
    // At most an hour between looks (a calendar or clock change is picked up).
    const at = Math.min(next ?? now + 3_600_000, now + 3_600_000);
    this.timer = this.wakeUp(Math.max(0, at - now), () => this.kick());
  }

  private async runDue(now: number): Promise<void> {
    if (this.stopped) return;
    this.busy = true;
    try {
      const due = (await this.d.db.all(`SELECT c.* FROM vks_check c JOIN vks_hearing h ON h.id = c.hearing_id
        WHERE c.ran_at IS NULL AND c.due_at <= ? AND h.state != 'cancelled' AND h.starts_at > ? ORDER BY c.due_at, c.id`, [iso(now), iso(now)])).map(checkOf);
      // A hearing whose earlier checks were missed runs only its latest due check.
      const latest = new Map<number, CheckRow>();
      for (const c of due) latest.set(c.hearingId, c);
      for (const c of due) if (latest.get(c.hearingId) !== c) await this.d.db.run("UPDATE vks_check SET ran_at = ?, message_key = 'vks.check.superseded' WHERE id = ?", [iso(now), c.id]);
      for (const c of latest.values()) await this.runCheck(c, now);
      await this.markDelayed(now);
    } finally {
      this.busy = false;
    }
  }

  /** One readiness check: the endpoint's probe and a test call. */
  async runCheck(c: CheckRow, startedAt = this.d.clock.now()): Promise<CheckRow> {
    const h = (await getHearing(this.d.db, c.hearingId))!;
    const device = this.endpointOf(h.hallId);
    let passed = false;
    let messageKey = 'vks.check.passed';
    let params: Record<string, string | number> = {};
    const details: Record<string, unknown> = {};
    if (!device) {
      messageKey = 'vks.check.no-endpoint';
      params = { hall: h.hallId };
    } else {
      const target = device as unknown as ProbeTarget<VksEndpointOptions>;
      const ac = new AbortController();
      let results: CheckResultDraft[];
      try {
        results = await probeEndpoint(target, { signal: ac.signal, deadline: this.d.clock.now() + device.timeoutMs, clock: this.d.clock, log: this.d.log, policy: this.policy, evidence: discardEvidence });
      } catch (e) {
        results = [{ check: 'xapi', status: 'unknown', message: String(e), messageKey: 'vks.api.unreachable', params: { error: String(e).slice(0, 120) } }];
      }
      details.checks = results.map((r) => ({ check: r.check, status: r.status, messageKey: r.messageKey, params: r.params ?? {}, message: r.message }));
      const failed = results.find((r) => r.status === 'down' || r.status === 'unknown');
      if (failed) {
        messageKey = failed.messageKey;
        params = failed.params ?? {};
        details.message = failed.message;
      } else {
        const number = h.remoteAddress ?? target.options.testNumber;
        if (!number) {
          passed = true;
          details.testCall = null;
        } else {
          const call = await runTestCall(endpointApi(target), number, {
            clock: this.d.clock, signal: ac.signal, timeoutMs: this.policy.testCall.connectTimeoutSeconds * 1000, pollMs: this.policy.testCall.pollMs,
          });
          details.testCall = { ok: call.ok, messageKey: call.messageKey, params: call.params, message: call.message, connectMs: call.connectMs ?? null };
          passed = call.ok;
          if (!call.ok) {
            messageKey = call.messageKey;
            params = call.params;
            details.message = call.message;
          }
        }
      }
    }
    const outcome = passed ? 'passed' : 'failed';
    await this.d.db.transaction(async (tx) => {
      await tx.run('UPDATE vks_check SET ran_at = ?, outcome = ?, message_key = ?, params_json = ?, details_json = ? WHERE id = ?',
        [iso(startedAt), outcome, messageKey, JSON.stringify(params), JSON.stringify(details), c.id]);
      await tx.run("UPDATE vks_hearing SET state = ? WHERE id = ? AND state IN ('scheduled', 'ready', 'failed')", [passed ? 'ready' : 'failed', h.id]);
    });
    this.d.log.info('vks readiness check', { hearing: h.id, hall: h.hallId, kind: c.kind, outcome, key: messageKey });
    if (!passed) await this.reportFailure(h, c.kind, String(details.message ?? messageKey));
    return checkOf((await this.d.db.get('SELECT * FROM vks_check WHERE id = ?', [c.id]))!);
  }

  /** 001 §14, §23; 002 §16: the technical specialist is told at once: an incident on the hall. */
  private async reportFailure(h: HearingRow, kind: CheckKind, message: string): Promise<void> {
    try {
      const id = await this.d.engine.report(h.hallId, VKS_ACTOR, h.caseNumber, `ВКС / БКБ: ${kind} — ${message}`.slice(0, 500));
      await this.d.db.run('UPDATE vks_hearing SET incident_id = ? WHERE id = ?', [id, h.id]);
    } catch (e) {
      this.d.log.error('vks: incident not reported', { hearing: h.id, error: (e as Error).message });
    }
  }

  /** 001 §18, 002 §18: a hearing whose start came with its last check failed is delayed: draft the act. */
  private async markDelayed(now: number): Promise<void> {
    const rows = (await this.d.db.all("SELECT * FROM vks_hearing WHERE state = 'failed' AND starts_at <= ?", [iso(now)])).map(hearingOf);
    for (const h of rows) await this.draftAct(h, now);
  }

  /** Drafts (or re-drafts) the act of technical impossibility of a hearing. */
  async draftAct(h: HearingRow, at = this.d.clock.now()): Promise<VksActContent> {
    const now = iso(at);
    const checks = (await checksOf(this.d.db, [h.id])).get(h.id) ?? [];
    const content: VksActContent = {
      hearingId: h.id, courtId: h.courtId, hallId: h.hallId, hallNumber: this.d.inv.hall.get(h.hallId)?.number ?? '', caseNumber: h.caseNumber,
      startsAt: h.startsAt, remoteKind: h.remoteKind, remoteName: h.remoteName, delayedAt: now,
      failures: checks.filter((c) => c.outcome === 'failed').map((c) => ({ kind: c.kind, ranAt: c.ranAt!, messageKey: c.messageKey ?? '', params: c.params, message: String((c.details as { message?: string } | null)?.message ?? c.messageKey) })),
      incidentId: h.incidentId, restorationAt: h.restorationAt,
      signatories: ['chancellery-head', 'secretary', 'technical-specialist'],
      timezone: this.d.inv.court.get(h.courtId)?.timezone ?? 'Asia/Almaty',
    };
    await this.d.db.transaction(async (tx) => {
      await tx.run('INSERT INTO vks_act (hearing_id, drafted_at, content_json) VALUES (?, ?, ?) ON CONFLICT (hearing_id) DO UPDATE SET drafted_at = excluded.drafted_at, content_json = excluded.content_json', [h.id, now, JSON.stringify(content)]);
      await tx.run("UPDATE vks_hearing SET state = 'delayed' WHERE id = ?", [h.id]);
      await appendAudit(tx, { at: now, actor: VKS_ACTOR.login, actorRole: VKS_ACTOR.role, action: 'vks.act.draft', courtId: h.courtId, target: `vks-hearing:${h.id}`, ip: null, outcome: 'ok', after: { failures: content.failures.length, incidentId: h.incidentId } });
    });
    this.d.log.warn('vks: start delayed, act of technical impossibility drafted', { hearing: h.id, hall: h.hallId });
    return content;
  }
}

/** Creates the tables, starts the clock; the one line collector/app.ts needs. */
export async function startVks(d: VksDeps): Promise<VksService> {
  const s = new VksService(d);
  await s.init();
  return s;
}
