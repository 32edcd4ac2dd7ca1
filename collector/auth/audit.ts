/**
 * The audit trail: every state change — who, what, when, from where, before and after.
 * Rows are appended in the same transaction as the change they record, and each row's hash
 * covers the previous row's hash, so a changed or removed row breaks the chain.
 */
import crypto from 'node:crypto';
import type { Db, Tx } from '../store/db';

export interface AuditEntry {
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  courtId?: string | null;
  target?: string | null;
  ip?: string | null;
  /** 'ok', 'denied', 'failed'... */
  outcome: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  seq: number;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

interface DbRow {
  seq: number; at: string; actor: string; actor_role: string; action: string; court_id: string | null; target: string | null;
  ip: string | null; outcome: string; before_json: string | null; after_json: string | null; prev_hash: string; hash: string;
}

export const GENESIS = '0'.repeat(64);

function rowHash(seq: number, prevHash: string, r: Omit<DbRow, 'seq' | 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([seq, prevHash, r.at, r.actor, r.actor_role, r.action, r.court_id, r.target, r.ip, r.outcome, r.before_json, r.after_json]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** Appends one entry inside the caller's transaction; returns its sequence number. */
export async function appendAudit(tx: Tx, e: AuditEntry): Promise<number> {
  const last = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const row = {
    at: e.at, actor: e.actor, actor_role: e.actorRole, action: e.action, court_id: e.courtId ?? null, target: e.target ?? null,
    ip: e.ip ?? null, outcome: e.outcome,
    before_json: e.before === undefined ? null : JSON.stringify(e.before),
    after_json: e.after === undefined ? null : JSON.stringify(e.after),
  };
  const hash = rowHash(seq, prevHash, row);
  await tx.run(
    `INSERT INTO audit_log (seq, at, actor, actor_role, action, court_id, target, ip, outcome, before_json, after_json, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [seq, row.at, row.actor, row.actor_role, row.action, row.court_id, row.target, row.ip, row.outcome, row.before_json, row.after_json, prevHash, hash],
  );
  return seq;
}

/** Records an entry in its own transaction (for events with no other state to write). */
export function audit(db: Db, e: AuditEntry): Promise<number> {
  return db.transaction((tx) => appendAudit(tx, e));
}

export interface VerifyReport {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: Array<{ seq: number; problem: 'changed' | 'removed' | 'reordered'; detail: string }>;
}

/** Walks the whole chain; reports each row whose content no longer matches, and each gap. */
export async function verifyAudit(db: Db): Promise<VerifyReport> {
  const rows = await db.all<DbRow>('SELECT * FROM audit_log ORDER BY seq');
  const problems: VerifyReport['problems'] = [];
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, problem: 'removed', detail: r.seq > expectedSeq ? `rows ${expectedSeq}..${r.seq - 1} are missing` : `row ${r.seq} is out of order` });
    } else if (r.prev_hash !== prevHash) {
      problems.push({ seq: r.seq, problem: 'reordered', detail: 'its link to the previous row does not match' });
    }
    const recomputed = rowHash(r.seq, r.prev_hash, r);
    if (recomputed !== r.hash) problems.push({ seq: r.seq, problem: 'changed', detail: `${r.action} by ${r.actor} at ${r.at}: content does not match its hash` });
    prevHash = r.hash;
    expectedSeq = r.seq + 1;
  }
  const last = rows[rows.length - 1];
  return { ok: problems.length === 0, rows: rows.length, head: last ? { seq: last.seq, hash: last.hash } : null, problems };
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  /** Only these courts (scope); undefined means every court. */
  courts?: ReadonlySet<string>;
  court?: string;
  from?: string;
  to?: string;
  limit: number;
  beforeSeq?: number;
}

export async function queryAudit(db: Db, q: AuditQuery): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (q.actor) where.push('actor = ?'), params.push(q.actor);
  if (q.action) where.push('action = ?'), params.push(q.action);
  if (q.court) where.push('court_id = ?'), params.push(q.court);
  if (q.courts) {
    // Outside the whole country's view, rows about no court (logins, user admin) stay hidden.
    if (q.courts.size === 0) return [];
    where.push(`court_id IN (${[...q.courts].map(() => '?').join(',')})`);
    params.push(...q.courts);
  }
  if (q.from) where.push('at >= ?'), params.push(q.from);
  if (q.to) where.push('at < ?'), params.push(q.to);
  if (q.beforeSeq) where.push('seq < ?'), params.push(q.beforeSeq);
  const rows = await db.all<DbRow>(`SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`, [...params, q.limit]);
  return rows.map((r) => ({
    seq: r.seq, at: r.at, actor: r.actor, actorRole: r.actor_role, action: r.action, courtId: r.court_id, target: r.target, ip: r.ip,
    outcome: r.outcome, before: r.before_json ? JSON.parse(r.before_json) : null, after: r.after_json ? JSON.parse(r.after_json) : null,
    prevHash: r.prev_hash, hash: r.hash,
  }));
}
