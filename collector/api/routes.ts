/**
 * The API. Every route runs behind authenticate(): reads are filtered to the courts the caller
 * answers for, and each state change checks role and scope, then commits with its audit row.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { appendAudit, queryAudit } from '../auth/audit';
import type { AuthService } from '../auth/auth-service';
import { passwordProblem } from '../auth/password';
import { HUMAN_ROLES, TOKEN_KINDS, anchorProblem, inScope, type Scope } from '../auth/roles';
import type { Hall } from '../config/inventory';
import type { Clock } from '../core/clock';
import { STATUSES, type Status } from '../core/types';
import { deviceStatus, type Monitor } from '../service/monitor';
import type { Scheduler } from '../scheduler/scheduler';
import type { Db } from '../store/db';
import { EVIDENCE_REF, type EvidenceStore } from '../store/evidence-store';
import type { ResultStore } from '../store/results-store';
import { authorize, clientIp, identityOf } from './auth-http';
import type { AuditRowDto, BoardDto, HallDetailDto, MaintenanceDto, ProbeNowDto } from './dto';
import { ApiError, badRequest, notFound } from './errors';
import { courtDto, deviceDto, hallStatusOf, hallSummary, regionDto } from './serialize';

export interface RouteDeps {
  db: Db;
  auth: AuthService;
  evidence: EvidenceStore;
  monitor: Monitor;
  scheduler: Scheduler;
  store: ResultStore;
  clock: Clock;
}

const ID = /^[A-Za-z0-9А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі._-]{1,200}$/u;

/** A single optional string query parameter; arrays and objects (?a[]=x) are rejected by name. */
function queryParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(name, `query parameter "${name}" must be given once, as text`);
  return v;
}

function intParam(req: Request, name: string, def: number, max: number): number {
  const v = queryParam(req, name);
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw badRequest(name, `"${name}" must be a whole number from 1 to ${max}`);
  return Number(v);
}

