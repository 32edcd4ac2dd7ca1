/**
 * WS-Discovery (as the ONVIF Core Specification profiles it) for `hallwatch discover`: sends a Probe for ONVIF video devices
 * and collects the ProbeMatches that answer it.
 *
 * Not the `onvif` client's Discovery: it can only send to the multicast group (no unicast
 * target, so no test without leaving loopback), it is a process-wide singleton that emits
 * 'error' (an uncaught throw when nobody listens) on any malformed datagram, it does not check
 * RelatesTo, and a reply with two ProbeMatch elements or a bad XAddr throws inside a timer
 * (docs/DECISIONS.md).
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import os from 'node:os';
import { formatProblems, loadInventoryFile } from '../../collector/config/inventory';
import { parseHostPort } from '../../collector/core/address';
import { SystemClock, type Clock } from '../../collector/core/clock';
import type { DriverRegistry } from '../registry';
import { NS, child, children, escapeXml, parseXml, textAt, type XmlEl } from './xml';

export const WSD_MULTICAST = { host: '239.255.255.250', port: 3702 } as const;
const PROBE_ACTION = 'http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe';
const MATCHES_ACTION = 'http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches';
const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
/** Largest datagram read: UDP's own limit. */
const MAX_DATAGRAM = 65_507;

export function newMessageId(): string {
  return `urn:uuid:${crypto.randomUUID()}`;
}

export function probeMessage(messageId: string, types = 'dn:NetworkVideoTransmitter'): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.addressing}" xmlns:d="${NS.discovery}" xmlns:dn="${NS.network}">` +
    '<s:Header>' +
    `<a:Action s:mustUnderstand="1">${PROBE_ACTION}</a:Action>` +
    `<a:MessageID>${escapeXml(messageId)}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${ANONYMOUS}</a:Address></a:ReplyTo>` +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '</s:Header>' +
    `<s:Body><d:Probe><d:Types>${escapeXml(types)}</d:Types></d:Probe></s:Body>` +
    '</s:Envelope>';
}

export interface ProbeMatchData {
  endpoint: string;
  types: string[];
  scopes: string[];
  xaddrs: string[];
  metadataVersion?: number;
}

export function probeMatchesMessage(relatesTo: string, m: ProbeMatchData): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.soap12}" xmlns:wsa="${NS.addressing}" xmlns:d="${NS.discovery}" xmlns:dn="${NS.network}" xmlns:tds="${NS.device}">` +
    '<SOAP-ENV:Header>' +
    `<wsa:MessageID>${newMessageId()}</wsa:MessageID>` +
    `<wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo>` +
    `<wsa:To SOAP-ENV:mustUnderstand="true">${ANONYMOUS}</wsa:To>` +
    `<wsa:Action SOAP-ENV:mustUnderstand="true">${MATCHES_ACTION}</wsa:Action>` +
    '</SOAP-ENV:Header>' +
    '<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>' +
    `<wsa:EndpointReference><wsa:Address>${escapeXml(m.endpoint)}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>${escapeXml(m.types.join(' '))}</d:Types>` +
    `<d:Scopes>${escapeXml(m.scopes.join(' '))}</d:Scopes>` +
    `<d:XAddrs>${escapeXml(m.xaddrs.join(' '))}</d:XAddrs>` +
    `<d:MetadataVersion>${m.metadataVersion ?? 1}</d:MetadataVersion>` +
    '</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>';
}

function envelopeParts(text: string): { header?: XmlEl; body: XmlEl } | undefined {
  let env: XmlEl;
  try {
    env = parseXml(text);
  } catch {
    return undefined;
  }
  if (env.local !== 'Envelope' || (env.ns !== NS.soap12 && env.ns !== NS.soap11)) return undefined;
  const body = child(env, 'Body', env.ns);
  return body ? { header: child(env, 'Header', env.ns), body } : undefined;
}

/** A Probe datagram (the simulator's side): its MessageID and the types it asks for. */
export function readProbe(text: string): { messageId: string; types: Array<{ ns: string; local: string }> } | undefined {
  const parts = envelopeParts(text);
  const probe = child(parts?.body, 'Probe', NS.discovery);
  const messageId = textAt(parts?.header, 'MessageID');
  if (!probe || !messageId) return undefined;
  const typesEl = child(probe, 'Types', NS.discovery);
  const types = (typesEl?.text ?? '').split(/\s+/).filter(Boolean).map((q) => {
    const c = q.indexOf(':');
    return c < 0 ? { ns: typesEl!.scope[''] ?? '', local: q } : { ns: typesEl!.scope[q.slice(0, c)] ?? '', local: q.slice(c + 1) };
  });
  return { messageId, types };
}

export interface DiscoveredDevice {
  /** Endpoint reference (urn:uuid:...): the device's stable identity. */
  endpoint: string;
  /** Where the answer came from. */
  address: string;
  xaddrs: string[];
  scopes: string[];
  types: string[];
  /** From the onvif://www.onvif.org/name/ scope. */
  name?: string;
  /** From the onvif://www.onvif.org/hardware/ scope. */
  hardware?: string;
  location?: string;
}

