/**
 * recorder-process: the recorder runs (hrSWRunTable, 003 §7.1, 000 §5). Names compare without
 * case; Linux reports at most 15 characters of a process name, so a longer configured name also
 * matches its first 15 characters there.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import { intOf, textOf } from '../values';
import { walkFailed, type Walked } from './common';

export const PROCESS_COLUMNS = [O.hrSWRun.name, O.hrSWRun.status] as const;

const LINUX_COMM = 15;

export function matchesProcess(reported: string, wanted: string): boolean {
  const r = reported.trim().toLowerCase();
  const w = wanted.trim().toLowerCase();
  if (r === w) return true;
  return r.length === LINUX_COMM && w.length > LINUX_COMM && w.startsWith(r);
}

const STATUS_NAME: Record<number, string> = { 1: 'running', 2: 'runnable', 3: 'notRunnable', 4: 'invalid' };

export function processCheck(walked: Walked, name: string, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft {
  const check = 'recorder-process';
  if (!walked.ok) return walkFailed(check, 'hrSWRunTable', walked.error, budgetMs);
  const all = [...walked.rows.values()];
  const mine = all.filter((r) => matchesProcess(textOf(r[0], 255) ?? '', name));
  const statuses = mine.map((r) => intOf(r[1]));
  const live = statuses.filter((s) => s === O.HR_SWRUN_STATUS.running || s === O.HR_SWRUN_STATUS.runnable).length;
  const values = { process_count: live, processes_total: all.length };
  if (mine.length === 0) {
    return { check, status: 'down', values, message: `recorder process ${name} is not running (not in the process table)`, messageKey: 'snmp.process.missing', params: { name } };
  }
  if (live > 0) {
    return { check, status: 'ok', values, message: `recorder process ${name} running (${live})`, messageKey: 'snmp.process.ok', params: { name, count: live } };
  }
  const notRunnable = statuses.some((s) => s === O.HR_SWRUN_STATUS.notRunnable);
  if (notRunnable) {
    return { check, status: policy.process.notRunnableStatus, values, message: `recorder process ${name} is present but not runnable (stopped or blocked)`, messageKey: 'snmp.process.not-runnable', params: { name } };
  }
  const shown = statuses.map((s) => (s === undefined ? '?' : STATUS_NAME[s] ?? String(s))).join(', ');
  return { check, status: 'down', values, message: `recorder process ${name} is not alive (status ${shown})`, messageKey: 'snmp.process.invalid', params: { name } };
}
