/**
 * The VKS hearing schedule and its readiness checks in SQLite. The tables are created here with
 * CREATE TABLE IF NOT EXISTS at start (to be folded into store/migrations as one versioned step).
 * Times are UTC ISO-8601; the console shows them in the court's zone (Asia/Almaty).
 */
import type { Row, Tx } from '../store/db';

export const VKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS vks_hearing (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  court_id TEXT NOT NULL,
  hall_id TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  case_number TEXT NOT NULL,
  remote_kind TEXT NOT NULL CHECK (remote_kind IN ('court', 'facility', 'app')),
  remote_name TEXT NOT NULL,
  remote_address TEXT,
  participant TEXT,
  secretary TEXT,
  resolution_at TEXT,
  request_received_at TEXT,
  state TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'ready', 'failed', 'delayed', 'cancelled')),
  incident_id INTEGER,
  restoration_at TEXT,
  restoration_note TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (hall_id, starts_at)
);
CREATE INDEX IF NOT EXISTS vks_hearing_start ON vks_hearing (starts_at);
CREATE TABLE IF NOT EXISTS vks_check (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  hearing_id INTEGER NOT NULL REFERENCES vks_hearing (id),
  kind TEXT NOT NULL CHECK (kind IN ('test-session', 'day-check', 'connection')),
  due_at TEXT NOT NULL,
  ran_at TEXT,
  outcome TEXT CHECK (outcome IN ('passed', 'failed')),
  message_key TEXT,
  params_json TEXT,
  details_json TEXT,
  UNIQUE (hearing_id, kind)
);
CREATE INDEX IF NOT EXISTS vks_check_due ON vks_check (ran_at, due_at);
CREATE TABLE IF NOT EXISTS vks_act (
  hearing_id INTEGER PRIMARY KEY REFERENCES vks_hearing (id),
  drafted_at TEXT NOT NULL,
  content_json TEXT NOT NULL
);
`;

export type RemoteKind = 'court' | 'facility' | 'app';
export type HearingState = 'scheduled' | 'ready' | 'failed' | 'delayed' | 'cancelled';
export type CheckKind = 'test-session' | 'day-check' | 'connection';
export const CHECK_KINDS: readonly CheckKind[] = ['test-session', 'day-check', 'connection'];

export interface NewHearing {
  courtId: string;
  hallId: string;
  startsAt: string;
  caseNumber: string;
  remoteKind: RemoteKind;
  remoteName: string;
  remoteAddress?: string | null;
  participant?: string | null;
  secretary?: string | null;
  resolutionAt?: string | null;
  requestReceivedAt?: string | null;
}

export interface HearingRow {
  id: number;
  courtId: string;
  hallId: string;
  startsAt: string;
  caseNumber: string;
  remoteKind: RemoteKind;
  remoteName: string;
  remoteAddress: string | null;
  participant: string | null;
  secretary: string | null;
  resolutionAt: string | null;
  requestReceivedAt: string | null;
  state: HearingState;
  incidentId: number | null;
  restorationAt: string | null;
  restorationNote: string | null;
  createdAt: string;
  createdBy: string;
}

export interface CheckRow {
  id: number;
  hearingId: number;
  kind: CheckKind;
  dueAt: string;
  ranAt: string | null;
  outcome: 'passed' | 'failed' | null;
  messageKey: string | null;
  params: Record<string, string | number>;
  details: unknown;
}

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function hearingOf(r: Row): HearingRow {
  return {
    id: Number(r.id), courtId: String(r.court_id), hallId: String(r.hall_id), startsAt: String(r.starts_at), caseNumber: String(r.case_number),
    remoteKind: r.remote_kind as RemoteKind, remoteName: String(r.remote_name), remoteAddress: s(r.remote_address), participant: s(r.participant),
    secretary: s(r.secretary), resolutionAt: s(r.resolution_at), requestReceivedAt: s(r.request_received_at), state: r.state as HearingState,
    incidentId: r.incident_id === null ? null : Number(r.incident_id), restorationAt: s(r.restoration_at), restorationNote: s(r.restoration_note),
    createdAt: String(r.created_at), createdBy: String(r.created_by),
  };
}

export function checkOf(r: Row): CheckRow {
  return {
    id: Number(r.id), hearingId: Number(r.hearing_id), kind: r.kind as CheckKind, dueAt: String(r.due_at), ranAt: s(r.ran_at),
    outcome: (r.outcome ?? null) as CheckRow['outcome'], messageKey: s(r.message_key),
    params: r.params_json ? JSON.parse(String(r.params_json)) : {}, details: r.details_json ? JSON.parse(String(r.details_json)) : null,
  };
}

export async function insertHearing(tx: Tx, h: NewHearing, checks: Array<{ kind: CheckKind; dueAt: string }>, by: string, now: string): Promise<number> {
  const r = await tx.run(
    `INSERT INTO vks_hearing (court_id, hall_id, starts_at, case_number, remote_kind, remote_name, remote_address, participant, secretary, resolution_at, request_received_at, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [h.courtId, h.hallId, h.startsAt, h.caseNumber, h.remoteKind, h.remoteName, h.remoteAddress ?? null, h.participant ?? null, h.secretary ?? null, h.resolutionAt ?? null, h.requestReceivedAt ?? null, now, by]);
  for (const c of checks) await tx.run('INSERT INTO vks_check (hearing_id, kind, due_at) VALUES (?, ?, ?)', [r.lastID, c.kind, c.dueAt]);
  return r.lastID;
}

export async function getHearing(db: Tx, id: number): Promise<HearingRow | undefined> {
  const r = await db.get('SELECT * FROM vks_hearing WHERE id = ?', [id]);
  return r ? hearingOf(r) : undefined;
}

export async function hearingsBetween(db: Tx, fromIso: string, toIso: string): Promise<HearingRow[]> {
  return (await db.all('SELECT * FROM vks_hearing WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, hall_id', [fromIso, toIso])).map(hearingOf);
}

export async function checksOf(db: Tx, hearingIds: number[]): Promise<Map<number, CheckRow[]>> {
  const out = new Map<number, CheckRow[]>();
  if (!hearingIds.length) return out;
  const rows = await db.all(`SELECT * FROM vks_check WHERE hearing_id IN (${hearingIds.map(() => '?').join(',')}) ORDER BY due_at`, hearingIds);
  for (const r of rows.map(checkOf)) out.set(r.hearingId, [...(out.get(r.hearingId) ?? []), r]);
  return out;
}

export async function actOf(db: Tx, hearingId: number): Promise<{ draftedAt: string; content: VksActContent } | undefined> {
  const r = await db.get('SELECT * FROM vks_act WHERE hearing_id = ?', [hearingId]);
  return r ? { draftedAt: String(r.drafted_at), content: JSON.parse(String(r.content_json)) } : undefined;
}

/** The act of technical impossibility (001 §18, 002 §18): what the drafted document says. */
export interface VksActContent {
  hearingId: number;
  courtId: string;
  hallId: string;
  hallNumber: string;
  caseNumber: string;
  startsAt: string;
  remoteKind: RemoteKind;
  remoteName: string;
  /** When the start was found delayed. */
  delayedAt: string;
  failures: Array<{ kind: CheckKind; ranAt: string; messageKey: string; params: Record<string, string | number>; message: string }>;
  incidentId: number | null;
  restorationAt: string | null;
  /** 002 §18: chancellery head, secretary, technical specialist. */
  signatories: Array<'chancellery-head' | 'secretary' | 'technical-specialist'>;
  timezone: string;
}
