/** The read API and "probe now". State-changing routes are authenticated (see users issue). */
import express, { type Request, type Router } from 'express';
import { deviceStatus, type Monitor } from '../service/monitor';
import type { Scheduler } from '../scheduler/scheduler';
import type { ResultStore } from '../store/results-store';
import { EVIDENCE_REF, type EvidenceStore } from '../store/evidence-store';
import type { Clock } from '../core/clock';
import { STATUSES, type Status } from '../core/types';
import type { BoardDto, HallDetailDto, ProbeNowDto } from './dto';
import { ApiError, badRequest, notFound } from './errors';
import { courtDto, deviceDto, hallStatusOf, hallSummary, regionDto } from './serialize';

export interface RouteDeps {
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

function pathId(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!ID.test(id)) throw badRequest('id', 'id has characters that no id can contain');
  return id;
}

export function apiRoutes(deps: RouteDeps): Router {
  const { monitor, scheduler, store } = deps;
  const inv = monitor.inventory;
  const r = express.Router();

  r.get('/regions', (_req, res) => {
    res.json(inv.regions.map((x) => regionDto(monitor, x, inv)));
  });

  r.get('/courts', (req, res) => {
    const region = queryParam(req, 'region');
    if (region !== undefined && !inv.region.has(region)) throw badRequest('region', `no region with id "${region}"`);
    res.json(inv.courts.filter((c) => !region || c.regionId === region).map((c) => courtDto(monitor, c)));
  });

  r.get('/courts/:id', (req, res) => {
    const c = inv.court.get(pathId(req));
    if (!c) throw notFound('court', String(req.params.id));
    res.json({ ...courtDto(monitor, c), halls: c.hallIds.map((h) => hallSummary(monitor, inv.hall.get(h)!)) });
  });

  r.get('/halls', (req, res) => {
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
      .filter((h) => (!region || h.regionId === region) && (!court || h.courtId === court))
      .map((h) => hallSummary(monitor, h))
      .filter((h) => !statuses || statuses.includes(h.status.status)));
  });

  r.get('/halls/:id', async (req, res) => {
    const hall = inv.hall.get(pathId(req));
    if (!hall) throw notFound('hall', String(req.params.id));
    const court = inv.court.get(hall.courtId)!;
    const region = inv.region.get(hall.regionId)!;
    const limit = intParam(req, 'history', 200, 5000);
    const body: HallDetailDto = {
      ...hallSummary(monitor, hall),
      court: { id: court.id, name: court.name, level: court.level, timezone: court.timezone },
      region: { id: region.id, name: region.name },
      devices: hall.deviceIds.map((id) => deviceDto(monitor, inv.device.get(id)!)),
      history: await store.history(hall.deviceIds, limit),
      statusHistory: await store.hallHistory(hall.id, 50),
    };
    res.json(body);
  });

  r.get('/devices/:id', async (req, res) => {
    const d = inv.device.get(pathId(req));
    if (!d) throw notFound('device', String(req.params.id));
    res.json({ ...deviceDto(monitor, d), history: await store.history([d.id], intParam(req, 'history', 200, 5000)) });
  });

  r.post('/devices/:id/probe', async (req, res) => {
    const d = inv.device.get(pathId(req));
    if (!d) throw notFound('device', String(req.params.id));
    const run = await scheduler.probeNow(d.id);
    const body: ProbeNowDto = { deviceId: d.id, status: deviceStatus(run.results), results: run.results, hall: hallStatusOf(monitor, inv.hall.get(d.hallId)!) };
    res.json(body);
  });

  // Content-addressed: a ref never changes meaning, so browsers may keep it.
  r.get('/evidence/:ref', async (req, res) => {
    const ref = String(req.params.ref);
    if (!EVIDENCE_REF.test(ref)) throw badRequest('ref', 'expected a 64-character hexadecimal evidence ref');
    const e = await deps.evidence.get(ref);
    if (!e) throw notFound('evidence', ref);
    res.set({ 'content-type': e.content_type, 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    res.send(e.bytes);
  });

  r.get('/board', (_req, res) => {
    const body: BoardDto = {
      generatedAt: new Date(deps.clock.now()).toISOString(),
      regions: inv.regions.map((rg) => ({
        ...regionDto(monitor, rg, inv),
        courts: rg.courtIds.map((cid) => {
          const c = inv.court.get(cid)!;
          return { ...courtDto(monitor, c), halls: c.hallIds.map((h) => hallSummary(monitor, inv.hall.get(h)!)) };
        }),
      })),
    };
    res.json(body);
  });

  r.use((req) => {
    throw new ApiError(404, 'not_found', `no API route ${req.method} ${req.baseUrl}${req.path}`, 'path');
  });
  return r;
}
