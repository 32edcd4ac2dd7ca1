/**
 * The fleet benchmark (issue 11): a national fleet of simulators on loopback, the real collector
 * (`hallwatch start --inventory`) as its own process against it, and the figures the budgets in
 * docs/BENCHMARKS.md are about. Run by `npm run bench:fleet` and `hallwatch bench fleet`.
 *
 * What is measured, and where from:
 * - CPU seconds per second and peak RSS of the collector process only (/proc/<pid>/stat and
 *   /status VmHWM): the simulators run in their own processes;
 * - probes per second achieved against due, scheduler lag p50/p99 and rows written, from the
 *   collector's own /metrics, as deltas over the measured window;
 * - database growth from SQLite's own page count (a read-only connection sees the WAL);
 * - fault to console: a fault is switched on in a simulator, a signed-in WebSocket client waits
 *   for the hall's status change, and the delay is taken from the injection (it includes the wait
 *   for the next probe) and from the moment the collector evaluated the probe that saw it;
 * - the portal feed for all halls and the console's hall list, timed from this process.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import WebSocket from 'ws';
import { processCpu, processCpuSeconds } from '../../device-drivers/snmp-host/peers';
import { FULL_FLEET, fleetCounts, fleetHalls, type FleetShape } from './shape';
import type { SimDevice, SimSecrets, WorkerReply, WorkerStart } from './sim-worker';

export interface FleetOptions {
  halls: number;
  intervalSeconds: number;
  /** Intervals measured after the warm-up. */
  intervals: number;
  /** Simulator processes. */
  workers: number;
  /** Faults injected (one hall each), spread over the measured window. */
  faults: number;
  /** Keep the working directory (inventory, database) for a look afterwards. */
  keep?: boolean;
  log?: (line: string) => void;
}

export const defaultFleetOptions: FleetOptions = { halls: FULL_FLEET.halls, intervalSeconds: 60, intervals: 3, workers: 3, faults: 20 };

export interface FleetReport {
  options: FleetOptions;
  counts: Record<string, number>;
  devices: number;
  figures: Record<string, number>;
  budgets: Array<{ budget: string; limit: string; measured: string; met: boolean }>;
}

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/hallwatch.js');

