/**
 * Guarded table walks with GETBULK. net-snmp's own table()/subtree() never end when an agent
 * answers with OIDs that do not increase (it asks again from the same place, for ever); this walk
 * requests only the columns it needs, several per GETBULK, and stops:
 * - at the end of each column (an OID outside it, endOfMibView, noSuchObject);
 * - with an error on an OID that is not greater than the one before it in its column;
 * - with an error past maxRows rows or maxBytes bytes (a hostile or broken agent cannot fill memory);
 * - with an error on a round that brings nothing new (a stalled agent);
 * - when the lease is aborted (the probe's budget or deadline): the pending request ends at once.
 */
import type { Varbind } from 'net-snmp';
import type { Lease } from './session-pool';
import { SnmpError } from './session-pool';
import { arcs, compareArcs, isMissing, isUnder, sizeOf } from './values';

export interface WalkLimits {
  maxRepetitions: number;
  maxRows: number;
  maxBytes: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxRepetitions: 32, maxRows: 10_000, maxBytes: 1024 * 1024 };

export type WalkFailure = 'non-increasing' | 'too-large' | 'stalled';

/** A walk that had to stop: the agent's answer cannot be trusted as a whole table. */
export class WalkError extends Error {
  constructor(readonly reason: WalkFailure, readonly detail: string, readonly limit?: { rows: number } | { bytes: number }) {
    super(`${reason}: ${detail}`);
    this.name = 'WalkError';
  }
}

/** Rows by index (the OID part after the column), each with one varbind per requested column. */
export type Rows = Map<string, Array<Varbind | undefined>>;

export interface WalkResult {
  rows: Rows;
  requests: number;
  bytes: number;
}

/**
 * Walk the given columns of one table together. Column OIDs are the column objects
 * (e.g. hrStorageDescr 1.3.6.1.2.1.25.2.3.1.3), not instances.
 */
export async function walkColumns(lease: Lease, columns: readonly string[], limits: WalkLimits = DEFAULT_WALK_LIMITS): Promise<WalkResult> {
  const bases = columns.map((c) => {
    const a = arcs(c);
    if (!a) throw new Error(`not an OID: ${c}`);
    return a;
  });
  const cursor = bases.map((b) => b); // last OID seen per column (starts at the column itself)
  const cursorText = [...columns];
  const active = columns.map(() => true);
  const rows: Rows = new Map();
  let bytes = 0;
  let requests = 0;
  let maxRepetitions = limits.maxRepetitions;

  while (active.some(Boolean)) {
    const asked = active.flatMap((on, i) => (on ? [i] : []));
    let answer: Varbind[][];
    try {
      requests++;
      answer = await lease.getBulk(asked.map((i) => cursorText[i]!), maxRepetitions);
    } catch (e) {
      // RFC 3416 lets an agent refuse a too-large GETBULK with tooBig: ask for fewer rows.
      if (e instanceof SnmpError && e.kind === 'protocol' && e.status === 1 && maxRepetitions > 1) {
        maxRepetitions = Math.max(1, Math.floor(maxRepetitions / 4));
        continue;
      }
      throw e;
    }
    let progressed = false;
    asked.forEach((col, k) => {
      for (const vb of answer[k] ?? []) {
        if (isMissing(vb)) {
          active[col] = false;
          break;
        }
        const a = typeof vb.oid === 'string' ? arcs(vb.oid) : undefined;
        if (!a) throw new SnmpError('malformed', 'varbind with an invalid OID');
        if (!isUnder(bases[col]!, a)) {
          // Past the column: ends it, unless the agent went backwards (that is a loop, not an end).
          if (compareArcs(a, cursor[col]!) <= 0) throw new WalkError('non-increasing', `${vb.oid} after ${cursorText[col]}`);
          active[col] = false;
          break;
        }
        if (compareArcs(a, cursor[col]!) <= 0) throw new WalkError('non-increasing', `${vb.oid} after ${cursorText[col]}`);
        cursor[col] = a;
        cursorText[col] = vb.oid;
        progressed = true;
        const index = a.slice(bases[col]!.length).join('.');
        let row = rows.get(index);
        if (!row) {
          if (rows.size >= limits.maxRows) throw new WalkError('too-large', `more than ${limits.maxRows} rows`, { rows: limits.maxRows });
          row = new Array<Varbind | undefined>(columns.length);
          rows.set(index, row);
        }
        row[col] = vb;
        bytes += sizeOf(vb);
        if (bytes > limits.maxBytes) throw new WalkError('too-large', `more than ${limits.maxBytes} bytes`, { bytes: limits.maxBytes });
      }
    });
    if (!progressed && active.some(Boolean)) throw new WalkError('stalled', 'a GETBULK answer brought no new rows');
  }
  return { rows, requests, bytes };
}
