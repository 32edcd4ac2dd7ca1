/** The hall rollup runs after every probe: its cost per call at a national hall's size. */
import { defaultPolicy } from '../collector/config/policy';
import type { CheckResult } from '../collector/core/types';
import { rollupHall, type RollupDevice } from '../collector/rollup/hall-rollup';
import { cpuMs, median, type Bench } from './types';

export const rollupBench: Bench = {
  name: 'rollup',
  description: 'CPU per hall rollup (2 cameras, 8 microphones, PC, VKS; one failing check)',
  async run() {
    const now = Date.parse('2026-11-23T04:00:00Z');
    const devices: RollupDevice[] = [
      ...['cam1', 'cam2'].map((id) => ({ id, driver: 'onvif-camera', category: 'camera' as const, system: 'avf' as const, critical: true, intervalMs: 60_000 })),
      ...Array.from({ length: 8 }, (_, i) => ({ id: `mic${i}`, driver: 'microphone', category: 'microphone' as const, system: 'avf' as const, critical: true, intervalMs: 60_000 })),
      { id: 'pc', driver: 'snmp-host', category: 'recording-pc', system: 'avf', critical: true, intervalMs: 60_000 },
      { id: 'vks', driver: 'vks-endpoint', category: 'vks-endpoint', system: 'vks', critical: true, intervalMs: 60_000 },
    ];
    const r = (check: string, status: CheckResult['status']): CheckResult => ({ check, status, message: '', messageKey: 'k', observedAt: new Date(now - 1000).toISOString(), durationMs: 1 });
    const latest = new Map(devices.map((d) => [d.id, ['a', 'b', 'c', 'd', 'e'].map((c) => r(c, d.id === 'mic3' && c === 'a' ? 'down' : 'ok'))]));
    const hall = { id: 'h', avfEquipped: true, vksEquipped: true };
    const n = 50_000;
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { ms } = await cpuMs(() => {
        for (let k = 0; k < n; k++) rollupHall({ hall, devices, latest, maintenance: [], policy: defaultPolicy.rollup, now });
      });
      runs.push(ms / n);
    }
    return [{ work: 'roll up one hall (12 devices, 60 checks)', option: 'rollupHall (pure function)', figures: { cpu_us_per_rollup: Math.round(median(runs) * 1000 * 100) / 100 } }];
  },
};
