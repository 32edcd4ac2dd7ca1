/**
 * The tcp driver against real loopback sockets. "No answer" is made on loopback with a
 * listener whose accept queue is full (its thread never accepts), so SYNs are dropped and
 * connect() hangs; the FakeClock deadline of runProbe ends it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { probeContext } from './helpers/context';
import { FakeClock, settle } from '../collector/core/clock';
import type { ProbeContext } from '../collector/core/driver';
import { silentLogger } from '../collector/core/logger';
import type { ProbeTarget } from '../collector/core/types';
import { runProbe } from '../collector/scheduler/run-probe';
import { tcpDriver, tcpOptions, type TcpOptions } from '../device-drivers/tcp/driver';

function target(port: number): ProbeTarget<TcpOptions> {
  return { id: 'pc-1', driver: 'tcp', host: '127.0.0.1', port, options: tcpOptions.parse(undefined) };
}

function ctx(ac = new AbortController(), clock = new FakeClock()): ProbeContext {
  return probeContext({ clock, signal: ac.signal, timeoutMs: 5000 });
}

async function listen(): Promise<{ server: net.Server; port: number; connections: () => number; accepted: Promise<unknown> }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.on('error', () => {});
    s.end();
  });
  const accepted = once(server, 'connection');
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, connections: () => n, accepted };
}

/**
 * A loopback listener that never accepts: it lives in a worker thread that blocks right after
 * listen() with backlog 1. Once the accept queue holds its backlog + 1 connections, Linux drops
 * further SYNs, so a new connect() gets no answer at all (until its own SYN retries give up).
 */
const BLACKHOLE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer(() => {});
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData), 0, 0);
  server.close();
  process.exit(0);
});
`;

async function blackhole(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sab = new SharedArrayBuffer(4);
  const worker = new Worker(BLACKHOLE_WORKER, { eval: true, workerData: sab });
  const [port] = (await once(worker, 'message')) as [number];
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    fillers.push(s);
    await once(s, 'connect');
  }
  return {
    port,
    stop: async () => {
      for (const s of fillers) s.destroy();
      const flag = new Int32Array(sab);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await once(worker, 'exit');
    },
  };
}

describe('tcp driver', function () {
  this.timeout(5000);
  const stops: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('reports an open port as tcp-connect ok with its connect time', async () => {
    const { server, port, connections, accepted } = await listen();
    stops.push(() => new Promise((r) => server.close(() => r())));
    const out = await tcpDriver.probe(target(port), ctx());
    assert.equal(out.length, 1);
    const [r] = out;
    assert.equal(r!.check, 'tcp-connect');
    assert.equal(r!.status, 'ok');
    assert.equal(r!.messageKey, 'tcp.connect.ok');
    assert.equal(typeof r!.values?.rtt_ms, 'number');
    assert.ok(r!.values!.rtt_ms! >= 0);
    assert.match(r!.message, new RegExp(`^port ${port} open \\([\\d.]+ ms\\)$`));
    await accepted; // the probe really reached the listener
    assert.equal(connections(), 1);
  });

  it('reports a closed port as down with tcp.connect.refused', async () => {
    const { server, port } = await listen();
    await new Promise<void>((r) => server.close(() => r()));
    const out = await tcpDriver.probe(target(port), ctx());
    assert.deepEqual(out.map((r) => [r.check, r.status, r.messageKey]), [['tcp-connect', 'down', 'tcp.connect.refused']]);
    assert.equal(out[0]!.message, `port ${port} closed (connection refused)`);
    assert.deepEqual(out[0]!.params, { port });
  });

  it('with the signal already aborted, reports down at once and does not connect', async () => {
    const { server, port, connections } = await listen();
    stops.push(() => new Promise((r) => server.close(() => r())));
    const ac = new AbortController();
    ac.abort(new Error('probe deadline reached'));
    const t0 = performance.now();
    const out = await tcpDriver.probe(target(port), ctx(ac));
    assert.ok(performance.now() - t0 < 100);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.check, 'tcp-connect');
    assert.equal(out[0]!.status, 'down', 'an open port must not count as ok once the deadline has passed');
    assert.equal(out[0]!.messageKey, 'tcp.connect.unreachable');
    assert.equal(connections(), 0);
  });

  describe('a connect that gets no answer (loopback listener with a full accept queue)', () => {
    it('returns down when the signal is aborted mid-connect', async () => {
      const hole = await blackhole();
      stops.push(hole.stop);
      const ac = new AbortController();
      let settled = false;
      const p = tcpDriver.probe(target(hole.port), ctx(ac));
      void p.then(() => (settled = true));
      await settle(10); // long enough for a loopback connect that is answered
      assert.equal(settled, false, 'connect was answered: the blackhole listener did not hold');
      ac.abort(new Error('probe deadline reached'));
      const out = await p;
      assert.deepEqual(out.map((r) => [r.check, r.status, r.messageKey]), [['tcp-connect', 'down', 'tcp.connect.unreachable']]);
      assert.equal(out[0]!.message, '127.0.0.1 unreachable: no answer before the deadline');
    });

    it('ends as probe.timeout at the FakeClock deadline through runProbe', async () => {
      const hole = await blackhole();
      stops.push(hole.stop);
      const clock = new FakeClock();
      let settled = false;
      const p = runProbe(tcpDriver, target(hole.port), { clock, timeoutMs: 5000, log: silentLogger });
      void p.then(() => (settled = true));
      await clock.advance(4999);
      assert.equal(settled, false, 'probe ended before its deadline');
      await clock.advance(1);
      const run = await p;
      assert.equal(run.outcome, 'timeout');
      assert.deepEqual(run.results.map((r) => [r.check, r.status, r.messageKey, r.message]),
        [['probe', 'down', 'probe.timeout', 'no answer within 5000 ms']]);
    });
  });

  it('options: accepts nothing but an empty object', () => {
    assert.deepEqual(tcpOptions.parse(undefined), {});
    assert.equal(tcpOptions.safeParse({ port: 80 }).success, false);
  });
});
