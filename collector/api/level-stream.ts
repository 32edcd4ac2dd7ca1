/**
 * Live microphone levels of a hall's recorder agent for the console's WebSocket (issue 6).
 *
 * The agent measures its levels in windows (levels.ts) and serves the newest on GET /api/levels;
 * it has no push stream. So the collector reads it, with the agent's token, which never leaves
 * the collector: ONE reader per recorder, however many consoles watch. The reader starts with the
 * first subscriber and stops when the last one leaves; it reads at most every `periodMs` (4 Hz)
 * on the Clock, never two reads at once, and gives up on a read at `timeoutMs`. Each reader is on
 * its own, so a slow or dead agent delays nobody else's levels; its subscribers get a frame that
 * says the levels are unavailable, and why, and it is tried again every `retryMs`.
 *
 * live.ts decides who may subscribe (the hall's court in the user's scope) and sends the frames.
 */
import type { Device, Inventory } from '../config/inventory';
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Names } from './dto';
import { readAgentLevels, type AgentLevelsReading, type AgentReply } from '../../device-drivers/recorder/client';

/** One microphone channel of a frame: its RMS and peak over the agent's last window, in dBFS. */
export interface LevelChannelDto {
  channel: number;
  /** The inventory's name of the microphone on this channel, or null (the console says "channel N"). */
  name: Names | null;
  rmsDbfs: number;
  peakDbfs: number;
}

/**
 * Why a recorder's levels are unavailable:
 * 'no-answer'   the agent did not answer (down, unreachable, or not within the deadline);
 * 'agent-error' it answered with an error, or with something that is not levels;
 * 'no-levels'   it answered, but its meter has produced nothing yet;
 * 'stale'       its newest levels are old on its own clock (its meter stopped).
 */
export type LevelsUnavailableReason = 'no-answer' | 'agent-error' | 'no-levels' | 'stale';

export type LevelsFrame =
  | {
      deviceId: string;
      hallId: string;
      available: true;
      /** When the agent measured these levels (its clock). */
      at: string;
      /** The agent's recording state ('idle', 'recording', 'paused', 'stopping'), when it says. */
      state: string | null;
      channels: LevelChannelDto[];
    }
  | {
      deviceId: string;
      hallId: string;
      available: false;
      reason: LevelsUnavailableReason;
      /** For the technician (English, from the agent or the transport); the console shows `reason`. */
      detail: string;
      /** When the collector found out (its clock). */
      at: string;
    };

/** What the console may send on /ws. */
export type LiveClientMessage =
  | { type: 'subscribe-levels'; deviceId: string }
  | { type: 'unsubscribe-levels'; deviceId: string }
  /** Device results of a hall are pushed only to sockets that watch it (a hall page). */
  | { type: 'watch-hall'; hallId: string }
  | { type: 'unwatch-hall'; hallId: string };

/** What /ws sends for levels, besides dto.ts's WsMessage. */
export type LevelsWsMessage =
  | ({ type: 'levels' } & LevelsFrame)
  | {
      type: 'error';
      /** The message refused: 'subscribe-levels', 'unsubscribe-levels', 'watch-hall', or 'message' when unreadable. */
      request: string;
      deviceId?: string;
      hallId?: string;
      error: 'not-found' | 'forbidden' | 'bad-request' | 'too-many';
      message: string;
    };

export type LevelsListener = (frame: LevelsFrame) => void;

export type LevelsReader = (device: Device, signal: AbortSignal) => Promise<AgentReply<AgentLevelsReading>>;

export interface LevelRelayOptions {
  inv: Pick<Inventory, 'device' | 'devices'>;
  clock: Clock;
  log: Logger;
  /** How the agent is read (tests count or slow it); default GET /api/levels with the device's token. */
  read?: LevelsReader;
  /** Between the end of a read and the next one (default 250 ms: 4 Hz; the agent's window is 500 ms). */
  periodMs?: number;
  /** A read not answered within this is abandoned and reported as 'no-answer' (default 2 s). */
  timeoutMs?: number;
  /** After a failed read, the next one (default 2 s): a dead agent is not hammered. */
  retryMs?: number;
  /** Levels older than this on the agent's clock are 'stale' (default 3 s, six meter windows). */
  staleMs?: number;
}

