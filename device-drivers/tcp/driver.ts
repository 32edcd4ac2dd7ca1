/**
 * tcp: can a TCP connection be opened to host:port, and how long does it take.
 * The base reachability check that other drivers' first step mirrors.
 */
import net from 'node:net';
import { z } from 'zod';
import { defineDriver } from '../../collector/core/driver';
import type { CheckResultDraft } from '../../collector/core/types';

export const tcpOptions = z.strictObject({}).default({});
export type TcpOptions = z.infer<typeof tcpOptions>;

/** Connect once; resolves with the outcome, never rejects. */
export function tcpConnect(host: string, port: number, signal: AbortSignal, now: () => number): Promise<{ ok: true; rttMs: number } | { ok: false; code: string; error: string }> {
  return new Promise((resolve) => {
    const started = now();
    if (signal.aborted) return resolve({ ok: false, code: 'ETIMEDOUT', error: 'deadline reached' });
    const sock = net.connect({ host, port });
    const finish = (r: { ok: true; rttMs: number } | { ok: false; code: string; error: string }) => {
      signal.removeEventListener('abort', onAbort);
      sock.removeAllListeners();
      sock.on('error', () => {});
      sock.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ ok: false, code: 'ETIMEDOUT', error: 'no answer before the deadline' });
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish({ ok: true, rttMs: Math.max(0, now() - started) }));
    sock.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, code: e.code ?? 'ERROR', error: e.code ?? e.message }));
  });
}

export const tcpDriver = defineDriver<TcpOptions>({
  kind: 'tcp',
  description: 'TCP reachability: opens a connection to host:port and reports the connect time.',
  optionsSchema: tcpOptions,
  defaults: { intervalSeconds: 60, timeoutSeconds: 5, concurrency: 256 },
  checks: ['tcp-connect'],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    // Wall-clock RTT: the Clock may be fake in tests, but a connect time is a real duration.
    const r = await tcpConnect(target.host, target.port, ctx.signal, () => performance.now());
    if (r.ok) {
      const rttMs = Math.round(r.rttMs * 10) / 10;
      return [{
        check: 'tcp-connect', status: 'ok', message: `port ${target.port} open (${rttMs} ms)`,
        messageKey: 'tcp.connect.ok', params: { port: target.port, rttMs }, values: { rtt_ms: rttMs },
      }];
    }
    if (r.code === 'ECONNREFUSED') {
      return [{
        check: 'tcp-connect', status: 'down', message: `port ${target.port} closed (connection refused)`,
        messageKey: 'tcp.connect.refused', params: { port: target.port },
      }];
    }
    return [{
      check: 'tcp-connect', status: 'down', message: `${target.host} unreachable: ${r.error}`,
      messageKey: 'tcp.connect.unreachable', params: { host: target.host, error: r.error },
    }];
  },
});
