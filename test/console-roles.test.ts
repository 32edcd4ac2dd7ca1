/**
 * The console shows each role only its own courts, views and actions: every demo user signs in
 * through the form; sign-out closes the live feed; an expired session returns to the same page
 * after signing in again; the administrator opens a maintenance window from a hall page, the
 * board shows the hall in maintenance and the audit view lists it; users and tokens.
 * One Chromium, one demo rig; a fresh browser context (cookie jar) per person.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page, WebSocket as PwWebSocket } from 'playwright-core';
import type { MaintenanceDto } from '../collector/api/dto';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

interface Expect {
  login: string;
  role: string;
  roleRu: string;
  /** Which halls the person answers for. */
  sees: (hall: { courtId: string; regionId: string }) => boolean;
  audit: boolean;
  users: boolean;
}

const ALL = () => true;
const PEOPLE: Expect[] = [
  { login: 'admin', role: 'administrator', roleRu: 'Администратор', sees: ALL, audit: true, users: true },
  { login: 'dept', role: 'department-coordinator', roleRu: 'Координатор Департамента', sees: ALL, audit: true, users: false },
  { login: 'coord-almaty', role: 'regional-coordinator', roleRu: 'Координатор областного суда', sees: (h) => h.regionId === 'almaty', audit: true, users: false },
  { login: 'head-almaly', role: 'chancellery-head', roleRu: 'Заведующий канцелярией', sees: (h) => h.courtId === 'almaly-district', audit: false, users: false },
  { login: 'secretary-almaly', role: 'secretary', roleRu: 'Секретарь судебного заседания', sees: (h) => h.courtId === 'almaly-district', audit: false, users: false },
  { login: 'tech-almaty', role: 'technician', roleRu: 'Техник обслуживающей организации', sees: (h) => h.regionId === 'almaty', audit: false, users: false },
];

/** UTC ms → "YYYY-MM-DDTHH:mm" on the Almaty wall clock (UTC+5 since March 2024). */
const almatyLocal = (ms: number) => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 16);

