/**
 * microphone: one device per channel of the hall's recorder agent. Reads the channel's live
 * levels (RMS, peak, DC offset; device-drivers/recorder/agent/levels.ts) and says whether the
 * microphone is dead (digital silence, or a DC offset with no sound: unplugged, no phantom
 * power), alive (a room noise floor), too quiet, or clipping. A dead channel means the hall
 * cannot record fully (003 §7.8, §9). Thresholds: policy `drivers.microphone`.
 */
import { z } from 'zod';
import { defineDriver, type ProbeContext } from '../../collector/core/driver';
import type { CheckResultDraft, ProbeTarget } from '../../collector/core/types';
import { callAgent, type AgentReply } from '../recorder/client';
import { classifyLevel, microphonePolicyDefaults, microphonePolicySchema, type MicrophonePolicy } from './classify';

export const microphoneOptions = z.strictObject({
  /** The channel on the recorder agent, 1-based. */
  channel: z.number().int().min(1).max(32),
});
export type MicrophoneOptions = z.infer<typeof microphoneOptions>;

interface Level {
  channel: number;
  rmsDbfs: number;
  acRmsDbfs?: number;
  peakDbfs: number;
  dcDbfs?: number;
  clippedRatio?: number;
  at?: string;
  ageSeconds?: number;
}

/**
 * One levels reply per recorder agent, shared by its channels: the scheduler probes the channels
 * of one agent together (phaseBy: 'address'), so a hall's eight microphones cost one request,
 * not eight (docs/BENCHMARKS.md, fleet). A reply is reused for SHARE_MS on the collector's clock.
 */
const SHARE_MS = 2000;
const shared = new Map<string, { at: number; reply: Promise<AgentReply<{ channels?: Level[] }>> }>();

async function channelLevel(target: ProbeTarget<MicrophoneOptions>, ctx: ProbeContext<MicrophonePolicy>): Promise<AgentReply<Level>> {
  const ch = target.options.channel;
  const key = `${target.host}:${target.port}:${target.credentials?.password ?? ''}`;
  const now = ctx.clock.now();
  let entry = shared.get(key);
  if (!entry || now - entry.at > SHARE_MS) {
    entry = { at: now, reply: callAgent<{ channels?: Level[] }>(target, 'GET', '/api/levels', { signal: ctx.signal }) };
    // One entry per agent of the inventory, replaced at each read: the map is as large as the fleet's agents.
    shared.set(key, entry);
  }
  const all = await entry.reply;
  // An agent without the all-channels reply (an older version): the channel's own.
  if (!all.ok && all.status === 404) return callAgent<Level>(target, 'GET', `/api/levels/${ch}`, { signal: ctx.signal });
  if (!all.ok) return all;
  const l = Array.isArray(all.body?.channels) ? all.body.channels.find((x) => x?.channel === ch) : undefined;
  if (!l) return { ok: false, status: 503, error: 'no levels for this channel' };
  return { ok: true, status: 200, body: l };
}

export const microphoneDriver = defineDriver<MicrophoneOptions, MicrophonePolicy>({
  kind: 'microphone',
  description: "A microphone channel of the hall's recorder agent: dead (silence, DC offset), alive, quiet or clipping, from its live levels.",
  optionsSchema: microphoneOptions,
  policySchema: microphonePolicySchema,
  policyDefaults: microphonePolicyDefaults,
  category: 'microphone',
  defaults: { intervalSeconds: 30, timeoutSeconds: 5, concurrency: 64, phaseBy: 'address' },
  checks: ['mic-level'],
  // Prometheus (docs/METRICS.md): the channel's live levels.
  metrics: [
    { name: 'hallwatch_microphone_rms_dbfs', help: 'RMS level of the microphone channel at the last probe, dB relative to full scale', check: 'mic-level', from: 'value', key: 'rms_dbfs' },
    { name: 'hallwatch_microphone_peak_dbfs', help: 'Peak level of the microphone channel at the last probe, dB relative to full scale', check: 'mic-level', from: 'value', key: 'peak_dbfs' },
  ],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    const ch = target.options.channel;
    const r = await channelLevel(target, ctx);
    if (!r.ok) {
      if (r.status === 503) return [{ check: 'mic-level', status: 'unknown', message: `no levels yet for channel ${ch}`, messageKey: 'microphone.no-levels', params: { channel: ch } }];
      return [{ check: 'mic-level', status: 'down', message: `recorder agent did not answer: ${r.error}`, messageKey: 'microphone.unreachable', params: { channel: ch, error: r.error } }];
    }
    const l = r.body;
    if (typeof l?.rmsDbfs !== 'number' || typeof l.peakDbfs !== 'number') {
      return [{ check: 'mic-level', status: 'unknown', message: 'the agent sent no levels', messageKey: 'microphone.no-levels', params: { channel: ch } }];
    }
    const p = ctx.policy ?? microphonePolicyDefaults;
    const values: Record<string, number> = { rms_dbfs: l.rmsDbfs, peak_dbfs: l.peakDbfs };
    if (typeof l.acRmsDbfs === 'number') values.ac_rms_dbfs = l.acRmsDbfs;
    if (typeof l.dcDbfs === 'number') values.dc_dbfs = l.dcDbfs;
    // The age as the agent measures it, on its own clock (the collector's may differ).
    if (typeof l.ageSeconds === 'number') {
      const ageS = l.ageSeconds;
      if (ageS > p.staleSeconds) {
        return [{ check: 'mic-level', status: 'unknown', message: `levels are ${Math.round(ageS)} s old`, messageKey: 'microphone.stale', params: { channel: ch, seconds: Math.round(ageS) }, values }];
      }
    }
    const params = { channel: ch, rms: l.acRmsDbfs ?? l.rmsDbfs, peak: l.peakDbfs, dc: l.dcDbfs ?? -120 };
    switch (classifyLevel(l, p)) {
      case 'dead-silence':
        return [{ check: 'mic-level', status: 'down', message: `channel ${ch}: digital silence (${params.rms} dBFS): the microphone is dead`, messageKey: 'microphone.dead.silence', params, values }];
      case 'dead-dc':
        return [{ check: 'mic-level', status: 'down', message: `channel ${ch}: DC offset ${params.dc} dBFS and no sound: unplugged or no phantom power`, messageKey: 'microphone.dead.dc', params, values }];
      case 'clipping':
        return [{ check: 'mic-level', status: 'degraded', message: `channel ${ch}: clipping (peak ${l.peakDbfs} dBFS)`, messageKey: 'microphone.clipping', params, values }];
      case 'quiet':
        return [{ check: 'mic-level', status: 'degraded', message: `channel ${ch}: below the room's noise floor (${params.rms} dBFS)`, messageKey: 'microphone.quiet', params, values }];
      default:
        return [{ check: 'mic-level', status: 'ok', message: `channel ${ch}: alive, RMS ${params.rms} dBFS, peak ${l.peakDbfs} dBFS`, messageKey: 'microphone.alive', params, values }];
    }
  },
});
