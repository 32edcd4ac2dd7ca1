/**
 * The recorder agent's control API from the collector's side (drivers, commands, the console's
 * recorder routes): bearer token = the device's password; a capped JSON body; never throws for
 * a device fault, returns { ok: false, error }.
 */
import { Agent, request } from 'undici';
import type { Credentials } from '../../collector/core/types';

const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 4 });

export interface AgentTarget {
  host: string;
  port: number;
  credentials?: Credentials;
}

export type AgentReply<T> = { ok: true; status: number; body: T } | { ok: false; status?: number; error: string; code?: string };

export async function callAgent<T>(t: AgentTarget, method: 'GET' | 'POST', path: string, o: { body?: unknown; signal?: AbortSignal; actor?: string; text?: boolean; binary?: boolean } = {}): Promise<AgentReply<T>> {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  try {
    const res = await request(`http://${host}:${t.port}${path}`, {
      method, signal: o.signal, dispatcher,
      headers: {
        'user-agent': 'hallwatch', 'content-type': 'application/json',
        ...(t.credentials?.password ? { authorization: `Bearer ${t.credentials.password}` } : {}),
        ...(o.actor ? { 'x-hallwatch-actor': encodeURIComponent(o.actor) } : {}),
      },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > 4 * 1024 * 1024) {
        res.body.destroy();
        return { ok: false, status: res.statusCode, error: 'reply too large' };
      }
      chunks.push(c as Buffer);
    }
    // A file (the protocol's PDF): the bytes as they are.
    if (o.binary && res.statusCode < 300) return { ok: true, status: res.statusCode, body: Buffer.concat(chunks) as T };
    const text = Buffer.concat(chunks).toString('utf8');
    if (o.text && res.statusCode < 300) return { ok: true, status: res.statusCode, body: text as T };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, status: res.statusCode, error: `not JSON (HTTP ${res.statusCode})` };
    }
    if (res.statusCode >= 300) {
      const j = json as { error?: string; message?: string };
      return { ok: false, status: res.statusCode, code: j.error, error: j.message ?? `HTTP ${res.statusCode}` };
    }
    return { ok: true, status: res.statusCode, body: json as T };
  } catch (e) {
    const err = e as { code?: string; message?: string; cause?: { code?: string } };
    return { ok: false, error: err.cause?.code ?? err.code ?? err.message ?? String(e) };
  }
}

/** What the agent's GET /api/levels answers (device-drivers/recorder/agent/agent.ts); unchecked. */
export interface AgentLevelsReading {
  body: unknown;
  /**
   * The agent's own time when it answered (its HTTP Date header, 1 s resolution), or undefined.
   * The age of the levels is judged on the agent's clock: the collector's may not agree with it.
   */
  agentNow?: number;
}

/**
 * GET /api/levels for the collector's level relay (collector/api/level-stream.ts): like callAgent,
 * but it also returns the agent's Date header, which callAgent drops.
 */
export async function readAgentLevels(t: AgentTarget, signal?: AbortSignal): Promise<AgentReply<AgentLevelsReading>> {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  try {
    const res = await request(`http://${host}:${t.port}/api/levels`, {
      method: 'GET', signal, dispatcher,
      headers: { 'user-agent': 'hallwatch', ...(t.credentials?.password ? { authorization: `Bearer ${t.credentials.password}` } : {}) },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      // 32 channels of levels are a few kilobytes: anything far larger is not a levels reply.
      if (size > 256 * 1024) {
        res.body.destroy();
        return { ok: false, status: res.statusCode, error: 'reply too large' };
      }
      chunks.push(c as Buffer);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return { ok: false, status: res.statusCode, error: `not JSON (HTTP ${res.statusCode})` };
    }
    if (res.statusCode >= 300) {
      const j = json as { error?: string; message?: string } | null;
      return { ok: false, status: res.statusCode, code: j?.error, error: j?.message ?? `HTTP ${res.statusCode}` };
    }
    const date = res.headers.date;
    const agentNow = typeof date === 'string' ? Date.parse(date) : NaN;
    return { ok: true, status: res.statusCode, body: { body: json, agentNow: Number.isNaN(agentNow) ? undefined : agentNow } };
  } catch (e) {
    const err = e as { code?: string; message?: string; cause?: { code?: string } };
    return { ok: false, error: err.cause?.code ?? err.code ?? err.message ?? String(e) };
  }
}
