/**
 * Device commands (start/stop recording, a test call...): authorized in the device's court,
 * run under a hard deadline, and recorded with who gave them and their outcome.
 */
import express, { type Router } from 'express';
import type { DriverRegistry } from '../../device-drivers/registry';
import { appendAudit } from '../auth/audit';
import { ACTIONS, type Action } from '../auth/roles';
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { CommandResult } from '../core/driver';
import type { Logger } from '../core/logger';
import type { Db } from '../store/db';
import { authorize, clientIp } from './auth-http';
import { ApiError, badRequest, notFound } from './errors';

export function commandRoutes(deps: { db: Db; inv: Inventory; registry: DriverRegistry; clock: Clock; log: Logger }): Router {
  const r = express.Router();

  r.get('/devices/:id/commands', (req, res) => {
    const d = deps.inv.device.get(String(req.params.id));
    if (!d) throw notFound('device', String(req.params.id));
    authorize(res, 'hall.view', d.courtId);
    const cmds = deps.registry.get(d.driver)?.commands ?? {};
    res.json(Object.entries(cmds).map(([name, c]) => ({ name, description: c.description, action: c.action })));
  });

  r.post('/devices/:id/commands/:name', async (req, res) => {
    const d = deps.inv.device.get(String(req.params.id));
    if (!d) throw notFound('device', String(req.params.id));
    const name = String(req.params.name);
    const cmd = deps.registry.get(d.driver)?.commands?.[name];
    if (!cmd) throw notFound('command', `${d.driver}/${name}`);
    if (!(cmd.action in ACTIONS)) throw new ApiError(500, 'internal', `command ${name} names an unknown action`);
    const id = authorize(res, cmd.action as Action, d.courtId);
    const body = cmd.bodySchema.safeParse(req.body ?? {});
    if (!body.success) {
      const i = body.error.issues[0]!;
      throw badRequest(i.path.join('.') || 'body', i.message);
    }
    const started = new Date(deps.clock.now()).toISOString();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error('command deadline reached')), cmd.timeoutSeconds * 1000);
    let result: CommandResult;
    try {
      result = await cmd.run(d, body.data, { signal: ac.signal, clock: deps.clock, log: deps.log, actor: id.principal.name });
    } catch (e) {
      result = { ok: false, message: `command failed: ${(e as Error).message}`, messageKey: 'command.failed', params: { error: (e as Error).message.slice(0, 200) } };
    } finally {
      clearTimeout(timer);
    }
    // The command and its outcome are on record, whatever the outcome.
    await deps.db.transaction((tx) => appendAudit(tx, {
      at: started, actor: id.principal.name, actorRole: id.principal.role, action: `device.command.${name}`, courtId: d.courtId, target: d.id,
      ip: clientIp(req), outcome: result.ok ? 'ok' : 'failed', before: body.data, after: { message: result.message, data: result.data ?? null },
    }));
    res.status(result.ok ? 200 : 502).json(result);
  });
  return r;
}
