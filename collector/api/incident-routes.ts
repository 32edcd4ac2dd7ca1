/**
 * Incidents, escalation steps and technical acts over HTTP. Reads are scoped to the caller's
 * courts; each change checks role and scope and lands with its audit row (in the engine).
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { ActService } from '../../alerts/acts/act-service';
import { renderActPdf } from '../../alerts/acts/render-pdf';
import { loadCalendar, type WorkingCalendar } from '../../alerts/calendar/working-calendar';
import { EngineError, type Actor } from '../../alerts/incidents/errors';
import type { IncidentEngine } from '../../alerts/incidents/engine';
import { appendAudit } from '../auth/audit';
import type { Action } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { Db } from '../store/db';
import type { EvidenceStore } from '../store/evidence-store';
import { authorize, clientIp, identityOf } from './auth-http';
import { ApiError, badRequest, notFound } from './errors';

export interface IncidentRouteDeps {
  db: Db;
  inv: Inventory;
  engine: IncidentEngine;
  acts: ActService;
  evidence: EvidenceStore;
  clock: Clock;
  calendar: { get: () => WorkingCalendar; set: (c: WorkingCalendar, text: string) => Promise<void> };
}

function body<T>(req: Request, schema: z.ZodType<T>): T {
  const r = schema.safeParse(req.body ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ApiError(400, 'bad_request', i.message, i.path.join('.') || 'body');
  }
  return r.data;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const caseNumber = z.string().trim().regex(/^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\-/ .№]{1,40}$/u, 'a case number such as 2-1234/2026');

/** Engine refusals become API errors with their field. */
async function engine<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EngineError) throw new ApiError(e.status, e.code, e.message, e.field);
    throw e;
  }
}

