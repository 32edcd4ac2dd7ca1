/** host:port parsing shared by the inventory, the command line and the drivers. */
export interface HostPort {
  host: string;
  port: number;
}

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Parses "host:port" or "[v6]:port"; returns an error sentence instead of throwing. */
export function parseHostPort(text: unknown): HostPort | { error: string } {
  if (typeof text !== 'string') return { error: 'expected host:port' };
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text) ?? /^([^:\s\[\]]+):(\d+)$/.exec(text);
  if (!m) return { error: 'expected host:port' };
  const host = m[1]!;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `port ${m[2]} is out of range 1-65535` };
  if (!text.startsWith('[') && !IPV4.test(host) && (/^[\d.]+$/.test(host) || !HOSTNAME.test(host))) {
    return { error: `"${host}" is not a valid host name or IPv4 address` };
  }
  return { host, port };
}

export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}
