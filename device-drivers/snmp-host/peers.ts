/**
 * Real peers for the tests and the benchmark: Debian's snmpd and Prometheus's snmp_exporter,
 * started on 127.0.0.1 with configuration written into a temporary directory, stopped by pid.
 * (Debian packages `snmpd`, `snmp` and `prometheus-snmp-exporter`, see scripts/setup-system.sh.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A UDP port that was free a moment ago on 127.0.0.1. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve());
  });
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Peer {
  pid: number;
  port: number;
  dir: string;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Start a child and resolve once its output shows `ready`; reject if it exits first or is silent for long. */
export function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, dir: string, port: number): Promise<Peer> {
  const child: ChildProcess = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peer: Peer = {
    pid: child.pid ?? -1,
    port,
    dir,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(child.pid, 'SIGTERM');
        const killer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return new Promise<Peer>((resolve, reject) => {
    // A guard against a peer that never says it is ready, not a wait for it.
    const guard = setTimeout(() => fail(new Error(`${cmd} did not start within 10 s:\n${out}`)), 10_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(guard);
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve(peer);
      }
    };
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      clearTimeout(guard);
      void peer.stop().then(() => reject(e));
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('error', (e) => fail(e));
    child.once('exit', (code) => {
      if (!ready.test(out)) fail(new Error(`${cmd} exited with ${code}:\n${out}`));
    });
  });
}

export interface SnmpdPeer extends Peer {
  community: string;
  user: string;
  authKey: string;
  privKey: string;
}

/**
 * Debian's snmpd on 127.0.0.1 with a v2c community and a v3 user (SHA/AES, authPriv), all
 * random, from a configuration written into a temporary directory (persistent data there too).
 */
export async function startSnmpd(): Promise<SnmpdPeer> {
  const secret = () => crypto.randomBytes(9).toString('base64url');
  const creds = { community: `hw-${secret()}`, user: 'hallwatch', authKey: secret(), privKey: secret() };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-snmpd-'));
    const persist = path.join(dir, 'persist');
    fs.mkdirSync(persist);
    const conf = path.join(dir, 'snmpd.conf');
    const template = fs.readFileSync(testdataPath('snmpd.conf.in'), 'utf8');
    fs.writeFileSync(conf, fill(template, { PERSIST: persist, ...creds }), { mode: 0o600 });
    const port = await freeUdpPort();
    const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', SNMP_PERSISTENT_DIR: persist, SNMPCONFPATH: dir, HOME: dir };
    try {
      const peer = await startChild('snmpd', ['-f', '-Lo', '-C', '-c', conf, '-p', path.join(dir, 'snmpd.pid'), '-m', '', `udp:127.0.0.1:${port}`], env, /NET-SNMP version/, dir, port);
      return { ...peer, ...creds };
    } catch (e) {
      lastError = e; // the port was taken in between: try another
    }
  }
  throw lastError;
}

/** The OIDs of one poll of the benchmark: host uptime, and the hrStorageTable columns the driver reads. */
export const BENCH_GET = ['1.3.6.1.2.1.25.1.1.0'];
export const BENCH_WALK = ['1.3.6.1.2.1.25.2.3.1.2', '1.3.6.1.2.1.25.2.3.1.3', '1.3.6.1.2.1.25.2.3.1.4', '1.3.6.1.2.1.25.2.3.1.5', '1.3.6.1.2.1.25.2.3.1.6'];

/**
 * Prometheus's snmp_exporter on 127.0.0.1 with a generated snmp.yml: modules `hallwatch_host`
 * (GET hrSystemUptime, a GETBULK walk of each hrStorageTable column the driver reads) and
 * `hallwatch_host_table` (the same, walking the whole hrStorageEntry), v2c with the given community.
 */
export async function startSnmpExporter(community: string, maxRepetitions = 32): Promise<Peer & { scrape(target: string, module?: string): Promise<string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-snmp-exporter-'));
  const conf = path.join(dir, 'snmp.yml');
  const template = fs.readFileSync(testdataPath('snmp_exporter.yml.in'), 'utf8');
  fs.writeFileSync(conf, fill(template, { COMMUNITY: community, MAX_REPETITIONS: String(maxRepetitions) }), { mode: 0o600 });
  const port = await freeTcpPort();
  const peer = await startChild('prometheus-snmp-exporter', [`--config.file=${conf}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=info'],
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, /Listening on/, dir, port);
  return {
    ...peer,
    async scrape(target: string, module = 'hallwatch_host') {
      const res = await fetch(`http://127.0.0.1:${port}/snmp?module=${module}&target=${encodeURIComponent(target)}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`snmp_exporter answered ${res.status}: ${text.slice(0, 200)}`);
      return text;
    },
  };
}

/** utime + stime of a process in seconds (/proc/<pid>/stat, fields 14 and 15). */
export function processCpuSeconds(pid: number): number {
  const t = processCpu(pid);
  return t.user + t.system;
}

/** User and system CPU seconds of a process (/proc/<pid>/stat). */
export function processCpu(pid: number): { user: number; system: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

/** sysconf(_SC_CLK_TCK): 100 on Linux for every architecture Debian ships. */
const CLOCK_TICKS = 100;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/@(\w+)@/g, (whole, k: string) => values[k] ?? whole);
}

/** device-drivers/snmp-host/testdata, from the sources or from dist/. */
export function testdataPath(name: string): string {
  for (const dir of [path.join(__dirname, 'testdata'), path.resolve(__dirname, '..', '..', '..', 'device-drivers', 'snmp-host', 'testdata')]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`testdata file ${name} not found`);
}
