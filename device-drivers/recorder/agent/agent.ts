/**
 * The hall recorder agent: runs on the secretary's recording PC, captures with ffmpeg, keeps the
 * record's integrity, writes the short protocol, copies to the regional stores, and answers a
 * small control API (HTTP + JSON, bearer token) that the `recorder` and `microphone` drivers and
 * `hallwatch recorder-agent` use. One hall, one agent, one recording at a time.
 *
 * Recording is continuous (000 §5, 003 §7.1): a capture process that dies is started again with
 * back-off on the agent's Clock, numbering continued, the gap on record (004 §8); one that keeps
 * dying is a failure reported to the collector. A session cut short by the agent's own death
 * (kill -9, power loss) is finished at the next start: finished segments checked against the hash
 * chain, the partial one quarantined and its time span recorded, protocol, signed manifest, copies.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { SystemClock, type Clock, type TimerHandle } from '../../../collector/core/clock';
import { classifyLevel, microphonePolicySchema, type MicrophonePolicy } from '../../microphone/classify';
import type { AgentConfig } from './config';
import { copyRecording, readCopyState, type CopyState } from './copies';
import { concatSegments, ffprobe, listedSegments, meterArgs, recordArgs, segmentNumber, spawnFfmpeg, streamsOf, type StreamSpec } from './ffmpeg';
import {
  CHAIN_FILE, entryHash, GENESIS, hashFile, HashChain, MANIFEST_FILE, readChain, repairChainTail, verifyRecording, writeFileAtomic, writeSignedManifest,
  type FileHash, type Signer, type VerifyReport,
} from './integrity';
import { LevelMeter, type ChannelLevel } from './levels';
import {
  renderProtocol, renderProtocolPdf, wallClock, type HearingInfo, type Interruption, type RecoveryInfo, type SpeakerMark,
} from './protocol';
import { loadSigner } from './signing';

export type AgentState = 'idle' | 'recording' | 'paused' | 'stopping';
/** The capture process of the session: running, being restarted after it died, given up on, or ended. */
export type CaptureState = 'running' | 'restarting' | 'failed' | 'stopped';

/** Partial segments (the one being written when capture died) are moved here: kept, not part of the record. */
export const QUARANTINE_DIR = 'quarantine';
const SESSION_FILE = 'session.json';

export const hearingSchema = z.strictObject({
  caseNumber: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N} ./\-_№]+$/u, 'letters, digits, spaces and . / - _ №'),
  description: z.string().max(2000).optional(),
  composition: z.array(z.string().max(200)).max(20).optional(),
  parties: z.array(z.string().max(200)).max(50).optional(),
  materials: z.array(z.string().max(300)).max(100).optional(),
});
export const markSchema = z.strictObject({ speaker: z.string().trim().min(1).max(200), note: z.string().max(500).optional() });
export const pauseSchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const testSchema = z.strictObject({ seconds: z.number().min(1).max(120).default(5), policy: microphonePolicySchema.partial().optional() });

interface SessionMeta extends HearingInfo {
  id: string;
  hallId: string;
  base: string;
  startedAt: string;
  endedAt?: string;
  startedBy?: string;
  stoppedBy?: string;
  marks: SpeakerMark[];
  interruptions: Interruption[];
  test?: boolean;
  /** The capture process's pid: a restarted agent stops an orphan still writing into this session. */
  capturePid?: number;
  /** Finished at a later start of the agent, after it stopped mid-recording. */
  recovered?: RecoveryInfo;
}

interface Session {
  meta: SessionMeta;
  dir: string;
  segDir: string;
  chain: HashChain;
  /** Segment files already chained, by stream key. */
  done: Map<string, string[]>;
  proc?: ChildProcess;
  procExit?: Promise<void>;
  watcher?: fs.FSWatcher;
  scanning: Promise<void>;
  chainErrors: string[];
  /** session.json writes, one after another. */
  saving: Promise<void>;
  capture: CaptureState;
  /** Unexpected exits of the capture process within the restart window (000 §5: bounded restarts). */
  exits: number[];
  restarts: number;
  restartTimer?: TimerHandle;
  nextRestartAt?: number;
  lastExit?: { at: string; code: number | null; signal: string | null; detail: string };
  /** When the current capture process began delivering: the start of its first segment. */
  runStartedAt?: number;
  /** The number of the current capture process's first segment. */
  runFirstSegment?: number;
}

export interface RecoveredSession {
  id: string;
  caseNumber: string;
  interruptedAt: string;
  recoveredAt: string;
  segmentsKept: number;
  chainedAtRecovery: number;
  quarantined: string[];
  problems: string[];
  intact: boolean;
  signed: boolean;
}

export interface AgentOptions {
  /** Time for everything the agent schedules (restart back-off) and stamps; SystemClock by default. */
  clock?: Clock;
  /** Where `{ env: … }` references of the configuration (signing passphrase) are looked up. */
  env?: NodeJS.ProcessEnv;
}

export interface RecordingSummary {
  id: string;
  caseNumber: string;
  startedAt: string;
  endedAt?: string;
  finished: boolean;
  files: FileHash[];
  verification?: { intact: boolean; signed: boolean; checkedAt: string; problems: VerifyReport['problems'] };
  copies: CopyState;
  /** Finished after an agent restart (the agent had stopped mid-recording). */
  recovered?: RecoveryInfo;
}

/** Safe in a file name: the case number "2-1234/2026" becomes "2-1234-2026". */
export function fileSafe(s: string): string {
  return s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'case';
}

/** "<case>_<YYYY-MM-DD>_<HH-MM-SS>" on the hall's wall clock (003 §8). */
export function recordingBase(caseNumber: string, at: number, timeZone: string): string {
  const w = wallClock(new Date(at).toISOString(), timeZone); // dd.mm.yyyy hh:mm:ss
  const [d, t] = w.split(' ') as [string, string];
  const [dd, mm, yyyy] = d.split('.');
  return `${fileSafe(caseNumber)}_${yyyy}-${mm}-${dd}_${t.replace(/:/g, '-')}`;
}

/**
 * Where the record of the current capture run ends: per stream, the close time (mtime) of its last
 * finished segment of the run, or the run's start if it finished none; the earliest over streams
 * (the lost span is stated for the stream that lost the most). Chain stamps cannot say this: a
 * segment chained after the capture died is stamped with the time it was chained.
 */
