/** A benchmark: runs, measures, and returns rows for docs/BENCHMARKS.md. */
export interface BenchRow {
  /** What was measured, e.g. "judge a 1920×1080 JPEG". */
  work: string;
  /** Which implementation, e.g. "sharp, shrink-on-load to 160 px". */
  option: string;
  /** The figure, with its unit in the name, e.g. { 'cpu_ms_per_op': 2.8 }. */
  figures: Record<string, number>;
  note?: string;
}

export interface Bench {
  name: string;
  description: string;
  run(): Promise<BenchRow[]>;
}

/** CPU milliseconds (user + system) of this process spent in fn. */
export async function cpuMs<T>(fn: () => Promise<T> | T): Promise<{ ms: number; wallMs: number; value: T }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, wallMs: performance.now() - w0, value };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