function scopeValue(scopes: string[], key: string): string | undefined {
  const prefix = `onvif://www.onvif.org/${key}/`;
  const s = scopes.find((x) => x.toLowerCase().startsWith(prefix));
  if (!s) return undefined;
  const raw = s.slice(prefix.length);
  try {
    return decodeURIComponent(raw).slice(0, 120);
  } catch {
    return raw.slice(0, 120);
  }
}

/** ProbeMatches datagrams (the client's side); only those answering `messageId` count. */
export function readProbeMatches(text: string, messageId: string, from: string): DiscoveredDevice[] {
  const parts = envelopeParts(text);
  if (!parts || textAt(parts.header, 'RelatesTo')?.trim() !== messageId) return [];
  const matches = child(parts.body, 'ProbeMatches', NS.discovery);
  const out: DiscoveredDevice[] = [];
  for (const m of children(matches, 'ProbeMatch', NS.discovery).slice(0, 16)) {
    const endpoint = textAt(child(m, 'EndpointReference'), 'Address')?.trim();
    if (!endpoint) continue;
    const list = (name: string) => (child(m, name, NS.discovery)?.text ?? '').split(/\s+/).filter(Boolean).slice(0, 64).map((s) => s.slice(0, 300));
    const scopes = list('Scopes');
    const xaddrs = list('XAddrs').filter((x) => {
      try {
        const u = new URL(x);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    });
    out.push({
      endpoint: endpoint.slice(0, 200), address: from, xaddrs, scopes, types: list('Types'),
      name: scopeValue(scopes, 'name'), hardware: scopeValue(scopes, 'hardware'), location: scopeValue(scopes, 'location'),
    });
  }
  return out;
}

export interface DiscoverOptions {
  clock: Clock;
  timeoutMs: number;
  /** An interface name (eth0) or one of this host's IPv4 addresses to send from. */
  interface?: string;
  /** Send the probe here instead of the multicast group (unicast WS-Discovery; tests aim at a simulator). */
  target?: { host: string; port: number };
  signal?: AbortSignal;
}

/** The IPv4 address of an interface given by name or by address; an error sentence otherwise. */
export function interfaceAddress(spec: string): string | { error: string } {
  const nets = os.networkInterfaces();
  const byName = nets[spec];
  if (byName) {
    const v4 = byName.find((a) => a.family === 'IPv4');
    return v4 ? v4.address : { error: `interface ${spec} has no IPv4 address` };
  }
  for (const list of Object.values(nets)) {
    if (list?.some((a) => a.family === 'IPv4' && a.address === spec)) return spec;
  }
  return { error: `no interface or local IPv4 address "${spec}" (known: ${Object.keys(nets).join(', ')})` };
}

/**
 * Sends one Probe (again after 500 ms, as UDP may drop it) and collects answers until the
 * timeout. Resolves with the devices, one per endpoint; never rejects for what devices send.
 */
export async function discover(opts: DiscoverOptions): Promise<DiscoveredDevice[]> {
  let bindAddress: string | undefined;
  if (opts.interface) {
    const a = interfaceAddress(opts.interface);
    if (typeof a !== 'string') throw new Error(a.error);
    bindAddress = a;
  }
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
  const messageId = newMessageId();
  const message = Buffer.from(probeMessage(messageId));
  const found = new Map<string, DiscoveredDevice>();
  const dest = opts.target ?? WSD_MULTICAST;
  socket.on('message', (msg, rinfo) => {
    if (msg.length > MAX_DATAGRAM) return;
    for (const d of readProbeMatches(msg.toString('utf8'), messageId, rinfo.address)) {
      if (!found.has(d.endpoint)) found.set(d.endpoint, d);
    }
  });
  const errors: Error[] = [];
  socket.on('error', (e) => errors.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: 0, address: bindAddress ?? (opts.target && isLoopback(opts.target.host) ? '127.0.0.1' : undefined) }, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  });
  try {
    if (!opts.target) {
      socket.setMulticastTTL(1);
      if (bindAddress) socket.setMulticastInterface(bindAddress);
    }
    const send = () => socket.send(message, dest.port, dest.host, (e) => e && errors.push(e));
    send();
    const timers = [opts.clock.setTimer(Math.min(500, opts.timeoutMs / 2), send)];
    await new Promise<void>((resolve) => {
      timers.push(opts.clock.setTimer(opts.timeoutMs, resolve));
      opts.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    for (const t of timers) opts.clock.clearTimer(t);
    if (found.size === 0 && errors.length) throw errors[0]!;
    return [...found.values()];
  } finally {
    socket.close();
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.');
}

/** host:port of a device service address (default ports 80 / 443). */
export function xaddrHostPort(xaddr: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(xaddr);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}

// ---- `hallwatch discover` ----------------------------------------------------------------

export interface InventoryCamera {
  id: string;
  host: string;
  port: number;
  address: string;
}

export interface DiscoveryReport {
  devices: Array<DiscoveredDevice & { service?: string; inventoryId: string | null }>;
  /** Inventory cameras that did not answer (multicast only reaches the local segment). */
  silent: InventoryCamera[];
}

/**
 * Which answering devices the inventory knows: by the host:port of a device service address,
 * else by host alone when the inventory has one camera on that host.
 */
export function compareWithInventory(found: DiscoveredDevice[], cameras: InventoryCamera[] | undefined): DiscoveryReport {
  const matched = new Set<string>();
  const devices = found.map((d) => {
    const services = d.xaddrs.map(xaddrHostPort).filter((x): x is { host: string; port: number } => !!x);
    const service = services[0] ? `${services[0].host}:${services[0].port}` : undefined;
    let id: string | null = null;
    if (cameras) {
      const exact = cameras.find((c) => services.some((s) => s.host === c.host && s.port === c.port));
      const byHost = exact ? undefined : services.map((s) => cameras.filter((c) => c.host === s.host)).find((l) => l.length === 1)?.[0];
      const hit = exact ?? byHost;
      if (hit) {
        id = hit.id;
        matched.add(hit.id);
      }
    }
    return { ...d, service, inventoryId: id };
  });
  return { devices, silent: cameras ? cameras.filter((c) => !matched.has(c.id)) : [] };
}

export function formatReport(r: DiscoveryReport, withInventory: boolean, seconds: number): string[] {
  const lines = [`${r.devices.length} ONVIF device(s) answered within ${seconds} s`];
  for (const d of r.devices) {
    const mark = !withInventory ? 'FOUND' : d.inventoryId ? 'KNOWN' : 'MISSING';
    const what = [
      d.inventoryId ?? '',
      d.name ? `name="${d.name}"` : '',
      d.hardware ? `hardware="${d.hardware}"` : '',
      d.location ? `location="${d.location}"` : '',
      d.xaddrs.join(' '),
      !withInventory || d.inventoryId ? '' : '(not in the inventory)',
    ].filter(Boolean).join('  ');
    lines.push(`${mark.padEnd(8)} ${(d.service ?? d.address).padEnd(21)} ${what}`);
  }
  if (withInventory && r.silent.length) {
    lines.push(`${r.silent.length} inventory camera(s) did not answer (WS-Discovery reaches only this network segment):`);
    for (const c of r.silent) lines.push(`SILENT   ${c.address.padEnd(21)} ${c.id}`);
  }
  return lines;
}

export interface DiscoverArgs {
  interface?: string;
  timeout?: string;
  inventory?: string;
  target?: string;
  json?: boolean;
}

/**
 * `hallwatch discover`: exit 0 when devices answered and the inventory (if given) knows them
 * all, 1 when none answered or some are missing from the inventory, 2 on a usage error.
 */
export async function discoverCommand(
  args: DiscoverArgs,
  io: { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv },
  registry: DriverRegistry,
  clock: Clock = new SystemClock(),
): Promise<number> {
  const seconds = args.timeout === undefined ? 3 : Number(args.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) {
    io.err('--timeout: expected seconds, more than 0 and at most 60');
    return 2;
  }
  let target: { host: string; port: number } | undefined;
  if (args.target !== undefined) {
    const t = parseHostPort(args.target);
    if ('error' in t) {
      io.err(`--target: ${t.error}`);
      return 2;
    }
    target = t;
  }
  if (args.interface !== undefined) {
    const a = interfaceAddress(args.interface);
    if (typeof a !== 'string') {
      io.err(`--interface: ${a.error}`);
      return 2;
    }
  }
  let cameras: InventoryCamera[] | undefined;
  if (args.inventory !== undefined) {
    const r = loadInventoryFile(args.inventory, { registry, env: io.env });
    if (!r.ok) {
      io.err(`${args.inventory}: ${r.problems.length} problem(s)`);
      io.err(formatProblems(r.problems));
      return 2;
    }
    cameras = r.inventory.devices
      .filter((d) => d.driver === 'onvif-camera' || d.category === 'camera')
      .map((d) => ({ id: d.id, host: d.host, port: d.port, address: d.address }));
  }
  let found: DiscoveredDevice[];
  try {
    found = await discover({ clock, timeoutMs: seconds * 1000, interface: args.interface, target });
  } catch (e) {
    io.err(`discovery failed: ${(e as Error).message}`);
    return 2;
  }
  const report = compareWithInventory(found, cameras);
  if (args.json) {
    io.out(JSON.stringify({ timeoutSeconds: seconds, target: target ?? WSD_MULTICAST, ...report }, null, 2));
  } else {
    for (const l of formatReport(report, !!cameras, seconds)) io.out(l);
  }
  if (report.devices.length === 0) return 1;
  return report.devices.some((d) => cameras && !d.inventoryId) ? 1 : 0;
}
