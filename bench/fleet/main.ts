/**
 * `npm run bench:fleet [-- --halls N --interval S --intervals K --workers W --faults F --keep]`
 * (also `hallwatch bench fleet ...`): the fleet benchmark, printed as Markdown for
 * docs/BENCHMARKS.md. Exit code 0 when every budget is met, 1 when one is not.
 */
import { parseArgs } from 'node:util';
import { defaultFleetOptions, formatFleetReport, runFleetBench, type FleetOptions } from './fleet';

export function fleetOptionsFrom(v: Record<string, string | boolean | undefined>): FleetOptions | string {
  const num = (k: string, d: number, min: number, max: number): number | string => {
    const raw = v[k];
    if (raw === undefined) return d;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${k}: expected a whole number from ${min} to ${max}, got "${raw}"`;
  };
  const o = {
    halls: num('halls', defaultFleetOptions.halls, 1, 20_000),
    intervalSeconds: num('interval', defaultFleetOptions.intervalSeconds, 5, 3600),
    intervals: num('intervals', defaultFleetOptions.intervals, 1, 60),
    workers: num('workers', defaultFleetOptions.workers, 1, 16),
    faults: num('faults', defaultFleetOptions.faults, 0, 1000),
  };
  for (const x of Object.values(o)) if (typeof x === 'string') return x;
  return { ...(o as Omit<FleetOptions, 'keep'>), keep: v.keep === true };
}

export const fleetArgs = {
  halls: { type: 'string' }, interval: { type: 'string' }, intervals: { type: 'string' },
  workers: { type: 'string' }, faults: { type: 'string' }, keep: { type: 'boolean' }, json: { type: 'boolean' },
} as const;

export async function fleetMain(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: fleetArgs, strict: true }).values;
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const o = fleetOptionsFrom(values);
  if (typeof o === 'string') {
    console.error(o);
    return 2;
  }
  const report = await runFleetBench(o);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatFleetReport(report));
  return report.budgets.every((b) => b.met) ? 0 : 1;
}

if (require.main === module) {
  fleetMain(process.argv.slice(2)).then((c) => (process.exitCode = c), (e) => {
    console.error(e);
    process.exitCode = 2;
  });
}