/** A malformed or hostile agent reply must not reach the consoles as anything but numbers. */
const MAX_CHANNELS = 64;

export class LevelRelay {
  private readonly streams = new Map<string, RecorderLevels>();
  /** When each recorder was last read: a reader restarted at once (subscribe, unsubscribe, subscribe) keeps the pace. */
  private readonly lastReadAt = new Map<string, number>();
  private readonly o: Required<Omit<LevelRelayOptions, 'inv' | 'clock' | 'log'>>;
  private closed = false;

  constructor(private readonly opts: LevelRelayOptions) {
    this.o = {
      read: opts.read ?? ((d, signal) => readAgentLevels(d, signal)),
      periodMs: opts.periodMs ?? 250,
      timeoutMs: opts.timeoutMs ?? 2000,
      retryMs: opts.retryMs ?? 2000,
      staleMs: opts.staleMs ?? 3000,
    };
  }

  /** The recorder with this id, or undefined when there is no such device or it is not a recorder. */
  recorder(deviceId: string): Device | undefined {
    const d = this.opts.inv.device.get(deviceId);
    return d && d.driver === 'recorder' ? d : undefined;
  }

  /** Recorders being read now (one per recorder with at least one subscriber). */
  get active(): number {
    return this.streams.size;
  }

  /** Subscribers of a recorder's levels (0 when nobody watches). */
  subscribers(deviceId: string): number {
    return this.streams.get(deviceId)?.listeners.size ?? 0;
  }

  /**
   * Adds a listener of a recorder's levels; the caller has checked that its user may see the hall.
   * A listener joining a running reader gets the newest frame at once. Returns the unsubscribe
   * function (idempotent); the last one to leave stops the reader.
   */
  subscribe(deviceId: string, listener: LevelsListener): () => void {
    if (this.closed) throw new Error('level relay closed');
    const device = this.recorder(deviceId);
    if (!device) throw new Error(`no recorder "${deviceId}"`);
    let s = this.streams.get(deviceId);
    if (!s) {
      s = new RecorderLevels(device, this.channelNames(device), this.o, this.opts.clock, this.opts.log, this.lastReadAt);
      this.streams.set(deviceId, s);
      s.start();
    } else if (s.last) {
      deliver(listener, s.last, this.opts.log);
    }
    s.listeners.add(listener);
    const stream = s;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      stream.listeners.delete(listener);
      if (stream.listeners.size === 0 && this.streams.get(deviceId) === stream) {
        this.streams.delete(deviceId);
        stream.stop();
      }
    };
  }

  close(): void {
    this.closed = true;
    for (const s of this.streams.values()) s.stop();
    this.streams.clear();
  }

  /**
   * Each channel's name from the inventory: the hall's microphone devices read from this same
   * agent (its address) name their channel in `options.channel`.
   */
  private channelNames(rec: Device): Map<number, Names> {
    const names = new Map<number, Names>();
    for (const d of this.opts.inv.devices) {
      if (d.hallId !== rec.hallId || d.driver !== 'microphone' || d.host !== rec.host || d.port !== rec.port) continue;
      const ch = (d.options as { channel?: unknown } | undefined)?.channel;
      if (typeof ch === 'number' && !names.has(ch)) names.set(ch, d.name);
    }
    return names;
  }
}

function deliver(listener: LevelsListener, frame: LevelsFrame, log: Logger): void {
  try {
    listener(frame);
  } catch (e) {
    // One console's trouble must not stop the frames of the others.
    log.warn('levels listener failed', { deviceId: frame.deviceId, error: (e as Error).message });
  }
}

/** The one reader of one recorder's levels. */
class RecorderLevels {
  readonly listeners = new Set<LevelsListener>();
  last: LevelsFrame | undefined;
  private timer: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private inflight: AbortController | undefined;
  private stopped = false;

  constructor(
    private readonly device: Device,
    private readonly names: Map<number, Names>,
    private readonly o: Required<Omit<LevelRelayOptions, 'inv' | 'clock' | 'log'>>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly lastReadAt: Map<string, number>,
  ) {}

