/**
 * The snmp-host driver against its simulator (net-snmp's Agent on 127.0.0.1): every check in every
 * fault mode, v2c and v3 (authPriv SHA/AES), answers that never come, wrong community and keys,
 * malformed, oversized and non-increasing replies, the reboot and error-counter comparisons with
 * the previous probe, the regional-server role, the options, the session pool, the message catalog.
 * Time is a FakeClock: the driver's budget and the collector's deadline are moved by the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import * as snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';
import { messages } from '../console-ui/i18n/messages';
import { FakeClock } from '../collector/core/clock';
import { createLogger, silentLogger } from '../collector/core/logger';
import type { CheckResult, Credentials, ProbeTarget } from '../collector/core/types';
import { runProbe, type ProbeRun } from '../collector/scheduler/run-probe';
import { snmpHostDriver, SNMP_HOST_CHECKS } from '../device-drivers/snmp-host/driver';
import { snmpHostOptions, type SnmpHostOptions } from '../device-drivers/snmp-host/options';
import { snmpHostPolicyDefaults, snmpHostPolicySchema } from '../device-drivers/snmp-host/policy';
import { classifyError, closeSnmpSessions, sessionPool, SnmpError, type Lease } from '../device-drivers/snmp-host/session-pool';
import { SNMP_HOST_FAULTS, SnmpHostSimulator, type MalformedVariant, type SnmpHostFault, type SnmpHostSimulatorOptions } from '../device-drivers/snmp-host/simulator';
import { matchesVolume } from '../device-drivers/snmp-host/checks/storage';
import { matchesProcess } from '../device-drivers/snmp-host/checks/process';
import { uptimeCheck } from '../device-drivers/snmp-host/checks/system';
import { encodeDateAndTime, parseDateAndTime } from '../device-drivers/snmp-host/values';
import { walkColumns, WalkError } from '../device-drivers/snmp-host/walk';
import { createRegistry } from '../device-drivers/registry';
import { resolveDriverPolicies, defaultPolicy } from '../collector/config/policy';

const secret = () => crypto.randomBytes(12).toString('base64url');
const COMMUNITY = `c-${secret()}`;
const AUTH_KEY = secret();
const PRIV_KEY = secret();
const PRIV_ENV = 'HW_TEST_SNMP_PRIV_KEY';
const ALL_SECRETS = [COMMUNITY, AUTH_KEY, PRIV_KEY];

const PC_OPTIONS = { volumes: { recording: 'D:\\' }, recorderProcess: 'avf-recorder.exe', opticalRequired: true };
const V2C: Credentials = { password: COMMUNITY };
const V3: Credentials = { username: 'hallwatch', password: AUTH_KEY };

type Check = Omit<CheckResult, 'observedAt' | 'durationMs'>;

function byCheck(results: Check[], check: string): Check {
  const r = results.find((x) => x.check === check);
  assert.ok(r, `no "${check}" check in ${JSON.stringify(results.map((x) => [x.check, x.status, x.messageKey]))}`);
  return r;
}

/** [check, status, messageKey] of every result, for compact comparisons. */
const summary = (results: Check[]) => results.map((r) => [r.check, r.status, r.messageKey]);