/** Polls a server-side condition (no fixed sleeps). */
async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('console: sign-in, roles and audit in Chromium', function () {
  let rig: DemoRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** One page that every demo user signs in to and out of, in turn. */
  let shared: Page | undefined;
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
    browser = await launchChromium();
  });
  after(async () => {
    await shared?.context().close();
    await browser?.close();
    await rig?.stop();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  async function openPage(hash = '/', keep = false): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    if (!keep) contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${rig.collector.url}/#${hash}`);
    await page.waitForSelector('form#login-form');
    return page;
  }

  async function fillSignIn(page: Page, login: string, password = rig.passwords.get(login)!): Promise<void> {
    await page.fill('input#login', login);
    await page.fill('input#password', password);
    await page.click('button#sign-in');
  }

  async function signIn(login: string, hash = '/'): Promise<Page> {
    const page = await openPage(hash);
    await fillSignIn(page, login);
    await page.waitForSelector(`#user-name[data-login="${login}"]`);
    return page;
  }

  it('shows the sign-in page first, in Russian and in Kazakh, and refuses a wrong password in words', async () => {
    const page = await openPage();
    assert.equal(await page.locator('[data-hall-id]').count(), 0, 'nothing of the board before signing in');
    assert.equal(await page.locator('#sign-out').count(), 0);
    await page.getByText('Вход в систему').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'sign-in-ru.png') });

    await fillSignIn(page, 'dept', 'not-the-password');
    await page.waitForSelector('#login-error[data-error="bad_credentials"]');
    assert.match(await page.locator('#login-error').innerText(), /Неверный логин или пароль/);
    assert.equal(await page.inputValue('input#password'), '', 'the password is not kept in the form');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.doesNotMatch(stored, /not-the-password/, 'no password in web storage');

    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Жүйеге кіру').first().waitFor();
    assert.match(await page.locator('#login-error').innerText(), /Логин немесе құпиясөз қате/);
    await page.screenshot({ path: path.join(shots(), 'sign-in-kk.png') });
  });

  it('says in words why a sign-in was refused: disabled, throttled (in minutes), no role, LDAP down', async () => {
    const api = await rig.client('admin');
    assert.equal((await api.post('/api/users', { login: 'gone', displayName: 'Уволенный', role: 'secretary', courtId: 'esil-district', password: 'a-long-enough-password' })).status, 201);
    assert.equal((await api.post('/api/users/gone/disable')).status, 204);
    const page = await openPage();
    await fillSignIn(page, 'gone', 'a-long-enough-password');
    await page.waitForSelector('#login-error[data-error="disabled"]');
    assert.match(await page.locator('#login-error').innerText(), /заблокирована/);

    // Refusals the demo cannot produce safely (a real lock-out would hold 127.0.0.1 for 15 minutes).
    const refuse = async (status: number, error: string, headers: Record<string, string> = {}) => {
      await page.unroute('**/api/session');
      await page.route('**/api/session', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ error, message: error }) })
          : route.continue(),
      );
      await fillSignIn(page, 'dept');
      await page.waitForSelector(`#login-error[data-error="${error}"]`);
      return page.locator('#login-error').innerText();
    };
    assert.match(await refuse(429, 'throttled', { 'retry-after': '540' }), /Повторите через 9 мин/);
    assert.match(await refuse(403, 'no_role'), /не назначена роль/);
    assert.match(await refuse(503, 'ldap_unavailable'), /LDAP/);
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    assert.match(await page.locator('#login-error').innerText(), /LDAP.*жауап бермейді/);
    assert.match(await refuse(429, 'throttled', { 'retry-after': '60' }), /1 минуттан кейін/);
    await page.locator('hw-lang-switch button[data-lang="ru"]').click();
  });

  for (const who of PEOPLE) {
    it(`${who.login}: the board shows only their courts, the header their role, the nav their views`, async () => {
      // The previous person signed out of this same page: nothing of theirs may remain.
      const page = (shared ??= await openPage('/', true));
      await fillSignIn(page, who.login);
      await page.waitForSelector(`#user-name[data-login="${who.login}"]`);
      await page.waitForSelector('[data-hall-id]');
      const expected = rig.demo.inventory.halls.filter(who.sees).map((h) => h.id).sort();
      const shown = (await page.$$eval('[data-hall-id]', (els) => els.map((e) => e.getAttribute('data-hall-id')!))).sort();
      assert.deepEqual(shown, expected);
      const regions = await page.$$eval('[data-region-id]', (els) => els.map((e) => e.getAttribute('data-region-id')));
      assert.deepEqual(regions.sort(), [...new Set(rig.demo.inventory.halls.filter(who.sees).map((h) => h.regionId))].sort());

      assert.equal(await page.locator('#user-role').getAttribute('data-role'), who.role);
      assert.equal((await page.locator('#user-role').innerText()).trim(), who.roleRu);
      await page.locator('#nav-board').waitFor();
      assert.equal(await page.locator('#nav-audit').count(), who.audit ? 1 : 0, 'audit nav');
      assert.equal(await page.locator('#nav-users').count(), who.users ? 1 : 0, 'users nav');
      if (who.login === 'head-almaly') {
        assert.match(await page.locator('#user-scope').innerText(), /Алмалинский районный суд/);
        await page.screenshot({ path: path.join(shots(), 'board-head-almaly.png') });
      }
      if (who.login === 'coord-almaty') assert.match(await page.locator('#user-scope').innerText(), /г\. Алматы/);
      if (who.login === 'dept') assert.match(await page.locator('#user-scope').innerText(), /Все суды/);
      if (!who.audit) {
        // Typing the address does not open it either.
        await page.goto(`${rig.collector.url}/#/audit`);
        await page.waitForSelector('#route-forbidden');
        assert.equal(await page.locator('table#audit-table').count(), 0);
      }
      await page.click('button#sign-out');
      await page.waitForSelector('form#login-form');
    });
  }

  it('hides "probe now" from the secretary and shows it to the chancellery head', async () => {
    const secretary = await signIn('secretary-almaly', '/hall/almaly-district.1');
    await secretary.waitForSelector('article[data-device-id]');
    assert.equal(await secretary.locator('button[data-probe-device]').count(), 0);
    assert.equal(await secretary.locator('#maintenance').count(), 0, 'no maintenance section without maintenance.manage');

    const head = await signIn('head-almaly', '/hall/almaly-district.1');
    await head.waitForSelector('article[data-device-id] button[data-probe-device]');
    assert.equal(await head.locator('#maintenance').count(), 0, 'a chancellery head does not manage maintenance');
  });

  it('signs out to the sign-in page and closes the WebSocket', async () => {
    const page = await openPage();
    const sockets: PwWebSocket[] = [];
    page.on('websocket', (ws) => sockets.push(ws));
    await fillSignIn(page, 'secretary-almaly');
    await page.waitForSelector('#conn[data-state="connected"]');
    assert.equal(sockets.length, 1);
    const ws = sockets[0]!;
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    await until(() => rig.collector.live.clients >= 1, 'the server to count the socket');

    await page.click('button#sign-out');
    await page.waitForSelector('form#login-form');
    await closed;
    assert.equal(ws.isClosed(), true);
    await until(() => rig.collector.live.clients === 0, 'the server to drop the socket');
    assert.equal(await page.locator('[data-hall-id]').count(), 0, 'the board is gone');
    assert.equal(sockets.length, 1, 'no new socket after signing out');
    const me = await page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(me, 401, 'the server session is over');
  });

  it('after the session ends on the server, signing in again returns to the same page', async () => {
    const page = await signIn('head-almaly', '/hall/almaly-district.1');
    await page.waitForSelector('button[data-probe-device="almaly-district-h1-cam1"]');
    await rig.collector.db.run('DELETE FROM sessions WHERE login = ?', ['head-almaly']);
    await page.click('button[data-probe-device="almaly-district-h1-cam1"]');
    await page.waitForSelector('#login-notice[data-notice="expired"]');
    assert.match(page.url(), /#\/hall\/almaly-district\.1$/);
    await fillSignIn(page, 'head-almaly');
    await page.waitForSelector('#hall-header[data-hall="almaly-district.1"]');
  });

  it('the administrator opens maintenance on a hall page: the board shows it and the audit lists it', async () => {
    const hall = 'bostandyk-district.2';
    const page = await signIn('admin', `/hall/${hall}`);
    await page.waitForSelector(`#hall-header[data-hall="${hall}"]`);
    const before = await page.locator('#hall-header').getAttribute('data-status');
    assert.notEqual(before, 'maintenance');
    await page.waitForSelector('form#maintenance-form');
    assert.equal(await page.locator('#maint-target').inputValue(), `hall:${hall}`);

    // The window, on the Almaty wall clock: from half an hour ago to two hours from now.
    const now = rig.clock.now();
    const from = Math.floor((now - 30 * 60_000) / 60_000) * 60_000;
    const to = Math.floor((now + 2 * 3_600_000) / 60_000) * 60_000;
    await page.fill('#maint-from', almatyLocal(from));
    await page.fill('#maint-to', almatyLocal(to));
    await page.fill('#maint-reason', 'Замена камеры судьи');
    await page.click('#maint-open');
    await page.waitForSelector(`#maintenance-list li[data-scope="hall"][data-target="${hall}"][data-active="true"]`);
    await page.waitForSelector(`#hall-header[data-hall="${hall}"][data-status="maintenance"]`);

    const api = await rig.client('admin');
    const windows = (await api.get<MaintenanceDto[]>('/api/maintenance')).body.filter((m) => m.targetId === hall);
    assert.equal(windows.length, 1);
    assert.equal(windows[0]!.startsAt, new Date(from).toISOString(), 'Almaty local time sent as UTC');
    assert.equal(windows[0]!.endsAt, new Date(to).toISOString());
    assert.equal(windows[0]!.reason, 'Замена камеры судьи');

    await page.click('#nav-board');
    await page.waitForSelector(`[data-hall-id="${hall}"][data-status="maintenance"]`);

    await page.click('#nav-audit');
    await page.waitForSelector('table#audit-table tr[data-seq]');
    await page.selectOption('select#filter-action', 'maintenance.open');
    await page.waitForSelector('table#audit-table[data-shown-action="maintenance.open"][aria-busy="false"]');
    await page.waitForSelector('tr[data-action="maintenance.open"][data-actor="admin"]');
    const actions = await page.$$eval('tr[data-seq]', (els) => els.map((e) => e.getAttribute('data-action')));
    assert.ok(actions.length >= 1 && actions.every((a) => a === 'maintenance.open'), `only maintenance.open rows: ${actions.join(', ')}`);
    const row = page.locator('tr[data-action="maintenance.open"][data-actor="admin"]').first();
    assert.match(await row.innerText(), /Открыто окно обслуживания/);
    assert.match(await row.innerText(), /Бостандыкский районный суд/);
    assert.match(await row.innerText(), /Администратор/);
    await row.locator('button[data-expand]').click();
    const seq = await row.getAttribute('data-seq');
    assert.match(await page.locator(`tr[data-detail-for="${seq}"] pre[data-json="after"]`).innerText(), /Замена камеры судьи/);

    await page.fill('input#filter-actor', 'admin');
    await page.press('input#filter-actor', 'Enter');
    await page.selectOption('select#filter-action', '');
    await page.waitForSelector('table#audit-table[data-shown-actor="admin"][data-shown-action=""][aria-busy="false"]');
    await page.waitForSelector('tr[data-action="session.login"][data-actor="admin"]');
    assert.ok((await page.$$eval('tr[data-seq]', (els) => els.map((e) => e.getAttribute('data-actor')))).every((a) => a === 'admin'));
    await page.selectOption('select#filter-court', 'bostandyk-district');
    await page.waitForSelector('table#audit-table[data-shown-court="bostandyk-district"][aria-busy="false"]');
    assert.deepEqual(await page.$$eval('tr[data-seq]', (els) => els.map((e) => e.getAttribute('data-action'))), ['maintenance.open']);
    await page.screenshot({ path: path.join(shots(), 'audit.png') });

    // And it ends from the same place.
    await page.goto(`${rig.collector.url}/#/hall/${hall}`);
    await page.click(`button[data-end-maintenance="${windows[0]!.id}"]`);
    await page.waitForSelector('#maintenance-none');
    await page.waitForSelector(`#hall-header[data-hall="${hall}"]:not([data-status="maintenance"])`);
  });

  it('the administrator manages users and machine tokens', async () => {
    const page = await signIn('admin', '/users');
    await page.waitForSelector('table#users-table tr[data-login="tech-almaty"][data-role="technician"]');
    for (const who of PEOPLE) await page.locator(`table#users-table tr[data-login="${who.login}"][data-role="${who.role}"]`).waitFor();
    await page.locator('tr[data-login="gone"][data-disabled="true"]').waitFor();
    assert.match(await page.locator('tr[data-login="head-almaly"]').innerText(), /Заведующий канцелярией/);
    assert.match(await page.locator('tr[data-login="head-almaly"]').innerText(), /Алмалинский районный суд/);

    // A technician: the form asks for the service organization, typed.
    await page.fill('#new-login', 'tech-astana');
    await page.fill('#new-display-name', 'Серикова Гульнара');
    await page.selectOption('select#new-role', 'technician');
    await page.waitForSelector('input#new-org');
    assert.equal(await page.locator('select#new-court').count(), 0);
    await page.fill('#new-org', 'astana-avf-service');
    await page.fill('#new-password', 'short');
    await page.click('#add-user');
    await page.waitForSelector('#users-message[data-ok="false"]');
    await page.fill('#new-password', 'a-long-enough-password');
    await page.click('#add-user');
    await page.waitForSelector('tr[data-login="tech-astana"][data-role="technician"]');

    await page.click('button[data-user-action="disable"][data-user="tech-astana"]');
    await page.waitForSelector('tr[data-login="tech-astana"][data-disabled="true"]');
    await page.click('button[data-user-action="enable"][data-user="tech-astana"]');
    await page.waitForSelector('tr[data-login="tech-astana"][data-disabled="false"]');

    await page.fill('#new-token-name', 'portal-feed');
    await page.click('#create-token');
    await page.waitForSelector('#new-token code#new-token-value');
    const token = await page.locator('#new-token-value').innerText();
    assert.match(token, /^hwt_[a-f0-9]{16}_\S+$/);
    await page.click('button#copy-token');
    await page.waitForSelector('#copy-result');
    await page.waitForSelector('tr[data-token="portal-feed"][data-revoked="false"]');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots(), 'users.png'), fullPage: true });
    const feed = await fetch(`${rig.collector.url}/api/board`, { headers: { authorization: `Bearer ${token}` } });
    // A portal reader may not view halls: known (403), not unknown (401).
    assert.equal(feed.status, 403, 'the new token is recognized');

    await page.click('button[data-revoke="portal-feed"]');
    await page.click('button[data-confirm-revoke="portal-feed"]');
    await page.waitForSelector('tr[data-token="portal-feed"][data-revoked="true"]');
    assert.equal(await page.locator('#new-token').count(), 0, 'the revoked token is no longer shown');
    const revoked = await fetch(`${rig.collector.url}/api/board`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.status, 401);
  });
});