  start(): void {
    const last = this.lastReadAt.get(this.device.id);
    const wait = last === undefined ? 0 : last + this.o.periodMs - this.clock.now();
    if (wait > 0) this.later(wait);
    else this.read();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimer(this.timer);
    if (this.deadline) this.clock.clearTimer(this.deadline);
    this.timer = this.deadline = undefined;
    const ac = this.inflight;
    this.inflight = undefined;
    ac?.abort(new Error('no subscribers'));
  }

  private later(ms: number): void {
    this.timer = this.clock.setTimer(ms, () => {
      this.timer = undefined;
      if (!this.stopped) this.read();
    });
  }

  private read(): void {
    const ac = new AbortController();
    this.inflight = ac;
    this.lastReadAt.set(this.device.id, this.clock.now());
    // The deadline is the relay's, not the transport's: a read that ignores the abort is abandoned all the same.
    this.deadline = this.clock.setTimer(this.o.timeoutMs, () => {
      this.deadline = undefined;
      if (this.inflight !== ac) return;
      ac.abort(new Error('deadline'));
      this.finish(ac, this.unavailable('no-answer', `no answer within ${this.o.timeoutMs} ms`));
    });
    let p: Promise<AgentReply<AgentLevelsReading>>;
    try {
      p = this.o.read(this.device, ac.signal);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (r) => this.finish(ac, this.frameOf(r)),
      (e: unknown) => this.finish(ac, this.unavailable('agent-error', (e as Error)?.message ?? String(e))),
    );
  }

  private finish(ac: AbortController, frame: LevelsFrame): void {
    // Stopped, or abandoned at its deadline (the frame for that went out then).
    if (this.stopped || this.inflight !== ac) return;
    this.inflight = undefined;
    if (this.deadline) this.clock.clearTimer(this.deadline);
    this.deadline = undefined;
    if (this.last?.available !== frame.available) {
      const fields = { deviceId: this.device.id, ...(frame.available ? {} : { reason: frame.reason, detail: frame.detail }) };
      if (frame.available) this.log.debug('levels available', fields);
      else this.log.info('levels unavailable', fields);
    }
    this.last = frame;
    for (const l of [...this.listeners]) deliver(l, frame, this.log);
    // A listener may have left as the last one while it was told.
    if (!this.stopped) this.later(frame.available ? this.o.periodMs : this.o.retryMs);
  }

  private unavailable(reason: LevelsUnavailableReason, detail: string): LevelsFrame {
    return { deviceId: this.device.id, hallId: this.device.hallId, available: false, reason, detail: detail.slice(0, 200), at: new Date(this.clock.now()).toISOString() };
  }

  private frameOf(r: AgentReply<AgentLevelsReading>): LevelsFrame {
    if (!r.ok) return r.status === undefined ? this.unavailable('no-answer', r.error) : this.unavailable('agent-error', `HTTP ${r.status}: ${r.error}`);
    const b = r.body.body as { at?: unknown; state?: unknown; channels?: unknown } | null;
    if (!b || typeof b !== 'object' || !Array.isArray(b.channels)) return this.unavailable('agent-error', 'the reply has no channels');
    const channels: LevelChannelDto[] = [];
    for (const c of b.channels.slice(0, MAX_CHANNELS) as Array<{ channel?: unknown; rmsDbfs?: unknown; peakDbfs?: unknown } | null>) {
      if (!c || !Number.isInteger(c.channel) || !isFiniteNumber(c.rmsDbfs) || !isFiniteNumber(c.peakDbfs)) continue;
      const channel = c.channel as number;
      channels.push({ channel, name: this.names.get(channel) ?? null, rmsDbfs: c.rmsDbfs, peakDbfs: c.peakDbfs });
    }
    const at = typeof b.at === 'string' ? Date.parse(b.at) : NaN;
    if (channels.length === 0 || Number.isNaN(at)) return this.unavailable('no-levels', 'the agent has no levels yet');
    // Both times are the agent's; its Date header has 1 s resolution, so "stale" means 3–4 s old.
    const agentNow = r.body.agentNow;
    if (agentNow !== undefined && agentNow - at > this.o.staleMs) {
      return this.unavailable('stale', `the newest levels are ${Math.round((agentNow - at) / 1000)} s old`);
    }
    return {
      deviceId: this.device.id, hallId: this.device.hallId, available: true, at: new Date(at).toISOString(),
      state: typeof b.state === 'string' ? b.state.slice(0, 20) : null, channels,
    };
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
