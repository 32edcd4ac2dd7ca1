/**
 * `npm run bench [-- NAME ...]`: runs the benchmarks (all, or those named) and prints their rows
 * as a Markdown table to paste into docs/BENCHMARKS.md with the machine and the date.
 */
import os from 'node:os';
import { httpBench } from './http.bench';
import { onvifBench } from './onvif.bench';
import { rollupBench } from './rollup.bench';
import { recorderBench } from './recorder.bench';
import { snmpBench } from './snmp.bench';
import type { Bench } from './types';

/** The explicit list of benchmarks. */
export const benches: Bench[] = [rollupBench, snmpBench, httpBench, onvifBench, recorderBench];

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !benches.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${benches.map((b) => b.name).join(', ')})`);
    return 2;
  }
  const chosen = names.length ? benches.filter((b) => names.includes(b.name)) : benches;
  const cpu = os.cpus();
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log('\n| bench | work | option | figures | note |\n|---|---|---|---|---|');
  for (const b of chosen) {
    for (const row of await b.run()) {
      const figs = Object.entries(row.figures).map(([k, v]) => `${k} = ${v}`).join(', ');
      console.log(`| ${b.name} | ${row.work} | ${row.option} | ${figs} | ${row.note ?? ''} |`);
    }
  }
  return 0;
}

main(process.argv.slice(2)).then((c) => (process.exitCode = c), (e) => {
  console.error(e);
  process.exitCode = 1;
});
