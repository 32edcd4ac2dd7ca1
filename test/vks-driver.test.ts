import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { FakeClock, SystemClock, type Clock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import type { CheckResultDraft, ProbeTarget } from '../collector/core/types';
import { vksEndpointDriver } from '../device-drivers/vks-endpoint/driver';
import { vksEndpointOptions, type VksEndpointOptions } from '../device-drivers/vks-endpoint/options';
import { vksEndpointPolicyDefaults } from '../device-drivers/vks-endpoint/policy';
import { VksEndpointSimulator } from '../device-drivers/vks-endpoint/simulator';
import { parseSipResponse, sipOptions } from '../device-drivers/vks-endpoint/sip';
import { freePort } from './helpers/slapd';

const AUTH = { username: 'admin', password: 'pw-Test-1' };
const summary = (rs: CheckResultDraft[]) => Object.fromEntries(rs.map((r) => [r.check, `${r.status} ${r.messageKey}`]));

function targetOf(sim: VksEndpointSimulator, extra: Partial<VksEndpointOptions> = {}): ProbeTarget<VksEndpointOptions> {
  return { id: sim.id, driver: 'vks-endpoint', host: '127.0.0.1', port: sim.port, credentials: AUTH, options: vksEndpointOptions.parse({ sipPort: sim.sipPort, testNumber: 'echo@vks', expectedMicrophones: 2, ...extra }) };
}

async function probe(sim: VksEndpointSimulator, clock: Clock = new SystemClock(), timeoutMs = 4000) {
  return vksEndpointDriver.probe(targetOf(sim), { signal: new AbortController().signal, deadline: clock.now() + timeoutMs, clock, log: silentLogger, policy: vksEndpointPolicyDefaults, evidence: { put: async () => '' } });
}

/** Drives a FakeClock until the promise settles (the peer never answers: only the clock ends it). */
async function untilSettled<T>(clock: FakeClock, p: Promise<T>, stepMs = 500, maxSteps = 100): Promise<T> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  for (let i = 0; i < maxSteps && !done; i++) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.ok(done, 'did not settle on the fake clock');
  return p;
}

describe('vks-endpoint driver against its simulator', function () {
  let sim: VksEndpointSimulator;
  before(async () => {
    sim = new VksEndpointSimulator('court-h1-vks', AUTH);
    await sim.start();
  });
  after(async () => sim.stop());
  afterEach(async () => sim.setFault('none'));

  it('a healthy endpoint: every check ok, with RTT, product and software as facts', async () => {
    const rs = await probe(sim);
    assert.deepEqual(summary(rs), {
      'sip-options-udp': 'ok vks.sip.ok', 'sip-options-tcp': 'ok vks.sip.ok', xapi: 'ok vks.api.ok', 'sip-registration': 'ok vks.registration.ok',
      standby: 'ok vks.standby.off', call: 'ok vks.call.idle', cameras: 'ok vks.cameras.ok', microphones: 'ok vks.microphones.ok',
    });
    const x = rs.find((r) => r.check === 'xapi')!;
    assert.equal(x.facts?.software, 'ce11.9.2.4');
    assert.ok(typeof rs[0]!.values?.rtt_ms === 'number');
  });

  const faults: Array<[string, string, string]> = [
    ['unregistered', 'sip-registration', 'down vks.registration.failed'],
    ['standby', 'standby', 'degraded vks.standby.on'],
    ['camera-disconnected', 'cameras', 'down vks.cameras.missing'],
    ['slow', 'sip-options-udp', 'degraded vks.sip.slow'],
    ['malformed-xml', 'xapi', 'down vks.api.malformed'],
    ['huge-body', 'xapi', 'down vks.api.too-large'],
    ['offline', 'sip-options-tcp', 'down vks.sip.refused'],
  ];
  for (const [fault, check, expected] of faults) {
    it(`fault ${fault} → ${check}: ${expected}`, async () => {
      await sim.setFault(fault);
      const rs = await probe(sim);
      assert.equal(summary(rs)[check], expected, JSON.stringify(summary(rs)));
    });
  }

  it('fault no-answer: SIP and the API silent, the probe ends at its deadline on the fake clock', async () => {
    await sim.setFault('no-answer');
    const clock = new FakeClock();
    const rs = await untilSettled(clock, probe(sim, clock, 3000));
    assert.deepEqual([summary(rs)['sip-options-udp'], summary(rs)['sip-options-tcp'], summary(rs).xapi], ['down vks.sip.no-answer', 'down vks.sip.no-answer', 'down vks.api.no-answer']);
  });

  it('wrong credentials: the API check names authentication', async () => {
    const t = { ...targetOf(sim), credentials: { username: 'admin', password: 'nope' } };
    const rs = await vksEndpointDriver.probe(t, { signal: new AbortController().signal, deadline: Date.now() + 3000, clock: new SystemClock(), log: silentLogger, policy: vksEndpointPolicyDefaults, evidence: { put: async () => '' } });
    assert.equal(summary(rs).xapi, 'down vks.api.auth');
  });

  it('test-call: connects and hangs up; call-fails ends before connecting; unregistered is refused', async () => {
    const cmd = vksEndpointDriver.commands!['test-call']!;
    const clock = new FakeClock();
    const ctx = { signal: new AbortController().signal, clock, log: silentLogger, actor: 'test' };
    const ok = await untilSettled(clock, cmd.run(targetOf(sim), {}, ctx));
    assert.deepEqual([ok.ok, ok.messageKey], [true, 'vks.testcall.connected']);
    assert.equal(sim.activeCalls, 0);
    assert.equal(sim.dials.at(-1), 'echo@vks');
    await sim.setFault('call-fails');
    const failed = await untilSettled(clock, cmd.run(targetOf(sim), { number: 'far@vks' }, ctx));
    assert.deepEqual([failed.ok, failed.messageKey], [false, 'vks.testcall.ended']);
    await sim.setFault('unregistered');
    const refused = await untilSettled(clock, cmd.run(targetOf(sim), {}, ctx));
    assert.deepEqual([refused.ok, refused.messageKey], [false, 'vks.testcall.dial-failed']);
    assert.equal(cmd.action, 'vks.test-call');
  });
});

