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
import { etagOf, portalHall } from './feed';

export function portalRoutes(d: { inv: Inventory; monitor: Monitor; auth: AuthService; clock: Clock; bus?: EventBus; hearingsToday?: () => Promise<Array<{ hallId: string }>> }): Router {
  const r = express.Router();
  // The feed of every hall is built again only when a hall's status or today's hearings change:
  // a national feed (2,500 halls, ~0.9 MB) rebuilt at every read cost the portal's poll tens of
  // milliseconds (docs/BENCHMARKS.md, fleet).
  let version = 0;
  d.bus?.on('hall-status', () => version++);
  let cached: { version: number; hearingsKey: string; etag: string; hallsJson: string; count: number } | undefined;
  r.get('/v1/halls', async (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const id = bearer ? await d.auth.identify(undefined, bearer) : undefined;
    if (!id) throw new ApiError(401, 'unauthenticated', 'send a portal-reader token as Authorization: Bearer <token>', 'authorization');
    if (!can(id.principal, 'portal.read', id.scope).allowed) throw new ApiError(403, 'forbidden', 'this token may not read the portal feed', 'role');
    // 001 §31, 002 §3: today's VKS hearings of each hall go with its operability.
    const hearings = (await d.hearingsToday?.()) ?? [];
    const hearingsKey = JSON.stringify(hearings);
    // Without the bus (a caller that cannot tell changes) nothing is cached.
    if (!d.bus || !cached || cached.version !== version || cached.hearingsKey !== hearingsKey) {
      const byHall = new Map<string, Array<{ hallId: string }>>();
      for (const x of hearings) byHall.set(x.hallId, [...(byHall.get(x.hallId) ?? []), x]);
      const v = version;
      const halls = d.inv.halls.map((h) => portalHall(d.inv, h, d.monitor.hallStatus.get(h.id), byHall.get(h.id) ?? []));
      cached = { version: v, hearingsKey, etag: etagOf(halls), hallsJson: JSON.stringify(halls), count: halls.length };
    }
    const c = cached;
    res.set({ etag: c.etag, 'cache-control': 'no-cache' });
    if (req.headers['if-none-match'] === c.etag) return void res.status(304).end();
    res.type('application/json').send(`{"generatedAt":${JSON.stringify(new Date(d.clock.now()).toISOString())},"count":${c.count},"halls":${c.hallsJson}}`);
  });
  return r;
}
