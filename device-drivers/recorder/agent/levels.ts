/**
 * Live levels per channel (RMS, peak and DC offset in dBFS) from interleaved s16le PCM that an
 * ffmpeg process writes to its stdout at a low rate (the meter stream). Measured in Node: cheaper
 * than ffmpeg's astats per channel (docs/BENCHMARKS.md, bench/recorder.bench.ts).
 */
export interface ChannelLevel {
  channel: number;
  /** RMS of the signal (with any DC) in dBFS; -120 for digital silence. */
  rmsDbfs: number;
  /** RMS with the DC removed: the sound, not the offset. */
  acRmsDbfs: number;
  peakDbfs: number;
  /** |mean| in dBFS: a large value with no sound is an unplugged or unpowered input. */
  dcDbfs: number;
  /** Share of samples at full scale in the window (clipping). */
  clippedRatio: number;
  at: string;
}

export const FLOOR_DBFS = -120;

export function dbfs(linear: number): number {
  if (!(linear > 0)) return FLOOR_DBFS;
  return Math.max(FLOOR_DBFS, Math.round(20 * Math.log10(linear) * 10) / 10);
}

/** Accumulates PCM chunks and emits one level per channel every `frames` frames. */
export class LevelMeter {
  private sum: Float64Array;
  private sq: Float64Array;
  private peak: Float64Array;
  private clipped: Float64Array;
  private n = 0;
  private rest: Buffer = Buffer.alloc(0);

  constructor(readonly channels: number, readonly frames: number, private readonly emit: (levels: ChannelLevel[]) => void, private readonly now: () => number = Date.now) {
    this.sum = new Float64Array(channels);
    this.sq = new Float64Array(channels);
    this.peak = new Float64Array(channels);
    this.clipped = new Float64Array(channels);
  }

  push(chunk: Buffer): void {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const frameBytes = 2 * this.channels;
    const whole = buf.length - (buf.length % frameBytes);
    const C = this.channels;
    for (let off = 0; off < whole; off += frameBytes) {
      for (let c = 0; c < C; c++) {
        const s = buf.readInt16LE(off + 2 * c);
        this.sum[c]! += s;
        this.sq[c]! += s * s;
        const a = s < 0 ? -s : s;
        if (a > this.peak[c]!) this.peak[c] = a;
        if (a >= 32767) this.clipped[c]! += 1;
      }
      if (++this.n >= this.frames) this.flush();
    }
    this.rest = whole < buf.length ? Buffer.from(buf.subarray(whole)) : Buffer.alloc(0);
  }

  private flush(): void {
    const at = new Date(this.now()).toISOString();
    const out: ChannelLevel[] = [];
    for (let c = 0; c < this.channels; c++) {
      const mean = this.sum[c]! / this.n;
      const ms = this.sq[c]! / this.n;
      out.push({
        channel: c + 1, at,
        rmsDbfs: dbfs(Math.sqrt(ms) / 32768),
        acRmsDbfs: dbfs(Math.sqrt(Math.max(0, ms - mean * mean)) / 32768),
        peakDbfs: dbfs(this.peak[c]! / 32768),
        dcDbfs: dbfs(Math.abs(mean) / 32768),
        clippedRatio: Math.round((this.clipped[c]! / this.n) * 1e4) / 1e4,
      });
    }
    this.sum.fill(0); this.sq.fill(0); this.peak.fill(0); this.clipped.fill(0);
    this.n = 0;
    this.emit(out);
  }
}
