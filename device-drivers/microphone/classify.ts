/**
 * Is a microphone channel alive? From its levels (device-drivers/recorder/agent/levels.ts):
 * dead = digital silence (nothing on the input) or a DC offset with no sound (unplugged, no
 * phantom power); alive = at least the room's noise floor; clipping = too many full-scale samples.
 * Thresholds are the microphone driver's policy (`drivers.microphone`).
 */
import { z } from 'zod';

export const microphonePolicySchema = z.strictObject({
  /** Below this RMS (sound, DC removed) the channel carries nothing: dead. */
  silenceDbfs: z.number().max(0).default(-90),
  /** A DC offset above this with no sound above silence: an input that is not a microphone. */
  dcOffsetDbfs: z.number().max(0).default(-50),
  /** A live hall microphone shows at least a noise floor; below it (but above silence): degraded. */
  noiseFloorDbfs: z.number().max(0).default(-80),
  /** Peak at or above this, and at least `clippedRatio` of the samples at full scale: clipping. */
  clipDbfs: z.number().max(0).default(-0.1),
  clippedRatio: z.number().min(0).max(1).default(0.001),
  /** Levels older than this are stale (the meter stopped). */
  staleSeconds: z.number().positive().default(15),
});
export type MicrophonePolicy = z.infer<typeof microphonePolicySchema>;
export const microphonePolicyDefaults: MicrophonePolicy = microphonePolicySchema.parse({});

export interface LevelLike {
  rmsDbfs: number;
  acRmsDbfs?: number;
  peakDbfs: number;
  dcDbfs?: number;
  clippedRatio?: number;
}

export type Verdict = 'dead-silence' | 'dead-dc' | 'quiet' | 'clipping' | 'alive';

export function classifyLevel(l: LevelLike, p: MicrophonePolicy): Verdict {
  const ac = l.acRmsDbfs ?? l.rmsDbfs;
  const dc = l.dcDbfs ?? -120;
  if (ac < p.silenceDbfs) return dc >= p.dcOffsetDbfs ? 'dead-dc' : 'dead-silence';
  if (l.peakDbfs >= p.clipDbfs && (l.clippedRatio ?? 1) >= p.clippedRatio) return 'clipping';
  if (ac < p.noiseFloorDbfs) return 'quiet';
  return 'alive';
}
