import assert from 'node:assert/strict';
import { FakeClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import { Db } from '../collector/store/db';
import { migrate } from '../collector/store/migrations';
import { enqueue, OutboxWorker } from '../alerts/notify/outbox';

describe('outbox pruning', () => {
  it('drops old sent and dead notices, never a pending one however old', async () => {
    const db = await Db.open(':memory:');
    await migrate(db, () => '2026-11-01T00:00:00Z');
    const clock = new FakeClock('2026-11-23T00:00:00Z');
    const fails = new Set(['old-dead']);
    const w = new OutboxWorker({
      db, clock, log: silentLogger, maxAttempts: 1,
      senders: { console: async (m) => { if (fails.has(m.key) || m.key.startsWith('old-pending')) throw new Error('refused'); } },
      neverGiveUp: [],
    });
    await db.transaction(async (tx) => {
      for (const key of ['old-sent', 'old-dead']) await enqueue(tx, { key, channel: 'console', recipient: 'a', subject: '', body: '', payload: {} }, '2026-10-01T00:00:00.000Z');
      await enqueue(tx, { key: 'old-pending', channel: 'console', recipient: 'b', subject: '', body: '', payload: {} }, '2026-10-01T00:00:00.000Z');
      await enqueue(tx, { key: 'new-sent', channel: 'console', recipient: 'c', subject: '', body: '', payload: {} }, '2026-11-22T00:00:00.000Z');
    });
    await w.runOnce();
    // old-pending stays pending: give it attempts left by resetting its state (a longer-lived failure).
    await db.run("UPDATE outbox SET state = 'pending' WHERE idempotency_key = 'old-pending'");
    const removed = await w.prune('2026-11-01T00:00:00.000Z');
    const left = (await db.all<{ idempotency_key: string; state: string }>('SELECT idempotency_key, state FROM outbox ORDER BY id')).map((r) => `${r.idempotency_key}:${r.state}`);
    assert.equal(removed, 2);
    assert.deepEqual(left, ['old-pending:pending', 'new-sent:sent']);
    w.stop();
    await db.close();
  });
});
