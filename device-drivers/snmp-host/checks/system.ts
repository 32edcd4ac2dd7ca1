/**
 * snmp-reachable, uptime (with a reboot since the last probe), clock-drift (hrSystemDate).
 */
import type { Varbind } from 'net-snmp';
import type { CheckResult, CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import type { SnmpError } from '../session-pool';
import { intOf, isMissing, parseDateAndTime, textOf } from '../values';
import { previousOf, round } from './common';

/** The scalars read first: one GET is the reachability check. */
export const SCALARS = [O.sysUpTime, O.sysDescr, O.sysName, O.hrSystemUptime, O.hrSystemDate] as const;

export interface Scalars {
  sysUpTime?: Varbind;
  sysDescr?: Varbind;
  sysName?: Varbind;
  hrSystemUptime?: Varbind;
  hrSystemDate?: Varbind;
}

export function scalarsFrom(varbinds: Varbind[]): Scalars {
  const by = new Map<string, Varbind>();
  for (const vb of varbinds ?? []) if (vb && typeof vb.oid === 'string' && !isMissing(vb)) by.set(vb.oid.replace(/^\./, ''), vb);
  return {
    sysUpTime: by.get(O.sysUpTime), sysDescr: by.get(O.sysDescr), sysName: by.get(O.sysName),
    hrSystemUptime: by.get(O.hrSystemUptime), hrSystemDate: by.get(O.hrSystemDate),
  };
}

export function reachableOk(version: '2c' | '3', rttMs: number, s: Scalars): CheckResultDraft {
  const facts: Record<string, string> = {};
  const descr = textOf(s.sysDescr, 255);
  const name = textOf(s.sysName, 255);
  if (descr) facts.sysDescr = descr;
  if (name) facts.sysName = name;
  const v = version === '3' ? 'v3' : 'v2c';
  return {
    check: 'snmp-reachable', status: 'ok', message: `SNMP ${v} answer in ${rttMs} ms`, messageKey: 'snmp.reachable.ok',
    params: { version: v, rttMs }, values: { rtt_ms: rttMs }, facts,
  };
}

/** The first request failed: why, in words a technician can act on. */
export function reachableFailed(e: SnmpError, version: '2c' | '3', budgetMs: number): CheckResultDraft {
  const check = 'snmp-reachable';
  switch (e.kind) {
    case 'no-answer':
    case 'cancelled':
      return {
        check, status: 'down', messageKey: 'snmp.no-answer', params: { timeoutMs: budgetMs },
        message: version === '3'
          ? `no SNMP answer within ${budgetMs} ms (host down, SNMP service stopped, blocked, or a wrong v3 privacy key)`
          : `no SNMP answer within ${budgetMs} ms (host down, SNMP service stopped, blocked, or a wrong community)`,
      };
    case 'unreachable':
      return { check, status: 'down', message: `SNMP request could not be sent: ${e.detail}`, messageKey: 'snmp.unreachable', params: { error: e.detail } };
    case 'auth':
      if (e.authReason === 'wrong-key') {
        return { check, status: 'unknown', message: `SNMPv3 authentication failed: ${e.detail}`, messageKey: 'snmp.auth.wrong-key' };
      }
      if (e.authReason === 'unknown-user') {
        return { check, status: 'unknown', message: `SNMPv3 user unknown to the agent: ${e.detail}`, messageKey: 'snmp.auth.unknown-user' };
      }
      return { check, status: 'unknown', message: `SNMPv3 security failure: ${e.detail}`, messageKey: 'snmp.auth.failed', params: { error: e.detail } };
    case 'malformed':
      return { check, status: 'unknown', message: `malformed SNMP reply: ${e.detail}`, messageKey: 'snmp.reply.malformed' };
    default:
      return { check, status: 'unknown', message: `SNMP error: ${e.detail}`, messageKey: 'snmp.error', params: { error: e.detail } };
  }
}

/** TimeTicks wrap at 2^32 hundredths of a second (497 days). */
const WRAP_S = 2 ** 32 / 100;

function dhm(seconds: number): { days: number; hours: number; minutes: number } {
  const s = Math.max(0, Math.floor(seconds));
  return { days: Math.floor(s / 86_400), hours: Math.floor((s % 86_400) / 3600), minutes: Math.floor((s % 3600) / 60) };
}

/**
 * Host uptime (hrSystemUptime; sysUpTime, the agent's own uptime, when the host resource MIB is
 * missing). A reboot since the last probe: the uptime is less than the last one plus the time
 * since (TimeTicks wrap-around allowed for).
 */
export function uptimeCheck(s: Scalars, previous: CheckResult[] | undefined, nowMs: number, policy: SnmpHostPolicy): CheckResultDraft {
  const hostTicks = intOf(s.hrSystemUptime);
  const agentTicks = intOf(s.sysUpTime);
  const ticks = hostTicks ?? agentTicks;
  if (ticks === undefined) {
    return { check: 'uptime', status: 'unknown', message: 'the agent reports no uptime (hrSystemUptime, sysUpTime)', messageKey: 'snmp.value.missing', params: { object: 'sysUpTime' } };
  }
  const source = hostTicks !== undefined ? 'hrSystemUptime' : 'sysUpTime';
  const uptimeS = round(ticks / 100, 2);
  const values: Record<string, number> = { uptime_s: uptimeS };
  const prev = previousOf(previous, 'uptime');
  const prevUptime = prev?.values?.uptime_s;
  const prevAt = prev ? Date.parse(prev.observedAt) : NaN;
  let rebooted = false;
  if (typeof prevUptime === 'number' && Number.isFinite(prevAt) && (prev?.facts?.uptimeSource ?? source) === source) {
    const elapsed = (nowMs - prevAt) / 1000;
    if (elapsed >= 0) {
      let expected = prevUptime + elapsed;
      if (expected >= WRAP_S) expected -= WRAP_S;
      const tolerance = 5 + elapsed * 0.01;
      rebooted = uptimeS + tolerance < expected;
      values.previous_uptime_s = prevUptime;
    }
  }
  const t = dhm(uptimeS);
  const facts = { uptimeSource: source };
  if (rebooted) {
    const agent = source === 'sysUpTime';
    return {
      check: 'uptime', status: policy.uptime.rebootStatus, values, facts,
      message: agent
        ? `the SNMP agent restarted since the last probe (up ${t.days} d ${t.hours} h ${t.minutes} min)`
        : `rebooted since the last probe (up ${t.days} d ${t.hours} h ${t.minutes} min)`,
      messageKey: agent ? 'snmp.uptime.agent-restarted' : 'snmp.uptime.rebooted', params: t,
    };
  }
  return { check: 'uptime', status: 'ok', message: `up ${t.days} d ${t.hours} h ${t.minutes} min`, messageKey: 'snmp.uptime.ok', params: t, values, facts };
}

/**
 * Clock drift: hrSystemDate against the collector's clock at the moment of the answer.
 * Omitted when the agent does not implement hrSystemDate.
 */
export function clockCheck(s: Scalars, answeredAtMs: number, offsetMinutes: number, policy: SnmpHostPolicy): CheckResultDraft | undefined {
  if (!s.hrSystemDate) return undefined;
  const d = parseDateAndTime(s.hrSystemDate.value, offsetMinutes);
  if (!d) {
    return { check: 'clock-drift', status: 'degraded', message: 'hrSystemDate is not a valid date and time', messageKey: 'snmp.clock.invalid' };
  }
  const driftS = round((d.ms - answeredAtMs) / 1000, 1);
  const limitS = policy.clock.warnDriftSeconds;
  const ahead = driftS >= 0;
  const abs = Math.abs(driftS);
  if (abs > limitS) {
    return {
      check: 'clock-drift', status: 'degraded', values: { drift_s: driftS },
      message: `clock ${abs} s ${ahead ? 'ahead' : 'behind'} (limit ${limitS} s)`,
      messageKey: ahead ? 'snmp.clock.ahead' : 'snmp.clock.behind', params: { driftS: abs, limitS },
    };
  }
  return { check: 'clock-drift', status: 'ok', message: `clock within ${limitS} s (${driftS} s)`, messageKey: 'snmp.clock.ok', params: { driftS, limitS }, values: { drift_s: driftS } };
}
