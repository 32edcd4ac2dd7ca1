/**
 * recorder: the hall recorder agent (device-drivers/recorder/agent) seen from the collector.
 * Probes: is it recording and since when, are the files growing, are the finished segments
 * chained and verified, copies pending and the last good copy, free space. Commands: start,
 * stop, pause, resume, mark, test-recording (permission 'recording.control' in the court;
 * `POST /api/devices/:id/commands/:name` puts each on the audit trail).
 */
import { z } from 'zod';
import { defineDriver, type CommandResult, type DeviceCommand } from '../../collector/core/driver';
import type { CheckResultDraft } from '../../collector/core/types';
import { microphonePolicyDefaults } from '../microphone/classify';
import { hearingSchema, markSchema, pauseSchema } from './agent/agent';
import { callAgent, type AgentReply } from './client';

export const recorderOptions = z.strictObject({
  /** Bytes per second the recording writes, for "hours left" (per-channel WAV dominates). */
  bytesPerSecond: z.number().positive().default(1_000_000),
  /** The longest test recording this hall runs, whatever is asked (the daily check asks its policy's length). */
  maxTestSeconds: z.number().min(1).max(60).default(60),
}).default({ bytesPerSecond: 1_000_000, maxTestSeconds: 60 });
export type RecorderOptions = z.infer<typeof recorderOptions>;

export const recorderPolicySchema = z.strictObject({
  /** Hours of recording the free space must hold (a long hearing day and then some). */
  minFreeHours: z.number().positive().default(24),
  /** 000 §23: first-instance records go to the regional server daily; older than this, pending is a fault. */
  copyMaxAgeHours: z.number().positive().default(26),
});
export type RecorderPolicy = z.infer<typeof recorderPolicySchema>;
export const recorderPolicyDefaults: RecorderPolicy = recorderPolicySchema.parse({});

export interface AgentStatus {
  state: 'idle' | 'recording' | 'paused' | 'stopping';
  recording: boolean;
  session?: { id: string; caseNumber: string; startedAt: string; elapsedSeconds: number; bytes: number; segmentFiles: number; segmentsChained: number; chainErrors: string[]; interruptions: Array<{ at: string; reason: string; resumedAt?: string }>; test?: boolean };
  lastError?: string;
  channels: number;
  copies: { configured: boolean; pending: number; lastCopyAt?: string; lastCopyAgeSeconds?: number; problems: Array<{ store: string; file: string; problem: string; recording: string }> };
  recordings: number;
  unverified: string[];
  diskFreeBytes: number;
  signing: boolean;
  /** 000 §5: the session's capture process (ffmpeg): running, being restarted after it died, or given up on. */
  capture?: { state: 'idle' | 'running' | 'restarting' | 'failed' | 'stopped'; restarts: number; exitsInWindow?: number; lastExit?: { at: string; detail: string }; nextRestartAt?: string };
  /** Sessions the agent finished at its last start, after it had stopped mid-recording. */
  recovery?: { running: boolean; recovered: Array<{ id: string; interruptedAt: string; intact: boolean }>; problems: string[] };
}

export const RECORDER_CHECKS = ['recorder-agent', 'recorder-state', 'recorder-files', 'recorder-integrity', 'recorder-copies', 'recorder-disk'] as const;

