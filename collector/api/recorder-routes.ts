/**
 * What the console's capture panel reads from a hall's recorder agent, through the collector
 * (the agent's token never reaches the browser): its status, live levels (API users; the console
 * gets them over /ws, level-stream.ts), the finished recordings
 * with their verification and copies, and a recording's short protocol. Reads need 'hall.view'
 * in the device's court; commands go through command-routes.ts (authorized and audited).
 */
import express, { type Router } from 'express';
import type { Inventory } from '../config/inventory';
import { callAgent } from '../../device-drivers/recorder/client';
import { authorize } from './auth-http';
import { ApiError, notFound } from './errors';

export function recorderRoutes(deps: { inv: Inventory }): Router {
  const r = express.Router();
  const agentOf = (id: string, res: express.Response) => {
    const d = deps.inv.device.get(id);
    if (!d || d.driver !== 'recorder') throw notFound('recorder', id);
    authorize(res, 'hall.view', d.courtId);
    return d;
  };
  const relay = async (res: express.Response, p: Promise<{ ok: boolean; status?: number; body?: unknown; error?: string }>, text = false) => {
    const a = await p;
    if (!a.ok) throw new ApiError(502, 'device', `recorder agent: ${a.error}`);
    if (text) res.type('text/plain; charset=utf-8').send(a.body as string);
    else res.json(a.body);
  };
  r.get('/recorders/:id/status', async (req, res) => {
    await relay(res, callAgent(agentOf(String(req.params.id), res), 'GET', '/api/status'));
  });
  // For API users: the console's capture panel gets live levels over /ws (level-stream.ts), which
  // reads the agent once for every console watching instead of once per browser per second.
  r.get('/recorders/:id/levels', async (req, res) => {
    await relay(res, callAgent(agentOf(String(req.params.id), res), 'GET', '/api/levels'));
  });
  r.get('/recorders/:id/recordings', async (req, res) => {
    await relay(res, callAgent(agentOf(String(req.params.id), res), 'GET', '/api/recordings'));
  });
  r.get('/recorders/:id/recordings/:rid/protocol', async (req, res) => {
    const lang = req.query.lang === 'kk' ? 'kk' : 'ru';
    if (req.query.format === 'pdf') {
      // 003 §7.5, §10: the short protocol as the PDF the agent signed into the manifest.
      const rid = String(req.params.rid);
      const a = await callAgent<Buffer>(agentOf(String(req.params.id), res), 'GET', `/api/recordings/${encodeURIComponent(rid)}/protocol?lang=${lang}&format=pdf`, { binary: true });
      if (!a.ok) throw new ApiError(502, 'device', `recorder agent: ${a.error}`);
      res.type('application/pdf').set('content-disposition', `inline; filename="protocol-${rid.replace(/[^A-Za-z0-9._-]/g, '_')}-${lang}.pdf"`).send(a.body);
      return;
    }
    await relay(res, callAgent(agentOf(String(req.params.id), res), 'GET', `/api/recordings/${encodeURIComponent(String(req.params.rid))}/protocol?lang=${lang}`, { text: true }), true);
  });
  return r;
}
