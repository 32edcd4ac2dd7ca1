/**
 * cpu-load (hrProcessorLoad: each processor's average load over the last minute) and memory
 * (the hrStorageRam row of hrStorageTable). Each is omitted when the agent does not report it.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import { intOf } from '../values';
import { round, walkFailed, type Walked } from './common';
import { storageRows } from './storage';

export const CPU_COLUMNS = [O.hrProcessorLoad] as const;

export function cpuCheck(walked: Walked, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft | undefined {
  const check = 'cpu-load';
  if (!walked.ok) return walkFailed(check, 'hrProcessorTable', walked.error, budgetMs);
  const loads = [...walked.rows.values()].map((r) => intOf(r[0])).filter((n): n is number => n !== undefined && n >= 0 && n <= 100);
  if (loads.length === 0) return undefined;
  const avg = round(loads.reduce((a, b) => a + b, 0) / loads.length, 1);
  const max = Math.max(...loads);
  const values = { load_percent: avg, load_max_percent: max, cpus: loads.length };
  const limit = policy.cpu.warnPercent;
  if (avg >= limit) {
    return { check, status: 'degraded', values, message: `processor load ${avg} % (warning at ${limit} %)`, messageKey: 'snmp.cpu.high', params: { loadPercent: avg, limitPercent: limit } };
  }
  return { check, status: 'ok', values, message: `processor load ${avg} % over ${loads.length} processor(s)`, messageKey: 'snmp.cpu.ok', params: { loadPercent: avg, cpus: loads.length } };
}

export function memoryCheck(walked: Walked, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft | undefined {
  const check = 'memory';
  if (!walked.ok) return walkFailed(check, 'hrStorageTable', walked.error, budgetMs);
  const ram = storageRows(walked.rows).find((r) => r.type === O.hrStorageTypes.ram && r.sizeBytes !== undefined && r.sizeBytes > 0 && r.usedBytes !== undefined);
  if (!ram) return undefined;
  const total = ram.sizeBytes!;
  const used = Math.min(ram.usedBytes!, total);
  const usedPercent = round((used / total) * 100, 1);
  const values = { memory_used_percent: usedPercent, memory_total_bytes: total, memory_used_bytes: used };
  const limit = policy.memory.warnPercent;
  if (usedPercent >= limit) {
    return { check, status: 'degraded', values, message: `memory ${usedPercent} % in use (warning at ${limit} %)`, messageKey: 'snmp.memory.high', params: { usedPercent, limitPercent: limit } };
  }
  return { check, status: 'ok', values, message: `memory ${usedPercent} % in use`, messageKey: 'snmp.memory.ok', params: { usedPercent } };
}
