/**
 * Results and hall status in SQLite. Probe outcomes arrive many per second; they are
 * group-committed: everything queued while one transaction runs goes into the next, so a
 * probe's results and the hall status they caused always commit together, and the write
 * cost does not grow with the probe rate.
 */
import type { HallStatusDto, HistoryPoint } from '../api/dto';
import type { MaintenanceWindow } from '../rollup/hall-rollup';
import type { CheckResult, Status } from '../core/types';
import type { Db, Tx } from './db';

export interface ProbeRecord {
  /** Absent when only a hall's status changed (staleness, maintenance). */
  deviceId?: string;
  /** UTC ISO time of the write (from the Clock). */
  at: string;
  results: CheckResult[];
  /** The hall's new status when this probe changed it. */
  hall?: { status: HallStatusDto; statusChanged: boolean };
}

interface Pending {
  rec: ProbeRecord;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface ResultStoreOptions {
  /**
   * 0 (the library default): every probe's results are written. Above 0 (the product, policy
   * `retention.historySampleMinutes`): a check's result is written when its state changes
   * (status, message key, evidence) and otherwise once per this many ms,
   * so that a national fleet's history stays small (docs/BENCHMARKS.md, fleet) while every
   * change is kept and trends keep a sample.
   */
  historySampleMs?: number;
}

/**
 * What of a result makes it worth a history row at once: its state as a person reads it (status,
 * which message, new evidence). Figures in the message (a level, free gigabytes) move at every
 * probe; they are kept by the sampling.
 */
export function resultSignature(r: CheckResult): string {
  return `${r.status}|${r.messageKey}|${r.evidence?.ref ?? ''}`;
}

/**
 * Pure: which of a probe's results to write, given what was last written for the device
 * (signature and time per check). The device's latest set is rewritten whole when any check is
 * written or the set of checks changed.
 */
export function resultsToWrite(results: readonly CheckResult[], last: ReadonlyMap<string, { sig: string; at: number }> | undefined, now: number, sampleMs: number): Array<CheckResult & { sample?: true }> {
  if (sampleMs <= 0 || !last) return [...results];
  const out: Array<CheckResult & { sample?: true }> = [];
  for (const r of results) {
    const l = last.get(r.check);
    if (!l || l.sig !== resultSignature(r)) out.push(r);
    else if (now - l.at >= sampleMs) out.push({ ...r, sample: true });
  }
  if (out.length === 0 && (last.size !== results.length || results.some((r) => !last.has(r.check)))) return [...results];
  return out;
}

export class ResultStore {
  private pending: Pending[] = [];
  private flushing = false;
  rowsWritten = 0;
  /** Per device: what was last written of each check (historySampleMs > 0). */
  private readonly written = new Map<string, Map<string, { sig: string; at: number }>>();
  private readonly sampleMs: number;

  constructor(private readonly db: Db, o: ResultStoreOptions = {}) {
    this.sampleMs = o.historySampleMs ?? 0;
  }

  /** Resolves once the record is committed. */
  record(rec: ProbeRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rec, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const records = batch.map((p) => this.select(p.rec)).filter((r) => r.history.length > 0 || r.hall);
      try {
        // Most probes of a steady fleet change nothing worth a row: no transaction at all for them.
        const rows = records.length === 0 ? 0 : await this.db.transaction(async (tx) => {
          let n = 0;
          for (const r of records) n += await writeRecord(tx, r);
          return n;
        });
        this.rowsWritten += rows;
        for (const p of batch) p.resolve();
      } catch (e) {
        // What select() remembered as written was not: those devices write in full next time.
        for (const r of records) if (r.deviceId !== undefined) this.written.delete(r.deviceId);
        for (const p of batch) p.reject(e);
      }
    }
    this.flushing = false;
  }

  /** The record with only the results worth writing (see resultsToWrite); remembers them. */
  private select(rec: ProbeRecord): ProbeRecord & { history: Array<CheckResult & { sample?: true }> } {
    if (rec.deviceId === undefined) return { ...rec, history: [] };
    const now = Date.parse(rec.at);
    const last = this.written.get(rec.deviceId);
    const history = resultsToWrite(rec.results, last, now, this.sampleMs);
    if (this.sampleMs > 0 && history.length > 0) {
      const m = new Map<string, { sig: string; at: number }>(last && history.length < rec.results.length ? last : []);
      for (const r of history) m.set(r.check, { sig: resultSignature(r), at: now });
      this.written.set(rec.deviceId, m);
    }
    return { ...rec, history };
  }

  async loadLatest(): Promise<Map<string, CheckResult[]>> {
    const rows = await this.db.all<{ device_id: string; result_json: string }>('SELECT device_id, result_json FROM check_latest ORDER BY device_id, check_name');
    const out = new Map<string, CheckResult[]>();
    for (const r of rows) {
      const list = out.get(r.device_id) ?? [];
      list.push(JSON.parse(r.result_json) as CheckResult);
      out.set(r.device_id, list);
    }
    return out;
  }

  async loadHallStatus(): Promise<Map<string, HallStatusDto>> {
    const rows = await this.db.all<{ hall_id: string; status: Status; avf: Status | null; vks: Status | null; causes_json: string; since: string }>('SELECT * FROM hall_status');
    return new Map(rows.map((r) => [r.hall_id, { hallId: r.hall_id, status: r.status, avf: r.avf, vks: r.vks, causes: JSON.parse(r.causes_json), since: r.since }]));
  }

