import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Db } from '../collector/store/db';
import { migrate } from '../collector/store/migrations';
import { ResultStore } from '../collector/store/results-store';

describe('store: kill -9 mid-write', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-crash-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every committed record and a consistent database after SIGKILL', async () => {
    const file = path.join(dir, 'crash.db');
    const child = spawn(process.execPath, [path.join(__dirname, 'helpers', 'store-writer.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastCommitted = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^committed (\d+)$/.exec(line);
        if (!m) return;
        lastCommitted = Number(m[1]);
        // Kill while it is writing: it never stops between commits.
        if (lastCommitted === 300) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    assert.equal(child.signalCode, 'SIGKILL');

    const db = await Db.open(file);
    try {
      assert.deepEqual(await db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      await migrate(db, () => new Date().toISOString()); // reopening and migrating again is a no-op
      const store = new ResultStore(db);
      const latest = await store.loadLatest();
      for (const k of [0, 1, 2]) {
        const n = latest.get(`dev-${k}`)![0]!.values!.n!;
        assert.ok(n >= lastCommitted, `dev-${k}: latest n=${n} but ${lastCommitted} was reported committed`);
      }
      const history = await db.all<{ c: number; m: number }>("SELECT count(DISTINCT json_extract(values_json, '$.n')) AS c, max(json_extract(values_json, '$.n')) AS m FROM check_history WHERE device_id = 'dev-0'");
      assert.ok(history[0]!.c >= lastCommitted, 'every committed probe is in the history');
      assert.equal(history[0]!.c, history[0]!.m, 'no gaps: each probe 1..max is there once');
      const halls = await store.loadHallStatus();
      assert.equal(halls.size, 3);
    } finally {
      await db.close();
    }
  });
});
