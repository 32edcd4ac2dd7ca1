/**
 * The snmp-host driver against a real peer: Debian's snmpd, started by this test on 127.0.0.1 with
 * a configuration it writes (a v2c community and a v3 user, SHA/AES authPriv). The driver's figures
 * must agree with what `snmpwalk` / `snmpget` (net-snmp's command-line tools, GETNEXT) print for the
 * same OIDs on the same host. Wrong community and keys end on the FakeClock, never by sleeping.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as snmp from 'net-snmp';
import { FakeClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import type { CheckResult, Credentials } from '../collector/core/types';
import { runProbe, type ProbeRun } from '../collector/scheduler/run-probe';
import { snmpHostDriver } from '../device-drivers/snmp-host/driver';
import { IF_COLUMNS } from '../device-drivers/snmp-host/checks/interfaces';
import { STORAGE_COLUMNS } from '../device-drivers/snmp-host/checks/storage';
import * as O from '../device-drivers/snmp-host/oids';
import { snmpHostOptions } from '../device-drivers/snmp-host/options';
import { startSnmpd, type SnmpdPeer } from '../device-drivers/snmp-host/peers';
import { snmpHostPolicyDefaults } from '../device-drivers/snmp-host/policy';
import { closeSnmpSessions, sessionPool } from '../device-drivers/snmp-host/session-pool';
import { parseDateAndTime } from '../device-drivers/snmp-host/values';
import { walkColumns } from '../device-drivers/snmp-host/walk';

interface Printed {
  type: string;
  /** INTEGER, Counter32, Gauge32, Timeticks (-Ot): the number; STRING: the text; Hex-STRING: the bytes; OID: dotted. */
  value: string | number | Buffer;
}

/** snmpwalk/snmpget -On -Ot output → OID (no leading dot) → value. */
function parsePrinted(text: string): Map<string, Printed> {
  const out = new Map<string, Printed>();
  for (const line of text.split('\n')) {
    const m = /^\.?([\d.]+) = (?:([A-Za-z][\w-]*): )?(.*)$/.exec(line);
    if (!m) continue;
    const [, oid, type = 'Timeticks', raw] = m;
    let value: Printed['value'] = raw!;
    if (['INTEGER', 'Counter32', 'Gauge32', 'Timeticks'].includes(type)) value = Number(raw);
    else if (type === 'STRING') value = raw!.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
    else if (type === 'Hex-STRING') value = Buffer.from(raw!.trim().split(/\s+/).map((h) => parseInt(h, 16)));
    else if (type === 'OID') value = raw!.replace(/^\./, '');
    out.set(oid!, { type, value });
  }
  return out;
}

function tool(cmd: 'snmpwalk' | 'snmpget', args: string[]): Promise<Map<string, Printed>> {
  return new Promise((resolve, reject) => {
    execFile(cmd, ['-On', '-Ot', '-m', '', '-r', '1', '-t', '2', ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(parsePrinted(stdout));
    });
  });
}

/** Rows of a walked table by index: column number → value. */
function rowsOf(printed: Map<string, Printed>, entry: string): Map<string, Map<number, Printed['value']>> {
  const rows = new Map<string, Map<number, Printed['value']>>();
  for (const [oid, p] of printed) {
    if (!oid.startsWith(entry + '.')) continue;
    const rest = oid.slice(entry.length + 1).split('.');
    const col = Number(rest[0]);
    const index = rest.slice(1).join('.');
    if (!rows.has(index)) rows.set(index, new Map());
    rows.get(index)!.set(col, p.value);
  }
  return rows;
}

const byCheck = (run: ProbeRun, check: string): CheckResult => {
  const r = run.results.find((x) => x.check === check);
  assert.ok(r, `no ${check} in ${JSON.stringify(run.results.map((x) => [x.check, x.status, x.messageKey, x.message]))}`);
  return r;
};

