/** Shared pieces of the snmp-host checks: walk outcomes, failures as results, rounding. */
import type { CheckResult, CheckResultDraft } from '../../../collector/core/types';
import { SnmpError } from '../session-pool';
import { WalkError, type Rows } from '../walk';

/** A table walk's outcome: its rows, or why there are none. */
export type Walked = { ok: true; rows: Rows } | { ok: false; error: unknown };

/** The table could not be read: the checks that need it cannot judge (unknown). */
export function walkFailed(check: string, table: string, error: unknown, budgetMs: number): CheckResultDraft {
  if (error instanceof WalkError) {
    if (error.reason === 'non-increasing') {
      return { check, status: 'unknown', message: `${table}: the agent answered with OIDs that do not increase (${error.detail}); walk stopped`, messageKey: 'snmp.walk.non-increasing', params: { table } };
    }
    if (error.reason === 'too-large') {
      const message = `${table}: ${error.detail}; walk stopped`;
      return error.limit && 'bytes' in error.limit
        ? { check, status: 'unknown', message, messageKey: 'snmp.walk.too-many-bytes', params: { table, limitKb: Math.round(error.limit.bytes / 1024) } }
        : { check, status: 'unknown', message, messageKey: 'snmp.walk.too-many-rows', params: { table, limit: error.limit && 'rows' in error.limit ? error.limit.rows : 0 } };
    }
    return { check, status: 'unknown', message: `${table}: the agent stopped answering with new rows; walk stopped`, messageKey: 'snmp.walk.stalled', params: { table } };
  }
  const e = error instanceof SnmpError ? error : new SnmpError('malformed', 'unexpected failure');
  switch (e.kind) {
    case 'no-answer':
    case 'cancelled':
      return { check, status: 'unknown', message: `${table}: walk not finished within ${budgetMs} ms`, messageKey: 'snmp.walk.timeout', params: { table, timeoutMs: budgetMs } };
    case 'malformed':
      return { check, status: 'unknown', message: `${table}: malformed reply (${e.detail})`, messageKey: 'snmp.walk.malformed', params: { table } };
    default:
      return { check, status: 'unknown', message: `${table}: ${e.detail}`, messageKey: 'snmp.walk.error', params: { table, error: e.detail } };
  }
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The previous probe's result of a check, if it carried figures. */
export function previousOf(previous: CheckResult[] | undefined, check: string): CheckResult | undefined {
  return previous?.find((r) => r.check === check && r.values);
}

/** GiB with one decimal, for messages (the console labels 1024-based units ГБ, like Windows). */
export function gib(bytes: number): number {
  return round(bytes / 2 ** 30, 1);
}
