import assert from 'node:assert/strict';
import { z } from 'zod';
import { FakeClock, sleep } from '../collector/core/clock';
import { defineDriver, type AnyDriver } from '../collector/core/driver';
import { silentLogger } from '../collector/core/logger';
import { nextAligned, phaseFraction, Scheduler, type SchedDevice } from '../collector/scheduler/scheduler';
import type { ProbeRun } from '../collector/scheduler/run-probe';
import { createRegistry } from '../device-drivers/registry';
import { httpDriver } from '../device-drivers/http/driver';
import { deferred, hangingServer, httpServer, type Running } from './helpers/servers';

/** A scripted test driver: its behaviour per device id, so the scheduler's rules can be seen. */
function scriptedDriver(kind: string, script: (id: string, ctx: { clock: FakeClock; signal: AbortSignal }) => Promise<unknown>, concurrency = 8): AnyDriver {
  return defineDriver({
    kind, description: 'test', optionsSchema: z.unknown(), checks: ['t'],
    defaults: { intervalSeconds: 10, timeoutSeconds: 5, concurrency },
    probe: (t, ctx) => script(t.id, { clock: ctx.clock as FakeClock, signal: ctx.signal }) as never,
  });
}
const ok = [{ check: 't', status: 'ok', message: 'fine', messageKey: 'k' }];

function device(id: string, driver: string, over: Partial<SchedDevice> = {}): SchedDevice {
  return { id, driver, host: '127.0.0.1', port: 1, options: {}, intervalMs: 10_000, timeoutMs: 5_000, ...over };
}