describe('SIP OPTIONS: hostile peers and parsing', function () {
  it('parses compact headers and folded lines; refuses what is not a SIP response', () => {
    const m = parseSipResponse('SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a;branch=z9hG4bKx\r\ni: abc\r\nCSeq: 1\r\n OPTIONS\r\n\r\n')!;
    assert.deepEqual([m.code, m.headers.get('call-id'), m.headers.get('cseq')], [200, ['abc'], ['1 OPTIONS']]);
    assert.equal(parseSipResponse('HTTP/1.1 200 OK\r\n\r\n'), undefined);
    assert.equal(parseSipResponse('SIP/2.0 999 X\r\n\r\n'), undefined);
  });

  it('UDP: answers with a foreign Call-ID are ignored; the wait ends at the fake-clock budget', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.on('message', (_m, rinfo) => sock.send('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKother\r\nCall-ID: not-yours\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n', rinfo.port, rinfo.address));
    const clock = new FakeClock();
    const r = await untilSettled(clock, sipOptions({ host: '127.0.0.1', port: sock.address().port, transport: 'udp', clock, budgetMs: 3000 }));
    sock.close();
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'no-answer');
    assert.ok(r.ignored >= 1, 'the foreign answers were counted');
  });

  it('TCP: a peer that streams an endless header is cut at the byte cap', async () => {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.write('SIP/2.0 200 OK\r\n');
      const junk = 'X-Junk: ' + 'a'.repeat(1000) + '\r\n';
      const pump = () => { while (!s.destroyed && s.write(junk)); };
      s.on('drain', pump);
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const r = await sipOptions({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, transport: 'tcp', clock: new SystemClock(), budgetMs: 5000, maxBytes: 32 * 1024 });
    server.close();
    assert.deepEqual([r.ok, !r.ok && r.kind], [false, 'too-large']);
  });

  it('TCP: a peer that accepts and never answers ends at the fake-clock deadline', async () => {
    const held: net.Socket[] = [];
    const server = net.createServer((s) => held.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const clock = new FakeClock();
    const r = await untilSettled(clock, sipOptions({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, transport: 'tcp', clock, budgetMs: 2000 }));
    held.forEach((s) => s.destroy());
    server.close();
    assert.deepEqual([r.ok, !r.ok && r.kind], [false, 'no-answer']);
  });
});

describe('SIP OPTIONS against SIPp (a real SIP user agent) on loopback', function () {
  const procs: ChildProcess[] = [];
  const scenario = path.resolve(__dirname, '../../device-drivers/vks-endpoint/testdata/options-uas.xml');
  async function startSipp(transport: 'u1' | 't1'): Promise<number> {
    const port = await freePort();
    const p = spawn('/usr/bin/sipp', ['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-t', transport, '-nostdin', '-nd'], { stdio: 'ignore' });
    procs.push(p);
    // Ready when it answers.
    for (let i = 0; i < 50; i++) {
      const r = await sipOptions({ host: '127.0.0.1', port, transport: transport === 'u1' ? 'udp' : 'tcp', clock: new SystemClock(), budgetMs: 200 });
      if (r.ok) return port;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('SIPp did not start');
  }
  after(async () => {
    for (const p of procs) {
      if (p.exitCode === null) {
        const gone = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await gone;
      }
    }
  });

  for (const [t, transport] of [['u1', 'udp'], ['t1', 'tcp']] as const) {
    it(`over ${transport.toUpperCase()}: 200 OK from SIPp, with its round trip, through the driver's check`, async () => {
      const port = await startSipp(t);
      const r = await sipOptions({ host: '127.0.0.1', port, transport, clock: new SystemClock(), budgetMs: 2000 });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.ok && r.code, 200);
      assert.equal(r.ok && r.server, 'SIPp');
      assert.ok(r.ok && r.rttMs >= 0 && r.rttMs < 2000);
    });
  }
});
