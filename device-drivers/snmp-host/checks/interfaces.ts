/**
 * interfaces: the network interfaces the records leave by are up, and their error counters do not
 * rise (IF-MIB ifTable). Watched: the interfaces named in the options, or by default every
 * administratively-up interface that is not a loopback. Errors: ifInErrors + ifOutErrors over the
 * watched interfaces, compared with the previous probe (a counter that went down was reset: no rise).
 */
import type { CheckResult, CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import { intOf, textOf } from '../values';
import { previousOf, walkFailed, type Walked } from './common';

export const IF_COLUMNS = [O.ifTable.descr, O.ifTable.type, O.ifTable.adminStatus, O.ifTable.operStatus, O.ifTable.inErrors, O.ifTable.outErrors] as const;

interface Iface {
  descr: string;
  type?: number;
  admin?: number;
  oper?: number;
  errors: number;
}

export function interfacesCheck(walked: Walked, named: string[] | undefined, previous: CheckResult[] | undefined, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft {
  const check = 'interfaces';
  if (!walked.ok) return walkFailed(check, 'ifTable', walked.error, budgetMs);
  const all: Iface[] = [...walked.rows.values()].map((r) => ({
    descr: textOf(r[0], 255) ?? '',
    type: intOf(r[1]),
    admin: intOf(r[2]),
    oper: intOf(r[3]),
    errors: (intOf(r[4]) ?? 0) + (intOf(r[5]) ?? 0),
  }));
  const watched = named
    ? all.filter((i) => named.includes(i.descr))
    : all.filter((i) => i.admin === O.IF_STATUS.up && i.type !== O.IF_TYPE.softwareLoopback);
  const up = watched.filter((i) => i.oper === O.IF_STATUS.up);
  const errors = watched.reduce((a, i) => a + i.errors, 0);
  const values: Record<string, number> = { interfaces_up: up.length, interfaces_down: watched.length - up.length, if_errors: errors };

  const prev = previousOf(previous, check)?.values;
  let delta: number | undefined;
  if (prev && typeof prev.if_errors === 'number' && prev.interfaces_up + prev.interfaces_down === watched.length && errors >= prev.if_errors) {
    delta = errors - prev.if_errors;
    values.if_errors_delta = delta;
  }

  if (named) {
    const missing = named.filter((n) => !up.some((i) => i.descr === n));
    if (missing.length) {
      const names = missing.join(', ');
      return { check, status: 'down', values, message: `interface(s) not up: ${names}`, messageKey: 'snmp.if.down', params: { names } };
    }
  } else if (up.length === 0) {
    return { check, status: 'down', values, message: 'no network interface is up', messageKey: 'snmp.if.none-up' };
  }
  if (delta !== undefined && delta > policy.interfaces.warnErrorsPerProbe) {
    return { check, status: 'degraded', values, message: `interface errors rising: +${delta} since the last probe`, messageKey: 'snmp.if.errors-rising', params: { delta } };
  }
  return { check, status: 'ok', values, message: `${up.length} of ${watched.length} interface(s) up`, messageKey: 'snmp.if.ok', params: { up: up.length, total: watched.length } };
}