describe('scheduler', () => {
  let clock: FakeClock;
  let scheduler: Scheduler | undefined;
  const servers: Running[] = [];

  beforeEach(() => {
    clock = new FakeClock('2026-11-23T03:00:00Z');
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('a big fleet starting on an empty database spreads its first round at firstProbesPerSecond; a small one keeps the start-up window', async () => {
    // The first probe of each device (after it, a device joins its phase, which may come in the same minute).
    const starts: number[] = [];
    const seen = new Set<string>();
    const drv = scriptedDriver('s', async (id) => {
      if (!seen.has(id)) starts.push(clock.now());
      seen.add(id);
      return ok;
    }, 10_000);
    const t0 = clock.now();
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 10_000, firstProbesPerSecond: 100, onResult: async () => {} });
    scheduler.setDevices(Array.from({ length: 3000 }, (_, i) => device(`d${i}`, 's', { intervalMs: 60_000 })));
    scheduler.start();
    for (let t = 0; t < 60; t++) await clock.advance(1000);
    assert.equal(starts.length, 3000, 'every device once in the first interval');
    const perSecond = new Map<number, number>();
    for (const at of starts) perSecond.set(Math.floor((at - t0) / 1000), (perSecond.get(Math.floor((at - t0) / 1000)) ?? 0) + 1);
    // 3,000 at 100 a second is 30 s (not the 10 s window): no second far above the rate.
    assert.ok(Math.max(...starts) - t0 >= 25_000, `spread over ${Math.max(...starts) - t0} ms`);
    // Phases are hashes of the ids, not a perfect comb: within twice the rate (all in 10 s would be 300 a second).
    assert.ok(Math.max(...perSecond.values()) <= 200, `at most ${Math.max(...perSecond.values())} in one second`);
    await scheduler.stop();

    // A small fleet: the 10 s window as before.
    starts.length = 0;
    seen.clear();
    const t1 = clock.now();
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 10_000, firstProbesPerSecond: 100, onResult: async () => {} });
    scheduler.setDevices(Array.from({ length: 50 }, (_, i) => device(`e${i}`, 's', { intervalMs: 60_000 })));
    scheduler.start();
    for (let t = 0; t < 10; t++) await clock.advance(1000);
    assert.equal(starts.length, 50);
    assert.ok(Math.max(...starts) - t1 < 10_000);
  });

  it('a device that hangs times out at its deadline as down, and never delays a healthy device', async () => {
    const hung = await hangingServer();
    const healthy = await httpServer((_req, res) => res.end('ok'));
    servers.push(hung, healthy);
    const results = new Map<string, ProbeRun>();
    const healthyDone = deferred();
    scheduler = new Scheduler({
      clock, registry: createRegistry([httpDriver]), log: silentLogger, firstProbeWithinMs: 0,
      onResult: async (d, run) => {
        results.set(d.id, run);
        if (d.id === 'healthy') healthyDone.resolve();
      },
    });
    const opts = httpDriver.optionsSchema.parse(undefined);
    scheduler.setDevices([
      device('hung', 'http', { port: hung.port, options: opts }),
      device('healthy', 'http', { port: healthy.port, options: opts }),
    ]);
    scheduler.start();
    await clock.advance(0);
    await healthyDone.promise; // real I/O, no clock movement needed
    assert.equal(results.get('healthy')!.outcome, 'ok');
    assert.equal(results.has('hung'), false, 'the hanging device has not answered yet');
    assert.equal(hung.connections(), 1);

    await clock.advance(4_999);
    assert.equal(results.has('hung'), false, 'not before its deadline');
    await clock.advance(1);
    const run = results.get('hung')!;
    assert.equal(run.outcome, 'timeout');
    assert.equal(run.results.length, 1);
    assert.deepEqual([run.results[0]!.check, run.results[0]!.status, run.results[0]!.messageKey], ['probe', 'down', 'probe.timeout']);
    assert.match(run.results[0]!.message, /5000 ms/);
  });

  it('polls every device exactly once per interval, each at its own phase', async () => {
    const calls: Array<{ id: string; at: number }> = [];
    const drv = scriptedDriver('t', async (id, { clock: c }) => {
      calls.push({ id, at: c.now() });
      return ok;
    });
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, onResult: async () => {} });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    scheduler.setDevices(ids.map((id) => device(id, 't')), () => true);
    scheduler.start();
    for (let i = 0; i < 60; i++) await clock.advance(1_000);
    for (const id of ids) {
      const mine = calls.filter((c) => c.id === id).map((c) => c.at);
      assert.equal(mine.length, 6, `${id} polled ${mine.length} times in 60 s at a 10 s interval`);
      for (let i = 1; i < mine.length; i++) assert.equal(mine[i]! - mine[i - 1]!, 10_000);
    }
    const phases = new Set(ids.map((id) => calls.find((c) => c.id === id)!.at % 10_000));
    assert.ok(phases.size >= 4, `devices spread over the interval, got phases ${[...phases]}`);
  });

  it('a new device gets its first probe within the start-up window, then keeps its phase', async () => {
    const calls: number[] = [];
    const drv = scriptedDriver('t', async (_id, { clock: c }) => {
      calls.push(c.now());
      return ok;
    });
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 2_000, onResult: async () => {} });
    const start = clock.now();
    scheduler.setDevices([device('fresh', 't', { intervalMs: 60_000 })], () => false);
    scheduler.start();
    await clock.advance(2_000);
    assert.equal(calls.length, 1);
    assert.ok(calls[0]! - start <= 2_000);
    await clock.advance(120_000);
    assert.equal(calls.length, 3);
    assert.equal(calls[2]! - calls[1]!, 60_000);
    assert.equal(calls[1]! % 60_000, nextAligned(0, 60_000, phaseFraction('fresh')));
  });

  it('never runs more probes of a driver at once than its concurrency limit, and reports the lag', async () => {
    let active = 0;
    let peak = 0;
    const drv = scriptedDriver('slow', async (_id, { clock: c, signal }) => {
      active++;
      peak = Math.max(peak, active);
      try {
        await sleep(c, 1_000, signal);
      } finally {
        active--;
      }
      return ok;
    }, 2);
    const lags: number[] = [];
    let done = 0;
    scheduler = new Scheduler({
      clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 0,
      onResult: async () => {
        done++;
      },
      observer: { lag: (_d, ms) => lags.push(ms) },
    });
    scheduler.setDevices(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => device(id, 'slow', { intervalMs: 60_000 })));
    scheduler.start();
    await clock.advance(0);
    assert.equal(scheduler.inFlight('slow'), 2);
    assert.equal(scheduler.queueDepth('slow'), 4);
    for (let i = 0; i < 3; i++) await clock.advance(1_000);
    assert.equal(done, 6);
    assert.equal(peak, 2);
    assert.deepEqual([...lags].sort((x, y) => x - y), [0, 0, 1_000, 1_000, 2_000, 2_000]);
  });

  it('a driver that ignores the abort still frees its slot at the deadline, so the queue moves on', async () => {
    const drv = scriptedDriver('stuck', async (id) => (id === 'stuck' ? new Promise(() => {}) : ok), 1);
    const seen: string[] = [];
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 0, onResult: async (d) => void seen.push(d.id) });
    scheduler.setDevices([device('stuck', 'stuck'), device('next', 'stuck')]);
    // 'stuck' takes the only slot first (probe now), then the schedule queues 'next' behind it.
    void scheduler.probeNow('stuck');
    scheduler.start();
    await clock.advance(0);
    assert.deepEqual(seen, [], 'next waits: the only slot is taken');
    assert.equal(scheduler.queueDepth('stuck'), 1);
    await clock.advance(5_000);
    assert.deepEqual(seen, ['stuck', 'next'], 'stuck timed out at its deadline and freed the slot for next');
  });

  it('a probe that throws or returns garbage is stored as unknown with its reason', async () => {
    const drv = scriptedDriver('bad', async (id) => {
      if (id === 'throws') throw new Error('driver bug: boom');
      return [{ nonsense: true }];
    });
    const runs = new Map<string, ProbeRun>();
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 0, onResult: async (d, r) => void runs.set(d.id, r) });
    scheduler.setDevices([device('throws', 'bad'), device('garbage', 'bad')]);
    scheduler.start();
    await clock.advance(0);
    for (const id of ['throws', 'garbage']) {
      const r = runs.get(id)!;
      assert.equal(r.outcome, 'error');
      assert.deepEqual([r.results[0]!.check, r.results[0]!.status, r.results[0]!.messageKey], ['probe', 'unknown', 'probe.error']);
    }
    assert.match(runs.get('throws')!.results[0]!.message, /boom/);
    assert.match(runs.get('garbage')!.results[0]!.message, /no valid check results/);
  });

  it('skips a due poll while the previous one of the same device is still queued', async () => {
    const drv = scriptedDriver('one', async (_id, { clock: c, signal }) => {
      await sleep(c, 4_000, signal);
      return ok;
    }, 1);
    let skipped = 0;
    scheduler = new Scheduler({
      clock, registry: createRegistry([drv]), log: silentLogger, firstProbeWithinMs: 0, onResult: async () => {},
      observer: { skipped: () => skipped++ },
    });
    // Three devices, one slot, 4 s each: the third waits 8 s, and at a 5 s interval its next
    // slot comes while it is still queued.
    scheduler.setDevices(['a', 'b', 'c'].map((id) => device(id, 'one', { intervalMs: 5_000, timeoutMs: 4_500 })));
    scheduler.start();
    for (let i = 0; i < 10; i++) await clock.advance(1_000);
    assert.ok(skipped >= 1, 'a poll was skipped rather than doubled');
    assert.ok(scheduler.skipped >= 1);
  });

  it('probe now returns the running probe instead of starting a second one', async () => {
    let calls = 0;
    const drv = scriptedDriver('t', async (_id, { clock: c, signal }) => {
      calls++;
      await sleep(c, 1_000, signal);
      return ok;
    });
    scheduler = new Scheduler({ clock, registry: createRegistry([drv]), log: silentLogger, onResult: async () => {} });
    scheduler.setDevices([device('x', 't', { intervalMs: 600_000 })], () => true);
    const a = scheduler.probeNow('x');
    const b = scheduler.probeNow('x');
    await clock.advance(1_000);
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(calls, 1);
    assert.equal(ra, rb);
    await assert.rejects(scheduler.probeNow('nope'), /unknown device/);
  });
});
