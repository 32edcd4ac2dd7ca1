/**
 * GET /portal/v1/halls: the internal portal's read of every equipped hall (000 §4), for a
 * portal-reader token; an ETag lets it poll cheaply (304 when nothing changed).
 */
import express, { type Router } from 'express';
import type { AuthService } from '../auth/auth-service';
import { can } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { Monitor } from '../service/monitor';
import { ApiError } from '../api/errors';
import { etagOf, portalHall } from './feed';

export function portalRoutes(d: { inv: Inventory; monitor: Monitor; auth: AuthService; clock: Clock; hearingsToday?: () => Promise<Array<{ hallId: string }>> }): Router {
  const r = express.Router();
  r.get('/v1/halls', async (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const id = bearer ? await d.auth.identify(undefined, bearer) : undefined;
    if (!id) throw new ApiError(401, 'unauthenticated', 'send a portal-reader token as Authorization: Bearer <token>', 'authorization');
    if (!can(id.principal, 'portal.read', id.scope).allowed) throw new ApiError(403, 'forbidden', 'this token may not read the portal feed', 'role');
    // 001 §31, 002 §3: today's VKS hearings of each hall go with its operability.
    const hearings = (await d.hearingsToday?.()) ?? [];
    const halls = d.inv.halls.map((h) => portalHall(d.inv, h, d.monitor.hallStatus.get(h.id), hearings.filter((x) => x.hallId === h.id)));
    const etag = etagOf(halls);
    res.set({ etag, 'cache-control': 'no-cache' });
    if (req.headers['if-none-match'] === etag) return void res.status(304).end();
    res.json({ generatedAt: new Date(d.clock.now()).toISOString(), count: halls.length, halls });
  });
  return r;
}
