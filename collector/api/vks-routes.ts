/**
 * The VKS hearing schedule over HTTP (mounted under /api):
 *   GET  /vks/hearings?date=YYYY-MM-DD[&court=ID]   the day view (court day, Asia/Almaty; default today)
 *   GET  /vks/hearings/:id                          one hearing with its checks, deadlines and act
 *   POST /vks/hearings                              create one
 *   POST /vks/hearings/import                       CSV (text/csv) or JSON: all rows or none, per-row errors
 *   POST /vks/hearings/:id/restoration              the technical specialist's restoration time (001 §24)
 *   GET  /vks/hearings/:id/documents/:kind?lang=    request / answer / act as PDF (ru, kk)
 * Reads filter to the caller's courts; changes are authorized in the hearing's court and audited.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { localParts, localToUtc, addDays } from '../../alerts/calendar/working-calendar';
import { inScope } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import { renderVksAct, renderVksLetter } from '../vks/documents';
import { parseSchedule, validateRow, type RowProblem } from '../vks/import';
import type { VksService } from '../vks/service';
import { actOf, getHearing } from '../vks/store';
import { authorize, clientIp, identityOf } from './auth-http';
import { ApiError, badRequest, notFound } from './errors';

/**
 * Who may put a hearing on the schedule: for now the secretary / chancellery-head pair of
 * 'vks.schedule' (the court's secretary and chancellery head, and the administrator).
 */
const SCHEDULE_ACTION = 'vks.schedule' as const;

const createBody = z.strictObject({
  court: z.string().min(1), hall: z.string().min(1), date: z.string(), time: z.string(), case: z.string(),
  remote_kind: z.string(), remote_name: z.string(), remote_address: z.string().optional(), participant: z.string().optional(),
  secretary: z.string().max(200).optional(),
  /** The judge's resolution (001 §12 counts from it) and the receipt of a request (001 §21), UTC ISO. */
  resolution_at: z.iso.datetime().optional(), request_received_at: z.iso.datetime().optional(),
});

export function vksRoutes(svc: VksService, inv: Inventory = svc.d.inv): Router {
  const r = express.Router();
  r.use('/vks/hearings/import', express.text({ type: ['text/csv', 'text/plain'], limit: '1mb' }));

  const load = async (res: express.Response, raw: string) => {
    const id = Number(raw);
    const h = Number.isInteger(id) ? await getHearing(svc.d.db, id) : undefined;
    if (!h) throw notFound('VKS hearing', raw);
    authorize(res, 'hall.view', h.courtId);
    return h;
  };

  r.get('/vks/hearings', async (req, res) => {
    const id = authorize(res, 'hall.view');
    const tz = 'Asia/Almaty';
    const date = typeof req.query.date === 'string' && req.query.date ? req.query.date : localParts(svc.d.clock.now(), tz).date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw badRequest('date', 'expected YYYY-MM-DD');
    const court = typeof req.query.court === 'string' && req.query.court ? req.query.court : undefined;
    const from = new Date(localToUtc(date, 0, tz)).toISOString();
    const to = new Date(localToUtc(addDays(date, 1), 0, tz)).toISOString();
    const list = await svc.list(from, to, (c) => inScope(id.scope, c) && (!court || c === court));
    res.json({ date, timezone: tz, hearings: list });
  });

  r.get('/vks/hearings/:id', async (req, res) => {
    const h = await load(res, String(req.params.id));
    res.json(await svc.view(h));
  });

  r.post('/vks/hearings', async (req, res) => {
    const b = createBody.safeParse(req.body ?? {});
    if (!b.success) {
      const i = b.error.issues[0]!;
      throw badRequest(i.path.join('.') || 'body', i.message);
    }
    const court = inv.court.get(b.data.court);
    if (!court) throw badRequest('court', `unknown court "${b.data.court}"`);
    const who = authorize(res, SCHEDULE_ACTION, court.id);
    const v = validateRow(b.data, 1, inv);
    if (!v.hearing) throw badRequest(v.problems[0]!.field, v.problems[0]!.message);
    const id = await svc.create({ ...v.hearing, secretary: b.data.secretary ?? null, resolutionAt: b.data.resolution_at ?? null, requestReceivedAt: b.data.request_received_at ?? null },
      { login: who.principal.name, role: who.principal.role, ip: clientIp(req) }).catch((e: Error) => {
      if (/UNIQUE/.test(e.message)) throw new ApiError(409, 'conflict', 'the hall already has a VKS hearing at that time', 'time');
      throw e;
    });
    res.status(201).json(await svc.view((await getHearing(svc.d.db, id))!));
  });

  r.post('/vks/hearings/import', async (req, res) => {
    const who = authorize(res, SCHEDULE_ACTION);
    const isCsv = typeof req.body === 'string';
    const text = isCsv ? req.body as string : JSON.stringify(req.body ?? null);
    const parsed = parseSchedule(text, isCsv ? 'csv' : 'json', inv);
    const problems: RowProblem[] = [...parsed.problems];
    // Every row's court must be one the caller answers for.
    parsed.hearings.forEach((h) => {
      if (!inScope(who.scope, h.courtId)) problems.push({ line: 0, field: 'court', message: `court "${h.courtId}" is outside the courts you answer for` });
    });
    if (problems.length) {
      res.status(422).json({ error: { code: 'invalid_rows', message: `${problems.length} problem(s); nothing was imported` }, problems });
      return;
    }
    try {
      const ids = await svc.createMany(parsed.hearings, { login: who.principal.name, role: who.principal.role, ip: clientIp(req) });
      res.status(201).json({ imported: ids.length, ids });
    } catch (e) {
      if (/UNIQUE/.test((e as Error).message)) throw new ApiError(409, 'conflict', 'a hall already has a VKS hearing at one of these times; nothing was imported', 'time');
      throw e;
    }
  });

  r.post('/vks/hearings/:id/restoration', async (req, res) => {
    const h = await load(res, String(req.params.id));
    const who = authorize(res, 'incident.manage', h.courtId);
    const b = z.strictObject({ expectedAt: z.iso.datetime(), note: z.string().max(500).optional() }).safeParse(req.body ?? {});
    if (!b.success) throw badRequest(b.error.issues[0]!.path.join('.') || 'body', b.error.issues[0]!.message);
    await svc.setRestoration(h.id, b.data.expectedAt, b.data.note ?? null, { login: who.principal.name, role: who.principal.role, ip: clientIp(req) });
    res.json(await svc.view((await getHearing(svc.d.db, h.id))!));
  });

  r.get('/vks/hearings/:id/documents/:kind', async (req, res) => {
    const h = await load(res, String(req.params.id));
    identityOf(res);
    const lang = req.query.lang === 'kk' ? 'kk' : 'ru';
    const kind = String(req.params.kind).replace(/\.pdf$/, '');
    const now = new Date(svc.d.clock.now());
    let pdf: Buffer;
    if (kind === 'request' || kind === 'answer') pdf = await renderVksLetter(kind, await svc.view(h), inv, lang, now);
    else if (kind === 'act') {
      const act = await actOf(svc.d.db, h.id);
      if (!act) throw notFound('act of technical impossibility for hearing', String(h.id));
      pdf = await renderVksAct(act.content, inv, lang, now);
    } else throw notFound('document', kind);
    res.set('Content-Type', 'application/pdf');
    res.set('Content-Disposition', `inline; filename="vks-${h.id}-${kind}-${lang}.pdf"`);
    res.send(pdf);
  });
  return r;
}
