/**
 * The act's life: the draft is edited in place; approval freezes it (000 §29: it is attached to
 * the hearing protocol); a change after approval is a new draft version. Every step audited.
 */
import { appendAudit } from '../../collector/auth/audit';
import type { Clock } from '../../collector/core/clock';
import type { Db, Tx } from '../../collector/store/db';
import { EngineError, type Actor } from '../incidents/errors';
import type { TechnicalAct } from './act-types';

export interface ActEdit {
  description?: string;
  measures?: string;
  caseNumber?: string | null;
  signatories?: TechnicalAct['signatories'];
}

export interface ActVersion {
  version: number;
  status: 'draft' | 'approved';
  act: TechnicalAct;
  createdAt: string;
  createdBy: string;
  approvedAt: string | null;
  approvedBy: string | null;
}

export class ActService {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly onChange: (incidentId: number) => void) {}

  async versions(incidentId: number): Promise<ActVersion[]> {
    const rows = await this.db.all<{ version: number; status: 'draft' | 'approved'; content_json: string; created_at: string; created_by: string; approved_at: string | null; approved_by: string | null }>(
      'SELECT * FROM acts WHERE incident_id = ? ORDER BY version DESC', [incidentId]);
    return rows.map((r) => ({ version: r.version, status: r.status, act: JSON.parse(r.content_json), createdAt: r.created_at, createdBy: r.created_by, approvedAt: r.approved_at, approvedBy: r.approved_by }));
  }

  async latest(incidentId: number): Promise<ActVersion | undefined> {
    return (await this.versions(incidentId))[0];
  }

  async edit(incidentId: number, courtId: string, by: Actor, e: ActEdit): Promise<ActVersion> {
    const now = new Date(this.clock.now()).toISOString();
    await this.db.transaction(async (tx) => {
      const cur = await tx.get<{ version: number; status: string; content_json: string }>('SELECT version, status, content_json FROM acts WHERE incident_id = ? ORDER BY version DESC LIMIT 1', [incidentId]);
      if (!cur) throw new EngineError(409, 'conflict', 'no act yet: it is drafted when the cause is confirmed (000 §29)', 'act');
      const before = JSON.parse(cur.content_json) as TechnicalAct;
      const act: TechnicalAct = {
        ...before,
        ...(e.description !== undefined ? { description: e.description } : {}),
        ...(e.measures !== undefined ? { measures: e.measures } : {}),
        ...(e.signatories !== undefined ? { signatories: e.signatories } : {}),
        ...(e.caseNumber !== undefined ? { hearing: e.caseNumber ? { caseNumber: e.caseNumber, scheduledAt: before.hearing?.scheduledAt ?? null } : null } : {}),
      };
      if (cur.status === 'approved') {
        // Frozen: the change becomes the next version, a draft again.
        const next: TechnicalAct = { ...act, version: cur.version + 1, status: 'draft', draftedAt: now, approvedAt: null, approvedBy: null };
        await tx.run('INSERT INTO acts (incident_id, version, status, content_json, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [incidentId, next.version, 'draft', JSON.stringify(next), now, by.login, now]);
        await appendAudit(tx, { at: now, actor: by.login, actorRole: by.role, action: 'act.new-version', courtId, target: `incident:${incidentId}:act:${next.version}`, ip: by.ip, outcome: 'ok', before: { version: cur.version }, after: e });
      } else {
        await tx.run('UPDATE acts SET content_json = ?, updated_at = ? WHERE incident_id = ? AND version = ?', [JSON.stringify(act), now, incidentId, cur.version]);
        await appendAudit(tx, { at: now, actor: by.login, actorRole: by.role, action: 'act.edit', courtId, target: `incident:${incidentId}:act:${cur.version}`, ip: by.ip, outcome: 'ok', before: { description: before.description, measures: before.measures, hearing: before.hearing, signatories: before.signatories }, after: e });
      }
      await tx.run('INSERT INTO incident_events (incident_id, at, actor, kind, data_json) VALUES (?, ?, ?, ?, ?)', [incidentId, now, by.login, 'act-edited', JSON.stringify({ fields: Object.keys(e) })]);
    });
    this.onChange(incidentId);
    return (await this.latest(incidentId))!;
  }
}

/** Approves the latest draft inside the caller's transaction (which also completes the step owed). */
export async function approveLatestAct(tx: Tx, incidentId: number, by: Actor, now: string): Promise<number> {
  const cur = await tx.get<{ version: number; status: string; content_json: string }>('SELECT version, status, content_json FROM acts WHERE incident_id = ? ORDER BY version DESC LIMIT 1', [incidentId]);
  if (!cur) throw new EngineError(409, 'conflict', 'no act to approve yet: it is drafted when the cause is confirmed (000 §29)', 'act');
  if (cur.status === 'approved') throw new EngineError(409, 'conflict', `version ${cur.version} is approved already`, 'act');
  const act = { ...(JSON.parse(cur.content_json) as TechnicalAct), status: 'approved' as const, approvedAt: now, approvedBy: by.displayName };
  await tx.run("UPDATE acts SET status = 'approved', content_json = ?, approved_at = ?, approved_by = ?, updated_at = ? WHERE incident_id = ? AND version = ?",
    [JSON.stringify(act), now, by.login, now, incidentId, cur.version]);
  await tx.run('INSERT INTO incident_events (incident_id, at, actor, kind, data_json) VALUES (?, ?, ?, ?, ?)', [incidentId, now, by.login, 'act-approved', JSON.stringify({ version: cur.version })]);
  return cur.version;
}