describe('snmp-host driver against Debian snmpd (figures agree with snmpwalk)', function () {
  this.timeout(20_000);
  let peer: SnmpdPeer;
  let v2c: string[];
  let clock: FakeClock;
  const PRIV_ENV = 'HW_TEST_SNMPD_PRIV_KEY';
  const OPTIONS = { volumes: { recording: '/' }, recorderProcess: 'snmpd' };

  before(async () => {
    peer = await startSnmpd();
    v2c = ['-v2c', '-c', peer.community, `127.0.0.1:${peer.port}`];
  });
  after(async () => {
    closeSnmpSessions();
    delete process.env[PRIV_ENV];
    await peer?.stop();
  });
  beforeEach(() => {
    // The real time: the host's clock is compared with the probe's.
    clock = new FakeClock(Date.now());
    process.env[PRIV_ENV] = peer.privKey;
  });

  const probe = (options: Record<string, unknown>, credentials: Credentials) => runProbe(snmpHostDriver, {
    id: 'snmpd', driver: 'snmp-host', host: '127.0.0.1', port: peer.port, options: snmpHostOptions.parse(options), credentials,
  }, { clock, timeoutMs: 5000, log: silentLogger, policy: snmpHostPolicyDefaults });
  const v3Options = { ...OPTIONS, version: '3', privKey: { env: PRIV_ENV } };

  /** One of snmpd's own counters, read with the right community. */
  async function counter(oid: string): Promise<number> {
    const p = await tool('snmpget', [...v2c, oid]);
    return Number(p.get(oid)?.value ?? NaN);
  }

  it('v2c: reachability, uptime, clock, storage, memory, processes and interfaces agree with snmpwalk/snmpget', async () => {
    const run = await probe(OPTIONS, { password: peer.community });
    const [scalars, storage, swrun, ifaces, cpu] = await Promise.all([
      tool('snmpget', [...v2c, O.sysDescr, O.sysName, O.hrSystemUptime, O.hrSystemDate]),
      tool('snmpwalk', [...v2c, O.hrStorageEntry]),
      tool('snmpwalk', [...v2c, O.hrSWRunEntry]),
      tool('snmpwalk', [...v2c, O.ifEntry]),
      tool('snmpwalk', [...v2c, O.hrProcessorLoad]),
    ]);
    const afterMs = Date.now();

    const reach = byCheck(run, 'snmp-reachable');
    assert.equal(reach.status, 'ok');
    assert.equal(reach.facts?.sysDescr, String(scalars.get(O.sysDescr)!.value).slice(0, 255));
    assert.equal(reach.facts?.sysName, scalars.get(O.sysName)!.value);

    // Uptime: hrSystemUptime, read a moment later by snmpget.
    const uptime = byCheck(run, 'uptime');
    assert.equal(uptime.status, 'ok');
    const printedUptime = Number(scalars.get(O.hrSystemUptime)!.value) / 100;
    assert.ok(Math.abs(printedUptime - uptime.values!.uptime_s!) < 5, `uptime ${uptime.values!.uptime_s} vs snmpget ${printedUptime}`);

    // Clock: the same host, so the drift is within a second of what snmpget's date says.
    const drift = byCheck(run, 'clock-drift');
    const printedDate = parseDateAndTime(scalars.get(O.hrSystemDate)!.value, 0)!;
    assert.ok(Math.abs(drift.values!.drift_s!) <= 2, `drift ${drift.values!.drift_s} s`);
    assert.ok(Math.abs(printedDate.ms - afterMs) <= 2000);
    assert.equal(drift.status, 'ok');

    // The recording volume "/": size exactly, free bytes within what the host wrote meanwhile.
    const rows = rowsOf(storage, O.hrStorageEntry);
    const root = [...rows.values()].find((r) => r.get(3) === '/')!;
    assert.ok(root, 'snmpwalk shows no "/" in hrStorageTable');
    const units = root.get(4) as number;
    const sizeBytes = (root.get(5) as number) * units;
    const freeBytes = sizeBytes - (root.get(6) as number) * units;
    const vol = byCheck(run, 'recording-volume');
    assert.equal(vol.values!.size_bytes, sizeBytes);
    assert.ok(Math.abs(vol.values!.free_bytes! - freeBytes) <= 64 * 2 ** 20, `free ${vol.values!.free_bytes} vs snmpwalk ${freeBytes}`);
    assert.equal(vol.values!.hours_left, Math.round((vol.values!.free_bytes! / (8e6 / 8 * 3600)) * 10) / 10);

    // Memory: the hrStorageRam row.
    const ram = [...rows.values()].find((r) => r.get(2) === O.hrStorageTypes.ram)!;
    const mem = byCheck(run, 'memory');
    assert.equal(mem.values!.memory_total_bytes, (ram.get(5) as number) * (ram.get(4) as number));
    const printedPct = ((ram.get(6) as number) / (ram.get(5) as number)) * 100;
    assert.ok(Math.abs(mem.values!.memory_used_percent! - printedPct) < 2, `memory ${mem.values!.memory_used_percent} % vs ${printedPct} %`);

    // Processes: snmpd itself is the process watched.
    const procs = rowsOf(swrun, O.hrSWRunEntry);
    const snmpds = [...procs.values()].filter((r) => r.get(2) === 'snmpd' && [1, 2].includes(r.get(7) as number)).length;
    const proc = byCheck(run, 'recorder-process');
    assert.deepEqual([proc.status, proc.values!.process_count], ['ok', snmpds]);
    assert.ok(Math.abs(proc.values!.processes_total! - procs.size) <= Math.max(5, procs.size * 0.1), `${proc.values!.processes_total} vs ${procs.size} processes`);

    // Interfaces: the same rule applied to snmpwalk's ifTable.
    const ifRows = [...rowsOf(ifaces, O.ifEntry).values()].filter((r) => r.get(7) === 1 && r.get(3) !== 24);
    const iface = byCheck(run, 'interfaces');
    assert.deepEqual(iface.values, {
      interfaces_up: ifRows.filter((r) => r.get(8) === 1).length,
      interfaces_down: ifRows.filter((r) => r.get(8) !== 1).length,
      if_errors: ifRows.reduce((a, r) => a + (r.get(14) as number) + (r.get(20) as number), 0),
    });

    // CPU: reported exactly when snmpd reports hrProcessorLoad (it needs a minute of samples first).
    const loads = [...cpu.entries()].filter(([oid]) => oid.startsWith(O.hrProcessorLoad + '.')).map(([, p]) => p.value as number);
    const cpuCheck = run.results.find((r) => r.check === 'cpu-load');
    if (loads.length === 0) assert.equal(cpuCheck, undefined);
    else assert.equal(cpuCheck?.values?.cpus, loads.length);
  });

  it('the guarded GETBULK walk returns the same rows as snmpwalk\'s GETNEXT walk', async () => {
    const lease = await sessionPool.acquire({ host: '127.0.0.1', port: peer.port, version: '2c', community: peer.community }, new AbortController().signal, { requestTimeoutMs: 2000, retries: 1 });
    try {
      for (const [entry, columns, stable] of [[O.hrStorageEntry, STORAGE_COLUMNS, [0, 1, 2, 3]], [O.ifEntry, IF_COLUMNS, [0, 1, 2, 3]]] as const) {
        const walked = await walkColumns(lease, columns, { maxRepetitions: 5, maxRows: 10_000, maxBytes: 1e6 });
        const printed = rowsOf(await tool('snmpwalk', [...v2c, entry]), entry);
        assert.deepEqual([...walked.rows.keys()], [...printed.keys()], `${entry}: the same rows`);
        for (const [index, cells] of walked.rows) {
          for (const i of stable) {
            const col = Number(columns[i]!.split('.').pop());
            const got = cells[i]!.value;
            const want = printed.get(index)!.get(col);
            assert.deepEqual(Buffer.isBuffer(got) ? got.toString('utf8') : got, want, `${entry}.${col}.${index}`);
          }
        }
      }
    } finally {
      lease.release();
    }
  });

  it('v3 authPriv (SHA/AES): the same figures as v2c', async () => {
    const a = await probe(OPTIONS, { password: peer.community });
    const b = await probe(v3Options, { username: peer.user, password: peer.authKey });
    assert.equal(byCheck(b, 'snmp-reachable').params?.version, 'v3');
    assert.equal(byCheck(b, 'snmp-reachable').status, 'ok');
    for (const c of ['recording-volume', 'memory', 'interfaces']) {
      assert.equal(byCheck(b, c).values?.size_bytes ?? 0, byCheck(a, c).values?.size_bytes ?? 0, c);
      assert.equal(byCheck(b, c).status, byCheck(a, c).status, c);
    }
    assert.deepEqual(byCheck(b, 'interfaces').values, byCheck(a, 'interfaces').values);
  });

  it('a wrong community: snmpd drops it (its snmpInBadCommunityNames counts it) and the driver says "no answer" at its budget', async () => {
    const before = await counter('1.3.6.1.2.1.11.4.0');
    let settled = false;
    const p = probe(OPTIONS, { password: `${peer.community}-wrong` });
    void p.then(() => (settled = true));
    // Wait for snmpd to have seen (and refused) the request: a real event, not a sleep.
    for (let i = 0; i < 1000 && (await counter('1.3.6.1.2.1.11.4.0')) === before; i++);
    assert.ok((await counter('1.3.6.1.2.1.11.4.0')) > before, 'snmpd never saw the request');
    assert.equal(settled, false);
    await clock.advance(4500);
    const run = await p;
    assert.deepEqual(run.results.map((r) => [r.check, r.status, r.messageKey]), [['snmp-reachable', 'down', 'snmp.no-answer']]);
  });

  it('v3 with a wrong authentication key: snmpd\'s Report gives "wrong key" at once; an unknown user, "unknown user"', async () => {
    const wrong = await probe(v3Options, { username: peer.user, password: `${peer.authKey}x` });
    assert.deepEqual(wrong.results.map((r) => [r.check, r.status, r.messageKey]), [['snmp-reachable', 'unknown', 'snmp.auth.wrong-key']]);
    const unknown = await probe(v3Options, { username: 'nobody', password: peer.authKey });
    assert.deepEqual(unknown.results.map((r) => [r.check, r.status, r.messageKey]), [['snmp-reachable', 'unknown', 'snmp.auth.unknown-user']]);
  });

  it('v3 with a wrong privacy key: snmpd decrypts garbage (its snmpInASNParseErrs counts it) and stays silent; "no answer" at the budget', async () => {
    const parseErrors = '1.3.6.1.2.1.11.6.0';
    const before = await counter(parseErrors);
    process.env[PRIV_ENV] = `${peer.privKey}x`;
    let settled = false;
    const p = probe(v3Options, { username: peer.user, password: peer.authKey });
    void p.then(() => (settled = true));
    for (let i = 0; i < 1000 && (await counter(parseErrors)) === before; i++);
    assert.ok((await counter(parseErrors)) > before, 'snmpd never saw the request');
    assert.equal(settled, false);
    await clock.advance(4500);
    const run = await p;
    assert.deepEqual(run.results.map((r) => [r.check, r.status, r.messageKey]), [['snmp-reachable', 'down', 'snmp.no-answer']]);
    assert.match(run.results[0]!.message, /privacy key/);
  });

  it('net-snmp decodes what snmpd sends (a control for the parser above)', async () => {
    const s = snmp.createSession('127.0.0.1', peer.community, { port: peer.port, version: snmp.Version2c, timeout: 2000, retries: 0 });
    (s as unknown as NodeJS.EventEmitter).on('error', () => {});
    const vbs = await new Promise<snmp.Varbind[]>((resolve, reject) => s.get([O.sysName], (e, v) => (e ? reject(e) : resolve(v!))));
    s.close();
    const printed = await tool('snmpget', [...v2c, O.sysName]);
    assert.equal(String(vbs[0]!.value), printed.get(O.sysName)!.value);
  });
});
