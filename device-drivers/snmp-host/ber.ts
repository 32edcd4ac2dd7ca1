/**
 * A little BER, for the simulator's hand-made replies: the v3 Report an agent sends when a
 * request fails authentication (which net-snmp's Agent does not send), and the malformed replies
 * of the fault modes. Not used by the driver, which decodes with net-snmp.
 */

export const TAG = {
  Integer: 0x02,
  OctetString: 0x04,
  OID: 0x06,
  Sequence: 0x30,
  Counter32: 0x41,
  GetResponse: 0xa2,
  Report: 0xa8,
} as const;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export function seq(tag: number, ...parts: Buffer[]): Buffer {
  return tlv(tag, Buffer.concat(parts));
}

/** INTEGER (or an application integer type by tag), two's complement, minimal. */
export function int(n: number, tag: number = TAG.Integer): Buffer {
  const bytes: number[] = [];
  let v = BigInt(Math.trunc(n));
  for (;;) {
    const b = Number(v & 0xffn);
    bytes.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return tlv(tag, Buffer.from(bytes));
}

export function octets(v: Buffer | string): Buffer {
  return tlv(TAG.OctetString, typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
}

export function oid(dotted: string): Buffer {
  const a = dotted.replace(/^\./, '').split('.').map(Number);
  const out: number[] = [a[0]! * 40 + (a[1] ?? 0)];
  for (const n of a.slice(2)) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function read(buf: Buffer, off: number): Tlv {
  if (off + 2 > buf.length) throw new Error('truncated');
  const tag = buf[off]!;
  let len = buf[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length) throw new Error('truncated');
  return { tag, start, end: start + len };
}

function readInt(buf: Buffer, t: Tlv): number {
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + buf[i]!;
  return v;
}

export interface RequestIds {
  version: number;
  community?: Buffer;
  /** v1/v2c: the PDU's request-id. */
  requestId?: number;
  /** v3: the message id, and the user named in the security parameters. */
  msgId?: number;
  userName?: Buffer;
}

/** The ids of a request, to address a reply to it; undefined if it does not parse. */
export function requestIds(buf: Buffer): RequestIds | undefined {
  try {
    const msg = read(buf, 0);
    const ver = read(buf, msg.start);
    const version = readInt(buf, ver);
    if (version !== 3) {
      const comm = read(buf, ver.end);
      const pdu = read(buf, comm.end);
      const rid = read(buf, pdu.start);
      return { version, community: buf.subarray(comm.start, comm.end), requestId: readInt(buf, rid) };
    }
    const header = read(buf, ver.end);
    const msgId = readInt(buf, read(buf, header.start));
    const secOctets = read(buf, header.end);
    const sec = read(buf, secOctets.start);
    const engine = read(buf, sec.start);
    const boots = read(buf, engine.end);
    const time = read(buf, boots.end);
    const user = read(buf, time.end);
    return { version, msgId, userName: buf.subarray(user.start, user.end) };
  } catch {
    return undefined;
  }
}

/** A v3 Report (noAuthNoPriv) naming a usmStats counter, as a real agent sends for a refused request. */
export function v3Report(req: RequestIds, engine: { id: Buffer; boots: number; time: number }, statOid: string, count: number): Buffer {
  const secParams = seq(TAG.Sequence, octets(engine.id), int(engine.boots), int(engine.time), octets(req.userName ?? Buffer.alloc(0)), octets(''), octets(''));
  const pdu = seq(TAG.Report, int(0), int(0), int(0), seq(TAG.Sequence, seq(TAG.Sequence, oid(statOid), int(count, TAG.Counter32))));
  return seq(TAG.Sequence,
    int(3),
    seq(TAG.Sequence, int(req.msgId ?? 0), int(65507), octets(Buffer.from([0])), int(3)),
    octets(secParams),
    seq(TAG.Sequence, octets(engine.id), octets(''), pdu),
  );
}

/** A v2c response whose only varbind has a type no SNMP decoder knows (tag 0x4f). */
export function v2cUnknownType(req: RequestIds): Buffer {
  const vb = seq(TAG.Sequence, oid('1.3.6.1.2.1.1.3.0'), tlv(0x4f, Buffer.from([1, 2, 3])));
  return seq(TAG.Sequence, int(req.version), octets(req.community ?? Buffer.alloc(0)),
    seq(TAG.GetResponse, int(req.requestId ?? 0), int(0), int(0), seq(TAG.Sequence, vb)));
}

/**
 * A v3-shaped message (authenticated, not encrypted) carrying a v2c request's id as its message id:
 * net-snmp matches it to the v2c request and, having no v3 user, throws outside its own try/catch.
 */
export function v3ShapedReplyTo(req: RequestIds): Buffer {
  const secParams = seq(TAG.Sequence, octets(Buffer.from('8000b98380aabbccdd', 'hex')), int(1), int(100), octets('x'), octets(Buffer.alloc(12)), octets(''));
  const scoped = seq(TAG.Sequence, octets(''), octets(''), seq(TAG.GetResponse, int(req.requestId ?? req.msgId ?? 0), int(0), int(0), seq(TAG.Sequence)));
  return seq(TAG.Sequence, int(3), seq(TAG.Sequence, int(req.requestId ?? req.msgId ?? 0), int(65507), octets(Buffer.from([1])), int(3)), octets(secParams), scoped);
}
