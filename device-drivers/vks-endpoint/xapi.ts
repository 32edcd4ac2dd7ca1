/**
 * Cisco xAPI over HTTP(S) (CE / RoomOS codecs): `GET /getxml?location=/Status/...` reads the status
 * tree, `POST /putxml` runs a command (`<Command><Dial><Number>…</Number></Dial></Command>`,
 * `<Command><Call><Disconnect><CallId>…</CallId></Disconnect></Call></Command>`), basic auth.
 * Replies are read with a byte cap and parsed only after validation: a document type or an entity
 * declaration is refused (no entity expansion), and so is a reply that is not well-formed XML.
 */
import { Agent, request } from 'undici';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Credentials } from '../../collector/core/types';
import { ApiFailure, type CallInfo, type EndpointApi, type EndpointStatus, type Peripheral, type Registration } from './endpoint-api';

const plainAgent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
const secureAgent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
const insecureAgent = new Agent({ keepAliveTimeout: 60_000, connections: 4, connect: { rejectUnauthorized: false } });

const LISTS = new Set(['Registration', 'Call', 'Camera', 'Microphone', 'Message']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  isArray: (name) => LISTS.has(name),
});

type Node = Record<string, unknown>;
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.map(obj) : v ? [obj(v)] : []);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim().slice(0, 200);
  if (v && typeof v === 'object' && typeof (v as Node)['#text'] === 'string') return ((v as Node)['#text'] as string).trim().slice(0, 200);
  return undefined;
};
const itemId = (n: Node, i: number) => String(n['@_item'] ?? i + 1).slice(0, 16);

/** Parses an xAPI reply; ApiFailure('malformed') when it is not a safe, well-formed document. */
export function parseXapi(body: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new ApiFailure('malformed', 'the reply declares a document type or entities (refused)');
  const v = XMLValidator.validate(body);
  if (v !== true) throw new ApiFailure('malformed', `malformed XML: ${v.err.msg} (line ${v.err.line})`, { error: v.err.msg.slice(0, 120) });
  return obj(parser.parse(body));
}

export function registrationsOf(doc: Node): Registration[] {
  return list(obj(obj(doc.Status).SIP).Registration).map((r) => {
    const status = text(r.Status) ?? 'Unknown';
    return { status, registered: status === 'Registered', uri: text(r.URI), reason: text(r.Reason) || undefined };
  });
}

export function callsOf(doc: Node): CallInfo[] {
  return list(obj(doc.Status).Call).map((c, i) => {
    const status = text(c.Status) ?? 'Unknown';
    return { id: itemId(c, i), status, connected: status === 'Connected', remote: text(c.RemoteNumber), direction: text(c.Direction) };
  });
}

export function camerasOf(doc: Node): Peripheral[] {
  return list(obj(obj(doc.Status).Cameras).Camera).map((c, i) => ({ id: itemId(c, i), connected: text(c.Connected) === 'True', model: text(c.Model) }));
}

export function microphonesOf(doc: Node): Peripheral[] {
  const connectors = obj(obj(obj(obj(doc.Status).Audio).Input).Connectors);
  return list(connectors.Microphone).map((m, i) => ({ id: itemId(m, i), connected: text(m.ConnectionStatus) === 'Connected' }));
}