export const recorderDriver = defineDriver<RecorderOptions, RecorderPolicy>({
  kind: 'recorder',
  description: 'The hall recorder agent (ffmpeg capture): recording state, files growing, segments chained, copies to the regional stores, free space; start/stop/pause/resume/mark/test-recording.',
  optionsSchema: recorderOptions,
  policySchema: recorderPolicySchema,
  policyDefaults: recorderPolicyDefaults,
  // Not 'recording-pc': the PC itself is watched over SNMP (snmp-host); this is the program on it.
  category: 'other',
  defaults: { intervalSeconds: 30, timeoutSeconds: 5, concurrency: 64 },
  checks: RECORDER_CHECKS,
  // Prometheus (docs/METRICS.md): what the agent is doing, its disk, copies and integrity.
  metrics: [
    {
      name: 'hallwatch_recorder_state', help: 'What the hall recorder agent is doing (1 the current state, 0 the others)',
      check: 'recorder-state', from: 'state', label: 'state',
      states: {
        'recorder.state.idle': 'idle', 'recorder.state.recording': 'recording', 'recorder.state.restarting': 'restarting',
        'recorder.state.paused': 'paused', 'recorder.state.failed': 'failed',
      },
    },
    { name: 'hallwatch_recorder_session_bytes', help: 'Bytes the recording in progress has written (grows while it records)', check: 'recorder-files', from: 'value', key: 'bytes' },
    { name: 'hallwatch_recording_volume_free_bytes', help: "Free space on the volume the hall's recordings are written to, at the last probe", check: 'recorder-disk', from: 'value', key: 'free_bytes' },
    { name: 'hallwatch_recording_time_left_seconds', help: "Recording time the free space holds at the device's configured bytes per second (free bytes / rate), at the last probe", check: 'recorder-disk', from: 'value', key: 'hours_left', scale: 3600 },
    { name: 'hallwatch_recorder_copies_pending', help: 'Recordings not yet copied to the regional stores (000 §23)', check: 'recorder-copies', from: 'value', key: 'pending' },
    { name: 'hallwatch_recorder_unverified_recordings', help: 'Recordings whose files no longer match their hash chain or manifest', check: 'recorder-integrity', from: 'value', key: 'unverified' },
  ],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    const r = await callAgent<AgentStatus>(target, 'GET', '/api/status', { signal: ctx.signal });
    if (!r.ok) {
      const unauthorized = r.status === 401;
      return [{
        check: 'recorder-agent', status: 'down',
        message: unauthorized ? 'the recorder agent refused the token' : `recorder agent did not answer: ${r.error}`,
        messageKey: unauthorized ? 'recorder.unauthorized' : 'recorder.unreachable', params: { error: r.error },
      }];
    }
    const s = r.body;
    const p = ctx.policy ?? recorderPolicyDefaults;
    const out: CheckResultDraft[] = [{ check: 'recorder-agent', status: 'ok', message: 'recorder agent answers', messageKey: 'recorder.ok', values: { channels: s.channels, recordings: s.recordings } }];

    const sess = s.session;
    const facts: Record<string, string> = { state: s.state };
    if (sess) Object.assign(facts, { case: sess.caseNumber, since: sess.startedAt, recording: sess.id });
    if (s.state === 'paused' && sess) {
      const last = sess.interruptions[sess.interruptions.length - 1];
      const failure = !!last?.reason.startsWith('failure:');
      out.push({
        check: 'recorder-state', status: failure ? 'down' : 'ok', facts,
        message: failure ? `recording stopped by a failure: ${s.lastError ?? last?.reason}` : `recording paused: ${last?.reason ?? ''}`,
        messageKey: failure ? 'recorder.state.failed' : 'recorder.state.paused', params: { case: sess.caseNumber, reason: (last?.reason ?? '').slice(0, 200) },
      });
    } else if (sess && s.state === 'recording' && s.capture?.state === 'restarting') {
      // The capture process died and is being started again: a gap in the record while it lasts.
      const attempt = (s.capture.exitsInWindow ?? s.capture.restarts + 1);
      out.push({
        check: 'recorder-state', status: 'degraded', facts,
        message: `capture process restarting after it exited (attempt ${attempt}): ${s.capture.lastExit?.detail ?? s.lastError ?? ''}`.slice(0, 400),
        messageKey: 'recorder.state.restarting', params: { case: sess.caseNumber, attempt }, values: { restarts: s.capture.restarts },
      });
    } else if (sess && (s.state === 'recording' || s.state === 'stopping')) {
      out.push({ check: 'recorder-state', status: 'ok', message: `recording case ${sess.caseNumber} since ${sess.startedAt}`, messageKey: 'recorder.state.recording', params: { case: sess.caseNumber, since: sess.startedAt }, facts, values: { elapsed_s: sess.elapsedSeconds } });
    } else {
      out.push({ check: 'recorder-state', status: 'ok', message: 'not recording', messageKey: 'recorder.state.idle', facts });
    }

    // Files growing: compared with the previous probe of the same session.
    if (sess && s.state === 'recording' && s.capture?.state === 'restarting') {
      out.push({ check: 'recorder-files', status: 'degraded', message: 'capture process restarting: files not growing meanwhile', messageKey: 'recorder.files.restarting', facts: { recording: sess.id }, values: { bytes: sess.bytes, segment_files: sess.segmentFiles } });
    } else if (sess && s.state === 'recording') {
      const prev = ctx.previous?.find((x) => x.check === 'recorder-files');
      const prevBytes = prev?.facts?.recording === sess.id ? prev.values?.bytes : undefined;
      const stalled = prevBytes !== undefined && sess.bytes <= prevBytes;
      out.push({
        check: 'recorder-files', status: stalled ? 'down' : 'ok',
        message: stalled ? `files are not growing (${sess.bytes} bytes, as at the previous probe)` : `files growing: ${sess.bytes} bytes in ${sess.segmentFiles} segment files`,
        messageKey: stalled ? 'recorder.files.stalled' : 'recorder.files.growing', params: { bytes: sess.bytes }, facts: { recording: sess.id },
        values: { bytes: sess.bytes, segment_files: sess.segmentFiles },
      });
    } else {
      out.push({ check: 'recorder-files', status: 'ok', message: 'not recording', messageKey: 'recorder.files.idle' });
    }

    const chainErrors = sess?.chainErrors ?? [];
    const integrityBad = chainErrors.length > 0 || s.unverified.length > 0;
    out.push({
      check: 'recorder-integrity', status: integrityBad ? 'down' : 'ok',
      message: integrityBad ? `integrity: ${[...chainErrors, ...s.unverified.map((x) => `${x} not intact`)].join('; ')}` : `segments chained: ${sess?.segmentsChained ?? 0}; signing ${s.signing ? 'on' : 'off'}`,
      messageKey: integrityBad ? 'recorder.integrity.broken' : 'recorder.integrity.ok',
      params: { count: sess?.segmentsChained ?? 0, detail: [...chainErrors, ...s.unverified].join('; ').slice(0, 200) },
      values: { segments_chained: sess?.segmentsChained ?? 0, unverified: s.unverified.length },
    });

    const c = s.copies;
    if (!c.configured) {
      out.push({ check: 'recorder-copies', status: 'degraded', message: 'no regional copy stores configured', messageKey: 'recorder.copies.none' });
    } else if (c.problems.length) {
      const f = c.problems[0]!;
      out.push({ check: 'recorder-copies', status: 'degraded', message: `${c.problems.length} copy problem(s): ${f.store} ${f.recording}/${f.file} ${f.problem}`, messageKey: 'recorder.copies.problem', params: { count: c.problems.length, store: f.store, file: `${f.recording}/${f.file}`, problem: f.problem }, values: { pending: c.pending } });
    } else {
      const ageH = c.lastCopyAgeSeconds !== undefined ? c.lastCopyAgeSeconds / 3600 : undefined;
      const overdue = c.pending > 0 && (ageH === undefined || ageH > p.copyMaxAgeHours);
      out.push({
        check: 'recorder-copies', status: overdue ? 'degraded' : 'ok',
        message: c.pending ? `${c.pending} recording(s) not yet copied; last copy ${c.lastCopyAt ?? 'never'}` : `all copies verified; last ${c.lastCopyAt ?? 'none needed'}`,
        messageKey: c.pending ? 'recorder.copies.pending' : 'recorder.copies.ok', params: { count: c.pending, at: c.lastCopyAt ?? '—' }, values: { pending: c.pending },
      });
    }

    const hoursLeft = Math.round((s.diskFreeBytes / target.options.bytesPerSecond / 3600) * 10) / 10;
    const low = hoursLeft < p.minFreeHours;
    out.push({
      check: 'recorder-disk', status: low ? 'degraded' : 'ok',
      message: `${Math.round(s.diskFreeBytes / 1e9)} GB free, about ${hoursLeft} h of recording`,
      messageKey: low ? 'recorder.disk.low' : 'recorder.disk.ok', params: { hours: hoursLeft, min: p.minFreeHours },
      values: { free_bytes: s.diskFreeBytes, hours_left: hoursLeft },
    });
    return out;
  },
  commands: {
    start: command('start recording a hearing (case number and hearing metadata)', hearingSchema, 20, '/api/start', 'recorder.command.started'),
    stop: command('stop recording: one file per stream, short protocol, signed manifest, copies', z.strictObject({}), 120, '/api/stop', 'recorder.command.stopped'),
    pause: command('pause recording, with the reason (004 §8)', pauseSchema, 30, '/api/pause', 'recorder.command.paused'),
    resume: command('resume recording after a pause', z.strictObject({}), 20, '/api/resume', 'recorder.command.resumed'),
    mark: command("mark a speaker's turn (003 §7.2)", markSchema, 10, '/api/mark', 'recorder.command.marked'),
    'test-recording': {
      description: 'record N seconds, check every file (ffprobe), the hashes and every channel; pass or fail',
      action: 'recording.control',
      bodySchema: z.strictObject({ seconds: z.number().min(1).max(60).default(5) }),
      timeoutSeconds: 120,
      async run(target, body, ctx): Promise<CommandResult> {
        const b = { seconds: Math.min((body as { seconds: number }).seconds, target.options.maxTestSeconds) };
        const r = await callAgent<{ ok: boolean; reasons: string[]; files: unknown[]; channels: unknown[] }>(target, 'POST', '/api/test-recording', {
          body: { seconds: b.seconds, policy: microphonePolicyDefaults }, signal: ctx.signal, actor: ctx.actor,
        });
        if (!r.ok) return failed(r);
        const t = r.body;
        return t.ok
          ? { ok: true, message: `test recording of ${b.seconds} s passed`, messageKey: 'recorder.test.passed', params: { seconds: b.seconds }, data: t }
          : { ok: false, message: `test recording failed: ${t.reasons.join('; ')}`, messageKey: 'recorder.test.failed', params: { reasons: t.reasons.join('; ').slice(0, 300) }, data: t };
      },
    },
  },
});

function failed(r: Extract<AgentReply<unknown>, { ok: false }>): CommandResult {
  return { ok: false, message: `recorder agent: ${r.error}`, messageKey: 'recorder.command.failed', params: { error: r.error.slice(0, 200) }, data: { code: r.code ?? null, status: r.status ?? null } };
}

function command(description: string, schema: z.ZodType<unknown>, timeoutSeconds: number, path: string, okKey: string): DeviceCommand<RecorderOptions> {
  return {
    description, action: 'recording.control', bodySchema: schema, timeoutSeconds,
    async run(target, body, ctx): Promise<CommandResult> {
      const r = await callAgent<Record<string, unknown>>(target, 'POST', path, { body, signal: ctx.signal, actor: ctx.actor });
      if (!r.ok) return failed(r);
      return { ok: true, message: `${path.slice(5)}: done`, messageKey: okKey, params: { case: String(r.body.caseNumber ?? '') }, data: r.body };
    },
  };
}
