import assert from 'node:assert/strict';
import { Db } from '../collector/store/db';
import { migrate, migrations } from '../collector/store/migrations';
import { ResultStore } from '../collector/store/results-store';
import type { CheckResult } from '../collector/core/types';

const result = (n: number, at: string): CheckResult => ({ check: 'c', status: 'ok', message: `m${n}`, messageKey: 'k', params: { n }, observedAt: at, durationMs: 1 });

describe('store', () => {
  let db: Db;
  beforeEach(async () => {
    db = await Db.open(':memory:');
  });
  afterEach(() => db.close());

  it('applies each migration once, however often it starts', async () => {
    assert.deepEqual(await migrate(db, () => '2026-11-23T00:00:00Z'), migrations.map((m) => m.version));
    assert.deepEqual(await migrate(db, () => '2026-11-23T00:00:00Z'), []);
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
    assert.equal(rows.length, migrations.length);
  });

  it('a failing transaction leaves nothing behind', async () => {
    await migrate(db, () => '2026-11-23T00:00:00Z');
    await assert.rejects(db.transaction(async (tx) => {
      await tx.run("INSERT INTO maintenance_window (scope, target_id, starts_at, ends_at, created_at) VALUES ('hall', 'h', 'a', 'b', 'c')");
      await tx.run("INSERT INTO maintenance_window (scope, target_id, starts_at, ends_at, created_at) VALUES ('nonsense', 'h', 'a', 'b', 'c')");
    }), /CHECK constraint/);
    assert.deepEqual(await db.all('SELECT * FROM maintenance_window'), []);
  });

  it('keeps the latest result per device and check, all results in history, and prunes only what is older than the cutoff', async () => {
    await migrate(db, () => '2026-11-23T00:00:00Z');
    const store = new ResultStore(db);
    const days = ['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2026-11-22T00:00:00.000Z'];
    for (const [i, at] of days.entries()) await store.record({ at, deviceId: 'd1', results: [result(i, at)] });
    const latest = await store.loadLatest();
    assert.equal(latest.get('d1')!.length, 1);
    assert.equal(latest.get('d1')![0]!.message, 'm2');
    const history = await store.history(['d1'], 10);
    assert.deepEqual(history.map((h) => h.message), ['m2', 'm1', 'm0']);
    assert.deepEqual(history[0]!.params, { n: 2 });
    assert.equal(history[0]!.messageKey, 'k');

    const removed = await store.prune('2026-10-24T00:00:00.000Z', 1);
    assert.equal(removed, 1);
    assert.deepEqual((await store.history(['d1'], 10)).map((h) => h.message), ['m2', 'm1']);
    assert.equal((await store.loadLatest()).get('d1')![0]!.message, 'm2', 'pruning never touches the latest result');
  });

  it('with history sampling: a change of state is written at once, figures that only move once per sample period, and the latest set survives a restart', async () => {
    await migrate(db, () => '2026-11-23T00:00:00Z');
    const store = new ResultStore(db, { historySampleMs: 15 * 60_000 });
    const at = (min: number) => new Date(Date.parse('2026-11-23T06:00:00Z') + min * 60_000).toISOString();
    const r = (min: number, status: CheckResult['status'], rms: number): CheckResult => ({ check: 'mic-level', status, message: `rms ${rms}`, messageKey: status === 'ok' ? 'microphone.alive' : 'microphone.dead.silence', params: { rms }, values: { rms_dbfs: rms }, observedAt: at(min), durationMs: 1 });
    // One probe a minute for 30 minutes; the microphone dies at minute 7 and comes back at minute 9.
    for (let m = 0; m < 30; m++) await store.record({ at: at(m), deviceId: 'mic', results: [r(m, m === 7 || m === 8 ? 'down' : 'ok', -50 - (m % 3))] });
    const history = (await store.history(['mic'], 100)).reverse();
    assert.deepEqual(history.map((h) => [h.observedAt.slice(11, 16), h.status]), [
      ['06:00', 'ok'], ['06:07', 'down'], ['06:09', 'ok'], ['06:24', 'ok'],
    ], 'the first result, both changes, and one sample 15 minutes after the last write');
    assert.equal(store.rowsWritten, 4 + 4, 'four history rows and four rewrites of the latest set, not 60 rows');
    // The latest set in the database is the last one written; a fresh store (a restart) writes again at once.
    assert.equal((await store.loadLatest()).get('mic')![0]!.observedAt, at(24));
    // Pruning: samples go after their retention, changes of state stay longer.
    assert.deepEqual((await db.all<{ sample: number }>("SELECT sample FROM check_history WHERE device_id = 'mic' ORDER BY id")).map((x) => x.sample), [0, 0, 0, 1]);
    await store.prune(at(60), 5000, at(-60));
    assert.deepEqual((await store.history(['mic'], 100)).map((h) => h.observedAt.slice(11, 16)).reverse(), ['06:00', '06:07', '06:09'], 'the sample is gone, the changes stay');
    const again = new ResultStore(db, { historySampleMs: 15 * 60_000 });
    await again.record({ at: at(30), deviceId: 'mic', results: [r(30, 'ok', -51)] });
    assert.equal((await again.loadLatest()).get('mic')![0]!.observedAt, at(30));
  });
});
