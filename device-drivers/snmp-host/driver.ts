/**
 * snmp-host: the secretary's recording PC (003 §5, §7.1: the record is written there first) and the
 * regional main and backup servers (003 §14), over SNMP v2c or v3 (authPriv, SHA/AES), with the
 * npm net-snmp client. One GET of the system scalars is the reachability check; then the tables
 * the checks need are walked with GETBULK, in parallel, over one pooled session per target.
 *
 * Time: the probe's budget is its deadline less a margin, on ctx.clock. When it runs out every
 * request in flight ends at once and the checks say what was and was not answered, so a silent
 * host gives this driver's own "no answer" result (not the collector's generic timeout).
 */
import * as snmp from 'net-snmp';
import { defineDriver } from '../../collector/core/driver';
import { closeSnmpSessions } from './session-pool';
import { registerSecret } from '../../collector/core/logger';
import type { CheckResultDraft, ProbeTarget } from '../../collector/core/types';
import { clockCheck, reachableFailed, reachableOk, SCALARS, scalarsFrom, uptimeCheck } from './checks/system';
import type { Walked } from './checks/common';
import { archiveVolumeCheck, recordingVolumeCheck, STORAGE_COLUMNS } from './checks/storage';
import { cpuCheck, CPU_COLUMNS, memoryCheck } from './checks/load';
import { processCheck, PROCESS_COLUMNS } from './checks/process';
import { opticalCheck, DEVICE_COLUMNS } from './checks/optical';
import { interfacesCheck, IF_COLUMNS } from './checks/interfaces';
import { snmpHostOptions, type SnmpHostOptions } from './options';
import { snmpHostPolicyDefaults, snmpHostPolicySchema, type SnmpHostPolicy } from './policy';
import { classifyError, sessionPool, SnmpError, type Lease, type SessionSpec } from './session-pool';
import { walkColumns, WalkError, type WalkLimits } from './walk';

export const SNMP_HOST_CHECKS = [
  'snmp-reachable', 'uptime', 'clock-drift', 'recording-volume', 'archive-volume',
  'cpu-load', 'memory', 'recorder-process', 'optical-drive', 'interfaces',
] as const;

/** Why a probe could not even start: a configuration problem, shown as unknown. */
function configProblem(what: string, message: string): CheckResultDraft {
  return { check: 'snmp-reachable', status: 'unknown', message, messageKey: 'snmp.config.missing', params: { what } };
}

/** The session to open, from the options and the inventory's credentials; or what is missing. */
export function sessionSpecFor(target: ProbeTarget<SnmpHostOptions>, env: NodeJS.ProcessEnv = process.env): SessionSpec | CheckResultDraft {
  const o = target.options;
  const c = target.credentials;
  if (o.version === '2c') {
    if (!c?.password) return configProblem('credentials.password', 'SNMP v2c needs the community as credentials.password (a secret reference)');
    return { host: target.host, port: target.port, version: '2c', community: c.password };
  }
  if (!c?.username) return configProblem('credentials.username', 'SNMPv3 needs the user name as credentials.username');
  if (!c.password) return configProblem('credentials.password', 'SNMPv3 needs the authentication key as credentials.password (a secret reference)');
  let privKey = c.password;
  if (o.privKey && 'env' in o.privKey) {
    const v = env[o.privKey.env];
    if (!v) return configProblem(`privKey.env ${o.privKey.env}`, `environment variable ${o.privKey.env} (privKey) is not set`);
    registerSecret(v);
    privKey = v;
  }
  if (c.password.length < 8 || (o.securityLevel === 'authPriv' && privKey.length < 8)) {
    return configProblem('credentials.password', 'SNMPv3 keys must be at least 8 characters (RFC 3414)');
  }
  const user: snmp.User = {
    name: c.username,
    level: o.securityLevel === 'authPriv' ? snmp.SecurityLevel.authPriv : snmp.SecurityLevel.authNoPriv,
    authProtocol: snmp.AuthProtocols[o.authProtocol],
    authKey: c.password,
  };
  if (o.securityLevel === 'authPriv') {
    user.privProtocol = snmp.PrivProtocols[o.privProtocol];
    user.privKey = privKey;
  }
  return { host: target.host, port: target.port, version: '3', user };
}

