/**
 * GET /portal/v1/halls: the internal portal's read of every equipped hall (000 §4), for a
 * portal-reader token; an ETag lets it poll cheaply (304 when nothing changed).
 */
import express, { type Router } from 'express';
import type { AuthService } from '../auth/auth-service';
import { can } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { Monitor } from '../service/monitor';
import { ApiError } from '../api/errors';
import { etagOfJson, portalHall } from './feed';

export function portalRoutes(d: { inv: Inventory; monitor: Monitor; auth: AuthService; clock: Clock; bus?: EventBus; hearingsToday?: () => Promise<Array<{ hallId: string }>> }): Router {
  const r = express.Router();
  // The feed of every hall is built again only when a hall's status or today's hearings change:
  // a national feed (2,500 halls, ~0.9 MB) rebuilt at every read cost the portal's poll tens of
  // milliseconds (docs/BENCHMARKS.md, fleet).
  let version = 0;
  let cached: { version: number; hearingsKey: string; etag: string; tail: Buffer; count: number } | undefined;
  let lastHearings: Array<{ hallId: string }> = [];
  const build = (hearings: Array<{ hallId: string }>, hearingsKey: string) => {
    const byHall = new Map<string, Array<{ hallId: string }>>();
    for (const x of hearings) byHall.set(x.hallId, [...(byHall.get(x.hallId) ?? []), x]);
    const v = version;
    const halls = d.inv.halls.map((h) => portalHall(d.inv, h, d.monitor.hallStatus.get(h.id), byHall.get(h.id) ?? []));
    // The body after its generation time, as bytes: a read copies nothing of it.
    const json = JSON.stringify(halls);
    cached = { version: v, hearingsKey, etag: etagOfJson(json), tail: Buffer.from(`,"count":${halls.length},"halls":${json}}`), count: halls.length };
  };
  // Rebuilt soon after a change rather than by the next read, so that reads find it ready.
  let rebuild: NodeJS.Timeout | undefined;
  d.bus?.on('hall-status', () => {
    version++;
    rebuild ??= setTimeout(() => {
      rebuild = undefined;
      if (cached && cached.version !== version) build(lastHearings, cached.hearingsKey);
    }, 100).unref();
  });
  r.get('/v1/halls', async (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const id = bearer ? await d.auth.identify(undefined, bearer) : undefined;
    if (!id) throw new ApiError(401, 'unauthenticated', 'send a portal-reader token as Authorization: Bearer <token>', 'authorization');
    if (!can(id.principal, 'portal.read', id.scope).allowed) throw new ApiError(403, 'forbidden', 'this token may not read the portal feed', 'role');
    // 001 §31, 002 §3: today's VKS hearings of each hall go with its operability.
    const hearings = (await d.hearingsToday?.()) ?? [];
    const hearingsKey = JSON.stringify(hearings);
    lastHearings = hearings;
    // Without the bus (a caller that cannot tell changes) nothing is cached.
    if (!d.bus || !cached || cached.version !== version || cached.hearingsKey !== hearingsKey) build(hearings, hearingsKey);
    const c = cached!;
    res.set({ etag: c.etag, 'cache-control': 'no-cache' });
    if (req.headers['if-none-match'] === c.etag) return void res.status(304).end();
    const head = Buffer.from(`{"generatedAt":${JSON.stringify(new Date(d.clock.now()).toISOString())}`);
    res.set({ 'content-type': 'application/json; charset=utf-8', 'content-length': String(head.length + c.tail.length) });
    res.status(200);
    res.write(head);
    res.end(c.tail);
  });
  return r;
}