describe('snmp-host driver against its simulator', function () {
  this.timeout(15_000);
  let clock: FakeClock;
  const sims: SnmpHostSimulator[] = [];

  async function startSim(o: Partial<SnmpHostSimulatorOptions> = {}, fault?: SnmpHostFault): Promise<SnmpHostSimulator> {
    const sim = new SnmpHostSimulator({
      id: 'almaty-city-h1-pc', community: COMMUNITY, v3: { user: 'hallwatch', authKey: AUTH_KEY, privKey: PRIV_KEY },
      now: () => clock.now(), ...o,
    });
    await sim.start();
    sims.push(sim);
    if (fault) await sim.setFault(fault);
    return sim;
  }

  function target(sim: SnmpHostSimulator, options: Record<string, unknown> = PC_OPTIONS, credentials?: Credentials): ProbeTarget<SnmpHostOptions> {
    return { id: sim.id, driver: 'snmp-host', host: '127.0.0.1', port: sim.port, options: snmpHostOptions.parse(options), credentials };
  }

  function probe(sim: SnmpHostSimulator, o: { options?: Record<string, unknown>; credentials?: Credentials; previous?: CheckResult[]; timeoutMs?: number } = {}): Promise<ProbeRun> {
    return runProbe(snmpHostDriver, target(sim, o.options, 'credentials' in o ? o.credentials : V2C), {
      clock, timeoutMs: o.timeoutMs ?? 5000, log: silentLogger, previous: o.previous, policy: snmpHostPolicyDefaults,
    });
  }

  const v3Options = (extra: Record<string, unknown> = {}) => ({ ...PC_OPTIONS, version: '3', privKey: { env: PRIV_ENV }, ...extra });

  beforeEach(() => {
    clock = new FakeClock('2026-11-23T03:30:00Z');
    process.env[PRIV_ENV] = PRIV_KEY;
  });
  afterEach(async () => {
    closeSnmpSessions();
    await Promise.all(sims.splice(0).map((s) => s.stop()));
    delete process.env[PRIV_ENV];
  });

  describe('a healthy recording PC', () => {
    it('v2c: every check ok, with the figures the host reports', async () => {
      const sim = await startSim();
      const run = await probe(sim);
      assert.equal(run.outcome, 'ok');
      assert.deepEqual(summary(run.results), [
        ['snmp-reachable', 'ok', 'snmp.reachable.ok'], ['uptime', 'ok', 'snmp.uptime.ok'], ['clock-drift', 'ok', 'snmp.clock.ok'],
        ['recording-volume', 'ok', 'snmp.storage.ok'], ['cpu-load', 'ok', 'snmp.cpu.ok'], ['memory', 'ok', 'snmp.memory.ok'],
        ['recorder-process', 'ok', 'snmp.process.ok'], ['optical-drive', 'ok', 'snmp.optical.ok'], ['interfaces', 'ok', 'snmp.if.ok'],
      ]);
      const reach = byCheck(run.results, 'snmp-reachable');
      assert.equal(reach.params?.version, 'v2c');
      assert.equal(reach.facts?.sysName, 'almaty-city-h1-pc');
      assert.match(reach.facts?.sysDescr ?? '', /^Hardware: Intel64 .*Windows/);
      assert.deepEqual(byCheck(run.results, 'uptime').values, { uptime_s: 264_600 }); // 3 d 1 h 30 min
      assert.deepEqual(byCheck(run.results, 'uptime').params, { days: 3, hours: 1, minutes: 30 });
      assert.deepEqual(byCheck(run.results, 'clock-drift').values, { drift_s: 0 });
      // D:\ 1863 GiB with 912 GiB free; 8 Mbit/s is 3.6 GB an hour.
      assert.deepEqual(byCheck(run.results, 'recording-volume').values, { free_bytes: 912 * 2 ** 30, size_bytes: 1863 * 2 ** 30, hours_left: 272, bitrate_mbps: 8 });
      assert.deepEqual(byCheck(run.results, 'recording-volume').params, { volume: 'D:\\', freeGb: 912, hoursLeft: 272 });
      assert.deepEqual(byCheck(run.results, 'cpu-load').values, { load_percent: 10.8, load_max_percent: 15, cpus: 4 });
      assert.equal(byCheck(run.results, 'memory').values?.memory_used_percent, 46);
      assert.equal(byCheck(run.results, 'memory').values?.memory_total_bytes, 16 * 2 ** 30);
      assert.deepEqual(byCheck(run.results, 'recorder-process').values, { process_count: 1, processes_total: 13 });
      assert.deepEqual(byCheck(run.results, 'optical-drive').values, { optical_drives: 1 });
      assert.equal(byCheck(run.results, 'optical-drive').facts?.opticalDrive, 'ATAPI iHAS124   F');
      assert.deepEqual(byCheck(run.results, 'interfaces').values, { interfaces_up: 1, interfaces_down: 0, if_errors: 4 });
    });

    it('v3 authPriv (SHA, AES; the privacy key from an environment variable): the same checks and figures', async () => {
      const sim = await startSim();
      const v2c = await probe(sim);
      const v3 = await probe(sim, { options: v3Options(), credentials: V3 });
      assert.equal(v3.outcome, 'ok');
      assert.equal(byCheck(v3.results, 'snmp-reachable').params?.version, 'v3');
      const figures = (run: ProbeRun) => run.results.filter((r) => r.check !== 'snmp-reachable').map((r) => [r.check, r.values]);
      assert.deepEqual(figures(v3), figures(v2c));
    });

    it('v3 with the authentication key for privacy too, as Net-SNMP createUser does when no privacy key is given', async () => {
      const sim = await startSim({ v3: { user: 'hallwatch', authKey: AUTH_KEY } });
      const run = await probe(sim, { options: { ...PC_OPTIONS, version: '3' }, credentials: V3 });
      assert.equal(run.outcome, 'ok');
    });

    it('reuses one session per target and credentials across probes', async () => {
      const sim = await startSim();
      const before = sessionPool.created;
      await probe(sim);
      await probe(sim);
      await probe(sim);
      assert.equal(sessionPool.created - before, 1, 'three v2c probes, one session');
      await probe(sim, { options: v3Options(), credentials: V3 });
      await probe(sim, { options: v3Options(), credentials: V3 });
      assert.equal(sessionPool.created - before, 2, 'other credentials, another session; reused too');
      assert.equal(sessionPool.size, 2);
      closeSnmpSessions();
      assert.equal(sessionPool.size, 0);
    });
  });

  describe('each fault mode: the named check, its status, message key and figures; the other checks stay ok', () => {
    const cases: Array<{ fault: SnmpHostFault; check: string; status: string; key: string; values?: Record<string, number>; params?: Record<string, unknown> }> = [
      { fault: 'disk-low', check: 'recording-volume', status: 'degraded', key: 'snmp.storage.low', params: { hoursLeft: 14, limitHours: 24 } },
      { fault: 'disk-full', check: 'recording-volume', status: 'down', key: 'snmp.storage.critical', params: { hoursLeft: 1.5, limitHours: 4, freeGb: 5 } },
      { fault: 'recorder-stopped', check: 'recorder-process', status: 'down', key: 'snmp.process.missing', values: { process_count: 0, processes_total: 12 }, params: { name: 'avf-recorder.exe' } },
      { fault: 'recorder-not-runnable', check: 'recorder-process', status: 'degraded', key: 'snmp.process.not-runnable', values: { process_count: 0, processes_total: 13 } },
      { fault: 'no-optical', check: 'optical-drive', status: 'degraded', key: 'snmp.optical.missing', values: { optical_drives: 0 } },
      { fault: 'clock-drift', check: 'clock-drift', status: 'degraded', key: 'snmp.clock.ahead', values: { drift_s: 95 }, params: { driftS: 95, limitS: 10 } },
      { fault: 'cpu-busy', check: 'cpu-load', status: 'degraded', key: 'snmp.cpu.high', values: { load_percent: 98.3, load_max_percent: 99, cpus: 4 } },
      { fault: 'memory-low', check: 'memory', status: 'degraded', key: 'snmp.memory.high', params: { usedPercent: 97, limitPercent: 95 } },
      { fault: 'link-down', check: 'interfaces', status: 'down', key: 'snmp.if.none-up', values: { interfaces_up: 0, interfaces_down: 1, if_errors: 4 } },
    ];
    for (const c of cases) {
      it(`${c.fault} → ${c.check} ${c.status} (${c.key}), over v2c and v3`, async () => {
        const sim = await startSim({}, c.fault);
        for (const o of [{}, { options: v3Options(), credentials: V3 }]) {
          const run = await probe(sim, o);
          const r = byCheck(run.results, c.check);
          assert.deepEqual([r.status, r.messageKey], [c.status, c.key]);
          if (c.values) for (const [k, v] of Object.entries(c.values)) assert.equal(r.values?.[k], v, `${c.check} values.${k}`);
          if (c.params) for (const [k, v] of Object.entries(c.params)) assert.equal(r.params?.[k], v, `${c.check} params.${k}`);
          for (const other of run.results.filter((x) => x.check !== c.check)) assert.equal(other.status, 'ok', `${other.check}: ${other.message}`);
        }
      });
    }

    it('every fault mode of the simulator is covered by a test', () => {
      const covered = new Set<string>([...cases.map((c) => c.fault), 'none', 'reboot', 'if-errors', 'hang', 'wrong-community', 'v3-auth-failure', 'malformed', 'oversized', 'non-increasing']);
      assert.deepEqual(SNMP_HOST_FAULTS.filter((f) => !covered.has(f)), []);
    });

    it('reboot: reported once, against the previous probe; a host that kept running is not', async () => {
      const sim = await startSim();
      const first = await probe(sim);
      await clock.advance(60_000);
      const second = await probe(sim, { previous: first.results });
      const steady = byCheck(second.results, 'uptime');
      assert.deepEqual([steady.status, steady.messageKey, steady.values], ['ok', 'snmp.uptime.ok', { uptime_s: 264_660, previous_uptime_s: 264_600 }]);

      await clock.advance(60_000);
      await sim.setFault('reboot'); // up 40 s now
      const third = await probe(sim, { previous: second.results });
      const rebooted = byCheck(third.results, 'uptime');
      assert.deepEqual([rebooted.status, rebooted.messageKey], ['degraded', 'snmp.uptime.rebooted']);
      assert.deepEqual(rebooted.values, { uptime_s: 40, previous_uptime_s: 264_660 });
      assert.deepEqual(rebooted.params, { days: 0, hours: 0, minutes: 0 });

      await clock.advance(60_000);
      const fourth = await probe(sim, { previous: third.results });
      assert.deepEqual([byCheck(fourth.results, 'uptime').status, byCheck(fourth.results, 'uptime').values?.uptime_s], ['ok', 100]);
    });

    it('if-errors: error counters rising since the previous probe degrade the interfaces check', async () => {
      const sim = await startSim({}, 'if-errors');
      const first = await probe(sim);
      assert.deepEqual([byCheck(first.results, 'interfaces').status, byCheck(first.results, 'interfaces').values], ['ok', { interfaces_up: 1, interfaces_down: 0, if_errors: 4 }]);
      await clock.advance(60_000); // 300 input and 100 output errors a minute
      const second = await probe(sim, { previous: first.results });
      const r = byCheck(second.results, 'interfaces');
      assert.deepEqual([r.status, r.messageKey, r.params], ['degraded', 'snmp.if.errors-rising', { delta: 400 }]);
      assert.deepEqual(r.values, { interfaces_up: 1, interfaces_down: 0, if_errors: 404, if_errors_delta: 400 });
      // A counter that went down was reset (a reboot, a driver reload): no rise.
      await sim.setFault('none');
      const third = await probe(sim, { previous: second.results });
      assert.deepEqual([byCheck(third.results, 'interfaces').status, byCheck(third.results, 'interfaces').values?.if_errors_delta], ['ok', undefined]);
    });

    it('a named interface that is down is reported by name', async () => {
      const sim = await startSim({}, 'link-down');
      const run = await probe(sim, { options: { ...PC_OPTIONS, interfaces: ['Software Loopback Interface 1', 'Intel(R) Ethernet Connection (11) I219-LM'] } });
      const r = byCheck(run.results, 'interfaces');
      assert.deepEqual([r.status, r.messageKey, r.params], ['down', 'snmp.if.down', { names: 'Intel(R) Ethernet Connection (11) I219-LM' }]);
    });

    it('thresholds come from the policy: a court that wants 400 h left sees a healthy disk as low', async () => {
      const sim = await startSim();
      const policy = snmpHostPolicySchema.parse({ ...snmpHostPolicyDefaults, storage: { ...snmpHostPolicyDefaults.storage, warnHours: 400, failHours: 100 } });
      const run = await runProbe(snmpHostDriver, target(sim, PC_OPTIONS, V2C), { clock, timeoutMs: 5000, log: silentLogger, policy });
      const r = byCheck(run.results, 'recording-volume');
      assert.deepEqual([r.status, r.messageKey, r.params?.limitHours], ['degraded', 'snmp.storage.low', 400]);
      // The hall's bitrate in the options: 32 Mbit/s leaves a quarter of the hours.
      const fast = await probe(sim, { options: { ...PC_OPTIONS, bitrateMbps: 32 } });
      assert.deepEqual(byCheck(fast.results, 'recording-volume').values, { free_bytes: 912 * 2 ** 30, size_bytes: 1863 * 2 ** 30, hours_left: 68, bitrate_mbps: 32 });
    });

    it('a recording volume the host does not have is down, naming it', async () => {
      const sim = await startSim();
      const run = await probe(sim, { options: { ...PC_OPTIONS, volumes: { recording: 'F:\\' } } });
      const r = byCheck(run.results, 'recording-volume');
      assert.deepEqual([r.status, r.messageKey, r.params], ['down', 'snmp.storage.missing', { volume: 'F:\\' }]);
    });
  });

  describe('no answer, wrong community, wrong keys: a clear result by the deadline, never a hang', () => {
    async function silentUntilBudget(sim: SnmpHostSimulator, o: Parameters<typeof probe>[1] = {}): Promise<ProbeRun> {
      let settled = false;
      const seen = sim.nextRequest();
      const p = probe(sim, { timeoutMs: 5000, ...o });
      void p.then(() => (settled = true));
      await seen;
      await clock.advance(4499);
      assert.equal(settled, false, 'ended before its budget');
      await clock.advance(1); // the budget: 5000 ms less a 500 ms margin
      const run = await p;
      assert.equal(settled, true);
      assert.equal(sim.replies, 0);
      return run;
    }

    it('hang: the driver reports "no answer" at its budget, before the collector\'s deadline', async () => {
      const sim = await startSim({}, 'hang');
      const run = await silentUntilBudget(sim);
      assert.equal(run.outcome, 'fail', 'the driver\'s own result, not the collector\'s timeout');
      assert.deepEqual(summary(run.results), [['snmp-reachable', 'down', 'snmp.no-answer']]);
      assert.deepEqual(run.results[0]!.params, { timeoutMs: 4500 });
      assert.match(run.results[0]!.message, /wrong community/);
    });

    it('wrong community (the agent drops the request, as agents do): "no answer", naming the community as a cause', async () => {
      const sim = await startSim({}, 'wrong-community');
      const run = await silentUntilBudget(sim);
      assert.deepEqual(summary(run.results), [['snmp-reachable', 'down', 'snmp.no-answer']]);
      assert.ok(sim.requests >= 1);
      // The same host still answers v3.
      assert.equal((await probe(sim, { options: v3Options(), credentials: V3 })).outcome, 'ok');
    });

    it('v3 with a wrong authentication key: the agent\'s Report gives "wrong key" at once', async () => {
      const sim = await startSim();
      const run = await probe(sim, { options: v3Options(), credentials: { username: 'hallwatch', password: 'not-the-key-123' } });
      assert.deepEqual(summary(run.results), [['snmp-reachable', 'unknown', 'snmp.auth.wrong-key']]);
      assert.equal(clock.pendingTimers(), 0, 'no timer left behind');
    });

    it('v3-auth-failure (the agent\'s keys changed): "wrong key"; v2c on the same host still answers', async () => {
      const sim = await startSim({}, 'v3-auth-failure');
      const run = await probe(sim, { options: v3Options(), credentials: V3 });
      assert.deepEqual(summary(run.results), [['snmp-reachable', 'unknown', 'snmp.auth.wrong-key']]);
      assert.equal((await probe(sim)).outcome, 'ok');
    });

    it('v3 with a user the agent does not know: "unknown user"', async () => {
      const sim = await startSim();
      const run = await probe(sim, { options: v3Options(), credentials: { username: 'nobody', password: AUTH_KEY } });
      assert.deepEqual(summary(run.results), [['snmp-reachable', 'unknown', 'snmp.auth.unknown-user']]);
    });

    it('a hang while the tables are being walked: what was answered is kept, the rest is unknown at the budget', async () => {
      const sim = await startSim();
      // The first GET is answered; then the host goes silent.
      sim.once('request', () => sim.once('request', () => void sim.setFault('hang')));
      let settled = false;
      const p = probe(sim);
      void p.then(() => (settled = true));
      while (sim.fault !== 'hang') await new Promise((r) => setImmediate(r));
      await clock.advance(4500);
      const run = await p;
      assert.ok(settled);
      const r = byCheck(run.results, 'snmp-reachable');
      assert.equal(r.status, 'ok');
      const walked = run.results.filter((x) => ['recording-volume', 'recorder-process', 'optical-drive', 'interfaces'].includes(x.check));
      assert.ok(walked.length === 4 && walked.every((x) => x.status === 'unknown' && x.messageKey === 'snmp.walk.timeout'), JSON.stringify(summary(walked)));
    });
  });

  describe('hostile replies never crash the process and end by the deadline', () => {
    const variants: MalformedVariant[] = ['garbage', 'truncated', 'unknown-type', 'v3-shaped'];
    for (const variant of variants) {
      it(`malformed (${variant}), v2c: "malformed reply", at once`, async () => {
        const sim = await startSim({}, 'malformed');
        sim.malformedVariant = variant;
        const run = await probe(sim);
        assert.deepEqual(summary(run.results), [['snmp-reachable', 'unknown', 'snmp.reply.malformed']]);
        assert.ok(sim.replies >= 1);
      });
    }
    for (const variant of ['garbage', 'truncated'] as MalformedVariant[]) {
      it(`malformed (${variant}), v3: "malformed reply", at once`, async () => {
        const sim = await startSim({}, 'malformed');
        sim.malformedVariant = variant;
        const run = await probe(sim, { options: v3Options(), credentials: V3 });
        assert.deepEqual(summary(run.results), [['snmp-reachable', 'unknown', 'snmp.reply.malformed']]);
      });
    }

    it('without the driver\'s guards, net-snmp kills the process on the same replies (the reason for them)', async () => {
      const sim = await startSim({}, 'malformed');
      const dist = path.resolve(__dirname, '..');
      const child = (code: string) => new Promise<{ code: number | null; out: string }>((resolve) => {
        execFile(process.execPath, ['-e', code], { cwd: dist, timeout: 10_000 }, (error, stdout, stderr) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, out: stdout + stderr }));
      });
      const raw = (listener: boolean) => `
        const snmp = require(${JSON.stringify(require.resolve('net-snmp'))});
        const s = snmp.createSession('127.0.0.1', 'x', { port: ${sim.port}, version: snmp.Version2c, timeout: 200, retries: 0 });
        ${listener ? "s.on('error', () => {});" : ''}
        s.get(['1.3.6.1.2.1.1.3.0'], () => { s.close(); console.log('survived'); });`;
      sim.malformedVariant = 'garbage';
      const noListener = await child(raw(false));
      assert.notEqual(noListener.code, 0, 'garbage kills a session with no error listener');
      assert.match(noListener.out, /Unhandled 'error' event/);
      sim.malformedVariant = 'v3-shaped';
      const withListener = await child(raw(true));
      assert.notEqual(withListener.code, 0, 'a v3-shaped reply kills even a session with an error listener');
      const guarded = await child(`
        const { sessionPool, closeSnmpSessions } = require(${JSON.stringify(path.join(dist, 'device-drivers/snmp-host/session-pool'))});
        sessionPool.acquire({ host: '127.0.0.1', port: ${sim.port}, version: '2c', community: 'x' }, new AbortController().signal, { requestTimeoutMs: 200, retries: 0 })
          .then((l) => l.get(['1.3.6.1.2.1.1.3.0']).catch((e) => { l.release(true); closeSnmpSessions(); console.log('survived', e.kind); }));`);
      assert.deepEqual([guarded.code, guarded.out.trim()], [0, 'survived malformed']);
    });

    it('oversized: every table walk stops at the byte cap; a 30 KB sysDescr is kept to 255 characters', async () => {
      const sim = await startSim({}, 'oversized');
      const run = await probe(sim, { options: { ...PC_OPTIONS, maxBytes: 64 * 1024 } });
      const reach = byCheck(run.results, 'snmp-reachable');
      assert.equal(reach.status, 'ok');
      assert.equal(reach.facts?.sysDescr?.length, 255);
      for (const c of ['recording-volume', 'cpu-load', 'memory', 'recorder-process', 'optical-drive', 'interfaces']) {
        const r = byCheck(run.results, c);
        assert.deepEqual([r.status, r.messageKey, r.params?.limitKb], ['unknown', 'snmp.walk.too-many-bytes', 64], c);
      }
    });

    it('oversized, with the default caps (1 MiB a table): stops too', async () => {
      const sim = await startSim({}, 'oversized');
      const run = await probe(sim);
      assert.deepEqual([byCheck(run.results, 'recorder-process').messageKey, byCheck(run.results, 'recorder-process').params?.limitKb], ['snmp.walk.too-many-bytes', 1024]);
    });

    it('oversized: the row cap', async () => {
      const sim = await startSim({}, 'oversized');
      const run = await probe(sim, { options: { ...PC_OPTIONS, maxRows: 20, maxBytes: 64 * 1024 * 1024 } });
      const r = byCheck(run.results, 'interfaces');
      assert.deepEqual([r.status, r.messageKey, r.params], ['unknown', 'snmp.walk.too-many-rows', { table: 'ifTable', limit: 20 }]);
    });

    it('oversized without caps that bite: the walks end at the budget', async () => {
      const sim = await startSim({}, 'oversized');
      let settled = false;
      const p = probe(sim, { options: { ...PC_OPTIONS, maxRows: 1_000_000, maxBytes: 64 * 1024 * 1024 } });
      void p.then(() => (settled = true));
      while (sim.requests < 20) await new Promise((r) => sim.once('request', r));
      assert.equal(settled, false);
      await clock.advance(4500);
      const run = await p;
      assert.equal(byCheck(run.results, 'snmp-reachable').status, 'ok');
      assert.deepEqual([byCheck(run.results, 'memory').status, byCheck(run.results, 'memory').messageKey], ['unknown', 'snmp.walk.timeout']);
    });

    it('non-increasing OIDs: every walk stops at the first step back (v2c and v3), in a few requests', async () => {
      const sim = await startSim({}, 'non-increasing');
      for (const o of [{}, { options: v3Options(), credentials: V3 }]) {
        const before = sim.requests;
        const run = await probe(sim, o);
        assert.equal(byCheck(run.results, 'snmp-reachable').status, 'ok');
        for (const c of ['recording-volume', 'cpu-load', 'memory', 'recorder-process', 'optical-drive', 'interfaces']) {
          assert.deepEqual([byCheck(run.results, c).status, byCheck(run.results, c).messageKey], ['unknown', 'snmp.walk.non-increasing'], c);
        }
        assert.ok(sim.requests - before <= 10, `${sim.requests - before} requests`);
      }
    });
  });

  describe('regional servers (role regional-server)', () => {
    const SERVER = { role: 'regional-server', volumes: { archive: '/srv/archive' } };
    const size = 40 * 1024 * 2 ** 30;
    const expected = (share: number) => {
      const used = Math.floor((size - size * share) / 65536) * 65536;
      return { free_bytes: size - used, size_bytes: size, free_percent: Math.round(((size - used) / size) * 100 * 10) / 10 };
    };
    for (const [fault, status, key, share] of [['none', 'ok', 'snmp.archive.ok', 0.42], ['disk-low', 'degraded', 'snmp.archive.low', 0.10], ['disk-full', 'down', 'snmp.archive.critical', 0.03]] as const) {
      it(`archive volume, ${fault}: ${status}`, async () => {
        const sim = await startSim({ id: 'almaty-archive-1', role: 'regional-server' }, fault);
        const run = await probe(sim, { options: SERVER });
        assert.deepEqual(run.results.map((r) => r.check), ['snmp-reachable', 'uptime', 'clock-drift', 'archive-volume', 'cpu-load', 'memory', 'interfaces']);
        const r = byCheck(run.results, 'archive-volume');
        assert.deepEqual([r.status, r.messageKey, r.values], [status, key, expected(share)]);
        for (const other of run.results.filter((x) => x.check !== 'archive-volume')) assert.equal(other.status, 'ok', other.message);
      });
    }

    it('the driver\'s category is recording-pc; an inventory may say server', async () => {
      assert.equal(snmpHostDriver.category, 'recording-pc');
      const { loadInventoryData } = await import('../collector/config/inventory');
      const inv = loadInventoryData({
        version: 1,
        regions: [{ id: 'almaty', name: { ru: 'г. Алматы', kk: 'Алматы қаласы' }, courts: [{ id: 'almaty-city', level: 'regional', name: { ru: 'Алматинский городской суд', kk: 'Алматы қалалық соты' }, halls: [{ number: 1, devices: [
          { id: 'pc', driver: 'snmp-host', address: '10.1.1.5:161', credentials: { password: { secret: 'c' } }, options: { volumes: { recording: 'D:\\' } } },
          { id: 'archive-1', driver: 'snmp-host', category: 'server', critical: false, address: '10.1.0.10:161', credentials: { password: { secret: 'c' } }, options: SERVER },
        ] }] }] }],
      }, { registry: createRegistry([snmpHostDriver]), secrets: { c: COMMUNITY } });
      assert.ok(inv.ok, JSON.stringify(!inv.ok && inv.problems));
      assert.deepEqual(inv.inventory.devices.map((d) => [d.id, d.category]), [['pc', 'recording-pc'], ['archive-1', 'server']]);
    });
  });

  describe('options, policy and configuration', () => {
    it('the options schema names what is missing or wrong', () => {
      const problems = (o: unknown) => {
        const r = snmpHostOptions.safeParse(o);
        return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      };
      assert.match(problems({})[0]!, /^volumes\.recording: required for role recording-pc/);
      assert.match(problems({ role: 'regional-server' })[0]!, /^volumes\.archive: required for role regional-server/);
      assert.match(problems({ volumes: { recording: 'D:\\' }, privKey: { env: 'X' } })[0]!, /^privKey: only for version 3/);
      assert.match(problems({ version: '3', volumes: { recording: 'D:\\' }, privKey: { secret: 'x' } })[0]!, /^privKey: a secrets-file reference is not resolved/);
      assert.match(problems({ version: '3', volumes: { recording: 'D:\\' }, privKey: 'the-key-itself' })[0]!, /^privKey: expected \{ env: VARIABLE \}/);
      assert.match(problems({ version: '3', volumes: { recording: 'D:\\' }, authProtocol: 'md5' })[0]!, /^authProtocol:/);
      assert.match(problems({ version: '1', volumes: { recording: 'D:\\' } })[0]!, /^version:/);
      assert.deepEqual(problems({ volumes: { recording: 'D:\\' }, community: 'public' }).length, 1, 'no community option: it is a credential');
      const d = snmpHostOptions.parse({ volumes: { recording: '/srv/records' } });
      assert.deepEqual([d.version, d.role, d.securityLevel, d.authProtocol, d.privProtocol, d.opticalRequired, d.maxRepetitions, d.maxRows, d.maxBytes, d.localUtcOffsetMinutes],
        ['2c', 'recording-pc', 'authPriv', 'sha', 'aes', false, 32, 10_000, 1024 * 1024, 300]);
    });

    it('the policy: defaults, a court\'s overrides under drivers.snmp-host, and bad thresholds named', () => {
      const registry = createRegistry([snmpHostDriver]);
      const ok = resolveDriverPolicies({ ...defaultPolicy, drivers: { 'snmp-host': { storage: { warnHours: 48 } } } }, registry);
      assert.ok(ok.ok);
      assert.deepEqual((ok.policies.get('snmp-host') as typeof snmpHostPolicyDefaults).storage, { warnHours: 48, failHours: 4, defaultBitrateMbps: 8 });
      const bad = resolveDriverPolicies({ ...defaultPolicy, drivers: { 'snmp-host': { storage: { failHours: 30 } } } }, registry);
      assert.ok(!bad.ok);
      assert.deepEqual(bad.problems, [{ path: 'drivers.snmp-host.storage.failHours', message: 'failHours must be less than warnHours' }]);
    });

    it('missing credentials are an unknown result naming the field, not a request', async () => {
      const sim = await startSim();
      for (const [o, credentials, what] of [
        [PC_OPTIONS, undefined, 'credentials.password'],
        [v3Options(), { password: AUTH_KEY }, 'credentials.username'],
        [v3Options(), { username: 'hallwatch' }, 'credentials.password'],
        [v3Options(), { username: 'hallwatch', password: 'short' }, 'credentials.password'],
      ] as const) {
        const run = await probe(sim, { options: o, credentials: credentials as Credentials | undefined });
        assert.deepEqual([summary(run.results), run.results[0]!.params?.what], [[['snmp-reachable', 'unknown', 'snmp.config.missing']], what]);
      }
      delete process.env[PRIV_ENV];
      const noEnv = await probe(sim, { options: v3Options(), credentials: V3 });
      assert.equal(noEnv.results[0]!.params?.what, `privKey.env ${PRIV_ENV}`);
      assert.equal(sim.requests, 0);
    });
  });

  it('secrets never appear in results or logs, whatever the outcome', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    const sim = await startSim();
    const runs: ProbeRun[] = [];
    const go = (o: Parameters<typeof probe>[1] = {}) => runProbe(snmpHostDriver, target(sim, o.options, o.credentials ?? V2C), { clock, timeoutMs: 5000, log, policy: snmpHostPolicyDefaults });
    runs.push(await go());
    runs.push(await go({ options: v3Options(), credentials: V3 }));
    runs.push(await go({ options: v3Options(), credentials: { username: 'hallwatch', password: `${AUTH_KEY}x` } }));
    for (const f of ['malformed', 'non-increasing', 'disk-full'] as const) {
      await sim.setFault(f);
      runs.push(await go());
    }
    await sim.setFault('wrong-community');
    const p = go();
    await sim.nextRequest();
    await clock.advance(4500);
    runs.push(await p);
    assert.ok(lines.some((l) => l.includes('snmp get failed')) && lines.some((l) => l.includes('snmp walk failed')), 'the failures were logged');
    const text = JSON.stringify(runs) + lines.join('\n');
    for (const s of ALL_SECRETS) assert.ok(!text.includes(s), 'a secret leaked');
    // net-snmp's own message for a reply from another community quotes ours: not passed on.
    const e = classifyError(new snmp.ResponseInvalidError(`Community '${COMMUNITY}' in request does not match community 'x' in response`, 10));
    assert.deepEqual([e.kind, e.detail.includes(COMMUNITY)], ['malformed', false]);
  });
});

