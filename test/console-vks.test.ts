/**
 * The VKS console (issue 9) in Chromium over the demo: the day view lists the seeded hearings with
 * their three readiness checks; the failing hall's hearing (bostandyk-district.1) shows its failed
 * connection check and the drafted act, whose PDF answers; the hall page shows its hearing with the
 * documents and the test-call button; a secretary creates a hearing and sees an import's per-row
 * problems. Screenshots (day view ru/kk, hall section) go to HALLWATCH_SCREENSHOTS.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemoVks } from '../collector/vks/demo-seed';
import { vksServiceFor, type VksService } from '../collector/vks/service';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

describe('console: VKS hearings (day view, hall page) in Chromium', function () {
  let rig: DemoRig;
  let browser: Browser;
  let ids: number[] = [];
  const contexts: BrowserContext[] = [];
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;
  const svc = (): VksService => vksServiceFor(rig.collector.db)!;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
    ids = await seedDemoVks(svc());
    await svc().idle();
    // bostandyk-district.1 starts two minutes on with its connection check failed: the act is drafted at its start.
    for (let i = 0; i < 3; i++) {
      await rig.clock.advance(60_000);
      await svc().idle();
    }
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await browser?.close();
    await rig?.stop();
  });

  async function signIn(login: string, hash: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'ru-RU', timezoneId: 'Asia/Almaty' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${rig.collector.url}/#${hash}`);
    await page.waitForSelector('form#login-form');
    await page.fill('input#login', login);
    await page.fill('input#password', rig.passwords.get(login)!);
    await page.click('button#sign-in');
    await page.waitForSelector(`#user-name[data-login="${login}"]`);
    return page;
  }

  it('the day view lists the seeded hearings with their readiness; the failing one shows the failed check and the act (ru, kk)', async () => {
    assert.equal(ids.length, 4);
    const failing = ids[3]!;
    const page = await signIn('admin', '/vks');
    await page.locator('a#nav-vks[aria-current="page"]').waitFor();
    assert.equal((await page.locator('a#nav-vks').innerText()).trim(), 'ВКС / БКБ');
    for (const id of ids) await page.locator(`table#vks-day tr[data-vks-hearing="${id}"]`).waitFor();
    assert.equal(await page.locator('table#vks-day tr[data-vks-hearing]').count(), 4);

    // Every row has its three checks; the passing halls have no failed check.
    for (const id of ids) {
      const row = page.locator(`table#vks-day tr[data-vks-hearing="${id}"]`);
      assert.deepEqual(await row.locator('[data-readiness]').evaluateAll((els) => els.map((e) => e.getAttribute('data-readiness'))), ['test-session', 'day-check', 'connection']);
      if (id !== failing) {
        assert.equal(await row.getAttribute('data-state'), 'ready');
        assert.equal(await row.locator('[data-result="failed"]').count(), 0);
        assert.ok((await row.locator('[data-result="passed"]').count()) >= 1, `hearing ${id} passed its latest due check`);
      }
    }
    // almaly-district.4 at 07:40 Almaty: its connection check (07:10) is still ahead.
    const almaly = page.locator(`tr[data-vks-hearing="${ids[0]}"]`);
    assert.equal(await almaly.locator('[data-readiness="day-check"]').getAttribute('data-result'), 'passed');
    // Esil's 12:00 hearing: the day check (10:00) and the connection (11:30) are ahead.
    assert.equal(await page.locator(`tr[data-vks-hearing="${ids[2]}"] [data-readiness="day-check"]`).getAttribute('data-result'), 'pending');
    assert.equal(await almaly.locator('[data-readiness="connection"]').getAttribute('data-result'), 'pending');
    assert.match(await almaly.innerText(), /07:4\d/);
    assert.match(await almaly.innerText(), /7511-26-00-2\/1043/);

    const bad = page.locator(`table#vks-day tr[data-vks-hearing="${failing}"]`);
    assert.equal(await bad.getAttribute('data-state'), 'delayed');
    assert.equal(await bad.locator('[data-readiness="connection"]').getAttribute('data-result'), 'failed');
    assert.match(await bad.locator('[data-readiness="connection"]').innerText(), /не пройдена.*не зарегистрирован/s);
    assert.match(await bad.innerText(), /Начало задержано, составлен акт/);
    const act = bad.locator('a[data-doc="act"][data-lang="ru"]');
    const href = await act.getAttribute('href');
    assert.equal(href, `/api/vks/hearings/${failing}/documents/act?lang=ru`);
    for (const lang of ['ru', 'kk']) {
      const res = await page.request.get(`${rig.collector.url}/api/vks/hearings/${failing}/documents/act?lang=${lang}`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'application/pdf');
      assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
    }
    // Only administrators and the like see no create form here: 'recording.impossible' is the secretary's.
    assert.equal(await page.locator('form#vks-create').count(), 1, 'the administrator may keep the schedule (vks.schedule)');
    await page.screenshot({ path: path.join(shots(), 'vks-day-ru.png'), fullPage: true });

    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Күндегі БКБ арқылы отырыстар').first().waitFor();
    assert.match(await bad.locator('[data-readiness="connection"]').innerText(), /өтпеді/);
    assert.match(await bad.innerText(), /Басталуы кешіктірілді/);
    await page.screenshot({ path: path.join(shots(), 'vks-day-kk.png'), fullPage: true });
  });

  it('the hall page of bostandyk-district.1 shows its hearing: checks, deadlines, documents, act, test call, restoration form', async () => {
    const failing = ids[3]!;
    const page = await signIn('admin', '/hall/bostandyk-district.1');
    const card = page.locator(`section#vks-hall [data-vks-hearing="${failing}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'delayed');
    assert.equal(await card.locator('[data-readiness="connection"]').getAttribute('data-result'), 'failed');
    assert.match(await card.innerText(), /7512-26-00-1\/356/);
    assert.match(await card.innerText(), /Запрос \(прил\. 1\) — до \d\d\.\d\d\.2026 18:30/);
    for (const kind of ['request', 'answer', 'act']) {
      for (const lang of ['ru', 'kk']) assert.equal(await card.locator(`a[data-doc="${kind}"][data-lang="${lang}"]`).count(), 1, `${kind} ${lang}`);
    }
    const req = await page.request.get(`${rig.collector.url}${await card.locator('a[data-doc="request"][data-lang="kk"]').getAttribute('href')}`);
    assert.equal(req.status(), 200);
    assert.equal(req.headers()['content-type'], 'application/pdf');
    await page.locator('section#vks-hall button#vks-test-call').waitFor();

    // The technical specialist's restoration time (001 §24): the administrator may manage incidents too.
    const form = card.locator(`form[data-restoration="${failing}"]`);
    await form.locator('input[name="at"]').fill('2026-11-23T09:30');
    await form.locator('input[name="note"]').fill('Замена блока питания');
    await form.locator('button[type="submit"]').click();
    await card.locator('[data-field="restoration"]').waitFor();
    assert.match(await card.locator('[data-field="restoration"]').innerText(), /23\.11\.2026 09:30.*Замена блока питания/);
    await page.locator('section#vks-hall').screenshot({ path: path.join(shots(), 'vks-hall-ru.png') });
  });

  it('a secretary creates a hearing in her court and sees an import refused row by row', async () => {
    const page = await signIn('secretary-almaly', '/vks');
    await page.locator(`table#vks-day tr[data-vks-hearing="${ids[0]}"]`).waitFor();
    // Her court only: the other courts' hearings are not hers to see.
    assert.equal(await page.locator('table#vks-day tr[data-vks-hearing]').count(), 1);
    const form = page.locator('form#vks-create');
    await form.locator('input[name="time"]').fill('15:30');
    await form.locator('input[name="case"]').fill('7511-26-00-2/2000');
    await form.locator('select[name="remote_kind"]').selectOption('court');
    await form.locator('input[name="remote_name"]').fill('Есильский районный суд г. Астаны, зал № 3');
    await form.locator('button#vks-create-submit').click();
    await page.locator('#vks-create-result[data-result="ok"]').waitFor();
    await page.locator('table#vks-day tr[data-vks-hearing]', { hasText: '7511-26-00-2/2000' }).waitFor();
    assert.equal(await page.locator('table#vks-day tr[data-vks-hearing]').count(), 2);

    const imp = page.locator('form#vks-import');
    await imp.locator('textarea').fill('court,hall,date,time,case,remote_kind,remote_name\nalmaly-district,9,2026-11-25,10:00,x,court,y\nalmaly-district,4,2026-11-25,25:00,x,phone,y\n');
    await imp.locator('button#vks-import-submit').click();
    await page.locator('#vks-import-result[data-result="invalid"]').waitFor();
    const problems = await page.locator('#vks-import-problems li').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')}:${e.getAttribute('data-field')}`));
    assert.deepEqual(problems, ['2:hall', '3:time', '3:remote_kind']);
    assert.match(await page.locator('#vks-import-problems').innerText(), /Строка 2, поле «Зал»/);
    await page.screenshot({ path: path.join(shots(), 'vks-day-secretary.png'), fullPage: true });
  });
});