export function incidentRoutes(deps: IncidentRouteDeps): Router {
  const { inv, engine: eng, acts, db } = deps;
  const r = express.Router();

  const actorOf = (req: Request, res: Response): Actor => {
    const id = identityOf(res);
    return { login: id.principal.name, role: id.principal.role, displayName: id.principal.displayName, ip: clientIp(req) };
  };
  const incidentId = (req: Request) => {
    const n = Number(req.params.id);
    if (!Number.isInteger(n) || n < 1) throw badRequest('id', 'expected an incident number');
    return n;
  };
  /** The incident, if the caller may see its court; then the action's check in that court. */
  const load = async (req: Request, res: Response, action: Action = 'hall.view') => {
    const inc = await eng.get(incidentId(req));
    if (!inc) throw notFound('incident', String(req.params.id));
    authorize(res, 'hall.view', inc.courtId);
    if (action !== 'hall.view') authorize(res, action, inc.courtId);
    return inc;
  };

  r.get('/incidents', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const state = typeof req.query.state === 'string' ? req.query.state : 'active';
    const states = state === 'active' ? ['open', 'acknowledged'] : state === 'all' ? ['open', 'acknowledged', 'resolved'] : state.split(',');
    if (!states.every((s) => ['open', 'acknowledged', 'resolved'].includes(s))) throw badRequest('state', 'state must be active, all, or open/acknowledged/resolved');
    const courts = id.scope.all ? undefined : id.scope.courts;
    let list = await eng.list({ states, courts, limit: 500 });
    const { region, court, org } = req.query as Record<string, string | undefined>;
    if (region) list = list.filter((i) => i.regionId === region);
    if (court) list = list.filter((i) => i.courtId === court);
    if (org) list = list.filter((i) => i.orgIds.includes(org));
    res.json(list);
  });

  r.post('/incidents', async (req, res) => {
    // 000 §27: the secretary's "recording impossible" report.
    const b = body(req, z.strictObject({ hallId: z.string().min(1), caseNumber: caseNumber.optional(), note: z.string().trim().max(2000).optional() }));
    const hall = inv.hall.get(b.hallId);
    if (!hall) throw badRequest('hallId', `no hall with id "${b.hallId}"`);
    authorize(res, 'recording.impossible', hall.courtId);
    const id = await engine(() => eng.report(hall.id, actorOf(req, res), b.caseNumber ?? null, b.note ?? null));
    res.status(201).json(await eng.get(id));
  });

  r.get('/incidents/:id', async (req, res) => {
    const inc = await load(req, res);
    res.json({ ...inc, events: await eng.events(inc.id), act: (await acts.latest(inc.id)) ?? null });
  });

  r.post('/incidents/:id/acknowledge', async (req, res) => {
    const inc = await load(req, res, 'incident.manage');
    res.json(await engine(() => eng.acknowledge(inc.id, actorOf(req, res))));
  });
  r.post('/incidents/:id/comment', async (req, res) => {
    const inc = await load(req, res, 'incident.manage');
    const b = body(req, z.strictObject({ text: text(4000) }));
    res.json(await engine(() => eng.comment(inc.id, actorOf(req, res), b.text)));
  });
  r.post('/incidents/:id/assign', async (req, res) => {
    const inc = await load(req, res, 'incident.manage');
    const b = body(req, z.strictObject({ login: z.string().min(1).max(64) }));
    res.json(await engine(() => eng.assign(inc.id, actorOf(req, res), b.login)));
  });
  r.post('/incidents/:id/case-number', async (req, res) => {
    const inc = await load(req, res, 'incident.manage');
    const b = body(req, z.strictObject({ caseNumber }));
    res.json(await engine(() => eng.setCaseNumber(inc.id, actorOf(req, res), b.caseNumber)));
  });
  r.post('/incidents/:id/resolve', async (req, res) => {
    const inc = await load(req, res, 'incident.manage');
    const b = body(req, z.strictObject({ resolution: text(4000) }));
    res.json(await engine(() => eng.resolve(inc.id, actorOf(req, res), b.resolution)));
  });

  r.post('/incidents/:id/steps/:key/done', async (req, res) => {
    const inc = await load(req, res);
    const step = inc.steps.find((s) => s.key === req.params.key);
    if (!step) throw notFound('step', String(req.params.key));
    // Only the step's owners may report it done, in their own courts.
    const who = identityOf(res).principal;
    if (!step.owners.some((o) => o.role === who.role)) throw new ApiError(403, 'forbidden', `step "${step.key}" is owed by ${step.owners.map((o) => o.role).join(', ')}`, 'role');
    const b = body(req, z.strictObject({ note: text(4000) }));
    res.json(await engine(() => eng.completeReport(inc.id, step.key, actorOf(req, res), b.note)));
  });

  r.post('/incidents/:id/cause', async (req, res) => {
    const inc = await load(req, res, 'cause.confirm');
    const b = body(req, z.strictObject({ cause: text(4000) }));
    res.json(await engine(() => eng.confirmCause(inc.id, actorOf(req, res), b.cause)));
  });

  // The technical act (000 §29).
  r.get('/incidents/:id/act', async (req, res) => {
    const inc = await load(req, res);
    res.json(await acts.versions(inc.id));
  });
  r.put('/incidents/:id/act', async (req, res) => {
    const inc = await load(req, res, 'act.approve');
    const b = body(req, z.strictObject({
      description: z.string().max(20_000).optional(),
      measures: z.string().max(20_000).optional(),
      caseNumber: caseNumber.nullable().optional(),
      signatories: z.array(z.strictObject({ role: z.enum(['chancellery-head', 'regional-coordinator', 'department-coordinator', 'service-org']), name: z.string().max(200).nullable() })).max(10).optional(),
    }));
    res.json(await engine(() => acts.edit(inc.id, inc.courtId, actorOf(req, res), b)));
  });
  r.post('/incidents/:id/act/approve', async (req, res) => {
    const inc = await load(req, res, 'act.approve');
    await engine(() => eng.approveAct(inc.id, actorOf(req, res)));
    res.json(await acts.latest(inc.id));
  });
  r.get('/incidents/:id/act.pdf', async (req, res) => {
    const inc = await load(req, res);
    const lang = req.query.lang === 'kk' ? 'kk' : req.query.lang === undefined || req.query.lang === 'ru' ? 'ru' : undefined;
    if (!lang) throw badRequest('lang', 'lang must be ru or kk');
    const versions = await acts.versions(inc.id);
    const wanted = req.query.version === undefined ? versions[0] : versions.find((v) => v.version === Number(req.query.version));
    if (!wanted) throw notFound('act', `${inc.id}${req.query.version ? ` version ${req.query.version}` : ''}`);
    const pdf = await renderActPdf(wanted.act, lang, {
      evidence: async (ref) => {
        const e = await deps.evidence.get(ref);
        return e ? { bytes: e.bytes, contentType: e.content_type } : undefined;
      },
      now: () => new Date(deps.clock.now()),
    });
    res.set({ 'content-type': 'application/pdf', 'content-disposition': `inline; filename="act-${inc.id}-${wanted.version}-${lang}.pdf"` });
    res.send(pdf);
  });

  // The console's notices for the signed-in person (the badge).
  r.get('/notifications', async (_req, res) => {
    const me = identityOf(res).principal.name;
    const rows = await db.all<{ id: number; incident_id: number | null; message_key: string; params_json: string; created_at: string; read_at: string | null }>(
      'SELECT * FROM notifications WHERE login = ? ORDER BY id DESC LIMIT 200', [me]);
    const unread = (await db.get<{ n: number }>('SELECT count(*) AS n FROM notifications WHERE login = ? AND read_at IS NULL', [me]))!.n;
    res.json({ unread, items: rows.map((n) => ({ id: n.id, incidentId: n.incident_id, messageKey: n.message_key, params: JSON.parse(n.params_json), createdAt: n.created_at, readAt: n.read_at })) });
  });
  r.post('/notifications/read', async (req, res) => {
    const me = identityOf(res).principal.name;
    const b = body(req, z.strictObject({ ids: z.array(z.number().int().positive()).max(500).optional() }));
    const now = new Date(deps.clock.now()).toISOString();
    if (b.ids?.length) await db.run(`UPDATE notifications SET read_at = ? WHERE login = ? AND read_at IS NULL AND id IN (${b.ids.map(() => '?').join(',')})`, [now, me, ...b.ids]);
    else await db.run('UPDATE notifications SET read_at = ? WHERE login = ? AND read_at IS NULL', [now, me]);
    res.status(204).end();
  });

  // The working-day calendar (the administrator edits it; deadlines already set keep their dates).
  r.get('/calendar', (_req, res) => {
    authorize(res, 'hall.view');
    res.json(deps.calendar.get().file);
  });
  r.put('/calendar', async (req, res) => {
    const id = authorize(res, 'user.manage');
    const b = body(req, z.strictObject({ yaml: z.string().min(1).max(200_000) }));
    const c = loadCalendar({ text: b.yaml });
    if (!c.ok) throw new ApiError(400, 'bad_request', `${c.problems[0]!.path}: ${c.problems[0]!.message}`, c.problems[0]!.path);
    const before = deps.calendar.get().file;
    await deps.calendar.set(c.calendar, b.yaml);
    await db.transaction((tx) => appendAudit(tx, { at: new Date(deps.clock.now()).toISOString(), actor: id.principal.name, actorRole: id.principal.role, action: 'calendar.edit', ip: clientIp(req), outcome: 'ok', before: { holidays: before.holidays.length, workingDays: before.workingDays.length }, after: { holidays: c.calendar.file.holidays.length, workingDays: c.calendar.file.workingDays.length } }));
    res.json(c.calendar.file);
  });

  // Per court and per service organization: incidents, time to acknowledge and to restore, overdue steps.
  r.get('/incident-stats', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const from = typeof req.query.from === 'string' ? new Date(req.query.from).toISOString() : new Date(deps.clock.now() - 30 * 86_400_000).toISOString();
    const all = (await eng.list({ states: ['open', 'acknowledged', 'resolved'], courts: id.scope.all ? undefined : id.scope.courts, limit: 10_000 })).filter((i) => i.openedAt >= from);
    const group = (key: (i: (typeof all)[number]) => string[]) => {
      const out = new Map<string, { incidents: number; open: number; ackMinutes: number[]; restoreMinutes: number[]; overdueSteps: number }>();
      for (const i of all) for (const k of key(i)) {
        const g = out.get(k) ?? { incidents: 0, open: 0, ackMinutes: [], restoreMinutes: [], overdueSteps: 0 };
        g.incidents++;
        if (i.state !== 'resolved') g.open++;
        if (i.acknowledgedAt) g.ackMinutes.push((Date.parse(i.acknowledgedAt) - Date.parse(i.openedAt)) / 60_000);
        if (i.outageEndedAt) g.restoreMinutes.push((Date.parse(i.outageEndedAt) - Date.parse(i.outageStartedAt)) / 60_000);
        g.overdueSteps += i.steps.filter((s) => s.overdue || (s.doneAt && s.dueAt && s.doneAt > s.dueAt)).length;
        out.set(k, g);
      }
      const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);
      return [...out].map(([k, g]) => ({ id: k, incidents: g.incidents, open: g.open, meanMinutesToAcknowledge: avg(g.ackMinutes), meanMinutesToRestore: avg(g.restoreMinutes), overdueSteps: g.overdueSteps }));
    };
    res.json({ from, courts: group((i) => [i.courtId]), serviceOrganizations: group((i) => i.orgIds) });
  });

  return r;
}
