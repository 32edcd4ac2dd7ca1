/**
 * The hall recorder agent: runs on the secretary's recording PC, captures with ffmpeg, keeps the
 * record's integrity, writes the short protocol, copies to the regional stores, and answers a
 * small control API (HTTP + JSON, bearer token) that the `recorder` and `microphone` drivers and
 * `hallwatch recorder-agent` use. One hall, one agent, one recording at a time.
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
import { classifyLevel, microphonePolicySchema, type MicrophonePolicy } from '../../microphone/classify';
import type { AgentConfig } from './config';
import { copyRecording, readCopyState, type CopyState } from './copies';
import { concatSegments, ffprobe, meterArgs, recordArgs, spawnFfmpeg, streamsOf, type StreamSpec } from './ffmpeg';
import {
  GENESIS, hashFile, HashChain, loadSigner, readChain, MANIFEST_FILE, verifyRecording, writeSignedManifest, type FileHash, type Signer, type VerifyReport,
} from './integrity';
import { LevelMeter, type ChannelLevel } from './levels';
import { renderProtocol, wallClock, type HearingInfo, type Interruption, type SpeakerMark } from './protocol';

export type AgentState = 'idle' | 'recording' | 'paused' | 'stopping';

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
  private readonly signer?: Signer;
  private verifications = new Map<string, RecordingSummary['verification']>();
  /** Serializes start/stop/pause/resume/test. */
  private lane: Promise<unknown> = Promise.resolve();
  port = 0;

  constructor(readonly config: AgentConfig, private readonly token: string, private readonly now: () => number = Date.now) {
    super();
    this.setMaxListeners(100);
    this.streams = streamsOf(config);
    if (config.signing) this.signer = loadSigner(config.signing.keyFile, config.signing.certFile);
  }

  get address(): string {
    return `${this.config.listen.host}:${this.port}`;
  }

  get recordingPid(): number | undefined {
    return this.session?.proc?.pid;
  }

  async start(): Promise<void> {
    await fsp.mkdir(this.config.outDir, { recursive: true });
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
    const { proc, stderrTail } = spawnFfmpeg(this.config.ffmpeg, meterArgs(this.config));
    this.attachMeter(proc);
    const exited = new Promise<void>((resolve) => proc.once('exit', (code) => {
      if (this.meter?.proc === proc) {
        this.meter = undefined;
        if (!this.closed && this.state !== 'recording') {
          this.lastError = `meter exited (${code}): ${stderrTail()}`;
          // An input that went away: try again, without spinning.
          this.meterRestart = setTimeout(() => this.startMeter(), 2000);
        }
      }
      resolve();
    }));
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
      const s: Session = { meta, dir, segDir, chain: new HashChain(dir), done: new Map(this.streams.map((x) => [x.key, []])), scanning: Promise.resolve(), chainErrors: [] };
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

  private async saveMeta(s: Session): Promise<void> {
    await fsp.writeFile(path.join(s.dir, 'session.json'), JSON.stringify(s.meta, null, 2));
  }

  private async spawnRecorder(s: Session): Promise<void> {
    await this.stopMeter();
    const start = Math.max(0, ...[...s.done.values()].map((l) => l.length));
    const { proc, stderrTail } = spawnFfmpeg(this.config.ffmpeg, recordArgs(this.config, s.segDir, s.meta.base, start));
    this.attachMeter(proc);
    s.proc = proc;
    s.procExit = new Promise<void>((resolve) => proc.once('exit', (code, signal) => {
      if (s.proc === proc) {
        s.proc = undefined;
        if (this.session === s && this.state === 'recording') {
          // ffmpeg died under us (an input lost, a full disk): on record as an interruption.
          this.lastError = `ffmpeg exited (${code ?? signal}): ${stderrTail()}`;
          s.meta.interruptions.push({ at: new Date(this.now()).toISOString(), reason: `failure: ${this.lastError}`.slice(0, 500) });
          this.state = 'paused';
          void this.saveMeta(s);
          this.scan(s);
          this.startMeter();
          this.emit('state', this.state);
        }
      }
      resolve();
    }));
  }

  /** Ends the ffmpeg of a session properly ("q": the segments in progress are closed). */
  private async endRecorder(s: Session): Promise<void> {
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
        for (const line of text.split('\n')) {
          const name = line.split(',')[0]?.trim();
          if (!name || done.includes(name)) continue;
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
      s.meta.interruptions.push({ at: new Date(this.now()).toISOString(), reason });
      await this.endRecorder(s);
      await this.saveMeta(s);
      this.startMeter();
      this.emit('state', this.state);
    });
  }

  resume(): Promise<void> {
    return this.serial(async () => {
      const s = this.session;
      if (!s || this.state !== 'paused') throw new AgentError(409, 'not-paused', 'not paused');
      const last = s.meta.interruptions[s.meta.interruptions.length - 1];
      if (last && !last.resumedAt) last.resumedAt = new Date(this.now()).toISOString();
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
        await s.chain.close();
        s.meta.endedAt = new Date(this.now()).toISOString();
        if (actor) s.meta.stoppedBy = actor;
        // One file per stream: per microphone, the mix, the audio-video file (003 §9).
        const finals: FileHash[] = [];
        for (const st of this.streams) {
          const segs = s.done.get(st.key)!.map((n) => path.join(s.segDir, n));
          if (!segs.length) continue;
          const name = `${s.meta.base}_${st.key}.${st.ext}`;
          await concatSegments(this.config.ffmpeg, segs, path.join(s.dir, `.${st.key}.concat`), path.join(s.dir, name));
          finals.push(await hashFile(path.join(s.dir, name), name));
        }
        await this.saveMeta(s);
        const protocols: FileHash[] = [];
        for (const lang of ['ru', 'kk'] as const) {
          const name = `${s.meta.base}_protocol.${lang}.txt`;
          await fsp.writeFile(path.join(s.dir, name), renderProtocol({
            ...s.meta, place: this.config.hall.place, endedAt: s.meta.endedAt, timeZone: this.config.hall.timeZone, files: finals,
          }, lang));
          protocols.push(await hashFile(path.join(s.dir, name), name));
        }
        const chainHead = readChain(s.dir).at(-1)?.hash ?? GENESIS;
        await writeSignedManifest(s.dir, {
          version: 1, recordingId: s.meta.id, hallId: s.meta.hallId, caseNumber: s.meta.caseNumber,
          startedAt: s.meta.startedAt, endedAt: s.meta.endedAt, files: [...finals, ...protocols, await hashFile(path.join(s.dir, 'session.json'), 'session.json')],
          segments: s.chain.length, chainHead,
        }, this.signer);
        const v = await verifyRecording(s.dir);
        this.verifications.set(s.meta.id, { intact: v.intact, signed: v.signed, checkedAt: new Date(this.now()).toISOString(), problems: v.problems });
        if (this.config.copies?.atStop && !s.meta.test) await this.copy(s.dir).catch(() => undefined);
        return this.summary(s.dir);
      } finally {
        this.session = undefined;
        this.state = 'idle';
        this.startMeter();
        this.emit('state', this.state);
      }
    });
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
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')) as SessionMeta;
    const finished = fs.existsSync(path.join(dir, MANIFEST_FILE));
    const files = finished ? (JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: FileHash[] }).files : [];
    return { id: meta.id, caseNumber: meta.caseNumber, startedAt: meta.startedAt, endedAt: meta.endedAt, finished, files, verification: this.verifications.get(meta.id), copies: readCopyState(dir) };
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
        bytes, segmentFiles, segmentsChained: s.chain.length, chainErrors: s.chainErrors, pid: s.proc?.pid,
      },
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
          const dir = this.recordingDir(id);
          const f = fs.readdirSync(dir).find((x) => x.endsWith(`_protocol.${lang}.txt`));
          if (!f) throw new AgentError(404, 'not-found', 'no protocol yet');
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
