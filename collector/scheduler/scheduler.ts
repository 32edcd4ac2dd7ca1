/**
 * The scheduler: every device is polled once per interval at its own phase (a jitter derived
 * from its id, so restarts do not bunch probes), at most `concurrency` probes per driver run
 * at once, and each probe has a hard deadline so a hanging device delays nobody else.
 */
import { setMaxListeners } from 'node:events';
import type { DriverRegistry } from '../../device-drivers/registry';
import type { Clock, TimerHandle } from '../core/clock';
import type { EvidenceSink } from '../core/driver';
import type { Logger } from '../core/logger';
import type { CheckResult, ProbeTarget } from '../core/types';
import { MinHeap } from './heap';
import { runProbe, type ProbeRun } from './run-probe';

export interface SchedDevice extends ProbeTarget {
  intervalMs: number;
  timeoutMs: number;
}

export interface SchedulerObserver {
  /** How late a probe started against its due time. */
  lag?(driver: string, lagMs: number): void;
  /** A due poll was skipped because the previous one of that device had not finished. */
  skipped?(driver: string, deviceId: string): void;
}

export interface SchedulerOptions {
  clock: Clock;
  registry: DriverRegistry;
  log: Logger;
  /** Called after each probe, scheduled or on demand; awaited by probeNow only. */
  onResult: (device: SchedDevice, run: ProbeRun) => Promise<void>;
  previous?: (deviceId: string) => CheckResult[] | undefined;
  /** Each driver's resolved thresholds (policy.drivers). */
  driverPolicy?: (kind: string) => unknown;
  evidence?: EvidenceSink;
  /** Devices never probed before get a first probe within this window after start. */
  firstProbeWithinMs?: number;
  /** ...widened so that no more than this many first probes are due a second (default: no limit). */
  firstProbesPerSecond?: number;
  /** Per-driver concurrency override (default: the driver's own). */
  concurrency?: Record<string, number>;
  observer?: SchedulerObserver;
}

interface Job {
  device: SchedDevice;
  due: number;
  /** Asked for by a person (probeNow), not by the schedule. */
  onDemand: boolean;
  resolve: (run: ProbeRun) => void;
}

/** FNV-1a: a stable fraction in [0, 1) per device id. */
export function phaseFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x100000000;
}

/** What a device's phase derives from: its id, or its address when its driver asks (DriverDefaults.phaseBy). */
export function phaseKey(d: ProbeTarget, phaseBy: 'device' | 'address' | undefined): string {
  return phaseBy === 'address' ? `${d.host}:${d.port}` : d.id;
}

/** The first time ≥ t at which a device with this phase is due. */
export function nextAligned(t: number, intervalMs: number, phase: number): number {
  const offset = Math.floor(phase * intervalMs);
  const k = Math.ceil((t - offset) / intervalMs);
  return k * intervalMs + offset;
}

function cancelledRun(now: number): ProbeRun {
  return { outcome: 'error', durationMs: 0, startedAt: now, results: [] };
}

class DriverLane {
  active = 0;
  queue: Job[] = [];
  constructor(readonly limit: number) {}
}

export class Scheduler {
  private heap = new MinHeap<string>();
  private devices = new Map<string, SchedDevice>();
  /** Devices with a probe queued or running, with the promise of its outcome. */
  private busy = new Map<string, Promise<ProbeRun>>();
  private lanes = new Map<string, DriverLane>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private running = false;
  private shutdown = new AbortController();
  probesStarted = 0;
  skipped = 0;

  constructor(private readonly opts: SchedulerOptions) {
    // Every running probe listens for the shutdown; thousands at once are expected.
    setMaxListeners(0, this.shutdown.signal);
  }

  private phase(d: SchedDevice): number {
    return phaseFraction(phaseKey(d, this.opts.registry.get(d.driver)?.defaults.phaseBy));
  }

