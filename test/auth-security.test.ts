/** The attacks issue 3 names — fixation, CSRF, brute force, a tampered audit row — tried and caught. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { verifyAudit } from '../collector/auth/audit';
import { authConfigSchema } from '../collector/auth/auth-config';
import { main } from '../collector/cli/main';
import { readSecrets, writeSecret } from '../collector/config/secrets-file';
import { loadInventoryText } from '../collector/config/inventory';
import { Db } from '../collector/store/db';
import { defaultRegistry } from '../device-drivers/registry';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'hallwatch', ...args], {
    out: (s) => out.push(s), err: (s) => err.push(s), env, untilSignal: () => new Promise(() => {}), readStdin: async () => stdin,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function wsOpen(url: string, headers: Record<string, string>): Promise<{ status: 'open'; ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ status: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

describe('auth: attacks tried and caught', function () {
  let rig: DemoRig;
  before(async () => {
    rig = await startDemoRig();
  });
  after(async () => {
    await rig?.stop();
  });
  const pw = (login: string) => rig.passwords.get(login)!;

  describe('sessions', () => {
    it('the cookie is httpOnly and SameSite=Strict, and the database keeps only a hash of it', async () => {
      const res = await fetch(`${rig.collector.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'dept', password: pw('dept') }) });
      assert.equal(res.status, 201);
      const cookie = res.headers.get('set-cookie')!;
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const id = /hw_session=([^;]+)/.exec(cookie)![1]!;
      const rows = await rig.collector.db.all<{ id_hash: string }>('SELECT id_hash FROM sessions');
      assert.ok(rows.length > 0 && rows.every((r) => r.id_hash !== id));
    });

    it('session fixation: a session id planted before sign-in is never the one after it', async () => {
      const victim = await rig.client('head-almaly');
      const planted = victim.cookie;
      // The victim signs in again while carrying the planted (valid) cookie.
      const again = await victim.post('/api/session', { login: 'head-almaly', password: pw('head-almaly') });
      assert.equal(again.status, 201);
      assert.notEqual(victim.cookie, planted, 'a new id is issued at sign-in');
      const attacker = Object.assign(new ApiClient(rig.collector.url), { cookie: planted });
      assert.equal((await attacker.get('/api/board')).status, 401, 'the planted id opens nothing now');
      // An id the server never issued is not adopted either.
      const forged = Object.assign(new ApiClient(rig.collector.url), { cookie: 'hw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal((await forged.get('/api/board')).status, 401);
    });

    it('sign-out ends the session on the server, not only in the browser', async () => {
      const c = await rig.client('coord-almaty');
      const cookie = c.cookie;
      assert.equal((await c.delete('/api/session')).status, 204);
      const replay = Object.assign(new ApiClient(rig.collector.url), { cookie });
      assert.equal((await replay.get('/api/board')).status, 401);
    });

    it('sessions end after the idle limit (on the clock)', async () => {
      const c = await rig.client('tech-almaty');
      assert.equal((await c.get('/api/board')).status, 200);
      await rig.clock.advance(8 * 3600_000 + 1000);
      assert.equal((await c.get('/api/board')).status, 401);
    });
  });

  describe('CSRF', () => {
    it('a state change without the CSRF token, with a wrong one, or from another origin is refused', async () => {
      const c = await rig.client('admin');
      const probe = '/api/devices/almaly-district-h1-cam1/probe';
      const noToken = await fetch(rig.collector.url + probe, { method: 'POST', headers: { cookie: c.cookie } });
      assert.equal(noToken.status, 403);
      assert.equal(((await noToken.json()) as { error: string }).error, 'csrf');
      const wrong = await fetch(rig.collector.url + probe, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': 'x'.repeat(c.csrf.length) } });
      assert.equal(wrong.status, 403);
      const crossSite = await fetch(rig.collector.url + probe, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, origin: 'https://evil.example' } });
      assert.equal(crossSite.status, 403);
      assert.equal(((await crossSite.json()) as { error: string }).error, 'cross_origin');
      const ok = await fetch(rig.collector.url + probe, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, origin: rig.collector.url } });
      assert.equal(ok.status, 200);
    });

    it('a sign-in form posted from another site is refused', async () => {
      const r = await fetch(`${rig.collector.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ login: 'dept', password: pw('dept') }) });
      assert.equal(r.status, 403);
      const form = await fetch(`${rig.collector.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `login=dept&password=${pw('dept')}` });
      assert.equal(form.status, 415);
    });
  });

  describe('brute force', () => {
    it('locks a login after 5 wrong passwords, even against the right one, until the lock runs out', async () => {
      const c = new ApiClient(rig.collector.url);
      for (let i = 0; i < 5; i++) assert.equal((await c.post('/api/session', { login: 'secretary-almaly', password: `wrong-${i}` })).status, 401);
      const locked = await c.post('/api/session', { login: 'secretary-almaly', password: pw('secretary-almaly') });
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
      await rig.clock.advance(15 * 60_000 + 1000);
      assert.equal((await c.post('/api/session', { login: 'secretary-almaly', password: pw('secretary-almaly') })).status, 201);
      const refused = (await (await rig.client('admin')).get<Array<{ outcome: string }>>('/api/audit?actor=secretary-almaly&action=session.login&limit=20')).body;
      assert.deepEqual(refused.map((r) => r.outcome).slice(0, 7).sort(), ['failed', 'failed', 'failed', 'failed', 'failed', 'ok', 'throttled']);
    });

    it('an unknown login and a wrong password get the same answer', async () => {
      const a = await new ApiClient(rig.collector.url).post<{ error: string; message: string }>('/api/session', { login: 'nobody-here', password: 'whatever-123' });
      const b = await new ApiClient(rig.collector.url).post<{ error: string; message: string }>('/api/session', { login: 'dept', password: 'whatever-123' });
      assert.deepEqual([a.status, a.body.error, a.body.message], [b.status, b.body.error, b.body.message]);
    });
  });

  describe('accounts', () => {
    it('disabling a user ends their sessions at once; a new password ends them too', async () => {
      const admin = await rig.client('admin');
      const tech = await rig.client('tech-almaty');
      assert.equal((await admin.post('/api/users/tech-almaty/disable')).status, 204);
      assert.equal((await tech.get('/api/board')).status, 401);
      assert.equal((await new ApiClient(rig.collector.url).post('/api/session', { login: 'tech-almaty', password: pw('tech-almaty') })).status, 403);
      assert.equal((await admin.post('/api/users/tech-almaty/enable')).status, 204);
      const again = await rig.client('tech-almaty');
      assert.equal((await admin.post('/api/users/tech-almaty/password', { password: 'a-new-password-42' })).status, 204);
      assert.equal((await again.get('/api/board')).status, 401);
      rig.passwords.set('tech-almaty', 'a-new-password-42');
    });

    it('bad user bodies name the field', async () => {
      const admin = await rig.client('admin');
      const short = await admin.post<{ field: string }>('/api/users', { login: 'new.head', displayName: 'X', role: 'chancellery-head', courtId: 'almaly-district', password: 'short' });
      assert.deepEqual([short.status, short.body.field], [400, 'password']);
      const noCourt = await admin.post<{ field: string }>('/api/users', { login: 'new.head', displayName: 'X', role: 'chancellery-head', password: 'long-enough-pw' });
      assert.deepEqual([noCourt.status, noCourt.body.field], [400, 'courtId']);
      const badRole = await admin.post<{ field: string }>('/api/users', { login: 'new.head', displayName: 'X', role: 'king', password: 'long-enough-pw' });
      assert.deepEqual([badRole.status, badRole.body.field], [400, 'role']);
      const dup = await admin.post<{ field: string }>('/api/users', { login: 'dept', displayName: 'X', role: 'administrator', password: 'long-enough-pw' });
      assert.equal(dup.status, 409);
    });
  });

  describe('the live feed', () => {
    it('refuses a WebSocket without a session or from another origin, and sends each user only their courts', async () => {
      const url = rig.collector.url.replace('http', 'ws') + '/ws';
      assert.equal((await wsOpen(url, {})).status, 401);
      const head = await rig.client('head-almaly');
      assert.equal((await wsOpen(url, { cookie: head.cookie, origin: 'https://evil.example' })).status, 403);
      const opened = await wsOpen(url, { cookie: head.cookie });
      assert.ok(opened.status === 'open');
      const ws = (opened as { ws: WebSocket }).ws;
      const halls: string[] = [];
      const refused: string[] = [];
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { type: string; hallId?: string; error?: string; hall?: { hallId: string } };
        if (msg.type === 'results') halls.push(msg.hallId!);
        if (msg.type === 'error' && msg.error === 'forbidden') refused.push(msg.hallId!);
      });
      // A hall page of each court: the other court's is refused (the socket's messages are handled in order).
      ws.send(JSON.stringify({ type: 'watch-hall', hallId: 'almaly-district.1' }));
      ws.send(JSON.stringify({ type: 'watch-hall', hallId: 'esil-district.1' }));
      await new Promise<void>((resolve) => {
        const check = () => (refused.includes('esil-district.1') ? resolve() : setImmediate(check));
        check();
      });
      await rig.collector.scheduler.probeNow('esil-district-h1-cam1');
      await rig.collector.scheduler.probeNow('almaly-district-h1-cam1');
      await new Promise<void>((resolve) => {
        const check = () => (halls.includes('almaly-district.1') ? resolve() : setImmediate(check));
        check();
      });
      ws.close();
      assert.ok(!halls.includes('esil-district.1'), 'no news of a court outside the scope');
    });
  });

  it('a live socket is closed when its session ends (sign-out)', async () => {
    const c = await rig.client('coord-almaty');
    const opened = await wsOpen(rig.collector.url.replace('http', 'ws') + '/ws', { cookie: c.cookie });
    assert.ok(opened.status === 'open');
    const ws = (opened as { ws: WebSocket }).ws;
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    assert.equal((await c.delete('/api/session')).status, 204);
    await rig.clock.advance(30_000); // the heartbeat re-checks every socket's session
    assert.equal(await closed, 4401);
  });

  describe('audit trail', () => {
    it('is append-only for the application', async () => {
      await assert.rejects(rig.collector.db.run("UPDATE audit_log SET actor = 'someone' WHERE seq = 1"), /append-only/);
      await assert.rejects(rig.collector.db.run('DELETE FROM audit_log WHERE seq = 1'), /append-only/);
    });

    it('hallwatch audit verify: intact, then a changed row and a removed row are reported', async () => {
      const file = path.join(rig.dir, 'audit-copy.db');
      await rig.collector.db.exec(`VACUUM INTO '${file}'`);
      const intact = await cli(['audit', 'verify', '--db', file]);
      assert.equal(intact.code, 0, intact.err);
      assert.match(intact.out, /intact/);

      // Someone with the file drops the triggers and edits history.
      const db = await Db.open(file);
      await db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      await db.run("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3");
      await db.run('DELETE FROM audit_log WHERE seq = 5');
      const report = await verifyAudit(db);
      await db.close();
      assert.equal(report.ok, false);
      assert.deepEqual(report.problems.map((p) => [p.seq, p.problem]), [[3, 'changed'], [5, 'removed']]);

      const broken = await cli(['audit', 'verify', '--db', file]);
      assert.equal(broken.code, 1);
      assert.match(broken.out, /row 3: changed/);
      assert.match(broken.out, /row 5: removed/);
    });
  });
});

describe('device secrets at rest', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-secrets-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are stored encrypted, decrypt only with their key, and resolve in the inventory', async () => {
    const file = path.join(dir, 'secrets.json');
    const set = await cli(['secrets', 'set', 'cam-pass', '--file', file], {}, 'S3cret-Camera-Pass\n');
    assert.equal(set.code, 0, set.err);
    assert.equal(await (await cli(['secrets', 'set', 'snmp-key', '--file', file, '--value-env', 'K'], { K: 'v3-auth-key-123' })).code, 0);
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.ok(!onDisk.includes('S3cret-Camera-Pass') && !onDisk.includes('v3-auth-key-123'), 'no plaintext on disk');
    assert.equal(fs.statSync(path.join(dir, 'hallwatch.key')).mode & 0o777, 0o600);
    const list = await cli(['secrets', 'list', '--file', file]);
    assert.deepEqual(list.out.split('\n'), ['cam-pass', 'snmp-key']);

    const inv = loadInventoryText([
      `secretsFile: ${file}`,
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
      '              - { id: cam, driver: tcp, category: camera, address: "127.0.0.1:554", credentials: { username: admin, password: { secret: cam-pass } } }',
    ].join('\n'), { registry: defaultRegistry, env: {} });
    assert.ok(inv.ok, inv.ok ? '' : JSON.stringify(inv.problems));
    assert.equal(inv.inventory.device.get('cam')!.credentials!.password, 'S3cret-Camera-Pass');
    assert.deepEqual(inv.warnings, []);

    // Another key does not open it; a ciphertext moved to another name does not either.
    const otherKey = path.join(dir, 'other.key');
    writeSecret(path.join(dir, 'scratch.json'), otherKey, 'x', 'y');
    const wrong = readSecrets(file, otherKey);
    assert.equal(wrong.ok, false);
    const doc = JSON.parse(onDisk) as { entries: Record<string, unknown> };
    doc.entries['cam-pass'] = doc.entries['snmp-key'];
    fs.writeFileSync(file, JSON.stringify(doc));
    const moved = readSecrets(file, path.join(dir, 'hallwatch.key'));
    assert.equal(moved.ok, false);
    assert.match(moved.ok ? '' : moved.error, /cam-pass/);
  });

  it('a plain YAML secrets file still works but inventory check warns', async () => {
    const file = path.join(dir, 'plain.yaml');
    fs.writeFileSync(file, 'cam-pass: plain-text-pass\n');
    const invFile = path.join(dir, 'inv.yaml');
    fs.writeFileSync(invFile, [
      'secretsFile: plain.yaml',
      'regions:',
      '  - { id: r1, name: { ru: Регион, kk: Өңір }, courts: [ { id: c1, name: { ru: Суд, kk: Сот }, level: district, halls: [ { number: 1, devices: [ { id: cam, driver: tcp, category: camera, address: "127.0.0.1:554", credentials: { username: admin, password: { secret: cam-pass } } } ] } ] } ] }',
    ].join('\n'));
    const r = await cli(['inventory', 'check', invFile]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /not encrypted/);
    assert.doesNotMatch(r.out + r.err, /plain-text-pass/);
  });
});

describe('hallwatch user and token commands', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-users-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('add, passwd, disable, list; token create and revoke; all audited', async () => {
    const db = path.join(dir, 'hw.db');
    const add = await cli(['user', 'add', 'aliya', '--role', 'chancellery-head', '--court', 'almaly-district', '--name', 'Алия Серикова', '--db', db, '--password-env', 'P'], { P: 'first-password-1' });
    assert.equal(add.code, 0, add.err);
    const noCourt = await cli(['user', 'add', 'bolat', '--role', 'secretary', '--name', 'Болат', '--db', db], {}, 'some-password-1');
    assert.equal(noCourt.code, 2);
    assert.match(noCourt.err, /--court/);
    const short = await cli(['user', 'add', 'bolat', '--role', 'administrator', '--name', 'Болат', '--db', db], {}, 'short');
    assert.equal(short.code, 2);
    assert.match(short.err, /at least 10/);
    assert.equal((await cli(['user', 'passwd', 'aliya', '--db', db], {}, 'second-password-2\n')).code, 0);
    assert.equal((await cli(['user', 'disable', 'aliya', '--db', db])).code, 0);
    assert.equal((await cli(['user', 'disable', 'nobody', '--db', db])).code, 1);
    const list = await cli(['user', 'list', '--db', db]);
    assert.match(list.out, /aliya\s+chancellery-head\s+almaly-district\s+local DISABLED/);
    const tok = await cli(['token', 'create', 'portal-feed', '--kind', 'portal-reader', '--db', db]);
    assert.equal(tok.code, 0, tok.err);
    assert.match(tok.out, /^hwt_[a-f0-9]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal((await cli(['token', 'revoke', 'portal-feed', '--db', db])).code, 0);
    assert.equal((await cli(['token', 'revoke', 'portal-feed', '--db', db])).code, 1);
    const store = await Db.open(db);
    const actions = (await store.all<{ action: string; actor: string }>('SELECT action, actor FROM audit_log ORDER BY seq')).map((r) => r.action);
    await store.close();
    assert.deepEqual(actions, ['user.add', 'user.passwd', 'user.disable', 'token.create', 'token.revoke']);
    assert.equal((await cli(['audit', 'verify', '--db', db])).code, 0);
  });
});

describe('throttling per address', () => {
  let rig: DemoRig;
  before(async () => {
    // Two failures lock a login, twenty an address: the same rule at a tenth of the scrypt work.
    rig = await startDemoRig({ auth: authConfigSchema.parse({ throttle: { maxFailures: 2 } }) });
  });
  after(async () => {
    await rig?.stop();
  });

  it('one person\'s failures do not lock out others at the same address; a spray across logins does', async () => {
    const c = new ApiClient(rig.collector.url);
    for (let i = 0; i < 2; i++) await c.post('/api/session', { login: 'secretary-almaly', password: `typo-${i}` });
    assert.equal((await c.post('/api/session', { login: 'secretary-almaly', password: rig.passwords.get('secretary-almaly') })).status, 429, 'her login is locked');
    assert.equal((await c.post('/api/session', { login: 'head-almaly', password: rig.passwords.get('head-almaly') })).status, 201, 'a colleague at the same address still signs in');
    // Password spraying: many logins, few tries each, from one address.
    for (let i = 0; i < 20; i++) await c.post('/api/session', { login: `guess-${i}`, password: 'Winter2026!' });
    assert.equal((await c.post('/api/session', { login: 'dept', password: rig.passwords.get('dept') })).status, 429);
  });
});
