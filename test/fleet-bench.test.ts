/**
 * The fleet benchmark's machinery on a tiny fleet (its figures are measured by `npm run bench:fleet`,
 * never asserted here): simulators in their own processes, the real collector process against them,
 * a fault that reaches a signed-in console, and a report with every figure and budget.
 */
import assert from 'node:assert/strict';
import { formatFleetReport, histogramDelta, quantile, runFleetBench } from '../bench/fleet/fleet';
import { fleetCounts, fleetHalls, FULL_FLEET } from '../bench/fleet/shape';
import { fleetOptionsFrom } from '../bench/fleet/main';

describe('fleet benchmark (machinery, on a tiny fleet)', function () {
  this.timeout(120_000);

  it('the national shape is the one the issue names', () => {
    assert.deepEqual(fleetCounts(FULL_FLEET), { courts: 400, halls: 2500, cameras: 5000, recording_pcs: 2500, recorder_agents: 2500, microphone_channels: 20000, vks_endpoints: 1000 });
    assert.equal(new Set(fleetHalls(FULL_FLEET).map((h) => `${h.court}.${h.number}`)).size, 2500, 'hall ids are unique');
  });

  it('reads quantiles from cumulative buckets and refuses bad options naming them', () => {
    const m0 = 'x_bucket{le="0.1"} 10\nx_bucket{le="1"} 10\nx_bucket{le="+Inf"} 10\n';
    const m1 = 'x_bucket{le="0.1"} 60\nx_bucket{le="1"} 109\nx_bucket{le="+Inf"} 110\n';
    const b = histogramDelta(m0, m1, 'x');
    assert.ok(Math.abs(quantile(b, 0.5) - 0.1) < 1e-9);
    assert.ok(quantile(b, 0.99) > 0.9 && quantile(b, 0.99) <= 1);
    assert.equal(fleetOptionsFrom({ halls: 'many' }), '--halls: expected a whole number from 1 to 20000, got "many"');
  });

  it('runs the real collector against simulators and times a fault to the console', async () => {
    const r = await runFleetBench({ halls: 3, intervalSeconds: 5, intervals: 1, workers: 1, faults: 2, log: () => {} });
    assert.equal(r.devices, 3 * (2 + 1 + 1 + 8) + 2, 'cameras, PC, agent, 8 microphones per hall; VKS in 2 of them');
    assert.equal(r.figures.faults_seen, 2, 'both faults reached the console');
    assert.ok(r.figures.achieved_probes_per_s! > 0 && r.figures.collector_cpu_s_per_s! > 0 && r.figures.collector_peak_rss_mib! > 0);
    assert.ok(r.figures.portal_feed_bytes! > 100);
    assert.equal(r.budgets.length, 6);
    assert.match(formatFleetReport(r), /\| portal feed, all halls \| < 50 ms \|/);
  });
});
