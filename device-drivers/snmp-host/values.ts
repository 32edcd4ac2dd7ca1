/**
 * Reading varbind values defensively: an agent may answer with any type in any column, so every
 * reader returns undefined for a value of the wrong type instead of trusting the MIB.
 */
import type { Varbind } from 'net-snmp';

/** net-snmp ObjectType codes (numeric, so this file needs no runtime import). */
export const T = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

/** noSuchObject, noSuchInstance or endOfMibView: the agent has no value here. */
export function isMissing(vb: Varbind | undefined): boolean {
  const t = vb?.type as number | undefined;
  return t === undefined || t === T.NoSuchObject || t === T.NoSuchInstance || t === T.EndOfMibView || t === T.Null;
}

const INT_TYPES: readonly number[] = [T.Integer, T.Counter32, T.Gauge32, T.TimeTicks];

/** An integer-typed value (INTEGER, Counter32, Gauge32, TimeTicks, Counter64 up to 2^53). */
export function intOf(vb: Varbind | undefined): number | undefined {
  if (!vb || vb.type === undefined) return undefined;
  if (INT_TYPES.includes(vb.type) && typeof vb.value === 'number' && Number.isFinite(vb.value)) return vb.value;
  if (vb.type === T.Counter64 && Buffer.isBuffer(vb.value) && vb.value.length <= 8) {
    let n = 0n;
    for (const b of vb.value) n = (n << 8n) | BigInt(b);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
let cp1251: TextDecoder | undefined;
try {
  cp1251 = new TextDecoder('windows-1251');
} catch {
  cp1251 = undefined; // a Node build without full ICU: fall back to latin1
}

/**
 * An OCTET STRING as text. Windows agents send labels and process names in the ANSI code page
 * (windows-1251 on a Russian or Kazakh install): UTF-8 first, then windows-1251.
 */
export function textOf(vb: Varbind | undefined, maxChars = 4096): string | undefined {
  if (!vb || vb.type !== T.OctetString) return undefined;
  const v = vb.value;
  let s: string;
  if (typeof v === 'string') s = v;
  else if (Buffer.isBuffer(v)) {
    const b = v.subarray(0, maxChars * 4);
    try {
      s = utf8.decode(b);
    } catch {
      s = cp1251 ? cp1251.decode(b) : b.toString('latin1');
    }
  } else return undefined;
  // Agents pad with NULs; control characters have no place in a label shown to people.
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000+$/, '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, maxChars);
}

/** An OBJECT IDENTIFIER value as dotted text. */
export function oidOf(vb: Varbind | undefined): string | undefined {
  if (!vb || vb.type !== T.OID || typeof vb.value !== 'string') return undefined;
  return vb.value.replace(/^\./, '');
}

/** Bytes a value takes, for the walk's byte cap. */
export function sizeOf(vb: Varbind): number {
  const v = vb.value;
  const valueBytes = Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 8;
  return vb.oid.length + valueBytes;
}

/** Dotted OID → arcs; undefined if it is not a well-formed OID. */
export function arcs(oid: string): number[] | undefined {
  const s = oid.startsWith('.') ? oid.slice(1) : oid;
  if (!/^\d+(\.\d+)*$/.test(s)) return undefined;
  const out = s.split('.').map(Number);
  return out.every((n) => Number.isSafeInteger(n)) ? out : undefined;
}

/** Lexicographic order of OIDs by arcs: -1, 0, 1. */
export function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True if oid is strictly below base (base is a proper prefix). */
export function isUnder(base: readonly number[], oid: readonly number[]): boolean {
  if (oid.length <= base.length) return false;
  for (let i = 0; i < base.length; i++) if (base[i] !== oid[i]) return false;
  return true;
}

export interface AgentDate {
  /** UTC epoch milliseconds. */
  ms: number;
  /** The agent said its offset from UTC (11-octet form). */
  hasOffset: boolean;
}

/**
 * SNMPv2-TC DateAndTime: year(2) month day hour minutes seconds deci-seconds, then optionally
 * direction ('+'/'-') and the offset from UTC in hours and minutes. An 8-octet value carries no
 * offset: it is the agent's local time, read with assumeOffsetMinutes.
 */
export function parseDateAndTime(v: unknown, assumeOffsetMinutes: number): AgentDate | undefined {
  if (!Buffer.isBuffer(v) || (v.length !== 8 && v.length !== 11)) return undefined;
  const year = v.readUInt16BE(0);
  const [month, day, hour, minute, second, deci] = [v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!];
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || deci > 9) {
    return undefined;
  }
  let offsetMin = assumeOffsetMinutes;
  if (v.length === 11) {
    const dir = String.fromCharCode(v[8]!);
    const oh = v[9]!;
    const om = v[10]!;
    if ((dir !== '+' && dir !== '-') || oh > 14 || om > 59) return undefined;
    offsetMin = (dir === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), deci * 100);
  // Date.UTC rolls over (31 February → 3 March): such a date is not a date.
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return { ms: local - offsetMin * 60_000, hasOffset: v.length === 11 };
}

/** Encode epoch ms as an 11-octet DateAndTime at the given offset (for the simulator and tests). */
export function encodeDateAndTime(ms: number, offsetMinutes: number): Buffer {
  const d = new Date(ms + offsetMinutes * 60_000);
  const b = Buffer.alloc(11);
  b.writeUInt16BE(d.getUTCFullYear(), 0);
  b[2] = d.getUTCMonth() + 1;
  b[3] = d.getUTCDate();
  b[4] = d.getUTCHours();
  b[5] = d.getUTCMinutes();
  b[6] = d.getUTCSeconds();
  b[7] = Math.floor(d.getUTCMilliseconds() / 100);
  b[8] = offsetMinutes < 0 ? 0x2d : 0x2b;
  const abs = Math.abs(offsetMinutes);
  b[9] = Math.floor(abs / 60);
  b[10] = abs % 60;
  return b;
}