function timeParam(req: Request, name: string): string | undefined {
  const v = queryParam(req, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(name, `"${name}" must be a date-time (ISO 8601)`);
  return new Date(t).toISOString();
}

function pathParam(req: Request, name = 'id'): string {
  const id = String(req.params[name] ?? '');
  if (!ID.test(id)) throw badRequest(name, `${name} has characters that no id can contain`);
  return id;
}

/** Parses a JSON body with a schema; a problem names its field. */
function body<T>(req: Request, schema: z.ZodType<T>): T {
  const r = schema.safeParse(req.body ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ApiError(400, 'bad_request', i.message, i.path.join('.') || 'body');
  }
  return r.data;
}

const maintenanceBody = z.strictObject({
  scope: z.enum(['hall', 'device']),
  targetId: z.string().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(3, 'give the reason (at least 3 characters)').max(500),
});

const userBody = z.strictObject({
  login: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a login of 2-64 lower-case letters, digits, ".", "_" or "-"'),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(HUMAN_ROLES),
  courtId: z.string().optional(),
  regionId: z.string().optional(),
  orgId: z.string().optional(),
  password: z.string(),
});

export function apiRoutes(deps: RouteDeps): Router {
  const { monitor, scheduler, store, auth, db } = deps;
  const inv = monitor.inventory;
  const isoNow = () => new Date(deps.clock.now()).toISOString();
  const r = express.Router();

  /** The caller may view halls; returns the courts they may see. */
  const viewScope = (res: Response): Scope => authorize(res, 'hall.view').scope;
  const visibleHall = (res: Response, id: string): Hall => {
    const hall = inv.hall.get(id);
    if (!hall) throw notFound('hall', id);
    authorize(res, 'hall.view', hall.courtId);
    return hall;
  };
  const actor = (res: Response, req: Request) => {
    const id = identityOf(res);
    return { actor: id.principal.name, actorRole: id.principal.role, ip: clientIp(req) };
  };

  r.get('/regions', (_req, res) => {
    const scope = viewScope(res);
    res.json(inv.regions.filter((x) => x.courtIds.some((c) => inScope(scope, c))).map((x) => regionDto(monitor, x, inv, (c) => inScope(scope, c))));
  });

  r.get('/courts', (req, res) => {
    const scope = viewScope(res);
    const region = queryParam(req, 'region');
    if (region !== undefined && !inv.region.has(region)) throw badRequest('region', `no region with id "${region}"`);
    res.json(inv.courts.filter((c) => (!region || c.regionId === region) && inScope(scope, c.id)).map((c) => courtDto(monitor, c)));
  });

  r.get('/courts/:id', (req, res) => {
    const c = inv.court.get(pathParam(req));
    if (!c) throw notFound('court', String(req.params.id));
    authorize(res, 'hall.view', c.id);
    res.json({ ...courtDto(monitor, c), halls: c.hallIds.map((h) => hallSummary(monitor, inv.hall.get(h)!)) });
  });

  r.get('/halls', (req, res) => {
    const scope = viewScope(res);
    const region = queryParam(req, 'region');
    const court = queryParam(req, 'court');
    const status = queryParam(req, 'status');
    if (region !== undefined && !inv.region.has(region)) throw badRequest('region', `no region with id "${region}"`);
    if (court !== undefined && !inv.court.has(court)) throw badRequest('court', `no court with id "${court}"`);
    const statuses = status?.split(',');
    if (statuses && !statuses.every((s) => STATUSES.includes(s as Status))) {
      throw badRequest('status', `status must be one or more of ${STATUSES.join(', ')} (comma-separated)`);
    }
    res.json(inv.halls
      .filter((h) => inScope(scope, h.courtId) && (!region || h.regionId === region) && (!court || h.courtId === court))
      .map((h) => hallSummary(monitor, h))
      .filter((h) => !statuses || statuses.includes(h.status.status)));
  });

  r.get('/halls/:id', async (req, res) => {
    const hall = visibleHall(res, pathParam(req));
    const court = inv.court.get(hall.courtId)!;
    const region = inv.region.get(hall.regionId)!;
    const limit = intParam(req, 'history', 200, 5000);
    const out: HallDetailDto = {
      ...hallSummary(monitor, hall),
      court: { id: court.id, name: court.name, level: court.level, timezone: court.timezone },
      region: { id: region.id, name: region.name },
      devices: hall.deviceIds.map((id) => deviceDto(monitor, inv.device.get(id)!)),
      history: await store.history(hall.deviceIds, limit),
      statusHistory: await store.hallHistory(hall.id, 50),
    };
    res.json(out);
  });

  r.get('/devices/:id', async (req, res) => {
    const d = inv.device.get(pathParam(req));
    if (!d) throw notFound('device', String(req.params.id));
    authorize(res, 'hall.view', d.courtId);
    res.json({ ...deviceDto(monitor, d), history: await store.history([d.id], intParam(req, 'history', 200, 5000)) });
  });

  r.post('/devices/:id/probe', async (req, res) => {
    const d = inv.device.get(pathParam(req));
    if (!d) throw notFound('device', String(req.params.id));
    authorize(res, 'device.probe', d.courtId);
    const run = await scheduler.probeNow(d.id);
    const status = deviceStatus(run.results);
    // The command and its outcome are on record (the results themselves are in the history).
    await db.transaction((tx) => appendAudit(tx, {
      ...actor(res, req), at: isoNow(), action: 'device.probe', courtId: d.courtId, target: d.id, outcome: 'ok',
      after: { status, checks: run.results.map((x) => `${x.check}:${x.status}`) },
    }));
    const out: ProbeNowDto = { deviceId: d.id, status, results: run.results, hall: hallStatusOf(monitor, inv.hall.get(d.hallId)!) };
    res.json(out);
  });

  // Content-addressed: a ref never changes meaning, so browsers may keep it.
  r.get('/evidence/:ref', async (req, res) => {
    const ref = String(req.params.ref);
    if (!EVIDENCE_REF.test(ref)) throw badRequest('ref', 'expected a 64-character hexadecimal evidence ref');
    const e = await deps.evidence.get(ref);
    if (!e) throw notFound('evidence', ref);
    const device = inv.device.get(e.device_id);
    authorize(res, 'hall.view', device?.courtId ?? '');
    res.set({ 'content-type': e.content_type, 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    res.send(e.bytes);
  });

  r.get('/board', (_req, res) => {
    const scope = viewScope(res);
    const out: BoardDto = {
      generatedAt: isoNow(),
      regions: inv.regions
        .map((rg) => ({
          ...regionDto(monitor, rg, inv, (c) => inScope(scope, c)),
          courts: rg.courtIds.filter((cid) => inScope(scope, cid)).map((cid) => {
            const c = inv.court.get(cid)!;
            return { ...courtDto(monitor, c), halls: c.hallIds.map((h) => hallSummary(monitor, inv.hall.get(h)!)) };
          }),
        }))
        .filter((rg) => rg.courts.length > 0),
    };
    res.json(out);
  });

  // Service organizations (names for the console; contracts are in the inventory).
  r.get('/service-orgs', (_req, res) => {
    viewScope(res);
    res.json([...inv.serviceOrgs.values()].map((o) => ({ id: o.id, name: o.name, courtIds: o.courtIds })));
  });

  // Maintenance windows (technicians): incidents and statuses are suppressed meanwhile.
  const targetCourt = (scope: 'hall' | 'device', targetId: string): string => {
    const t = scope === 'hall' ? inv.hall.get(targetId) : inv.device.get(targetId);
    if (!t) throw badRequest('targetId', `no ${scope} with id "${targetId}"`);
    return t.courtId;
  };
  type MwRow = { id: number; scope: 'hall' | 'device'; target_id: string; starts_at: string; ends_at: string; reason: string; created_by: string; created_at: string };
  const mwDto = (m: MwRow): MaintenanceDto => ({
    id: m.id, scope: m.scope, targetId: m.target_id, courtId: targetCourt(m.scope, m.target_id), startsAt: m.starts_at, endsAt: m.ends_at,
    reason: m.reason, createdBy: m.created_by, createdAt: m.created_at,
  });

  r.get('/maintenance', async (_req, res) => {
    const scope = viewScope(res);
    const rows = await db.all<MwRow>('SELECT * FROM maintenance_window WHERE ends_at > ? ORDER BY starts_at', [isoNow()]);
    res.json(rows.filter((m) => inv.hall.has(m.target_id) || inv.device.has(m.target_id)).map(mwDto).filter((m) => inScope(scope, m.courtId)));
  });

  r.post('/maintenance', async (req, res) => {
    const b = body(req, maintenanceBody);
    const courtId = targetCourt(b.scope, b.targetId);
    authorize(res, 'maintenance.manage', courtId);
    const startsAt = new Date(b.startsAt).toISOString();
    const endsAt = new Date(b.endsAt).toISOString();
    if (endsAt <= startsAt) throw badRequest('endsAt', 'the window must end after it starts');
    if (Date.parse(endsAt) - Date.parse(startsAt) > 31 * 86_400_000) throw badRequest('endsAt', 'a window may last at most 31 days');
    const who = actor(res, req);
    const row = await db.transaction(async (tx) => {
      const ins = await tx.run('INSERT INTO maintenance_window (scope, target_id, starts_at, ends_at, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [b.scope, b.targetId, startsAt, endsAt, b.reason, who.actor, isoNow()]);
      const m = (await tx.get<MwRow>('SELECT * FROM maintenance_window WHERE id = ?', [ins.lastID]))!;
      await appendAudit(tx, { ...who, at: isoNow(), action: 'maintenance.open', courtId, target: `${b.scope}:${b.targetId}`, outcome: 'ok', after: mwDto(m) });
      return m;
    });
    await monitor.refreshMaintenance();
    await monitor.reevaluateAll();
    res.status(201).json(mwDto(row));
  });

  r.delete('/maintenance/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw badRequest('id', 'expected a maintenance window number');
    const m = await db.get<MwRow>('SELECT * FROM maintenance_window WHERE id = ?', [id]);
    if (!m) throw notFound('maintenance window', String(id));
    const courtId = targetCourt(m.scope, m.target_id);
    authorize(res, 'maintenance.manage', courtId);
    const now = isoNow();
    // Ending a window keeps its record: it is closed now, not deleted.
    await db.transaction(async (tx) => {
      await tx.run('UPDATE maintenance_window SET ends_at = ? WHERE id = ? AND ends_at > ?', [now, id, now]);
      await appendAudit(tx, { ...actor(res, req), at: now, action: 'maintenance.close', courtId, target: `${m.scope}:${m.target_id}`, outcome: 'ok', before: mwDto(m), after: { endsAt: now } });
    });
    await monitor.refreshMaintenance();
    await monitor.reevaluateAll();
    res.status(204).end();
  });

  r.get('/audit', async (req, res) => {
    const id = authorize(res, 'audit.view');
    const court = queryParam(req, 'court');
    if (court !== undefined && !inScope(id.scope, court)) throw new ApiError(403, 'forbidden', `court "${court}" is outside the courts you answer for`, 'court');
    const rows = await queryAudit(db, {
      actor: queryParam(req, 'actor'), action: queryParam(req, 'action'), court,
      courts: id.scope.all ? undefined : id.scope.courts,
      from: timeParam(req, 'from'), to: timeParam(req, 'to'),
      limit: intParam(req, 'limit', 200, 1000), beforeSeq: queryParam(req, 'before') ? intParam(req, 'before', 1, Number.MAX_SAFE_INTEGER) : undefined,
    });
    const out: AuditRowDto[] = rows.map(({ prevHash: _p, hash: _h, ...rest }) => rest);
    res.json(out);
  });

  // Users and machine tokens: the administrator's.
  r.get('/users', async (_req, res) => {
    authorize(res, 'user.manage');
    res.json(await auth.users.list());
  });

  r.post('/users', async (req, res) => {
    authorize(res, 'user.manage');
    const b = body(req, userBody);
    const problem = passwordProblem(b.password);
    if (problem) throw badRequest('password', problem);
    if (b.courtId && !inv.court.has(b.courtId)) throw badRequest('courtId', `no court with id "${b.courtId}"`);
    if (b.regionId && !inv.region.has(b.regionId)) throw badRequest('regionId', `no region with id "${b.regionId}"`);
    if (b.orgId && !inv.serviceOrgs.has(b.orgId)) throw badRequest('orgId', `no service organization with id "${b.orgId}"`);
    const anchor = anchorProblem(b.role, b);
    if (anchor) throw badRequest(anchor.field, anchor.message);
    try {
      res.status(201).json(await auth.users.add(b, actor(res, req)));
    } catch (e) {
      throw new ApiError(409, 'conflict', (e as Error).message, 'login');
    }
  });

  r.post('/users/:login/:op', async (req, res) => {
    authorize(res, 'user.manage');
    const login = pathParam(req, 'login');
    const op = String(req.params.op);
    const u = await auth.users.get(login);
    if (!u) throw notFound('user', login);
    if (op === 'disable' || op === 'enable') await auth.users.setDisabled(login, op === 'disable', actor(res, req));
    else if (op === 'password') {
      const b = body(req, z.strictObject({ password: z.string() }));
      const problem = passwordProblem(b.password);
      if (problem) throw badRequest('password', problem);
      await auth.users.setPassword(login, b.password, actor(res, req));
    } else throw notFound('operation', op);
    res.status(204).end();
  });

  r.get('/tokens', async (_req, res) => {
    authorize(res, 'user.manage');
    res.json(await auth.tokens.list());
  });

  r.post('/tokens', async (req, res) => {
    authorize(res, 'user.manage');
    const b = body(req, z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a name of 2-64 lower-case letters, digits, ".", "_" or "-"'), kind: z.enum(TOKEN_KINDS) }));
    try {
      const t = await auth.tokens.create(b.name, b.kind, actor(res, req));
      // The only time the token is shown.
      res.status(201).json({ token: t.token, ...t.record });
    } catch (e) {
      throw new ApiError(409, 'conflict', (e as Error).message, 'name');
    }
  });

  r.delete('/tokens/:name', async (req, res) => {
    authorize(res, 'user.manage');
    try {
      await auth.tokens.revoke(pathParam(req, 'name'), actor(res, req));
    } catch (e) {
      throw new ApiError(404, 'not_found', (e as Error).message, 'name');
    }
    res.status(204).end();
  });

  r.use((req) => {
    throw new ApiError(404, 'not_found', `no API route ${req.method} ${req.baseUrl}${req.path}`, 'path');
  });
  return r;
}