describe('snmp-host pieces', () => {
  /** A lease whose GETBULK answers are scripted: one list per requested OID. */
  function scripted(answer: (oids: string[], maxRep: number, call: number) => Varbind[][] | Error): Lease & { calls: string[][]; reps: number[] } {
    const calls: string[][] = [];
    const reps: number[] = [];
    return {
      reused: true, calls, reps,
      get: async () => [],
      getBulk: async (oids, maxRep) => {
        calls.push(oids);
        reps.push(maxRep);
        const a = answer(oids, maxRep, calls.length);
        if (a instanceof Error) throw a;
        return a;
      },
      abort: () => {},
      release: () => {},
    };
  }
  const vb = (oid: string, value: number | string = 1): Varbind => ({ oid, type: typeof value === 'number' ? 2 : 4, value: typeof value === 'number' ? value : Buffer.from(value) });
  const COL = '1.3.6.1.2.1.25.2.3.1.3';

  it('walks two columns together, row by row, and stops at the end of each', async () => {
    const rows = [1, 2, 3];
    const lease = scripted((oids) => oids.map((o) => {
      const base = o.split('.').slice(0, 11).join('.');
      const last = o.split('.').length > 11 ? Number(o.split('.')[11]) : 0;
      const next = rows.filter((r) => r > last).slice(0, 2).map((r) => vb(`${base}.${r}`, r));
      return next.length ? next : [vb('1.3.6.1.2.1.25.3.2.1.1.1')];
    }));
    const out = await walkColumns(lease, [COL, '1.3.6.1.2.1.25.2.3.1.5'], { maxRepetitions: 2, maxRows: 100, maxBytes: 1e6 });
    assert.deepEqual([...out.rows.keys()], ['1', '2', '3']);
    assert.deepEqual(out.rows.get('2')!.map((v) => v?.value), [2, 2]);
    assert.equal(lease.calls.length, 3);
  });

  it('stops on an OID that does not increase within a column, or that goes back outside it', async () => {
    await assert.rejects(walkColumns(scripted(() => [[vb(`${COL}.1`), vb(`${COL}.2`), vb(`${COL}.2`)]]), [COL]), (e: unknown) => e instanceof WalkError && e.reason === 'non-increasing');
    await assert.rejects(walkColumns(scripted((_, __, n) => (n === 1 ? [[vb(`${COL}.5`)]] : [[vb(`${COL}.1`)]])), [COL]), (e: unknown) => e instanceof WalkError && e.reason === 'non-increasing');
    await assert.rejects(walkColumns(scripted(() => [[vb('1.3.6.1.2.1.1.1.0')]]), [COL]), (e: unknown) => e instanceof WalkError && e.reason === 'non-increasing');
  });

  it('stops on a row or byte cap, on a stalled agent, and on an invalid OID', async () => {
    let i = 0;
    const endless = () => scripted(() => [[vb(`${COL}.${++i}`, 'x'.repeat(100))]]);
    await assert.rejects(walkColumns(endless(), [COL], { maxRepetitions: 1, maxRows: 50, maxBytes: 1e9 }), (e: unknown) => e instanceof WalkError && e.reason === 'too-large' && i === 51);
    await assert.rejects(walkColumns(endless(), [COL], { maxRepetitions: 1, maxRows: 1e6, maxBytes: 10_000 }), (e: unknown) => e instanceof WalkError && e.reason === 'too-large');
    await assert.rejects(walkColumns(scripted(() => [[]]), [COL]), (e: unknown) => e instanceof WalkError && e.reason === 'stalled');
    await assert.rejects(walkColumns(scripted(() => [[vb('1.3.x')]]), [COL]), (e: unknown) => e instanceof SnmpError && e.kind === 'malformed');
  });

  it('asks for fewer rows when the agent says tooBig', async () => {
    const lease = scripted((_, maxRep) => (maxRep > 4 ? new SnmpError('protocol', 'tooBig', undefined, 1) : [[vb(`${COL}.1`), vb('1.3.6.1.2.1.25.2.3.1.4.1')]]));
    const out = await walkColumns(lease, [COL], { maxRepetitions: 32, maxRows: 10, maxBytes: 1e6 });
    assert.deepEqual([out.rows.size, lease.reps], [1, [32, 8, 2]]);
  });

  it('uptime: a TimeTicks wrap-around (497 days) is not a reboot; an uptime short of the elapsed time is', () => {
    const now = Date.parse('2026-11-23T03:30:00Z');
    const wrapS = 2 ** 32 / 100;
    const previous = (uptimeS: number, source = 'hrSystemUptime'): CheckResult[] => [{
      check: 'uptime', status: 'ok', message: '', messageKey: 'snmp.uptime.ok', durationMs: 1,
      observedAt: new Date(now - 60_000).toISOString(), values: { uptime_s: uptimeS }, facts: { uptimeSource: source },
    }];
    const host = (s: number) => ({ hrSystemUptime: { oid: '1.3.6.1.2.1.25.1.1.0', type: 67, value: s * 100 } as Varbind });
    // 30 s short of the wrap a minute ago, 30 s past it now: the same boot.
    assert.equal(uptimeCheck(host(30), previous(wrapS - 30), now, snmpHostPolicyDefaults).messageKey, 'snmp.uptime.ok');
    assert.equal(uptimeCheck(host(10), previous(wrapS - 30), now, snmpHostPolicyDefaults).messageKey, 'snmp.uptime.rebooted');
    assert.equal(uptimeCheck(host(3600), previous(3540), now, snmpHostPolicyDefaults).messageKey, 'snmp.uptime.ok');
    assert.equal(uptimeCheck(host(20), previous(3540), now, snmpHostPolicyDefaults).messageKey, 'snmp.uptime.rebooted');
    // Only sysUpTime (the agent's own uptime): a restart of the SNMP service, said as such.
    const agent = uptimeCheck({ sysUpTime: { oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 2000 } }, previous(3540, 'sysUpTime'), now, snmpHostPolicyDefaults);
    assert.deepEqual([agent.status, agent.messageKey], ['degraded', 'snmp.uptime.agent-restarted']);
  });

  it('DateAndTime: 11 octets with the offset, 8 octets at the assumed offset, invalid dates refused', () => {
    const t = Date.parse('2026-11-23T03:30:00.700Z');
    assert.equal(parseDateAndTime(encodeDateAndTime(t, 300), 0)?.ms, t);
    assert.equal(parseDateAndTime(encodeDateAndTime(t, -90), 0)?.ms, t);
    const eight = encodeDateAndTime(t, 300).subarray(0, 8); // 08:30:00.7 local, no offset
    assert.deepEqual(parseDateAndTime(eight, 300), { ms: t, hasOffset: false });
    const bad = Buffer.from(encodeDateAndTime(t, 300));
    bad[2] = 13;
    assert.equal(parseDateAndTime(bad, 300), undefined);
    const feb30 = Buffer.from(encodeDateAndTime(t, 300));
    feb30[2] = 2;
    feb30[3] = 30;
    assert.equal(parseDateAndTime(feb30, 300), undefined);
    assert.equal(parseDateAndTime(Buffer.alloc(5), 300), undefined);
  });

  it('volumes and processes match as hosts name them', () => {
    assert.ok(matchesVolume('D:\\ Label:Records  Serial Number 5e3c9a10', 'D:\\'));
    assert.ok(matchesVolume('D:\\ Label:Records  Serial Number 5e3c9a10', 'd:'));
    assert.ok(matchesVolume('D:\\', 'D:'));
    assert.ok(!matchesVolume('D:\\Records', 'D:\\'));
    assert.ok(matchesVolume('/srv/records', '/srv/records/'));
    assert.ok(!matchesVolume('/srv/records2', '/srv/records'));
    assert.ok(matchesVolume('/', '/'));
    assert.ok(matchesProcess('AVF-Recorder.EXE', 'avf-recorder.exe'));
    assert.ok(matchesProcess('hallwatch-recor', 'hallwatch-recorder'), 'Linux cuts names to 15 characters');
    assert.ok(!matchesProcess('hallwatch-rec', 'hallwatch-recorder'));
  });

  it('the message catalog has every key and figure label the driver emits, in Russian and Kazakh, with the same placeholders', () => {
    const catalog = messages as Record<string, { ru: string; kk: string }>;
    const keys = Object.keys(catalog).filter((k) => k.startsWith('snmp.'));
    assert.ok(keys.length >= 40);
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of keys) {
      const m = catalog[k]!;
      assert.ok(m.ru && m.kk && m.ru !== m.kk, k);
      assert.deepEqual(placeholders(m.kk), placeholders(m.ru), `${k}: the same placeholders in both languages`);
    }
    for (const c of SNMP_HOST_CHECKS) assert.ok(catalog[`check.${c}`], `check.${c}`);
    const emitted = ['rtt_ms', 'uptime_s', 'previous_uptime_s', 'drift_s', 'free_bytes', 'size_bytes', 'hours_left', 'bitrate_mbps', 'free_percent',
      'load_percent', 'load_max_percent', 'cpus', 'memory_used_percent', 'memory_total_bytes', 'memory_used_bytes', 'process_count', 'processes_total',
      'optical_drives', 'interfaces_up', 'interfaces_down', 'if_errors', 'if_errors_delta'];
    for (const v of emitted) assert.ok(catalog[`value.${v}`], `value.${v}`);
    const kk = keys.map((k) => catalog[k]!.kk).join(' ');
    for (const letter of 'әғқңөұүі') assert.ok(kk.includes(letter), `Kazakh letter ${letter}`);
  });
});
