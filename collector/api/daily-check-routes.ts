/** The daily check, its compliance report, and the free equipped halls (000 §7, §10, §11, §17). */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { localParts, type WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { IncidentEngine } from '../../alerts/incidents/engine';
import { inScope } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import { compliance, complianceCsv, compliancePdf, owedDays } from '../daily-check/compliance';
import type { DailyCheckPolicy } from '../daily-check/policy';
import { SignError, type DailyCheckService } from '../daily-check/service';
import type { Monitor } from '../service/monitor';
import type { Db } from '../store/db';
import { authorize, clientIp, identityOf } from './auth-http';
import { ApiError, badRequest, notFound } from './errors';
import { hallSummary } from './serialize';

export interface DailyCheckRouteDeps {
  db: Db;
  inv: Inventory;
  checks: DailyCheckService;
  policy: DailyCheckPolicy;
  calendar: () => WorkingCalendar;
  clock: Clock;
  monitor: Monitor;
  engine: IncidentEngine;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof SignError) throw new ApiError(e.status, e.code, e.message, e.field);
    throw e;
  }
}

const signBody = z.strictObject({
  marks: z.array(z.strictObject({ key: z.string().min(1).max(200), confirmed: z.boolean(), note: z.string().max(1000).optional() })).max(500),
  note: z.string().max(4000).default(''),
});

export function dailyCheckRoutes(d: DailyCheckRouteDeps): Router {
  const r = express.Router();
  const today = (tz = 'Asia/Almaty') => localParts(d.clock.now(), tz).date;
  const dayParam = (req: Request) => {
    const v = req.query.day;
    if (v === undefined) return today();
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest('day', 'day must be YYYY-MM-DD');
    return v;
  };
  const courtsOf = (req: Request, scope: ReturnType<typeof authorize>['scope']) => {
    const court = typeof req.query.court === 'string' ? req.query.court : undefined;
    const region = typeof req.query.region === 'string' ? req.query.region : undefined;
    if (court && !d.inv.court.has(court)) throw badRequest('court', `no court "${court}"`);
    if (region && !d.inv.region.has(region)) throw badRequest('region', `no region "${region}"`);
    return d.inv.courts.filter((c) => inScope(scope, c.id) && (!court || c.id === court) && (!region || c.regionId === region)).map((c) => c.id);
  };

  // The day view: per court and region, done, failed and missing.
  r.get('/daily-checks', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const day = dayParam(req);
    const out = await d.checks.day(day, courtsOf(req, id.scope));
    const summary = {
      halls: out.checks.length + out.missing.length,
      signed: out.checks.filter((c) => c.signoff).length,
      failed: out.checks.filter((c) => (c.signoff?.failedItems ?? c.failedItems) > 0).length,
      pending: out.checks.filter((c) => !c.signoff).length,
      missing: out.missing.length,
    };
    res.json({ ...out, summary });
  });

  r.get('/daily-checks/:id', async (req, res) => {
    const c = await d.checks.get(Number(req.params.id));
    if (!c) throw notFound('daily check', String(req.params.id));
    authorize(res, 'hall.view', c.courtId);
    res.json(c);
  });

  /** Runs the automatic checks of a hall now (before signing, to see the current state). */
  r.post('/daily-checks/run', async (req, res) => {
    const b = z.strictObject({ hallId: z.string() }).safeParse(req.body ?? {});
    if (!b.success) throw badRequest('hallId', 'give the hall to check');
    const hall = d.inv.hall.get(b.data.hallId);
    if (!hall) throw badRequest('hallId', `no hall "${b.data.hallId}"`);
    authorize(res, 'checklist.sign', hall.courtId);
    res.json(await guard(() => d.checks.run(hall.id)));
  });

  r.post('/daily-checks/:id/sign', async (req, res) => {
    const c = await d.checks.get(Number(req.params.id));
    if (!c) throw notFound('daily check', String(req.params.id));
    const id = authorize(res, 'checklist.sign', c.courtId);
    const b = signBody.safeParse(req.body ?? {});
    if (!b.success) {
      const i = b.error.issues[0]!;
      throw badRequest(i.path.join('.') || 'body', i.message);
    }
    const p = identityOf(res).principal;
    res.json(await guard(() => d.checks.sign(c.id, { login: p.name, displayName: p.displayName, role: p.role, ip: clientIp(req) }, { marks: b.data.marks, note: b.data.note })));
    void id;
  });

  // Compliance per court, region and service organization, for a month; CSV and PDF too.
  r.get('/compliance', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const month = typeof req.query.month === 'string' ? req.query.month : today().slice(0, 7);
    if (!/^\d{4}-\d{2}$/.test(month)) throw badRequest('month', 'month must be YYYY-MM');
    const format = typeof req.query.format === 'string' ? req.query.format : 'json';
    if (!['json', 'csv', 'pdf'].includes(format)) throw badRequest('format', 'format must be json, csv or pdf');
    const lang = req.query.lang === 'kk' ? 'kk' : 'ru';
    const t = today();
    const days = owedDays(month, d.calendar(), month === t.slice(0, 7) ? t : undefined, d.policy.workingDaysOnly);
    const rows = await d.db.all<{ hall_id: string; day: string; signed: number; on_time: number | null; failed: number | null; auto_failed: number }>(
      `SELECT c.hall_id, c.day, s.check_id IS NOT NULL AS signed, s.on_time, s.failed_items AS failed, c.failed_items AS auto_failed
       FROM daily_checks c LEFT JOIN daily_check_signoffs s ON s.check_id = c.id WHERE c.day LIKE ?`, [`${month}-%`]);
    const inputs = rows.map((x) => ({ hallId: x.hall_id, day: x.day, signed: x.signed === 1, onTime: x.on_time === 1, failedItems: x.failed ?? x.auto_failed }));
    const visible = (groupId: string, g: 'court' | 'region' | 'org') => {
      if (id.scope.all) return true;
      const courts = g === 'court' ? [groupId] : g === 'region' ? d.inv.region.get(groupId)?.courtIds ?? [] : d.inv.serviceOrgs.get(groupId)?.courtIds ?? [];
      return courts.length > 0 && courts.every((c) => inScope(id.scope, c));
    };
    const result = (['region', 'court', 'org'] as const).flatMap((g) => compliance(d.inv, days, inputs, g).filter((row) => visible(row.id, g)));
    if (format === 'csv') {
      res.set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="compliance-${month}.csv"` });
      return void res.send(complianceCsv(result, lang));
    }
    if (format === 'pdf') {
      res.set({ 'content-type': 'application/pdf', 'content-disposition': `inline; filename="compliance-${month}-${lang}.pdf"` });
      return void res.send(await compliancePdf(result, month, lang, new Date(d.clock.now())));
    }
    res.json({ month, days: days.length, rows: result });
  });

  // 000 §10: equipped, operational and free halls, to move a hearing out of a failed one.
  r.get('/halls/free', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const courts = new Set(courtsOf(req, id.scope));
    const active = await d.engine.list({ states: ['open', 'acknowledged'], limit: 10_000 });
    const inIncident = new Set(active.map((i) => i.hallId));
    const recording = (hallId: string) => d.inv.hall.get(hallId)!.deviceIds.some((dev) =>
      (d.monitor.latest.get(dev) ?? []).some((c) => c.values?.recording === 1));
    const free = d.inv.halls.filter((h) => courts.has(h.courtId) && h.avfEquipped)
      .map((h) => hallSummary(d.monitor, h))
      .filter((h) => (h.status.avf === 'ok' || h.status.avf === 'degraded') && !inIncident.has(h.id) && !recording(h.id));
    res.json(free);
  });
  return r;
}
