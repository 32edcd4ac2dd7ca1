/**
 * CPU per 1,000 SNMP polls of one host — host uptime (GET hrSystemUptime) and the hrStorageTable
 * walk (GETBULK, the five columns the driver reads), over a reused session — by the snmp-host
 * driver's session pool and guarded walk, beside the same polls made by Prometheus's snmp_exporter
 * (Debian prometheus-snmp-exporter) against the same snmpd in the same run. The driver's CPU is
 * this process's (process.cpuUsage); the exporter's is its own process's (/proc/<pid>/stat), so
 * the HTTP scrape's client side is not charged to it. snmpd's CPU is shown for each, as a check
 * that both made the same requests. Also: a full snmp-host probe (every check) per 1,000.
 */
import { SystemClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import { runProbe } from '../collector/scheduler/run-probe';
import { STORAGE_COLUMNS } from '../device-drivers/snmp-host/checks/storage';
import { snmpHostDriver } from '../device-drivers/snmp-host/driver';
import * as O from '../device-drivers/snmp-host/oids';
import { snmpHostOptions } from '../device-drivers/snmp-host/options';
import { processCpuSeconds, startSnmpd, startSnmpExporter } from '../device-drivers/snmp-host/peers';
import { closeSnmpSessions, sessionPool } from '../device-drivers/snmp-host/session-pool';
import { walkColumns } from '../device-drivers/snmp-host/walk';
import { cpuMs, median, type Bench, type BenchRow } from './types';

const N = 1000;
const RUNS = 3;
const MAX_REPETITIONS = 32;

const r3 = (n: number) => Math.round(n * 1000) / 1000;

export const snmpBench: Bench = {
  name: 'snmp',
  description: 'CPU per 1,000 SNMP polls of one host (uptime + hrStorage walk): snmp-host vs prometheus-snmp-exporter, same snmpd',
  async run(): Promise<BenchRow[]> {
    const snmpd = await startSnmpd();
    const exporter = await startSnmpExporter(snmpd.community, MAX_REPETITIONS).catch(async (e) => {
      await snmpd.stop();
      throw e;
    });
    const target = `127.0.0.1:${snmpd.port}`;
    const spec = { host: '127.0.0.1', port: snmpd.port, version: '2c' as const, community: snmpd.community };
    const never = new AbortController().signal;
    let rows = 0;

    /** One poll by the driver's pieces: lease the pooled session, GET, walk, give it back. */
    const driverPoll = async () => {
      const lease = await sessionPool.acquire(spec, never, { requestTimeoutMs: 2000, retries: 1 });
      try {
        await lease.get([O.hrSystemUptime]);
        rows = (await walkColumns(lease, STORAGE_COLUMNS, { maxRepetitions: MAX_REPETITIONS, maxRows: 10_000, maxBytes: 1 << 20 })).rows.size;
      } finally {
        lease.release();
      }
    };
    const probeTarget = {
      id: 'bench', driver: 'snmp-host', host: '127.0.0.1', port: snmpd.port, credentials: { password: snmpd.community },
      options: snmpHostOptions.parse({ volumes: { recording: '/' }, recorderProcess: 'snmpd' }),
    };
    const clock = new SystemClock();
    const fullProbe = async () => {
      const run = await runProbe(snmpHostDriver, probeTarget, { clock, timeoutMs: 10_000, log: silentLogger });
      if (run.results[0]?.status !== 'ok') throw new Error(`probe failed: ${run.results[0]?.message}`);
    };
    const scrape = (module: string) => async () => {
      const text = await exporter.scrape(target, module);
      if (!text.includes('hrStorageSize{')) throw new Error('the exporter returned no hrStorageSize');
    };

    /** snmpd's snmpInPkts: the SNMP messages it received, to count the requests a poll costs. */
    const inPkts = async () => {
      const lease = await sessionPool.acquire(spec, never, { requestTimeoutMs: 2000, retries: 1 });
      try {
        return Number((await lease.get(['1.3.6.1.2.1.11.1.0']))[0]?.value);
      } finally {
        lease.release();
      }
    };

    /** CPU seconds per 1,000 polls of this process (fn) or of another (pid), snmpd's beside it. */
    const measure = async (poll: () => Promise<void>, pid?: number) => {
      for (let i = 0; i < 50; i++) await poll(); // warm-up: JIT, sessions, engine discovery
      const cpu: number[] = [];
      const agent: number[] = [];
      const wall: number[] = [];
      const k0 = await inPkts();
      for (let i = 0; i < 20; i++) await poll();
      const requests = (await inPkts() - k0 - 1) / 20;
      for (let run = 0; run < RUNS; run++) {
        const a0 = processCpuSeconds(snmpd.pid);
        const p0 = pid ? processCpuSeconds(pid) : 0;
        const { ms, wallMs } = await cpuMs(async () => {
          for (let i = 0; i < N; i++) await poll();
        });
        cpu.push(pid ? processCpuSeconds(pid) - p0 : ms / 1000);
        agent.push(processCpuSeconds(snmpd.pid) - a0);
        wall.push(wallMs / N);
      }
      return { cpu: median(cpu) * (1000 / N), agent: median(agent) * (1000 / N), wallMs: median(wall), requests };
    };

    try {
      const driver = await measure(driverPoll);
      const prom = await measure(scrape('hallwatch_host'), exporter.pid);
      const promTable = await measure(scrape('hallwatch_host_table'), exporter.pid);
      const full = await measure(fullProbe);
      const work = `1,000 polls of one host: GET hrSystemUptime + GETBULK walk of hrStorageTable (5 columns, ${rows} rows, max-repetitions ${MAX_REPETITIONS}), reused session, v2c, loopback`;
      return [
        { work, option: 'snmp-host: session pool + guarded walk (net-snmp 3.x)', figures: { cpu_s_per_1000_polls: r3(driver.cpu), wall_ms_per_poll: r3(driver.wallMs), snmp_requests_per_poll: driver.requests, snmpd_cpu_s_per_1000_polls: r3(driver.agent) }, note: 'this process, process.cpuUsage(); the five columns in one GETBULK' },
        { work, option: 'prometheus-snmp-exporter 0.21 (Debian), module hallwatch_host', figures: { cpu_s_per_1000_polls: r3(prom.cpu), wall_ms_per_poll: r3(prom.wallMs), snmp_requests_per_poll: prom.requests, snmpd_cpu_s_per_1000_polls: r3(prom.agent) }, note: 'exporter process, /proc/<pid>/stat utime+stime, HTTP client side not counted; one GETBULK walk per configured OID' },
        { work, option: 'prometheus-snmp-exporter, module hallwatch_host_table (the whole hrStorageEntry as one walk)', figures: { cpu_s_per_1000_polls: r3(promTable.cpu), wall_ms_per_poll: r3(promTable.wallMs), snmp_requests_per_poll: promTable.requests, snmpd_cpu_s_per_1000_polls: r3(promTable.agent) }, note: 'as above; 7 columns fetched, 5 used' },
        { work, option: 'ratio exporter ÷ snmp-host (CPU)', figures: { per_column_walks: Math.round((prom.cpu / driver.cpu) * 100) / 100, whole_table_walk: Math.round((promTable.cpu / driver.cpu) * 100) / 100 } },
        { work: '1,000 full snmp-host probes of the same host (GET + hrStorage, hrProcessor, hrSWRun, ifTable walks; every check)', option: 'snmpHostDriver.probe via runProbe', figures: { cpu_s_per_1000_probes: r3(full.cpu), wall_ms_per_probe: r3(full.wallMs), snmp_requests_per_probe: full.requests, snmpd_cpu_s_per_1000_probes: r3(full.agent) } },
      ];
    } finally {
      closeSnmpSessions();
      await exporter.stop();
      await snmpd.stop();
    }
  },
};