export async function runFleetBench(o: FleetOptions): Promise<FleetReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const shape: FleetShape = { ...FULL_FLEET, halls: o.halls };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-fleet-'));
  const secrets: SimSecrets = { camera: rnd(), recorderToken: rnd(), snmp: rnd(), vks: rnd() };
  const workers: ChildProcess[] = [];
  let collector: ChildProcess | undefined;
  try {
    // 1. Simulators.
    const t0 = performance.now();
    const started = await Promise.all(Array.from({ length: o.workers }, (_, part) => startWorker(workers, { type: 'start', shape, part, of: o.workers, secrets })));
    const sims = new Map<string, { sim: SimDevice; worker: ChildProcess }>();
    started.forEach((devs, i) => devs.forEach((d) => sims.set(d.id, { sim: d, worker: workers[i]! })));
    log(`simulators: ${sims.size} in ${o.workers} processes, started in ${Math.round(performance.now() - t0)} ms`);

    // 2. Inventory, a coordinator to watch the console, a portal token.
    const inventory = buildInventory(shape, sims, o.intervalSeconds);
    const invFile = path.join(dir, 'inventory.yaml');
    fs.writeFileSync(invFile, JSON.stringify(inventory));
    const dbFile = path.join(dir, 'hallwatch.db');
    const password = `Bench-${rnd()}`;
    const env = { ...process.env, HW_CAMERA: secrets.camera, HW_RECORDER: secrets.recorderToken, HW_SNMP: secrets.snmp, HW_VKS: secrets.vks, HW_PW: password };
    await run(process.execPath, [BIN, 'user', 'add', 'bench', '--role', 'department-coordinator', '--name', 'Fleet bench', '--password-env', 'HW_PW', '--db', dbFile], env);
    const portalToken = (await run(process.execPath, [BIN, 'token', 'create', 'bench-portal', '--kind', 'portal-reader', '--db', dbFile], env)).trim();

    // 3. The collector, as in production, with room for its sockets.
    // HALLWATCH_BENCH_PROF=<dir>: a V8 CPU profile of the collector, to see where its time goes.
    // HALLWATCH_BENCH_HEAP=<dir>: a heap snapshot at the end of the window, to see what holds memory.
    const heapDir = process.env.HALLWATCH_BENCH_HEAP ? path.resolve(process.env.HALLWATCH_BENCH_HEAP) : undefined;
    const prof = (process.env.HALLWATCH_BENCH_PROF ? `--cpu-prof --cpu-prof-dir="${path.resolve(process.env.HALLWATCH_BENCH_PROF)}" ` : '') +
      (heapDir ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir="${heapDir}" ` : '');
    collector = spawn('bash', ['-c', `ulimit -n 65536 2>/dev/null || true; exec "${process.execPath}" ${startFlags().join(' ')} ${prof}"${BIN}" start --inventory "${invFile}" --db "${dbFile}" --port 0`], { env: { ...env, HALLWATCH_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const c = collector;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      c.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      let err = '';
      c.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
      c.once('exit', (code) => reject(new Error(`the collector exited (${code}) before listening:\n${err}`)));
    });
    const pid = c.pid!;
    const devices = inventory.regions.reduce((n, r) => n + r.courts.reduce((m, ct) => m + ct.halls.reduce((k, h) => k + h.devices.length, 0), 0), 0);
    log(`collector pid ${pid} at ${url}, ${devices} devices, start-up ${Math.round(performance.now() - t0)} ms`);

    // 4. Warm-up: every device probed once, then one more interval for the steady state.
    const warmStart = Date.now();
    for (;;) {
      const h = await getJson<{ probesStarted: number }>(`${url}/healthz`);
      if (h.probesStarted >= devices) break;
      if (Date.now() - warmStart > (o.intervalSeconds + 120) * 1000) throw new Error(`warm-up: only ${h.probesStarted} of ${devices} probes started`);
      await delay(1000);
    }
    log(`every device probed once after ${Math.round((Date.now() - warmStart) / 1000)} s; one more interval to settle`);
    await delay(o.intervalSeconds * 1000);

    // 5. The measured window: fault injection and the console's WebSocket run inside it.
    const ws = await openConsole(url, password);
    const m0 = await scrape(url);
    const cpu0 = processCpuSeconds(pid);
    const split0 = processCpu(pid);
    const db0 = await dbBytes(dbFile);
    const w0 = Date.now();
    const windowMs = o.intervals * o.intervalSeconds * 1000;
    const hallsList = fleetHalls(shape);
    const faultHalls = pickSpread(hallsList, o.faults);
    const latencies = injectFaults(ws.socket, faultHalls.map((h) => ({ hallId: `${h.court}.${h.number}`, deviceId: `${h.base}-cam1` })), sims, windowMs * 0.8, log);
    const rss: number[] = [];
    while (Date.now() - w0 < windowMs) {
      rss.push(procRssBytes(pid));
      await delay(2000);
    }
    const wallS = (Date.now() - w0) / 1000;
    const cpu1 = processCpuSeconds(pid);
    const split1 = processCpu(pid);
    const m1 = await scrape(url);
    const db1 = await dbBytes(dbFile);
    // A fault injected late in the window shows at the next probe: wait for it (not measured).
    for (let waited = 0; latencies.some((l) => l.fromFaultMs === undefined) && waited < (o.intervalSeconds + 15) * 1000; waited += 500) await delay(500);
    ws.socket.close();

    // 6. Reads a user makes: the portal feed for all halls, the console's hall list.
    const portal = await timeGets(`${url}/portal/v1/halls`, { authorization: `Bearer ${portalToken}` }, 100);
    const board = await timeGets(`${url}/api/halls`, { cookie: ws.cookie }, 30);
    const peakRss = procPeakRssBytes(pid);
    if (heapDir) {
      fs.mkdirSync(heapDir, { recursive: true });
      process.kill(pid, 'SIGUSR2');
      // The snapshot is written synchronously by the collector; wait until its size settles.
      let last = -1;
      for (let i = 0; i < 240; i++) {
        await delay(1000);
        const f = fs.readdirSync(heapDir).filter((x) => x.endsWith('.heapsnapshot'));
        const size = f.reduce((n, x) => n + fs.statSync(path.join(heapDir, x)).size, 0);
        if (size > 0 && size === last) break;
        last = size;
      }
      log(`heap snapshot in ${heapDir}`);
    }

    const probes = sumSeries(m1, 'hallwatch_probes_total') - sumSeries(m0, 'hallwatch_probes_total');
    const rows = sumSeries(m1, 'hallwatch_store_rows_written_total') - sumSeries(m0, 'hallwatch_store_rows_written_total');
    const lagBuckets = histogramDelta(m0, m1, 'hallwatch_scheduler_lag_seconds');
    // Pauses of the main thread by the garbage collector: every request in flight waits them out.
    const gcBuckets = histogramDelta(m0, m1, 'hallwatch_process_nodejs_gc_duration_seconds');
    const gcOver = (s: number) => (gcBuckets[gcBuckets.length - 1]?.[1] ?? 0) - (gcBuckets.find(([le]) => le >= s)?.[1] ?? 0);
    const skipped = sumSeries(m1, 'hallwatch_scheduler_skipped_total') - sumSeries(m0, 'hallwatch_scheduler_skipped_total');
    const timeouts = sumSeries(m1, 'hallwatch_probes_total', 'outcome="timeout"') - sumSeries(m0, 'hallwatch_probes_total', 'outcome="timeout"');
    const dueRate = devices / o.intervalSeconds;
    const cpuPerS = (cpu1 - cpu0) / wallS;
    const growthPerDay = ((db1 - db0) / wallS) * 86_400;
    const fromProbe = latencies.filter((l) => l.fromEvaluationMs !== undefined).map((l) => l.fromEvaluationMs!);
    const fromFault = latencies.filter((l) => l.fromFaultMs !== undefined).map((l) => l.fromFaultMs!);

    const figures: Record<string, number> = {
      devices,
      due_probes_per_s: r2(dueRate),
      achieved_probes_per_s: r2(probes / wallS),
      probe_timeouts_per_s: r2(timeouts / wallS),
      skipped_polls: skipped,
      scheduler_lag_p50_s: r3(quantile(lagBuckets, 0.5)),
      scheduler_lag_p99_s: r3(quantile(lagBuckets, 0.99)),
      collector_cpu_s_per_s: r3(cpuPerS),
      collector_user_cpu_s_per_s: r3((split1.user - split0.user) / wallS),
      collector_system_cpu_s_per_s: r3((split1.system - split0.system) / wallS),
      collector_peak_rss_mib: Math.round(peakRss / 2 ** 20),
      gc_pauses_per_s: r2((gcBuckets[gcBuckets.length - 1]?.[1] ?? 0) / wallS),
      // prom-client's buckets: 1 ms, 10 ms, 100 ms, 1 s...
      gc_pauses_over_10ms: gcOver(0.01),
      gc_pauses_over_100ms: gcOver(0.1),
      collector_max_sampled_rss_mib: Math.round(Math.max(...rss) / 2 ** 20),
      sqlite_rows_per_s: r2(rows / wallS),
      db_growth_mib_per_day: r2(growthPerDay / 2 ** 20),
      db_size_mib: r2(db1 / 2 ** 20),
      faults_seen: fromProbe.length,
      faults_injected: latencies.length,
      fault_to_console_from_probe_p50_ms: Math.round(pct(fromProbe, 0.5)),
      fault_to_console_from_probe_p99_ms: Math.round(pct(fromProbe, 0.99)),
      fault_to_console_from_injection_p50_ms: Math.round(pct(fromFault, 0.5)),
      fault_to_console_from_injection_p99_ms: Math.round(pct(fromFault, 0.99)),
      portal_feed_p50_ms: r2(pct(portal.ms, 0.5)),
      portal_feed_p99_ms: r2(pct(portal.ms, 0.99)),
      portal_feed_bytes: portal.bytes,
      console_hall_list_p50_ms: r2(pct(board.ms, 0.5)),
      window_s: Math.round(wallS),
    };
    for (const d of ['onvif-camera', 'snmp-host', 'recorder', 'microphone', 'vks-endpoint']) {
      const f = `driver="${d}"`;
      figures[`probes_per_s_${d}`] = r2((sumSeries(m1, 'hallwatch_probes_total', f) - sumSeries(m0, 'hallwatch_probes_total', f)) / wallS);
    }
    const budgets = [
      { budget: 'collector CPU at a 60 s interval', limit: '≤ 0.5 CPU-s/s', measured: `${figures.collector_cpu_s_per_s} CPU-s/s`, met: cpuPerS <= 0.5 },
      { budget: 'collector memory', limit: '≤ 1 GiB RSS', measured: `${figures.collector_peak_rss_mib} MiB peak`, met: peakRss <= 2 ** 30 },
      { budget: 'keeping up', limit: 'achieved ≥ 98 % of due', measured: `${figures.achieved_probes_per_s} of ${figures.due_probes_per_s} probes/s`, met: probes / wallS >= 0.98 * dueRate },
      { budget: 'scheduler lag', limit: 'p99 < 2 s', measured: `p99 ${figures.scheduler_lag_p99_s} s`, met: quantile(lagBuckets, 0.99) < 2 },
      { budget: 'fault on the console', limit: '≤ 5 s after the probe that saw it', measured: `p99 ${figures.fault_to_console_from_probe_p99_ms} ms (${fromProbe.length}/${latencies.length} seen)`, met: fromProbe.length === latencies.length && pct(fromProbe, 0.99) <= 5000 },
      { budget: 'portal feed, all halls', limit: '< 50 ms', measured: `p99 ${figures.portal_feed_p99_ms} ms`, met: pct(portal.ms, 0.99) < 50 },
    ];
    return { options: o, counts: fleetCounts(shape), devices, figures, budgets };
  } finally {
    if (collector && collector.exitCode === null) {
      collector.kill('SIGTERM');
      await Promise.race([new Promise((r) => collector!.once('exit', r)), delay(15_000).then(() => collector!.kill('SIGKILL'))]);
    }
    for (const w of workers) if (w.connected) w.send({ type: 'stop' });
    await Promise.all(workers.map((w) => (w.exitCode === null ? Promise.race([new Promise((r) => w.once('exit', r)), delay(10_000).then(() => w.kill('SIGKILL'))]) : undefined)));
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

/** Node's flags as `npm start` gives them (package.json), so that the collector measured is the one that runs. */
function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  return /^node\s+(.*?)\s*bin\/hallwatch\.js/.exec(start)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
}

// ---- inventory ---------------------------------------------------------------------------------

interface InvHall { number: string; avf: boolean; vks: boolean; devices: unknown[] }
interface InvCourt { id: string; name: { ru: string; kk: string }; level: string; halls: InvHall[] }

function buildInventory(shape: FleetShape, sims: Map<string, { sim: SimDevice }>, intervalSeconds: number) {
  const regions = new Map<string, { id: string; name: { ru: string; kk: string }; courts: Map<string, InvCourt> }>();
  const at = (id: string) => {
    const s = sims.get(id)?.sim;
    if (!s) throw new Error(`no simulator for ${id}`);
    return s;
  };
  const rec = { password: { env: 'HW_RECORDER' } };
  for (const h of fleetHalls(shape)) {
    let region = regions.get(h.region);
    if (!region) regions.set(h.region, region = { id: h.region, name: { ru: `Область ${h.region}`, kk: `${h.region} облысы` }, courts: new Map() });
    let court = region.courts.get(h.court);
    if (!court) region.courts.set(h.court, court = { id: h.court, name: { ru: `Суд ${h.court}`, kk: `${h.court} соты` }, level: 'district', halls: [] });
    const devices: unknown[] = [];
    for (let n = 1; n <= shape.camerasPerHall; n++) {
      devices.push({ id: `${h.base}-cam${n}`, driver: 'onvif-camera', category: 'camera', address: at(`${h.base}-cam${n}`).address, critical: n === 1, credentials: { username: 'admin', password: { env: 'HW_CAMERA' } } });
    }
    const pc = at(`${h.base}-pc`);
    devices.push({ id: pc.id, driver: 'snmp-host', category: 'recording-pc', address: pc.address, credentials: { password: { env: 'HW_SNMP' } }, options: { version: '2c', volumes: { recording: 'D:\\' }, recorderProcess: pc.recorderProcess } });
    const agent = at(`${h.base}-rec`);
    devices.push({ id: agent.id, driver: 'recorder', address: agent.address, credentials: rec });
    for (let ch = 1; ch <= shape.micsPerHall; ch++) {
      devices.push({ id: `${h.base}-mic${ch}`, driver: 'microphone', category: 'microphone', address: agent.address, credentials: rec, options: { channel: ch } });
    }
    if (h.vks) {
      const v = at(`${h.base}-vks`);
      devices.push({ id: v.id, driver: 'vks-endpoint', category: 'vks-endpoint', address: v.address, credentials: { username: 'admin', password: { env: 'HW_VKS' } }, options: { sipPort: v.sipPort, testNumber: 'echo@vks.sud.kz' } });
    }
    court.halls.push({ number: h.number, avf: true, vks: h.vks, devices });
  }
  return {
    version: 1,
    defaults: { intervalSeconds, timeoutSeconds: Math.min(10, Math.max(1, Math.floor(intervalSeconds / 2))) },
    regions: [...regions.values()].map((r) => ({ id: r.id, name: r.name, courts: [...r.courts.values()] })),
  };
}

// ---- processes ---------------------------------------------------------------------------------

function startWorker(workers: ChildProcess[], msg: WorkerStart): Promise<SimDevice[]> {
  const w = fork(path.join(__dirname, 'sim-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  workers.push(w);
  return new Promise((resolve, reject) => {
    w.once('exit', (code) => reject(new Error(`simulator process exited (${code})`)));
    const onMsg = (r: WorkerReply) => {
      if (r.type === 'started') {
        w.off('message', onMsg);
        resolve(r.devices);
      } else if (r.type === 'error') reject(new Error(r.message));
    };
    w.on('message', onMsg);
    w.send(msg);
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.slice(1, 3).join(' ')} exited ${code}: ${err}`))));
  });
}