  async history(deviceIds: string[], limit: number): Promise<HistoryPoint[]> {
    if (deviceIds.length === 0) return [];
    const rows = await this.db.all<{ device_id: string; check_name: string; status: Status; message: string; message_key: string; params_json: string | null; observed_at: string; duration_ms: number; values_json: string | null }>(
      `SELECT device_id, check_name, status, message, message_key, params_json, observed_at, duration_ms, values_json FROM check_history
       WHERE device_id IN (${deviceIds.map(() => '?').join(',')}) ORDER BY observed_at DESC, id DESC LIMIT ?`,
      [...deviceIds, limit],
    );
    return rows.map((r) => ({
      deviceId: r.device_id, check: r.check_name, status: r.status, message: r.message, messageKey: r.message_key,
      ...(r.params_json ? { params: JSON.parse(r.params_json) } : {}), observedAt: r.observed_at,
      durationMs: r.duration_ms, ...(r.values_json ? { values: JSON.parse(r.values_json) } : {}),
    }));
  }

  async hallHistory(hallId: string, limit: number): Promise<Array<{ status: Status; avf: Status | null; vks: Status | null; at: string }>> {
    return this.db.all('SELECT status, avf, vks, at FROM hall_status_history WHERE hall_id = ? ORDER BY at DESC, id DESC LIMIT ?', [hallId, limit]);
  }

  /**
   * Deletes history older than the cutoff, in chunks so that probes keep committing meanwhile.
   * With `changesBeforeIso`, rows that record a change of state are kept until that older cutoff
   * and only figure samples go at `beforeIso`.
   */
  async prune(beforeIso: string, chunk = 5000, changesBeforeIso?: string): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        const a = changesBeforeIso === undefined
          ? await tx.run('DELETE FROM check_history WHERE id IN (SELECT id FROM check_history WHERE observed_at < ? LIMIT ?)', [beforeIso, chunk])
          : await tx.run('DELETE FROM check_history WHERE id IN (SELECT id FROM check_history WHERE (observed_at < ? AND sample = 1) OR observed_at < ? LIMIT ?)', [beforeIso, changesBeforeIso, chunk]);
        const b = await tx.run('DELETE FROM hall_status_history WHERE id IN (SELECT id FROM hall_status_history WHERE at < ? LIMIT ?)', [beforeIso, chunk]);
        return a.changes + b.changes;
      });
      total += n;
      if (n === 0) return total;
    }
  }

  async maintenanceWindows(nowIso: string): Promise<MaintenanceWindow[]> {
    const rows = await this.db.all<{ scope: 'hall' | 'device'; target_id: string; starts_at: string; ends_at: string }>(
      'SELECT scope, target_id, starts_at, ends_at FROM maintenance_window WHERE ends_at > ?', [nowIso]);
    return rows.map((r) => ({ scope: r.scope, targetId: r.target_id, startsAt: Date.parse(r.starts_at), endsAt: Date.parse(r.ends_at) }));
  }
}

async function writeRecord(tx: Tx, rec: ProbeRecord & { history: Array<CheckResult & { sample?: true }> }): Promise<number> {
  let rows = 0;
  // The latest set replaces the previous one whole: a check the driver no longer reports
  // (an option removed) must not linger as a stale failure. Nothing worth a history row:
  // the stored latest set stays as it is (its figures at most one sample period old).
  const deviceId = rec.deviceId;
  if (deviceId !== undefined && rec.history.length > 0) {
    await tx.run('DELETE FROM check_latest WHERE device_id = ?', [deviceId]);
    for (const r of rec.results) {
      await tx.run('INSERT INTO check_latest (device_id, check_name, status, result_json, observed_at) VALUES (?, ?, ?, ?, ?)',
        [deviceId, r.check, r.status, JSON.stringify(r), r.observedAt]);
      rows++;
    }
  }
  for (const r of rec.history) {
    if (deviceId === undefined) break;
    await tx.run('INSERT INTO check_history (device_id, check_name, status, message, message_key, params_json, observed_at, duration_ms, values_json, sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [deviceId, r.check, r.status, r.message, r.messageKey, r.params ? JSON.stringify(r.params) : null, r.observedAt, r.durationMs, r.values ? JSON.stringify(r.values) : null, r.sample ? 1 : 0]);
    rows++;
  }
  if (rec.hall) {
    const h = rec.hall.status;
    await tx.run(
      `INSERT INTO hall_status (hall_id, status, avf, vks, causes_json, since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (hall_id) DO UPDATE SET status = excluded.status, avf = excluded.avf, vks = excluded.vks,
         causes_json = excluded.causes_json, since = excluded.since, updated_at = excluded.updated_at`,
      [h.hallId, h.status, h.avf, h.vks, JSON.stringify(h.causes), h.since, rec.at]);
    rows++;
    if (rec.hall.statusChanged) {
      await tx.run('INSERT INTO hall_status_history (hall_id, status, avf, vks, causes_json, at) VALUES (?, ?, ?, ?, ?, ?)',
        [h.hallId, h.status, h.avf, h.vks, JSON.stringify(h.causes), h.since]);
      rows++;
    }
  }
  return rows;
}
