import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ApiClient } from './helpers/api-client';

const BIN = path.resolve(__dirname, '../../bin/hallwatch.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; lines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

describe('hallwatch start (the real process)', function () {
  // A real start: simulators, real agents and a database; on a loaded 2-core machine it takes seconds.
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-start-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('with no inventory starts the demo region, serves the console and API, and stops cleanly on SIGTERM', async () => {
    const { child, lines } = run(['start', '--port', '0', '--db', path.join(dir, 'demo.db')]);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const first = (await lines.next()).value as string;
    const url = /running at (http:\/\/\S+) \(demo region\)/.exec(first)?.[1];
    assert.ok(url, `first line: ${first}\n${stderr}`);
    const health = await (await fetch(`${url}/healthz`)).json() as { status: string; halls: number; devices: number };
    assert.equal(health.status, 'ok');
    assert.ok(health.halls >= 12);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<hw-app/);
    assert.equal((await fetch(`${url}/api/board`)).status, 401, 'the API needs a sign-in');
    // It prints one demo sign-in per role; the department coordinator's opens the whole board.
    const printed: string[] = [];
    for (let i = 0; i < 7; i++) printed.push((await lines.next()).value as string);
    const roles = printed.slice(1).map((l) => l.trim().split(/\s+/)[0]);
    assert.deepEqual(roles, ['administrator', 'department-coordinator', 'regional-coordinator', 'chancellery-head', 'secretary', 'technician']);
    const [, login, password] = printed.find((l) => l.includes('department-coordinator'))!.trim().split(/\s+/);
    const client = await ApiClient.signIn(url, login!, password!);
    const board = (await client.get<{ regions: Array<{ courts: unknown[] }> }>('/api/board')).body;
    assert.ok(board.regions.flatMap((r) => r.courts).length >= 3);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 0);
    assert.doesNotMatch(stderr, /"level":"error"/);
  });

  it('refuses to start on a bad inventory, exit 2, printing each problem with its path', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, [
      'regions:',
      '  - id: r1',
      '    name: { ru: Регион, kk: Өңір }',
      '    courts:',
      '      - id: c1',
      '        name: { ru: Суд, kk: Сот }',
      '        level: district',
      '        halls:',
      '          - number: 1',
      '            devices:',
      '              - { id: cam, driver: http, category: camera, address: "not an address" }',
    ].join('\n'));
    const { child } = run(['start', '--inventory', file, '--port', '0', '--db', path.join(dir, 'bad.db')]);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 2);
    assert.match(stderr, /regions\[0\]\.courts\[0\]\.halls\[0\]\.devices\[0\]\.address: expected host:port/);
    assert.equal(fs.existsSync(path.join(dir, 'bad.db')), false, 'no database was created: nothing started');
  });
});
