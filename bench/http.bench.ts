/**
 * CPU per 1,000 HTTP status probes of one recorder agent (its `GET /api/status`, JSON, bearer
 * token), by the recorder driver (undici, kept connection, JSON parsed and judged), beside
 * Prometheus's blackbox_exporter probing the same endpoint with its http_2xx module (no parsing),
 * in the same run. The agent is the fleet benchmark's light simulator in its own process; the
 * exporter's CPU is its own process's (/proc/<pid>/stat), so the scrape's client side is not
 * charged to it.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import { runProbe } from '../collector/scheduler/run-probe';
import { recorderDriver, recorderOptions } from '../device-drivers/recorder/driver';
import { freeTcpPort, processCpuSeconds, startChild } from '../device-drivers/snmp-host/peers';
import { FULL_FLEET } from './fleet/shape';
import type { WorkerReply } from './fleet/sim-worker';
import { cpuMs, median, type Bench, type BenchRow } from './types';

const N = 1000;
const RUNS = 3;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export const httpBench: Bench = {
  name: 'http',
  description: 'CPU per 1,000 HTTP status probes of a recorder agent: recorder driver vs prometheus-blackbox-exporter http_2xx, same endpoint',
  async run(): Promise<BenchRow[]> {
    const token = 'bench-token-0123456789';
    const sim = fork(path.join(__dirname, 'fleet/sim-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const address = await new Promise<string>((resolve, reject) => {
      sim.on('message', (r: WorkerReply) => {
        if (r.type === 'started') resolve(r.devices.find((d) => d.id.endsWith('-rec'))!.address);
        else if (r.type === 'error') reject(new Error(r.message));
      });
      sim.send({ type: 'start', shape: { ...FULL_FLEET, halls: 1, camerasPerHall: 0, vksPerFive: 0 }, part: 0, of: 1, secrets: { camera: 'x', recorderToken: token, snmp: 'x', vks: 'x' } });
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-blackbox-'));
    const port = await freeTcpPort();
    fs.writeFileSync(path.join(dir, 'blackbox.yml'), `modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      method: GET\n      headers:\n        Authorization: "Bearer ${token}"\n`);
    const exporter = await startChild('prometheus-blackbox-exporter', [`--config.file=${path.join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${port}`], process.env, /Listening on/, dir, port);
    const [host, p] = address.split(':');
    const target = { id: 'bench-rec', driver: 'recorder', host: host!, port: Number(p), credentials: { password: token }, options: recorderOptions.parse(undefined) };
    const clock = new SystemClock();
    const driverProbe = async () => {
      const run = await runProbe(recorderDriver, target, { clock, timeoutMs: 10_000, log: silentLogger });
      if (run.results[0]?.status !== 'ok') throw new Error(`probe failed: ${run.results[0]?.message}`);
    };
    const probeUrl = `http://127.0.0.1:${port}/probe?module=http_2xx&target=${encodeURIComponent(`http://${address}/api/status`)}`;
    const scrape = async () => {
      const text = await (await fetch(probeUrl)).text();
      if (!/^probe_success 1$/m.test(text)) throw new Error(`blackbox probe failed:\n${text.slice(0, 500)}`);
    };
    const measure = async (probe: () => Promise<void>, pid?: number) => {
      for (let i = 0; i < 50; i++) await probe();
      const cpu: number[] = [];
      const wall: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const p0 = pid ? processCpuSeconds(pid) : 0;
        const { ms, wallMs } = await cpuMs(async () => {
          for (let i = 0; i < N; i++) await probe();
        });
        cpu.push(pid ? processCpuSeconds(pid) - p0 : ms / 1000);
        wall.push(wallMs / N);
      }
      return { cpu: median(cpu) * (1000 / N), wallMs: median(wall) };
    };
    try {
      const ours = await measure(driverProbe);
      const bb = await measure(scrape, exporter.pid);
      const work = "1,000 probes of a recorder agent's GET /api/status (JSON, bearer token), loopback, one after the other";
      return [
        { work, option: 'recorder driver: undici kept connection, JSON parsed, six checks judged', figures: { cpu_s_per_1000_probes: r3(ours.cpu), wall_ms_per_probe: r3(ours.wallMs) }, note: 'this process, process.cpuUsage()' },
        { work, option: 'prometheus-blackbox-exporter 0.23 (Debian), module http_2xx (status code only, no parsing)', figures: { cpu_s_per_1000_probes: r3(bb.cpu), wall_ms_per_probe: r3(bb.wallMs) }, note: 'exporter process, /proc/<pid>/stat; the scrape client not counted' },
        { work, option: 'ratio blackbox ÷ recorder driver (CPU)', figures: { ratio: Math.round((bb.cpu / ours.cpu) * 100) / 100 } },
      ];
    } finally {
      await exporter.stop();
      sim.send({ type: 'stop' });
    }
  },
};