function recordEnd(segDir: string, done: Map<string, string[]>, runStart: number, runFirstSegment: number): number {
  let end = Infinity;
  for (const names of done.values()) {
    const last = names.filter((n) => (segmentNumber(n) ?? -1) >= runFirstSegment).at(-1);
    let t = runStart;
    if (last) {
      try {
        t = Math.max(runStart, fs.statSync(path.join(segDir, last)).mtimeMs);
      } catch { /* gone: the run's start */ }
    }
    end = Math.min(end, t);
  }
  return Number.isFinite(end) ? end : runStart;
}

export class AgentError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class RecorderAgent extends EventEmitter {
  state: AgentState = 'idle';
  levels: ChannelLevel[] = [];
  lastError?: string;
  private server?: http.Server;
  private sockets = new Set<Socket>();
  private meter?: { proc: ChildProcess; exited: Promise<void> };
  private session?: Session;
  private closed = false;
  private meterRestart?: NodeJS.Timeout;
  private dailyTimer?: NodeJS.Timeout;
  private lastDaily?: string;
  private readonly streams: StreamSpec[];
  private signer?: Signer;
  private verifications = new Map<string, RecordingSummary['verification']>();
  /** Serializes start/stop/pause/resume/test, capture restarts and recovery. */
  private lane: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;
  /** Sessions finished at this start after the agent had stopped mid-recording. */
  recovered: RecoveredSession[] = [];
  recoveryProblems: string[] = [];
  private recovering = false;
  /** Resolves when the sessions cut short by an earlier crash are finished (started by start()). */
  recovery: Promise<RecoveredSession[]> = Promise.resolve([]);
  port = 0;

  constructor(readonly config: AgentConfig, private readonly token: string, opts: AgentOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.streams = streamsOf(config);
    this.clock = opts.clock ?? new SystemClock();
    this.env = opts.env ?? process.env;
    this.now = () => this.clock.now();
  }

  get address(): string {
    return `${this.config.listen.host}:${this.port}`;
  }

  get recordingPid(): number | undefined {
    return this.session?.proc?.pid;
  }

