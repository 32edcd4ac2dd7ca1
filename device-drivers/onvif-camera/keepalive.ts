/**
 * The probe between full ones (policy cadence.fullEverySeconds), on a connection kept open from
 * one probe to the next: GetSystemDateAndTime and GetDeviceInformation with our own WS-Security
 * header, read by fast-xml-parser (xml.ts), namespaces checked. The `onvif` client costs a new
 * connection and a second XML parse per call: at 5,000 cameras every 60 s that was most of the
 * collector's CPU (docs/BENCHMARKS.md, fleet). Only a clean answer is used here; anything else —
 * a refused connection, an HTTP challenge, a fault, an odd reply — returns undefined and the
 * caller takes the full, hardened path (session.ts), which says exactly what is wrong.
 */
import crypto from 'node:crypto';
import { Agent, request } from 'undici';
import type { ProbeContext } from '../../collector/core/driver';
import type { CheckResultDraft, ProbeTarget } from '../../collector/core/types';
import { clockResult } from './checks/clock';
import { connectOk, deviceFacts } from './checks/connect';
import { wsseDigest } from './digest';
import type { OnvifPolicy } from './policy';
import { escapeXml, NS, soapPayload, type XmlEl } from './xml';

/** One connection per camera, kept between probes (a probe a minute: 120 s outlives the gap). */
let dispatcher: Agent | undefined;
const pool = () => (dispatcher ??= new Agent({ keepAliveTimeout: 120_000, keepAliveMaxTimeout: 120_000, connections: 1, pipelining: 1 }));

export async function keepAliveProbe(
  target: ProbeTarget<{ path: string; maxReplyBytes: number }>,
  ctx: ProbeContext<OnvifPolicy>,
  policy: OnvifPolicy,
): Promise<CheckResultDraft[] | undefined> {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const url = `http://${host}:${target.port}${target.options.path}`;
  const t0 = performance.now();
  const sent = ctx.clock.now();
  const sdt = await call(url, 'GetSystemDateAndTime', undefined, ctx.signal, target.options.maxReplyBytes);
  if (!sdt) return undefined;
  const rttMs = performance.now() - t0;
  const clock = clockResult(sdt, (sent + ctx.clock.now()) / 2, policy.clock);
  // The token's Created in the camera's time, as cameras check it against their own clock.
  const drift = clock.values?.drift_s ?? 0;
  const u = target.credentials;
  const security = u?.username ? wsse(u.username, u.password ?? '', new Date(ctx.clock.now() + drift * 1000)) : undefined;
  const info = await call(url, 'GetDeviceInformation', security, ctx.signal, target.options.maxReplyBytes);
  if (!info) return undefined;
  return [connectOk(deviceFacts(info), rttMs), clock];
}

async function call(url: string, operation: string, security: string | undefined, signal: AbortSignal, maxBytes: number): Promise<XmlEl | undefined> {
  const body = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap12}"><s:Header>${security ?? ''}</s:Header><s:Body><${operation} xmlns="${NS.device}"/></s:Body></s:Envelope>`;
  try {
    const res = await request(url, {
      method: 'POST', body, signal, dispatcher: pool(),
      headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${NS.device}/${operation}"` },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        return undefined;
      }
      chunks.push(c as Buffer);
    }
    if (res.statusCode !== 200) return undefined;
    const { payload } = soapPayload(Buffer.concat(chunks).toString('utf8'));
    return payload.ns === NS.device && payload.local === `${operation}Response` ? payload : undefined;
  } catch {
    return undefined;
  }
}

function wsse(username: string, password: string, created: Date): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const at = created.toISOString();
  return `<Security s:mustUnderstand="1" xmlns="${NS.wsse}"><UsernameToken><Username>${escapeXml(username)}</Username>` +
    `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${wsseDigest(nonce, at, password)}</Password>` +
    `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary">${nonce}</Nonce>` +
    `<Created xmlns="${NS.wsu}">${at}</Created></UsernameToken></Security>`;
}

/** Closes the kept connections (the collector stops). */
export async function closeKeepAlive(): Promise<void> {
  const d = dispatcher;
  dispatcher = undefined;
  await d?.close().catch(() => undefined);
}