function procStatusKb(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
const procRssBytes = (pid: number) => procStatusKb(pid, 'VmRSS');
const procPeakRssBytes = (pid: number) => procStatusKb(pid, 'VmHWM');

function dbBytes(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (e) => {
      if (e) return reject(e);
      db.get('SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size) - (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size) AS bytes', (err, row: { bytes: number }) => {
        db.close();
        if (err) reject(err);
        else resolve(row.bytes);
      });
    });
  });
}

// ---- the console and the portal ----------------------------------------------------------------

async function openConsole(url: string, password: string): Promise<{ socket: WebSocket; cookie: string }> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ login: 'bench', password }) });
  if (!res.ok) throw new Error(`sign-in: HTTP ${res.status} ${await res.text()}`);
  const cookie = /^(hw_session=[^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: url } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, cookie };
}

interface Latency { hallId: string; fromFaultMs?: number; fromEvaluationMs?: number }

/** Switches one camera per hall offline, spread over `spreadMs`, and times each hall's change on the WebSocket. */
function injectFaults(socket: WebSocket, targets: Array<{ hallId: string; deviceId: string }>, sims: Map<string, { worker: ChildProcess }>, spreadMs: number, log: (l: string) => void): Latency[] {
  const pending = new Map<string, { injectedAt: number; out: Latency }>();
  const out: Latency[] = [];
  socket.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { type: string; hall?: { hallId: string; status: string; since: string } };
    if (m.type !== 'hall-status' || !m.hall) return;
    const p = pending.get(m.hall.hallId);
    if (!p || m.hall.status === 'ok') return;
    const now = Date.now();
    p.out.fromFaultMs = now - p.injectedAt;
    p.out.fromEvaluationMs = now - Date.parse(m.hall.since);
    pending.delete(m.hall.hallId);
  });
  const gap = targets.length > 1 ? spreadMs / targets.length : 0;
  void (async () => {
    for (const t of targets) {
      const s = sims.get(t.deviceId)!;
      const l: Latency = { hallId: t.hallId };
      out.push(l);
      await setFault(s.worker, t.deviceId, 'offline');
      pending.set(t.hallId, { injectedAt: Date.now(), out: l });
      await delay(gap);
    }
    log(`${targets.length} faults injected`);
  })();
  // The caller keeps measuring; the latencies fill in as the halls change.
  return out;
}