  async start(): Promise<void> {
    await fsp.mkdir(this.config.outDir, { recursive: true });
    // The court's key first: an agent that cannot sign must not start recording (000 §20).
    if (this.config.signing) this.signer = await loadSigner(this.config.signing, { env: this.env, openssl: this.config.openssl });
    const unfinished = this.unfinishedSessions();
    // Before the meter opens the capture devices: an ffmpeg orphaned by our crash may still hold them.
    for (const dir of unfinished) await this.stopOrphanCapture(dir);
    const server = http.createServer((req, res) => void this.serve(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.listen.port, this.config.listen.host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.startMeter();
    if (this.config.copies?.dailyAt) {
      this.dailyTimer = setInterval(() => void this.dailyCopy(), 30_000);
      this.dailyTimer.unref();
    }
    // In the lane: a start or a stop asked for meanwhile waits until every session is finished.
    if (unfinished.length) {
      this.recovering = true;
      this.recovery = this.serial(() => this.recoverAll(unfinished));
      this.recovery.catch(() => undefined);
    }
  }

  /** Resolves with the first levels of every channel (the meter is running). */
  firstLevels(timeoutMs = 15_000): Promise<ChannelLevel[]> {
    if (this.levels.length) return Promise.resolve(this.levels);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no levels within ${timeoutMs} ms: ${this.lastError ?? ''}`)), timeoutMs);
      this.once('levels', (l: ChannelLevel[]) => {
        clearTimeout(t);
        resolve(l);
      });
    });
  }

  /** Stops the agent: a recording in progress is finished properly (manifest, protocol). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.recovery.catch(() => undefined);
    if (this.state === 'recording' || this.state === 'paused') await this.stopRecording('agent-shutdown').catch(() => undefined);
    this.closed = true;
    if (this.meterRestart) clearTimeout(this.meterRestart);
    if (this.dailyTimer) clearInterval(this.dailyTimer);
    await this.stopMeter();
    const s = this.server;
    this.server = undefined;
    if (s) {
      for (const sock of this.sockets) sock.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  // ---- levels ------------------------------------------------------------------------------

  private attachMeter(proc: ChildProcess): void {
    const frames = Math.round((this.config.meter.rate * this.config.meter.windowMs) / 1000);
    const meter = new LevelMeter(this.config.audio.length, frames, (l) => {
      this.levels = l;
      this.emit('levels', l);
    }, this.now);
    proc.stdout!.on('data', (d: Buffer) => meter.push(d));
  }

  private startMeter(): void {
    if (this.closed || this.meter) return;
    const { proc, stderrTail, ended } = spawnFfmpeg(this.config.ffmpeg, meterArgs(this.config));
    this.attachMeter(proc);
    const exited = ended.then(({ code, signal, error }) => {
      if (this.meter?.proc === proc) {
        this.meter = undefined;
        if (!this.closed && this.state !== 'recording') {
          this.lastError = `meter exited (${error ?? code ?? signal}): ${stderrTail()}`;
          // An input that went away: try again, without spinning.
          this.meterRestart = setTimeout(() => this.startMeter(), 2000);
        }
      }
    });
    this.meter = { proc, exited };
  }

  private async stopMeter(): Promise<void> {
    const m = this.meter;
    this.meter = undefined;
    if (this.meterRestart) clearTimeout(this.meterRestart);
    if (!m) return;
    m.proc.kill('SIGTERM');
    // A meter has nothing to finish: if it does not go within 2 s (a loaded machine), kill it.
    const killer = setTimeout(() => m.proc.kill('SIGKILL'), 2000);
    await m.exited;
    clearTimeout(killer);
  }

  // ---- recording ---------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.lane.then(fn);
    this.lane = p.catch(() => undefined);
    return p;
  }

  startRecording(info: HearingInfo, opts: { actor?: string; test?: boolean } = {}): Promise<SessionMeta> {
    return this.serial(async () => {
      if (this.state !== 'idle') throw new AgentError(409, 'busy', `already ${this.state}`);
      const at = this.now();
      const base = recordingBase(info.caseNumber, at, this.config.hall.timeZone);
      const root = opts.test ? path.join(this.config.outDir, '_tests') : this.config.outDir;
      if (opts.test) await fsp.rm(root, { recursive: true, force: true });
      let id = base;
      for (let i = 2; fs.existsSync(path.join(root, id)); i++) id = `${base}-${i}`;
      const dir = path.join(root, id);
      const segDir = path.join(dir, 'segments');
      await fsp.mkdir(segDir, { recursive: true });
      const meta: SessionMeta = {
        id, hallId: this.config.hall.id, base: id, ...info, startedAt: new Date(at).toISOString(), startedBy: opts.actor,
        marks: [], interruptions: [], test: opts.test,
      };
      const s = this.newSession(meta, dir, new HashChain(dir), new Map(this.streams.map((x) => [x.key, []])));
      await this.saveMeta(s);
      this.session = s;
      s.watcher = fs.watch(segDir, (_ev, name) => {
        if (name && String(name).endsWith('.csv')) this.scan(s);
      });
      await this.spawnRecorder(s);
      this.state = 'recording';
      this.emit('state', this.state);
      return meta;
    });
  }

  private newSession(meta: SessionMeta, dir: string, chain: HashChain, done: Map<string, string[]>): Session {
    return {
      meta, dir, segDir: path.join(dir, 'segments'), chain, done, scanning: Promise.resolve(), chainErrors: [], saving: Promise.resolve(),
      capture: 'stopped', exits: [], restarts: 0,
    };
  }

  /** session.json, written whole (a crash leaves the previous version), one write after another. */
  private saveMeta(s: Session): Promise<void> {
    const body = JSON.stringify(s.meta, null, 2);
    const p = s.saving.then(() => writeFileAtomic(path.join(s.dir, SESSION_FILE), body));
    s.saving = p.catch(() => undefined);
    return p;
  }

  /** The next segment number: past every file of the session, chained or quarantined, so nothing is overwritten. */
  private nextSegmentNumber(s: Session): number {
    let max = -1;
    for (const d of [s.segDir, path.join(s.dir, QUARANTINE_DIR)]) {
      for (const f of fs.existsSync(d) ? fs.readdirSync(d) : []) max = Math.max(max, segmentNumber(f) ?? -1);
    }
    return max + 1;
  }

  private async spawnRecorder(s: Session): Promise<void> {
    await this.stopMeter();
    const start = this.nextSegmentNumber(s);
    const { proc, stderrTail, ended } = spawnFfmpeg(this.config.ffmpeg, recordArgs(this.config, s.segDir, s.meta.base, start));
    this.attachMeter(proc);
    s.proc = proc;
    s.runFirstSegment = start;
    s.runStartedAt = undefined;
    if (s.capture !== 'restarting') s.capture = 'running';
    // Capture is flowing once the meter stream delivers: that is when a restart has resumed recording.
    proc.stdout!.once('data', () => this.captureFlowing(s, proc));
    s.procExit = ended.then(({ code, signal, error }) => {
      if (s.proc === proc) {
        s.proc = undefined;
        // endRecorder clears s.proc first: only an exit nobody asked for gets here.
        if (this.session === s && this.state === 'recording') this.captureDied(s, code, signal, error ?? stderrTail());
      }
    });
    s.meta.capturePid = proc.pid;
    await this.saveMeta(s);
  }

  private captureFlowing(s: Session, proc: ChildProcess): void {
    if (s.proc !== proc) return;
    s.runStartedAt = this.now();
    if (s.capture !== 'restarting') return;
    s.capture = 'running';
    s.nextRestartAt = undefined;
    const open = this.openCaptureInterruption(s);
    if (open) open.resumedAt = new Date(this.now()).toISOString(); // 004 §8: the time recording resumed
    void this.saveMeta(s).catch((e: Error) => (this.lastError = e.message));
    this.emit('capture', { state: 'running', restarts: s.restarts });
  }

  /** The interruption a dying capture process opened and no restart has closed yet. */
  private openCaptureInterruption(s: Session): Interruption | undefined {
    const last = s.meta.interruptions[s.meta.interruptions.length - 1];
    return last && !last.resumedAt && (last.kind === 'capture-restart' || last.kind === 'capture-failed') ? last : undefined;
  }

  /**
   * ffmpeg died while recording (an input lost, a crash, killed). 000 §5: recording is continuous,
   * so it is started again after a back-off on the agent's Clock, numbering continued; the gap is an
   * interruption with its reason and, once capture flows again, the time it resumed (004 §8). Too
   * many exits within the window: the recording is paused as a failure for a person to look at.
   */
  private captureDied(s: Session, code: number | null, signal: string | null, tail: string): void {
    const at = this.now();
    const detail = `ffmpeg exited (${code ?? signal ?? 'not started'}): ${tail}`.slice(0, 400);
    this.lastError = detail;
    s.capture = 'restarting';
    s.lastExit = { at: new Date(at).toISOString(), code, signal, detail };
    const r = this.config.restart;
    s.exits = s.exits.filter((t) => at - t < r.windowSeconds * 1000);
    s.exits.push(at);
    // One gap, one record: a restarted process that dies before delivering continues the same interruption.
    let open = this.openCaptureInterruption(s);
    if (!open) {
      open = { at: new Date(at).toISOString(), kind: 'capture-restart', reason: `capture process restarted: ${detail}`, attempts: 0 };
      s.meta.interruptions.push(open);
    }
    const interruption = open;
    const runStart = s.runStartedAt ?? at;
    this.emit('capture', { state: 'restarting', detail });
    void this.serial(async () => {
      if (this.session !== s || this.state !== 'recording' || s.proc) return; // stopped, paused or restarted meanwhile
      this.scan(s);
      await s.scanning;
      // The segment being written is incomplete (an MPEG-4 without its index does not even play):
      // out of the record, kept aside, and its time span stated.
      const lost = await this.quarantinePartials(s);
      if (lost.length) {
        const from = Math.min(recordEnd(s.segDir, s.done, runStart, s.runFirstSegment ?? 0), at);
        interruption.lost = {
          from: interruption.lost?.from ?? new Date(from).toISOString(),
          to: new Date(at).toISOString(),
          files: [...(interruption.lost?.files ?? []), ...lost],
        };
      }
      if (s.exits.length > r.maxRestarts) {
        interruption.kind = 'capture-failed';
        interruption.reason = `failure: the capture process exited ${s.exits.length} times within ${r.windowSeconds} s; last: ${detail}`.slice(0, 500);
        s.capture = 'failed';
        s.nextRestartAt = undefined;
        this.state = 'paused';
        await this.saveMeta(s);
        this.startMeter();
        this.emit('state', this.state);
        this.emit('capture', { state: 'failed', detail });
        return;
      }
      const delay = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** (s.exits.length - 1));
      s.nextRestartAt = this.now() + delay;
      await this.saveMeta(s);
      s.restartTimer = this.clock.setTimer(delay, () => {
        s.restartTimer = undefined;
        void this.serial(() => this.restartCapture(s)).catch((e: Error) => (this.lastError = e.message));
      });
      this.emit('capture', { state: 'restarting', delayMs: delay, attempt: s.exits.length });
    }).catch((e: Error) => (this.lastError = `capture restart: ${e.message}`));
  }

  private async restartCapture(s: Session): Promise<void> {
    if (this.session !== s || this.state !== 'recording' || s.proc || s.capture !== 'restarting') return;
    s.restarts++;
    const open = this.openCaptureInterruption(s);
    if (open) open.attempts = (open.attempts ?? 0) + 1;
    await this.spawnRecorder(s);
    this.emit('capture', { state: 'restarting', spawned: this.recordingPid, restarts: s.restarts });
  }

  /** Moves every segment file that no stream lists as finished into quarantine/; returns them. */
  private async quarantinePartials(s: Session): Promise<string[]> {
    const listed = new Set([...s.done.values()].flat());
    const moved: string[] = [];
    for (const f of (await fsp.readdir(s.segDir).catch(() => [] as string[])).sort()) {
      if (f.endsWith('.csv') || listed.has(f)) continue;
      await fsp.mkdir(path.join(s.dir, QUARANTINE_DIR), { recursive: true });
      await fsp.rename(path.join(s.segDir, f), path.join(s.dir, QUARANTINE_DIR, f));
      moved.push(`${QUARANTINE_DIR}/${f}`);
    }
    return moved;
  }

  /**
   * After a stop or a pause that came while a dead capture process was waiting for its restart: its
   * partial segment goes to quarantine, stated on the open gap.
   */
  private async settleCaptureGap(s: Session): Promise<void> {
    const lost = await this.quarantinePartials(s);
    const open = this.openCaptureInterruption(s);
    if (lost.length && open) open.lost = { from: open.lost?.from ?? open.at, to: open.lost?.to ?? open.at, files: [...(open.lost?.files ?? []), ...lost] };
  }

  /** Ends the ffmpeg of a session properly ("q": the segments in progress are closed). */
  private async endRecorder(s: Session): Promise<void> {
    if (s.restartTimer) {
      this.clock.clearTimer(s.restartTimer);
      s.restartTimer = undefined;
      s.nextRestartAt = undefined;
    }
    const p = s.proc;
    if (!p) return;
    s.proc = undefined;
    p.stdin!.write('q');
    const killer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    await s.procExit;
    clearTimeout(killer);
    this.scan(s);
    await s.scanning;
  }

  /** Chains every segment that ffmpeg has listed as finished and not chained yet. */
  private scan(s: Session): void {
    s.scanning = s.scanning.then(async () => {
      for (const st of this.streams) {
        const list = path.join(s.segDir, `${st.key}.csv`);
        let text = '';
        try {
          text = await fsp.readFile(list, 'utf8');
        } catch {
          continue;
        }
        const done = s.done.get(st.key)!;
        for (const name of listedSegments(text)) {
          if (done.includes(name)) continue;
          done.push(name);
          try {
            const e = await s.chain.add(st.key, `segments/${name}`, this.now);
            this.emit('segment', e);
          } catch (err) {
            s.chainErrors.push(`${name}: ${(err as Error).message}`);
          }
        }
      }
    });
  }

  pause(reason: string): Promise<void> {
    return this.serial(async () => {
      const s = this.session;
      if (!s || this.state !== 'recording') throw new AgentError(409, 'not-recording', 'not recording');
      this.state = 'paused';
      const pausedAt = new Date(this.now()).toISOString();
      await this.endRecorder(s);
      await this.settleCaptureGap(s);
      s.meta.interruptions.push({ at: pausedAt, reason, kind: 'pause' });
      s.capture = 'stopped';
      await this.saveMeta(s);
      this.startMeter();
      this.emit('state', this.state);
    });
  }

  resume(): Promise<void> {
    return this.serial(async () => {
      const s = this.session;
      if (!s || this.state !== 'paused') throw new AgentError(409, 'not-paused', 'not paused');
      // Every gap still open ends now: a pause, or a capture failure a person has looked at.
      const at = new Date(this.now()).toISOString();
      for (const i of s.meta.interruptions) if (!i.resumedAt) i.resumedAt = at;
      s.exits = [];
      s.capture = 'running';
      await this.saveMeta(s);
      await this.spawnRecorder(s);
      this.state = 'recording';
      this.emit('state', this.state);
    });
  }

  async mark(m: { speaker: string; note?: string }): Promise<SpeakerMark> {
    const s = this.session;
    if (!s || this.state !== 'recording') throw new AgentError(409, 'not-recording', 'not recording');
    const mark = { at: new Date(this.now()).toISOString(), ...m };
    s.meta.marks.push(mark);
    await this.saveMeta(s);
    return mark;
  }

  stopRecording(actor?: string): Promise<RecordingSummary> {
    return this.serial(async () => {
      const s = this.session;
      if (!s || (this.state !== 'recording' && this.state !== 'paused')) throw new AgentError(409, 'not-recording', 'not recording');
      this.state = 'stopping';
      this.emit('state', this.state);
      try {
        await this.endRecorder(s);
        s.watcher?.close();
        s.capture = 'stopped';
        // A capture process that died just before the stop left its partial segment behind.
        await this.settleCaptureGap(s);
        s.meta.endedAt = new Date(this.now()).toISOString();
        if (actor) s.meta.stoppedBy = actor;
        return await this.finish(s);
      } finally {
        this.session = undefined;
        this.state = 'idle';
        this.startMeter();
        this.emit('state', this.state);
      }
    });
  }

  /**
   * Finishes a session (a stop, or a recovery after a crash): one file per stream from its chained
   * segments (003 §9), the short protocol as text and PDF in both languages (003 §7.5, §10), the
   * manifest of every file signed with the court's key (000 §20), then the copies (000 §23).
   * `exclude`: chained segments that no longer match the chain, kept out of the final files.
   */
  private async finish(s: Session, exclude: Set<string> = new Set()): Promise<RecordingSummary> {
    await s.chain.close();
    const endedAt = s.meta.endedAt ?? new Date(this.now()).toISOString();
    s.meta.endedAt = endedAt;
    const finals: FileHash[] = [];
    for (const st of this.streamsOf(s)) {
      const segs = s.done.get(st.key)!.filter((n) => !exclude.has(`segments/${n}`) && fs.existsSync(path.join(s.segDir, n))).map((n) => path.join(s.segDir, n));
      if (!segs.length) continue;
      const name = `${s.meta.base}_${st.key}.${st.ext}`;
      await concatSegments(this.config.ffmpeg, segs, path.join(s.dir, `.${st.key}.concat`), path.join(s.dir, name));
      finals.push(await hashFile(path.join(s.dir, name), name));
    }
    await this.saveMeta(s);
    const data = {
      ...s.meta, id: s.meta.id, place: this.config.hall.place, endedAt, timeZone: this.config.hall.timeZone, files: finals, signed: !!this.signer,
    };
    const protocols: FileHash[] = [];
    for (const lang of ['ru', 'kk'] as const) {
      const name = `${s.meta.base}_protocol.${lang}.txt`;
      await writeFileAtomic(path.join(s.dir, name), renderProtocol(data, lang));
      protocols.push(await hashFile(path.join(s.dir, name), name));
    }
    for (const lang of ['ru', 'kk'] as const) {
      const name = `${s.meta.base}_protocol.${lang}.pdf`;
      await writeFileAtomic(path.join(s.dir, name), await renderProtocolPdf(data, lang));
      protocols.push(await hashFile(path.join(s.dir, name), name));
    }
    const chainHead = readChain(s.dir).at(-1)?.hash ?? GENESIS;
    await writeSignedManifest(s.dir, {
      version: 1, recordingId: s.meta.id, hallId: s.meta.hallId, caseNumber: s.meta.caseNumber,
      startedAt: s.meta.startedAt, endedAt, files: [...finals, ...protocols, await hashFile(path.join(s.dir, SESSION_FILE), SESSION_FILE)],
      segments: s.chain.length, chainHead, ...(s.meta.recovered ? { recovery: s.meta.recovered } : {}),
    }, this.signer);
    const v = await verifyRecording(s.dir);
    this.verifications.set(s.meta.id, { intact: v.intact, signed: v.signed, checkedAt: new Date(this.now()).toISOString(), problems: v.problems });
    if (this.config.copies?.atStop && !s.meta.test) await this.copy(s.dir).catch(() => undefined);
    return this.summary(s.dir);
  }

  /** The session's streams in the configured order, then any others its segments name (a changed configuration). */
  private streamsOf(s: Session): StreamSpec[] {
    const known = this.streams.filter((st) => s.done.get(st.key)?.length);
    const other = [...s.done.keys()].filter((k) => !this.streams.some((st) => st.key === k) && s.done.get(k)!.length).sort();
    return [...known, ...other.map((key) => ({ key, kind: 'ch' as const, ext: path.extname(s.done.get(key)![0]!).slice(1) }))];
  }

  // ---- recovery after a crash ------------------------------------------------------------

  /** Session folders with a session.json and no manifest: cut short by a crash (or a crash while finishing). */
  private unfinishedSessions(): string[] {
    const root = this.config.outDir;
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
      .map((d) => path.join(root, d.name))
      .filter((dir) => fs.existsSync(path.join(dir, SESSION_FILE)) && !fs.existsSync(path.join(dir, MANIFEST_FILE)))
      .sort();
  }

  /**
   * The crashed agent's ffmpeg may outlive it (when its output pipe does not break) and keep
   * writing into the session: asked to finish (SIGTERM closes its segments), then killed. Only a
   * process whose command line names this session's folder (Linux /proc): a reused pid is left alone.
   * Real time, not the Clock: this waits on a real process.
   */
  private async stopOrphanCapture(dir: string): Promise<void> {
    let pid: number | undefined;
    try {
      pid = (JSON.parse(fs.readFileSync(path.join(dir, SESSION_FILE), 'utf8')) as SessionMeta).capturePid;
    } catch {
      return;
    }
    if (!pid || pid === process.pid) return;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return; // gone (or no /proc to tell whose it is)
    }
    if (!cmdline.includes(path.join(dir, 'segments'))) return;
    const alive = () => {
      try {
        process.kill(pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    const gone = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end;) {
        if (!alive()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return !alive();
    };
    try {
      process.kill(pid, 'SIGTERM');
      process.kill(pid, 'SIGCONT'); // a stopped (frozen) process acts on the SIGTERM only once continued
    } catch {
      return;
    }
    if (!(await gone(5000))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch { /* gone */ }
      await gone(2000);
    }
  }

  private async recoverAll(dirs: string[]): Promise<RecoveredSession[]> {
    try {
      for (const dir of dirs) {
        try {
          const r = await this.recoverSession(dir);
          this.recovered.push(r);
          this.emit('recovered', r);
        } catch (e) {
          this.recoveryProblems.push(`${path.basename(dir)}: ${(e as Error).message}`);
          this.lastError = `recovery of ${path.basename(dir)}: ${(e as Error).message}`;
        }
      }
      return this.recovered;
    } finally {
      this.recovering = false;
    }
  }

  /**
   * Finishes a session the agent was recording (or finishing) when it died. Every chained segment
   * is checked against the chain written while recording; segments ffmpeg had finished but the
   * agent had not yet chained are chained now (named in the record); the partial segment is
   * quarantined with its time span (004 §8); then protocol, signed manifest and copies as at a stop,
   * the session marked as finished after the agent's restart.
   */
  private async recoverSession(dir: string): Promise<RecoveredSession> {
    let meta: SessionMeta;
    try {
      meta = JSON.parse(await fsp.readFile(path.join(dir, SESSION_FILE), 'utf8')) as SessionMeta;
    } catch (e) {
      throw new Error(`${SESSION_FILE} unreadable: ${(e as Error).message}`);
    }
    const segDir = path.join(dir, 'segments');
    await fsp.mkdir(segDir, { recursive: true });
    const mtime = (f: string) => {
      try {
        return fs.statSync(f).mtimeMs;
      } catch {
        return 0;
      }
    };
    const segFiles = fs.readdirSync(segDir).sort();
    // The last sign of life, read before anything here is touched.
    const lastWrite = Math.max(Date.parse(meta.startedAt), mtime(path.join(dir, CHAIN_FILE)), mtime(path.join(dir, SESSION_FILE)), ...segFiles.map((f) => mtime(path.join(segDir, f))));
    const problems: string[] = [];
    if (repairChainTail(dir)) problems.push(`${CHAIN_FILE}: a line torn by the crash was cut off`);

    // Every entry: its link, its hash, its segment's bytes (000 §20, 003 §7.6).
    const entries = readChain(dir);
    const exclude = new Set<string>();
    let prev = GENESIS;
    for (const e of entries) {
      const { hash, ...rest } = e;
      if (e.prev !== prev || entryHash(rest) !== hash) problems.push(`${CHAIN_FILE}: entry ${e.seq} (${e.file}) does not follow the chain`);
      prev = hash;
      const abs = path.join(dir, e.file);
      if (!fs.existsSync(abs)) {
        problems.push(`${e.file}: missing`);
        exclude.add(e.file);
        continue;
      }
      const h = await hashFile(abs, e.file);
      if (h.size !== e.size || h.sha256 !== e.sha256 || h.md5 !== e.md5) {
        problems.push(`${e.file}: differs from its chain entry`);
        exclude.add(e.file);
      }
    }
    const done = new Map<string, string[]>(this.streams.map((st) => [st.key, [] as string[]]));
    const add = (stream: string, file: string) => {
      if (!done.has(stream)) done.set(stream, []);
      done.get(stream)!.push(file);
    };
    for (const e of entries) add(e.stream, e.file.replace(/^segments\//, ''));

    // Finished by ffmpeg (named in its segment list) but not yet chained when the agent died.
    const chain = new HashChain(dir);
    const chained = new Set(entries.map((e) => e.file));
    const chainedAtRecovery: string[] = [];
    const csvs = segFiles.filter((f) => f.endsWith('.csv'));
    for (const csv of csvs) {
      const stream = csv.slice(0, -4);
      for (const name of listedSegments(await fsp.readFile(path.join(segDir, csv), 'utf8'))) {
        const rel = `segments/${name}`;
        if (chained.has(rel) || !fs.existsSync(path.join(dir, rel))) continue;
        await chain.add(stream, rel, this.now);
        chained.add(rel);
        chainedAtRecovery.push(rel);
        add(stream, name);
      }
    }
    const s = this.newSession(meta, dir, chain, done);
    const partialMtimes = segFiles.filter((f) => !f.endsWith('.csv') && !chained.has(`segments/${f}`)).map((f) => mtime(path.join(segDir, f)));
    const quarantined = await this.quarantinePartials(s);

    const interruptedAt = new Date(lastWrite).toISOString();
    if (!meta.endedAt) {
      const last = meta.interruptions[meta.interruptions.length - 1];
      const alreadyStopped = !!last && !last.resumedAt; // paused, or capture already down: nothing more was lost
      if (quarantined.length || !alreadyStopped) {
        // From the end of the last finished segment (or the last start of capture) to the last write.
        const runStart = Math.max(Date.parse(meta.startedAt), ...meta.interruptions.map((i) => (i.resumedAt ? Date.parse(i.resumedAt) : 0)));
        const from = Math.min(recordEnd(segDir, done, runStart, 0), lastWrite);
        const to = Math.max(from, ...partialMtimes);
        meta.interruptions.push({
          at: interruptedAt, kind: 'agent-crash',
          reason: 'the agent stopped while recording (killed, crashed or lost power); the session was finished at its next start',
          ...(quarantined.length ? { lost: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), files: quarantined } } : {}),
        });
      }
      meta.endedAt = interruptedAt;
    }
    meta.recovered = { interruptedAt, recoveredAt: new Date(this.now()).toISOString(), chainedAtRecovery, quarantined, problems };
    const summary = await this.finish(s, exclude);
    const v = summary.verification;
    return {
      id: meta.id, caseNumber: meta.caseNumber, interruptedAt, recoveredAt: meta.recovered.recoveredAt,
      segmentsKept: entries.length - exclude.size + chainedAtRecovery.length, chainedAtRecovery: chainedAtRecovery.length, quarantined, problems,
      intact: !!v?.intact, signed: !!v?.signed,
    };
  }

  // ---- copies ------------------------------------------------------------------------------

  private copy(dir: string, verifyOnly = false): Promise<CopyState> {
    const c = this.config.copies;
    if (!c) throw new AgentError(409, 'no-copies', 'no copy stores configured');
    return copyRecording(dir, { main: c.main, backup: c.backup }, this.config.hall.id, this.now, { verifyOnly });
  }

  /** Copies (or only re-verifies) every finished recording; returns the problems found. */
  async copyAll(verifyOnly = false): Promise<{ recordings: number; problems: CopyState['problems'] }> {
    const problems: CopyState['problems'] = [];
    const ids = this.finishedIds();
    for (const id of ids) problems.push(...(await this.copy(path.join(this.config.outDir, id), verifyOnly)).problems.map((p) => ({ ...p, file: `${id}/${p.file}` })));
    return { recordings: ids.length, problems };
  }

  private async dailyCopy(): Promise<void> {
    const at = this.config.copies?.dailyAt;
    if (!at) return;
    const w = wallClock(new Date(this.now()).toISOString(), this.config.hall.timeZone);
    const [day, time] = w.split(' ') as [string, string];
    if (time.slice(0, 5) >= at && this.lastDaily !== day) {
      this.lastDaily = day;
      await this.copyAll().catch(() => undefined);
    }
  }

  private finishedIds(): string[] {
    if (!fs.existsSync(this.config.outDir)) return [];
    return fs.readdirSync(this.config.outDir).filter((d) => !d.startsWith('_') && fs.existsSync(path.join(this.config.outDir, d, MANIFEST_FILE))).sort();
  }

  summary(dir: string): RecordingSummary {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, SESSION_FILE), 'utf8')) as SessionMeta;
    const finished = fs.existsSync(path.join(dir, MANIFEST_FILE));
    const files = finished ? (JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: FileHash[] }).files : [];
    return {
      id: meta.id, caseNumber: meta.caseNumber, startedAt: meta.startedAt, endedAt: meta.endedAt, finished, files, verification: this.verifications.get(meta.id), copies: readCopyState(dir),
      ...(meta.recovered ? { recovered: meta.recovered } : {}),
    };
  }

  recordings(): RecordingSummary[] {
    if (!fs.existsSync(this.config.outDir)) return [];
    return fs.readdirSync(this.config.outDir)
      .filter((d) => !d.startsWith('_') && fs.existsSync(path.join(this.config.outDir, d, 'session.json')))
      .map((d) => this.summary(path.join(this.config.outDir, d)))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async verify(id: string): Promise<RecordingSummary> {
    const dir = this.recordingDir(id);
    const v = await verifyRecording(dir, { trustedCertPem: this.signer?.certPem });
    this.verifications.set(id, { intact: v.intact, signed: v.signed, checkedAt: new Date(this.now()).toISOString(), problems: v.problems });
    return this.summary(dir);
  }

  recordingDir(id: string): string {
    if (!/^[\p{L}\p{N}._-]+$/u.test(id) || id.startsWith('.')) throw new AgentError(404, 'not-found', 'no such recording');
    const dir = path.join(this.config.outDir, id);
    if (!fs.existsSync(path.join(dir, 'session.json'))) throw new AgentError(404, 'not-found', 'no such recording');
    return dir;
  }

  // ---- status ------------------------------------------------------------------------------

  async status(): Promise<Record<string, unknown>> {
    const s = this.session;
    let bytes = 0;
    let segmentFiles = 0;
    if (s) {
      for (const f of await fsp.readdir(s.segDir).catch(() => [] as string[])) {
        if (f.endsWith('.csv')) continue;
        segmentFiles++;
        bytes += (await fsp.stat(path.join(s.segDir, f)).catch(() => ({ size: 0 }))).size;
      }
    }
    const finished = this.recordings().filter((r) => r.finished);
    const pending = finished.filter((r) => !r.copies.verifiedAt.main || !r.copies.verifiedAt.backup);
    const lastCopyAt = finished.map((r) => [r.copies.verifiedAt.main, r.copies.verifiedAt.backup].filter(Boolean).sort()[0]).filter(Boolean).sort().at(-1);
    const copyProblems = finished.flatMap((r) => r.copies.problems.map((p) => ({ ...p, recording: r.id })));
    const st = await fsp.statfs(this.config.outDir);
    return {
      hallId: this.config.hall.id,
      state: this.state,
      recording: this.state === 'recording',
      recorderProcess: 'running',
      session: s && {
        id: s.meta.id, caseNumber: s.meta.caseNumber, startedAt: s.meta.startedAt, test: !!s.meta.test,
        marks: s.meta.marks, interruptions: s.meta.interruptions,
        elapsedSeconds: Math.round((this.now() - Date.parse(s.meta.startedAt)) / 1000),
        bytes, segmentFiles, segmentsChained: s.chain.length, chainErrors: s.chainErrors, pid: s.proc?.pid, restarts: s.restarts,
      },
      // 000 §5: the capture process of the session; the driver shows a restart in progress and a failure.
      capture: s
        ? {
            state: s.capture, pid: s.proc?.pid, restarts: s.restarts, exitsInWindow: s.exits.length, maxRestarts: this.config.restart.maxRestarts,
            lastExit: s.lastExit, nextRestartAt: s.nextRestartAt !== undefined ? new Date(s.nextRestartAt).toISOString() : undefined,
          }
        : { state: 'idle', restarts: 0 },
      // Sessions cut short by a crash and finished at this start (they are among the recordings).
      recovery: { running: this.recovering, recovered: this.recovered, problems: this.recoveryProblems },
      lastError: this.lastError,
      channels: this.config.audio.length,
      levelsAt: this.levels[0]?.at,
      copies: { configured: !!this.config.copies, pending: pending.length, lastCopyAt, lastCopyAgeSeconds: lastCopyAt ? Math.round((this.now() - Date.parse(lastCopyAt)) / 1000) : undefined, problems: copyProblems },
      recordings: finished.length,
      unverified: finished.filter((r) => r.verification && !r.verification.intact).map((r) => r.id),
      diskFreeBytes: Number(st.bavail) * Number(st.bsize),
      diskTotalBytes: Number(st.blocks) * Number(st.bsize),
      signing: !!this.signer,
    };
  }

  // ---- test recording ----------------------------------------------------------------------

  /** Records N seconds, then checks every file (ffprobe), the hashes and every channel's level. */
  async testRecording(seconds: number, policy: MicrophonePolicy, actor?: string): Promise<{ ok: boolean; reasons: string[]; files: unknown[]; channels: unknown[] }> {
    const worst = new Map<number, ChannelLevel>();
    const onLevels = (l: ChannelLevel[]) => {
      for (const c of l) {
        const w = worst.get(c.channel);
        if (!w || (c.acRmsDbfs > w.acRmsDbfs)) worst.set(c.channel, c); // loudest window per channel
      }
    };
    const meta = await this.startRecording({ caseNumber: 'TEST', description: 'test recording' }, { actor, test: true });
    this.on('levels', onLevels);
    try {
      await new Promise((r) => setTimeout(r, seconds * 1000));
    } finally {
      this.off('levels', onLevels);
    }
    await this.stopRecording(actor);
    const dir = path.join(this.config.outDir, '_tests', meta.id);
    const reasons: string[] = [];
    const files: unknown[] = [];
    const m = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: FileHash[] };
    // ffmpeg's startup and the stop's last frames: within 1.5 s of the asked length.
    const tolerance = 1.5;
    for (const st of this.streams) {
      const f = m.files.find((x) => x.file.endsWith(`_${st.key}.${st.ext}`));
      if (!f) {
        reasons.push(`${st.key}: no file`);
        continue;
      }
      try {
        const p = await ffprobe(this.config.ffprobe, path.join(dir, f.file));
        files.push({ ...f, ...p });
        if (Math.abs(p.durationSeconds - seconds) > tolerance) reasons.push(`${f.file}: ${p.durationSeconds.toFixed(1)} s recorded of ${seconds} s`);
        if (st.kind === 'ch' && p.audioChannels !== 1) reasons.push(`${f.file}: ${p.audioChannels ?? 0} audio channels, expected 1`);
        if (st.kind !== 'av' && !p.audioCodec) reasons.push(`${f.file}: no audio stream`);
        if (st.kind === 'av') {
          if (!p.width || !p.height || p.width < 640 || p.height < 320) reasons.push(`${f.file}: video ${p.width ?? 0}×${p.height ?? 0}, below 640×320 (003 §8)`);
          if (!p.audioCodec) reasons.push(`${f.file}: no audio in the audio-video file`);
        }
      } catch (e) {
        reasons.push(`${f.file}: ${(e as Error).message}`);
      }
    }
    const v = await verifyRecording(dir);
    if (!v.intact) reasons.push(...v.problems.map((p) => `${p.file}: ${p.problem}`));
    const channels = this.config.audio.map((_, i) => {
      const l = worst.get(i + 1);
      const verdict = l ? classifyLevel(l, policy) : 'no-levels';
      if (verdict !== 'alive') reasons.push(`channel ${i + 1}: ${verdict}`);
      return { channel: i + 1, verdict, rmsDbfs: l?.rmsDbfs, peakDbfs: l?.peakDbfs, acRmsDbfs: l?.acRmsDbfs, dcDbfs: l?.dcDbfs };
    });
    return { ok: reasons.length === 0, reasons, files, channels };
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private authorized(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(h);
    if (!m) return false;
    const a = crypto.createHash('sha256').update(m[1]!).digest();
    const b = crypto.createHash('sha256').update(this.token).digest();
    return crypto.timingSafeEqual(a, b);
  }

  private async body(req: http.IncomingMessage): Promise<unknown> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 256 * 1024) throw new AgentError(413, 'too-large', 'body too large');
      chunks.push(c as Buffer);
    }
    if (!size) return {};
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new AgentError(400, 'bad-json', 'body is not JSON');
    }
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    try {
      if (!this.authorized(req)) throw new AgentError(401, 'unauthorized', 'bearer token required');
      const url = new URL(req.url ?? '/', 'http://agent');
      const p = url.pathname;
      const parse = async <T>(schema: z.ZodType<T>): Promise<T> => {
        const r = schema.safeParse(await this.body(req));
        if (!r.success) {
          const i = r.error.issues[0]!;
          throw new AgentError(400, 'bad-request', `${i.path.join('.') || 'body'}: ${i.message}`);
        }
        return r.data;
      };
      const actor = typeof req.headers['x-hallwatch-actor'] === 'string' ? req.headers['x-hallwatch-actor'] : undefined;
      if (req.method === 'GET' && p === '/api/status') return send(200, await this.status());
      if (req.method === 'GET' && p === '/api/levels') return send(200, { at: this.levels[0]?.at, state: this.state, channels: this.levels });
      let m = /^\/api\/levels\/(\d+)$/.exec(p);
      if (req.method === 'GET' && m) {
        const l = this.levels.find((x) => x.channel === Number(m![1]));
        if (!l) throw new AgentError(Number(m[1]) > this.config.audio.length || Number(m[1]) < 1 ? 404 : 503, 'no-levels', 'no levels for this channel');
        // Its age on the agent's own clock: the collector's clock may differ.
        return send(200, { ...l, ageSeconds: Math.round((this.now() - Date.parse(l.at)) / 100) / 10, state: this.state });
      }
      if (req.method === 'POST' && p === '/api/start') return send(200, await this.startRecording(await parse(hearingSchema), { actor }));
      if (req.method === 'POST' && p === '/api/stop') return send(200, await this.stopRecording(actor));
      if (req.method === 'POST' && p === '/api/pause') {
        await this.pause((await parse(pauseSchema)).reason);
        return send(200, { state: this.state });
      }
      if (req.method === 'POST' && p === '/api/resume') {
        await this.resume();
        return send(200, { state: this.state });
      }
      if (req.method === 'POST' && p === '/api/mark') return send(200, await this.mark(await parse(markSchema)));
      if (req.method === 'POST' && p === '/api/test-recording') {
        const b = await parse(testSchema);
        return send(200, await this.testRecording(b.seconds, microphonePolicySchema.parse(b.policy ?? {}), actor));
      }
      if (req.method === 'POST' && p === '/api/copies') return send(200, await this.copyAll(false));
      if (req.method === 'POST' && p === '/api/copies/verify') return send(200, await this.copyAll(true));
      if (req.method === 'GET' && p === '/api/recordings') return send(200, this.recordings());
      m = /^\/api\/recordings\/([^/]+)(\/verify|\/protocol)?$/.exec(p);
      if (m) {
        const id = decodeURIComponent(m[1]!);
        if (req.method === 'POST' && m[2] === '/verify') return send(200, await this.verify(id));
        if (req.method === 'GET' && m[2] === '/protocol') {
          const lang = url.searchParams.get('lang') === 'kk' ? 'kk' : 'ru';
          const pdf = url.searchParams.get('format') === 'pdf';
          const dir = this.recordingDir(id);
          const f = fs.readdirSync(dir).find((x) => x.endsWith(`_protocol.${lang}.${pdf ? 'pdf' : 'txt'}`));
          if (!f) throw new AgentError(404, 'not-found', 'no protocol yet');
          if (pdf) {
            res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(f)}`, 'cache-control': 'no-store' });
            res.end(await fsp.readFile(path.join(dir, f)));
            return;
          }
          return send(200, await fsp.readFile(path.join(dir, f), 'utf8'), 'text/plain; charset=utf-8');
        }
        if (req.method === 'GET' && !m[2]) return send(200, this.summary(this.recordingDir(id)));
      }
      throw new AgentError(404, 'not-found', `no route ${req.method} ${p}`);
    } catch (e) {
      if (e instanceof AgentError) return send(e.status, { error: e.code, message: e.message });
      this.lastError = (e as Error).message;
      return send(500, { error: 'internal', message: (e as Error).message });
    }
  }
}