async function walk(lease: Lease, columns: readonly string[], limits: WalkLimits): Promise<Walked> {
  try {
    return { ok: true, rows: (await walkColumns(lease, columns, limits)).rows };
  } catch (error) {
    return { ok: false, error: error instanceof WalkError ? error : classifyError(error) };
  }
}

export const snmpHostDriver = defineDriver<SnmpHostOptions, SnmpHostPolicy>({
  close: closeSnmpSessions,
  kind: 'snmp-host',
  description: 'Recording PC or regional server over SNMP v2c/v3: reachable, uptime and reboots, clock, recording/archive volume in hours left, CPU, memory, recorder process, optical drive, interfaces.',
  optionsSchema: snmpHostOptions,
  policySchema: snmpHostPolicySchema,
  policyDefaults: snmpHostPolicyDefaults,
  category: 'recording-pc',
  defaults: { intervalSeconds: 60, timeoutSeconds: 10, concurrency: 64 },
  checks: SNMP_HOST_CHECKS,
  // Prometheus (docs/METRICS.md): disk, clock and load of the recording PC or server.
  metrics: [
    { name: 'hallwatch_device_clock_drift_seconds', help: "Device clock minus the collector's clock at the last probe, in seconds (positive: ahead)", check: 'clock-drift', from: 'value', key: 'drift_s' },
    { name: 'hallwatch_recording_volume_free_bytes', help: "Free space on the volume the hall's recordings are written to, at the last probe", check: 'recording-volume', from: 'value', key: 'free_bytes' },
    { name: 'hallwatch_recording_volume_size_bytes', help: "Size of the volume the hall's recordings are written to", check: 'recording-volume', from: 'value', key: 'size_bytes' },
    { name: 'hallwatch_recording_time_left_seconds', help: "Recording time the free space holds at the device's configured bytes per second (free bytes / rate), at the last probe", check: 'recording-volume', from: 'value', key: 'hours_left', scale: 3600 },
    { name: 'hallwatch_archive_volume_free_bytes', help: "Free space on a regional server's archive volume (003 §14)", check: 'archive-volume', from: 'value', key: 'free_bytes' },
    { name: 'hallwatch_archive_volume_size_bytes', help: "Size of a regional server's archive volume (003 §14)", check: 'archive-volume', from: 'value', key: 'size_bytes' },
    { name: 'hallwatch_host_cpu_load_ratio', help: 'Average processor load of the host over its processors (hrProcessorLoad), 0 to 1', check: 'cpu-load', from: 'value', key: 'load_percent', scale: 0.01 },
    { name: 'hallwatch_host_memory_used_ratio', help: 'Share of the host\'s physical memory in use, 0 to 1', check: 'memory', from: 'value', key: 'memory_used_percent', scale: 0.01 },
    { name: 'hallwatch_host_uptime_seconds', help: 'Time since the host last started (hrSystemUptime)', check: 'uptime', from: 'value', key: 'uptime_s' },
    { name: 'hallwatch_host_recorder_processes', help: 'Running or runnable processes of the recording program on the host (hrSWRunTable)', check: 'recorder-process', from: 'value', key: 'process_count' },
  ],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    const o = target.options;
    const policy = ctx.policy ?? snmpHostPolicyDefaults;
    const spec = sessionSpecFor(target);
    if (!('host' in spec)) return [spec];

    // The budget: the deadline less a margin, so that this driver reports before the collector cuts it.
    const total = Math.max(0, ctx.deadline - ctx.clock.now());
    const budgetMs = Math.max(0, total - Math.min(1000, Math.max(50, Math.round(total * 0.1))));
    const stop = new AbortController();
    let lease: Lease | undefined;
    const end = () => {
      if (!stop.signal.aborted) stop.abort();
      lease?.abort(new SnmpError('cancelled', `no answer within ${budgetMs} ms`));
    };
    const timer = ctx.clock.setTimer(budgetMs, end);
    if (ctx.signal.aborted) end();
    ctx.signal.addEventListener('abort', end, { once: true });
    let evict = false;
    try {
      try {
        lease = await sessionPool.acquire(spec, stop.signal, { requestTimeoutMs: Math.max(200, Math.floor(budgetMs / 3)), retries: 2 });
      } catch (e) {
        const err = classifyError(e);
        ctx.log.debug('snmp session not leased', { device: target.id, kind: err.kind, detail: err.detail });
        return [reachableFailed(err, o.version, budgetMs)];
      }
      if (stop.signal.aborted) lease.abort(new SnmpError('cancelled', 'probe ended'));

      // 1. The system scalars: reachability, uptime, clock.
      const sentAt = ctx.clock.now();
      const t0 = performance.now();
      let scalars;
      try {
        scalars = scalarsFrom(await lease.get([...SCALARS]));
      } catch (e) {
        evict = true;
        const err = classifyError(e);
        ctx.log.debug('snmp get failed', { device: target.id, version: o.version, kind: err.kind, detail: err.detail });
        return [reachableFailed(err, o.version, budgetMs)];
      }
      const rttMs = Math.round((performance.now() - t0) * 10) / 10;
      const answeredAt = sentAt + (ctx.clock.now() - sentAt) / 2;

      // 2. The tables, in parallel over the same session.
      const limits: WalkLimits = { maxRepetitions: o.maxRepetitions, maxRows: o.maxRows, maxBytes: o.maxBytes };
      const none: Walked = { ok: true, rows: new Map() };
      const [storage, cpu, procs, devices, ifaces] = await Promise.all([
        walk(lease, STORAGE_COLUMNS, limits),
        walk(lease, CPU_COLUMNS, limits),
        o.recorderProcess ? walk(lease, PROCESS_COLUMNS, limits) : Promise.resolve(none),
        o.opticalRequired ? walk(lease, DEVICE_COLUMNS, limits) : Promise.resolve(none),
        walk(lease, IF_COLUMNS, limits),
      ]);
      const tables = { hrStorageTable: storage, hrProcessorTable: cpu, hrSWRunTable: procs, hrDeviceTable: devices, ifTable: ifaces };
      for (const [table, w] of Object.entries(tables)) {
        if (!w.ok) ctx.log.debug('snmp walk failed', { device: target.id, table, error: (w.error as Error).message });
      }
      evict = Object.values(tables).some((w) => !w.ok);

      const out: Array<CheckResultDraft | undefined> = [
        reachableOk(o.version, rttMs, scalars),
        uptimeCheck(scalars, ctx.previous, answeredAt, policy),
        clockCheck(scalars, answeredAt, o.localUtcOffsetMinutes, policy),
      ];
      if (o.volumes.recording) out.push(recordingVolumeCheck(storage, o.volumes.recording, o.bitrateMbps ?? policy.storage.defaultBitrateMbps, policy, budgetMs));
      if (o.volumes.archive) out.push(archiveVolumeCheck(storage, o.volumes.archive, policy, budgetMs));
      out.push(cpuCheck(cpu, policy, budgetMs), memoryCheck(storage, policy, budgetMs));
      if (o.recorderProcess) out.push(processCheck(procs, o.recorderProcess, policy, budgetMs));
      if (o.opticalRequired) out.push(opticalCheck(devices, storage, policy, budgetMs));
      out.push(interfacesCheck(ifaces, o.interfaces, ctx.previous, policy, budgetMs));
      return out.filter((r): r is CheckResultDraft => r !== undefined);
    } finally {
      ctx.clock.clearTimer(timer);
      ctx.signal.removeEventListener('abort', end);
      lease?.release(evict || stop.signal.aborted);
    }
  },
});