function setFault(w: ChildProcess, id: string, fault: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMsg = (r: WorkerReply) => {
      if (r.type === 'fault-set' && r.id === id) {
        w.off('message', onMsg);
        resolve();
      } else if (r.type === 'error') {
        w.off('message', onMsg);
        reject(new Error(r.message));
      }
    };
    w.on('message', onMsg);
    w.send({ type: 'fault', id, fault });
  });
}

async function timeGets(url: string, headers: Record<string, string>, n: number): Promise<{ ms: number[]; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    ms.push(performance.now() - t);
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    bytes = body.byteLength;
  }
  return { ms, bytes };
}

// ---- figures -----------------------------------------------------------------------------------

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  return (await r.json()) as T;
}

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** Sum of every sample of a metric (optionally only those whose labels contain `filter`). */
export function sumSeries(text: string, name: string, filter?: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    if (filter && !line.includes(filter)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Cumulative bucket counts (le → count) of a histogram over all its series, m1 − m0. */
export function histogramDelta(m0: string, m1: string, name: string): Array<[number, number]> {
  const read = (text: string) => {
    const b = new Map<number, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}_bucket{`)) continue;
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (!le) continue;
      const k = le === '+Inf' ? Infinity : Number(le);
      b.set(k, (b.get(k) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    return b;
  };
  const a = read(m0);
  return [...read(m1)].map(([le, n]) => [le, n - (a.get(le) ?? 0)] as [number, number]).sort((x, y) => x[0] - y[0]);
}

/** A quantile from cumulative buckets, interpolated inside the bucket as Prometheus does. */
export function quantile(buckets: Array<[number, number]>, q: number): number {
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevN = 0;
  for (const [le, n] of buckets) {
    if (n >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevN)) / Math.max(1, n - prevN);
    }
    prevLe = le;
    prevN = n;
  }
  return prevLe;
}

function pct(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

function pickSpread<T>(xs: T[], n: number): T[] {
  if (n >= xs.length) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step + step / 2)]!);
}

const rnd = () => crypto.randomBytes(12).toString('base64url');
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** The report as Markdown, to paste into docs/BENCHMARKS.md. */
export function formatFleetReport(r: FleetReport): string {
  const cpu = os.cpus();
  const lines = [
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    `fleet: ${Object.entries(r.counts).map(([k, v]) => `${v} ${k.replace(/_/g, ' ')}`).join(', ')}; ${r.devices} inventory devices; every ${r.options.intervalSeconds} s; ${r.options.intervals} intervals measured; ${r.options.workers} simulator processes`,
    '',
    '| figure | value |',
    '|---|---|',
    ...Object.entries(r.figures).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '| budget | limit | measured | met |',
    '|---|---|---|---|',
    ...r.budgets.map((b) => `| ${b.budget} | ${b.limit} | ${b.measured} | ${b.met ? 'yes' : '**no**'} |`),
  ];
  return lines.join('\n');
}