/** The result element of a command reply: `<Command><DialResult status="OK">…`. */
function commandResult(doc: Node, name: string): Node {
  const r = obj(obj(doc.Command)[name]);
  const status = String(r['@_status'] ?? '');
  if (status !== 'OK') {
    const reason = text(r.Reason) ?? text(obj(r.Reason)) ?? status ?? 'no result';
    throw new ApiFailure('refused', `${name}: ${reason || 'the endpoint refused the command'}`, { reason: reason || 'refused' });
  }
  return r;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export class CiscoXapi implements EndpointApi {
  private readonly base: string;
  private readonly auth: Record<string, string>;

  constructor(private readonly t: { host: string; port: number; scheme: 'http' | 'https'; tlsInsecure: boolean; credentials?: Credentials; maxBodyBytes: number }) {
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    this.base = `${t.scheme}://${host}:${t.port}`;
    this.auth = t.credentials?.username ? { authorization: 'Basic ' + Buffer.from(`${t.credentials.username}:${t.credentials.password ?? ''}`).toString('base64') } : {};
  }

  private async call(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: string): Promise<{ doc: Node; ms: number }> {
    const started = performance.now();
    const dispatcher = this.t.scheme === 'https' ? (this.t.tlsInsecure ? insecureAgent : secureAgent) : plainAgent;
    let res;
    try {
      res = await request(this.base + path, {
        method, signal, dispatcher, body,
        headers: { 'user-agent': 'hallwatch', ...this.auth, ...(body ? { 'content-type': 'text/xml' } : {}) },
      });
    } catch (e) {
      if (signal.aborted) throw new ApiFailure('no-answer', 'no answer from the management API before the deadline');
      const err = e as { code?: string; cause?: { code?: string }; message?: string };
      const code = err.cause?.code ?? err.code ?? err.message ?? String(e);
      throw new ApiFailure('unreachable', `management API unreachable: ${code}`, { error: code });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.t.maxBodyBytes) {
          res.body.destroy();
          throw new ApiFailure('too-large', `the reply is larger than ${this.t.maxBodyBytes} bytes`, { limit: this.t.maxBodyBytes });
        }
        chunks.push(chunk as Buffer);
      }
    } catch (e) {
      if (e instanceof ApiFailure) throw e;
      if (signal.aborted) throw new ApiFailure('no-answer', 'the reply did not finish before the deadline');
      throw new ApiFailure('unreachable', `the reply broke off: ${(e as Error).message}`, { error: (e as Error).message.slice(0, 120) });
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (res.statusCode === 401 || res.statusCode === 403) throw new ApiFailure('auth', `the management API refused the credentials (HTTP ${res.statusCode})`, { code: res.statusCode });
    if (res.statusCode < 200 || res.statusCode >= 300) throw new ApiFailure('http', `the management API answered HTTP ${res.statusCode}`, { code: res.statusCode });
    return { doc: parseXapi(Buffer.concat(chunks).toString('utf8')), ms };
  }

  private get(location: string, signal: AbortSignal) {
    return this.call('GET', `/getxml?location=${encodeURIComponent(location).replace(/%2F/g, '/')}`, signal);
  }

  async status(signal: AbortSignal): Promise<EndpointStatus> {
    const [sip, call, standby, cameras, audio, unit] = await Promise.all([
      this.get('/Status/SIP/Registration', signal),
      this.get('/Status/Call', signal),
      this.get('/Status/Standby', signal),
      this.get('/Status/Cameras', signal),
      this.get('/Status/Audio/Input/Connectors', signal),
      this.get('/Status/SystemUnit', signal),
    ]);
    const su = obj(obj(unit.doc.Status).SystemUnit);
    return {
      registrations: registrationsOf(sip.doc),
      calls: callsOf(call.doc),
      standby: text(obj(obj(standby.doc.Status).Standby).State),
      cameras: camerasOf(cameras.doc),
      microphones: microphonesOf(audio.doc),
      product: text(su.ProductId),
      software: text(obj(su.Software).Version),
      responseMs: Math.max(sip.ms, call.ms, standby.ms, cameras.ms, audio.ms, unit.ms),
    };
  }

  async calls(signal: AbortSignal): Promise<CallInfo[]> {
    return callsOf((await this.get('/Status/Call', signal)).doc);
  }

  async dial(number: string, signal: AbortSignal): Promise<string> {
    const { doc } = await this.call('POST', '/putxml', signal, `<Command><Dial><Number>${escapeXml(number)}</Number></Dial></Command>`);
    const r = commandResult(doc, 'DialResult');
    const id = text(r.CallId);
    if (!id || !/^\d{1,10}$/.test(id)) throw new ApiFailure('malformed', 'DialResult without a CallId');
    return id;
  }

  async disconnect(callId: string, signal: AbortSignal): Promise<void> {
    const { doc } = await this.call('POST', '/putxml', signal, `<Command><Call><Disconnect><CallId>${escapeXml(callId)}</CallId></Disconnect></Call></Command>`);
    commandResult(doc, 'CallDisconnectResult');
  }
}