  setDevices(list: SchedDevice[], hasResults: (id: string) => boolean = () => false): void {
    const now = this.opts.clock.now();
    const fresh = list.filter((d) => !hasResults(d.id)).length;
    const rate = this.opts.firstProbesPerSecond;
    const window = Math.max(this.opts.firstProbeWithinMs ?? 10_000, rate ? Math.ceil((fresh / rate) * 1000) : 0);
    this.devices = new Map(list.map((d) => [d.id, d]));
    this.heap.clear();
    for (const d of list) {
      const phase = this.phase(d);
      // Known devices keep their phase; a new one is probed soon so the board is not grey for a whole interval.
      const due = hasResults(d.id) ? nextAligned(now, d.intervalMs, phase) : now + Math.floor(phase * Math.min(window, d.intervalMs));
      this.heap.push(due, d.id);
    }
    if (this.running) this.arm();
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  /**
   * Stops scheduling, cancels queued and running probes (their outcomes are not stored: a
   * shutdown is not a device fault) and waits for results already being stored.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.opts.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.shutdown.abort();
    for (const lane of this.lanes.values()) {
      for (const job of lane.queue.splice(0)) void this.finish(job, cancelledRun(this.opts.clock.now()));
    }
    await Promise.allSettled([...this.busy.values()]);
  }

  queueDepth(driver: string): number {
    return this.lanes.get(driver)?.queue.length ?? 0;
  }

  inFlight(driver: string): number {
    return this.lanes.get(driver)?.active ?? 0;
  }

  drivers(): string[] {
    return [...this.lanes.keys()];
  }

  /**
   * Probe one device now (a technician's "probe now"). If a probe of it is already queued or
   * running, its outcome is returned instead of starting a second one.
   */
  async probeNow(deviceId: string): Promise<ProbeRun> {
    const d = this.devices.get(deviceId);
    if (!d) throw new Error(`unknown device ${deviceId}`);
    if (this.shutdown.signal.aborted) throw new Error('the scheduler is stopped');
    const existing = this.busy.get(deviceId);
    if (existing) return existing;
    return this.enqueue(d, this.opts.clock.now(), true);
  }

  private arm(): void {
    if (!this.running) return;
    const top = this.heap.peek();
    if (!top) return;
    if (this.timer && this.timerAt <= top.key) return;
    if (this.timer) this.opts.clock.clearTimer(this.timer);
    const now = this.opts.clock.now();
    this.timerAt = top.key;
    this.timer = this.opts.clock.setTimer(Math.max(0, top.key - now), () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    });
  }

  private tick(): void {
    const now = this.opts.clock.now();
    for (let top = this.heap.peek(); top && top.key <= now; top = this.heap.peek()) {
      this.heap.pop();
      const d = this.devices.get(top.value);
      if (!d) continue;
      // Next slot keeps the device's phase; slots already missed are not made up.
      this.heap.push(nextAligned(Math.max(top.key, now) + 1, d.intervalMs, this.phase(d)), d.id);
      if (this.busy.has(d.id)) {
        this.skipped++;
        this.opts.observer?.skipped?.(d.driver, d.id);
        continue;
      }
      void this.enqueue(d, top.key, false);
    }
    this.arm();
  }

  private lane(driver: string): DriverLane {
    let lane = this.lanes.get(driver);
    if (!lane) {
      const limit = this.opts.concurrency?.[driver] ?? this.opts.registry.get(driver)?.defaults.concurrency ?? 16;
      this.lanes.set(driver, (lane = new DriverLane(Math.max(1, limit))));
    }
    return lane;
  }

  private enqueue(device: SchedDevice, due: number, urgent: boolean): Promise<ProbeRun> {
    const p = new Promise<ProbeRun>((resolve) => {
      const lane = this.lane(device.driver);
      const job: Job = { device, due, resolve, onDemand: urgent };
      if (urgent) lane.queue.unshift(job);
      else lane.queue.push(job);
      this.pump(lane);
    });
    this.busy.set(device.id, p);
    return p;
  }

  private pump(lane: DriverLane): void {
    while (lane.active < lane.limit && lane.queue.length > 0) {
      const job = lane.queue.shift()!;
      lane.active++;
      void this.probe(job).then((run) => {
        // The driver's slot is free as soon as the probe ends; storing and fan-out follow.
        lane.active--;
        this.pump(lane);
        return this.finish(job, run);
      });
    }
  }

  private async probe(job: Job): Promise<ProbeRun> {
    const { device } = job;
    const driver = this.opts.registry.get(device.driver);
    const now = this.opts.clock.now();
    this.opts.observer?.lag?.(device.driver, Math.max(0, now - job.due));
    this.probesStarted++;
    if (!driver) {
      return { outcome: 'error', durationMs: 0, startedAt: now, results: [{ check: 'probe', status: 'unknown', message: `no driver "${device.driver}"`, messageKey: 'probe.error', params: { error: `no driver ${device.driver}` }, observedAt: new Date(now).toISOString(), durationMs: 0 }] };
    }
    return runProbe(driver, device, {
      clock: this.opts.clock, timeoutMs: device.timeoutMs, log: this.opts.log, previous: this.opts.previous?.(device.id),
      cancel: this.shutdown.signal, policy: this.opts.driverPolicy?.(device.driver), evidence: this.opts.evidence,
      onDemand: job.onDemand,
    });
  }

  private async finish(job: Job, run: ProbeRun): Promise<void> {
    try {
      if (!this.shutdown.signal.aborted) await this.opts.onResult(job.device, run);
    } catch (e) {
      this.opts.log.error('storing probe results failed', { device: job.device.id, error: (e as Error).message });
    }
    // The device counts as busy until its results are stored, so a poll never overtakes it.
    this.busy.delete(job.device.id);
    job.resolve(run);
  }
}
