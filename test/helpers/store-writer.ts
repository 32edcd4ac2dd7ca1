/**
 * Child process for the crash test: writes probe records through the real ResultStore as fast
 * as it can and prints "committed <n>" after each commit, until it is killed.
 */
import { Db } from '../../collector/store/db';
import { migrate } from '../../collector/store/migrations';
import { ResultStore } from '../../collector/store/results-store';

async function main(file: string): Promise<void> {
  const db = await Db.open(file);
  await migrate(db, () => new Date().toISOString());
  const store = new ResultStore(db);
  for (let n = 1; ; n++) {
    const at = new Date(Date.UTC(2026, 10, 23, 3, 0, 0, n)).toISOString();
    // Several records per batch, as the collector's group commit produces them.
    await Promise.all([0, 1, 2].map((k) => store.record({
      at,
      deviceId: `dev-${k}`,
      results: [{ check: 'seq', status: 'ok', message: `n=${n}`, messageKey: 'k', params: { n }, observedAt: at, durationMs: 1, values: { n } }],
      hall: { status: { hallId: `hall-${k}`, status: n % 2 ? 'ok' : 'down', avf: 'ok', vks: null, causes: [], since: at }, statusChanged: true },
    })));
    process.stdout.write(`committed ${n}\n`);
  }
}

void main(process.argv[2]!);
