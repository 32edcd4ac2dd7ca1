/**
 * http: an HTTP(S) request with expectations on the status, the body text and a JSON field.
 * The base of the web-managed devices' drivers (recorder agent, VKS xAPI, camera web UI).
 */
import { Agent, request } from 'undici';
import { z } from 'zod';
import { defineDriver } from '../../collector/core/driver';
import type { CheckResultDraft, Credentials } from '../../collector/core/types';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const httpOptions = z.strictObject({
  scheme: z.enum(['http', 'https']).default('http'),
  path: z.string().startsWith('/', 'expected a path starting with "/"').default('/'),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  /** Accepted status codes; default: any 2xx. */
  expectStatus: z.array(z.number().int().min(100).max(599)).min(1).optional(),
  bodyContains: z.string().min(1).optional(),
  /** A JSON field (dot path, e.g. "channels.0.alive") and the value it must have. */
  json: z.strictObject({ field: z.string().min(1), equals: scalar }).optional(),
  maxBodyBytes: z.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
  /** Accept self-signed certificates (many device web servers ship one). */
  tlsInsecure: z.boolean().default(false),
}).default({
  scheme: 'http', path: '/', method: 'GET', maxBodyBytes: 1024 * 1024, tlsInsecure: false,
});
export type HttpOptions = z.infer<typeof httpOptions>;

// Pooled keep-alive connections: one probe per interval per device reuses its socket.
const secureAgent = new Agent({ keepAliveTimeout: 120_000, connections: 4 });
const insecureAgent = new Agent({ keepAliveTimeout: 120_000, connections: 4, connect: { rejectUnauthorized: false } });
const plainAgent = new Agent({ keepAliveTimeout: 120_000, connections: 4 });

export function basicAuth(c: Credentials | undefined): Record<string, string> {
  if (!c?.username) return {};
  return { authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64') };
}

/**
 * Follows a dot path through parsed JSON; undefined when any step is missing. Only the JSON's
 * own keys count: "constructor" or "__proto__" must not reach into JavaScript objects.
 */
export function jsonField(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const step of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}

function describeError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return err?.cause?.code ?? err?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;

export const httpDriver = defineDriver<HttpOptions>({
  kind: 'http',
  description: 'HTTP(S) check: status code, response time, and optionally expected text or a JSON field in the body.',
  optionsSchema: httpOptions,
  defaults: { intervalSeconds: 60, timeoutSeconds: 10, concurrency: 128 },
  checks: ['http-status', 'http-body', 'http-json'],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    const o = target.options;
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    const url = `${o.scheme}://${host}:${target.port}${o.path}`;
    const started = performance.now();
    const dispatcher = o.scheme === 'https' ? (o.tlsInsecure ? insecureAgent : secureAgent) : plainAgent;
    let res;
    try {
      res = await request(url, {
        method: o.method,
        headers: { 'user-agent': 'hallwatch', ...basicAuth(target.credentials), ...o.headers },
        body: o.body,
        signal: ctx.signal,
        dispatcher,
      });
    } catch (e) {
      const error = describeError(e);
      const tls = TLS_CODES.test(error);
      return [{
        check: 'http-status', status: 'down',
        message: tls ? `TLS certificate error: ${error}` : `no HTTP answer: ${error}`,
        messageKey: tls ? 'http.tls.invalid' : 'http.unreachable', params: { error },
      }];
    }

    // Read the body with a cap: a hostile or broken device must not fill our memory.
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let bodyError: string | undefined;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > o.maxBodyBytes) {
          tooLarge = true;
          res.body.destroy();
          break;
        }
        chunks.push(chunk as Buffer);
      }
    } catch (e) {
      bodyError = describeError(e);
    }
    const rttMs = Math.round((performance.now() - started) * 10) / 10;
    const code = res.statusCode;
    const accepted = o.expectStatus ? o.expectStatus.includes(code) : code >= 200 && code < 300;
    const expected = o.expectStatus ? o.expectStatus.join('|') : '2xx';
    const out: CheckResultDraft[] = [];

    if (bodyError) {
      out.push({
        check: 'http-status', status: 'down', message: `HTTP ${code} but the body broke off: ${bodyError}`,
        messageKey: 'http.unreachable', params: { error: bodyError }, values: { status_code: code },
      });
      return out;
    }
    out.push(accepted
      ? { check: 'http-status', status: 'ok', message: `HTTP ${code} in ${rttMs} ms`, messageKey: 'http.status.ok',
          params: { code, rttMs }, values: { status_code: code, rtt_ms: rttMs } }
      : { check: 'http-status', status: 'down', message: `HTTP ${code}, expected ${expected}`,
          messageKey: 'http.status.unexpected', params: { code, expected }, values: { status_code: code, rtt_ms: rttMs } });

    if (!o.bodyContains && !o.json) return out;
    const bodyCheck = o.json ? 'http-json' : 'http-body';
    if (tooLarge) {
      out.push({ check: bodyCheck, status: 'down', message: `body larger than ${o.maxBodyBytes} bytes`,
        messageKey: 'http.body.too-large', params: { limit: o.maxBodyBytes } });
      return out;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (o.bodyContains) {
      const found = text.includes(o.bodyContains);
      out.push(found
        ? { check: 'http-body', status: 'ok', message: 'expected text found', messageKey: 'http.body.ok' }
        : { check: 'http-body', status: 'down', message: `expected text "${o.bodyContains}" not in the body`,
            messageKey: 'http.body.missing', params: { text: o.bodyContains } });
    }
    if (o.json) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        const error = (e as Error).message.slice(0, 120);
        out.push({ check: 'http-json', status: 'down', message: `body is not JSON: ${error}`,
          messageKey: 'http.json.invalid', params: { error } });
        return out;
      }
      const actual = jsonField(parsed, o.json.field);
      const shown = actual === undefined ? 'missing' : String(JSON.stringify(actual)).slice(0, 80);
      out.push(actual === o.json.equals
        ? { check: 'http-json', status: 'ok', message: `${o.json.field} = ${shown}`, messageKey: 'http.json.ok',
            params: { field: o.json.field, actual: shown } }
        : { check: 'http-json', status: 'down', message: `${o.json.field} = ${shown}, expected ${JSON.stringify(o.json.equals)}`,
            messageKey: 'http.json.mismatch', params: { field: o.json.field, actual: shown, expected: JSON.stringify(o.json.equals) } });
    }
    return out;
  },
});
