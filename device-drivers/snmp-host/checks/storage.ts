/**
 * recording-volume: free space on the recording volume, in bytes and in hours of recording left
 * at the hall's bitrate (003 §5, §7.1). archive-volume: a regional server's archive (003 §14).
 * Both read hrStorageTable.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import type { Rows } from '../walk';
import { intOf, oidOf, textOf } from '../values';
import { gib, round, walkFailed, type Walked } from './common';

/** The columns walked, in this order. */
export const STORAGE_COLUMNS = [O.hrStorage.type, O.hrStorage.descr, O.hrStorage.allocationUnits, O.hrStorage.size, O.hrStorage.used] as const;

export interface StorageRow {
  index: string;
  type?: string;
  descr: string;
  sizeBytes?: number;
  usedBytes?: number;
}

export function storageRows(rows: Rows): StorageRow[] {
  const out: StorageRow[] = [];
  for (const [index, r] of rows) {
    const units = intOf(r[2]);
    const size = intOf(r[3]);
    const used = intOf(r[4]);
    const ok = units !== undefined && units > 0;
    out.push({
      index,
      type: oidOf(r[0]),
      descr: textOf(r[1], 512) ?? '',
      sizeBytes: ok && size !== undefined && size >= 0 ? size * units : undefined,
      usedBytes: ok && used !== undefined && used >= 0 ? used * units : undefined,
    });
  }
  return out;
}

/**
 * Does hrStorageDescr name this volume? A mount path matches exactly (a trailing "/" aside); a
 * Windows drive ("D:" or "D:\") matches "D:\ Label:Records  Serial Number 5e3c9a10".
 */
export function matchesVolume(descr: string, volume: string): boolean {
  const d = descr.trim();
  const v = volume.trim();
  const drive = /^([A-Za-z]):\\?$/.exec(v);
  if (drive) {
    const head = d.slice(0, 3).toUpperCase();
    return head === `${drive[1]!.toUpperCase()}:\\` && (d.length === 3 || /\s/.test(d[3]!));
  }
  const strip = (x: string) => (x.length > 1 ? x.replace(/\/+$/, '') : x);
  return strip(d) === strip(v);
}

function findVolume(rows: StorageRow[], volume: string): StorageRow | undefined {
  return rows.find((r) => matchesVolume(r.descr, volume));
}

export function recordingVolumeCheck(walked: Walked, volume: string, bitrateMbps: number, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft {
  const check = 'recording-volume';
  if (!walked.ok) return walkFailed(check, 'hrStorageTable', walked.error, budgetMs);
  const row = findVolume(storageRows(walked.rows), volume);
  if (!row || row.sizeBytes === undefined || row.usedBytes === undefined || row.sizeBytes <= 0) {
    return { check, status: 'down', message: `recording volume ${volume} not found on the host (hrStorageTable)`, messageKey: 'snmp.storage.missing', params: { volume } };
  }
  const free = Math.max(0, row.sizeBytes - row.usedBytes);
  const bytesPerHour = (bitrateMbps * 1e6 / 8) * 3600;
  const hoursLeft = round(free / bytesPerHour, 1);
  const values = { free_bytes: free, size_bytes: row.sizeBytes, hours_left: hoursLeft, bitrate_mbps: bitrateMbps };
  const params = { volume, freeGb: gib(free), hoursLeft };
  const { warnHours, failHours } = policy.storage;
  if (hoursLeft < failHours) {
    return { check, status: 'down', values, message: `${volume}: ${params.freeGb} GiB free, ${hoursLeft} h of recording left (limit ${failHours} h)`, messageKey: 'snmp.storage.critical', params: { ...params, limitHours: failHours } };
  }
  if (hoursLeft < warnHours) {
    return { check, status: 'degraded', values, message: `${volume}: ${params.freeGb} GiB free, ${hoursLeft} h of recording left (warning below ${warnHours} h)`, messageKey: 'snmp.storage.low', params: { ...params, limitHours: warnHours } };
  }
  return { check, status: 'ok', values, message: `${volume}: ${params.freeGb} GiB free, ${hoursLeft} h of recording left`, messageKey: 'snmp.storage.ok', params };
}

export function archiveVolumeCheck(walked: Walked, volume: string, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft {
  const check = 'archive-volume';
  if (!walked.ok) return walkFailed(check, 'hrStorageTable', walked.error, budgetMs);
  const row = findVolume(storageRows(walked.rows), volume);
  if (!row || row.sizeBytes === undefined || row.usedBytes === undefined || row.sizeBytes <= 0) {
    return { check, status: 'down', message: `archive volume ${volume} not found on the host (hrStorageTable)`, messageKey: 'snmp.storage.missing', params: { volume } };
  }
  const free = Math.max(0, row.sizeBytes - row.usedBytes);
  const freePercent = round((free / row.sizeBytes) * 100, 1);
  const values = { free_bytes: free, size_bytes: row.sizeBytes, free_percent: freePercent };
  const params = { volume, freeGb: gib(free), freePercent };
  const { warnFreePercent, failFreePercent } = policy.archive;
  if (freePercent < failFreePercent) {
    return { check, status: 'down', values, message: `${volume}: ${params.freeGb} GiB free, ${freePercent} % (limit ${failFreePercent} %)`, messageKey: 'snmp.archive.critical', params: { ...params, limitPercent: failFreePercent } };
  }
  if (freePercent < warnFreePercent) {
    return { check, status: 'degraded', values, message: `${volume}: ${params.freeGb} GiB free, ${freePercent} % (warning below ${warnFreePercent} %)`, messageKey: 'snmp.archive.low', params: { ...params, limitPercent: warnFreePercent } };
  }
  return { check, status: 'ok', values, message: `${volume}: ${params.freeGb} GiB free, ${freePercent} %`, messageKey: 'snmp.archive.ok', params };
}
