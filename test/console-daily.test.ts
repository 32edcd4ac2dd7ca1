/**
 * The daily check in the console (issue 8): the day view of a chancellery head's court, the
 * checklist worked through and signed (read-only afterwards, a failed microphone opens an
 * incident), signing by court level (the technician signs the appellate court's halls, not the
 * district's), the compliance report with its CSV, and the free equipped halls board.
 * One Chromium, one demo rig on a FakeClock at Monday 08:30 in Almaty.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DailyCheckDto } from '../collector/daily-check/service';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

const AT_0830 = Date.parse('2026-11-23T03:30:00Z'); // Monday 08:30 in Almaty

describe('console: the daily check, compliance and free halls in Chromium', function () {
  this.timeout(90_000);
  let rig: DemoRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;
  let checks: DailyCheckDto[] = [];
  const checkOf = (hallId: string) => checks.find((c) => c.hallId === hallId)!;

  before(async () => {
    rig = await startDemoRig();
    await rig.clock.advance(AT_0830 - rig.clock.now());
    await rig.collector.dailyChecks.tick();
    const admin = await rig.client('admin');
    checks = (await admin.get<{ checks: DailyCheckDto[] }>('/api/daily-checks')).body.checks;
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await browser?.close();
    await rig?.stop();
  });

  async function signIn(login: string, hash: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
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

  const lang = async (page: Page, l: 'ru' | 'kk') => {
    await page.locator(`hw-lang-switch button[data-lang="${l}"]`).click();
    await page.waitForFunction((x) => document.documentElement.lang === x, l);
  };

  /** Marks every item that needs eyes or ears: ok, except the given keys. */
  async function markAll(page: Page, check: DailyCheckDto, fail: string[] = []): Promise<void> {
    for (const item of check.items.filter((i) => i.eyeCheck)) {
      await page.locator(`input[type=radio][name="mark-${item.key}"][value="${fail.includes(item.key) ? 'fail' : 'ok'}"]`).check();
    }
  }

  async function signChecklist(page: Page): Promise<void> {
    await page.click('button#checklist-sign');
    await page.waitForSelector('dialog#checklist-confirm[open]');
    await page.click('button#checklist-confirm-yes');
    await page.waitForSelector('section#checklist[data-signed="true"] #signoff');
  }

  it('the chancellery head works through her court\'s checklists and signs them', async () => {
    const page = await signIn('head-almaly', '/daily');
    // The nav offers the three views.
    for (const id of ['nav-daily', 'nav-compliance', 'nav-free']) await page.waitForSelector(`a#${id}`);
    await page.waitForSelector('#daily-summary [data-count="pending"]');
    const halls = ['almaly-district.1', 'almaly-district.2', 'almaly-district.3', 'almaly-district.4'];
    for (const h of halls) await page.waitForSelector(`[data-daily-hall="${h}"][data-daily-state="pending"]`);
    assert.equal(await page.locator('[data-daily-hall]').count(), 4, 'only her court');
    assert.equal(await page.locator('#daily-summary [data-count="pending"] b').innerText(), '4');
    assert.equal(await page.locator('#daily-summary [data-count="signed"] b').innerText(), '0');
    assert.match(await page.locator('[data-daily-hall="almaly-district.1"]').innerText(), /Ожидает подписи/);
    await page.screenshot({ path: path.join(shots(), 'daily-day-ru.png'), fullPage: true });
    await lang(page, 'kk');
    await page.getByText('Қол қоюды күтуде').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'daily-day-kk.png'), fullPage: true });
    await lang(page, 'ru');

    // Hall 1: every item fine.
    const c1 = checkOf('almaly-district.1');
    await page.click(`[data-daily-hall="almaly-district.1"] a`);
    await page.waitForSelector(`section#checklist[data-check-id="${c1.id}"][data-signed="false"]`);
    assert.equal(await page.locator('li[data-item]').count(), c1.items.length);
    await page.waitForSelector(`li[data-item="${c1.items[0].key}"][data-status="${c1.items[0].status}"]`);
    // Camera snapshots come from the evidence store and load.
    await page.waitForFunction(() => {
      const imgs = [...(document.querySelector('hw-app')!.shadowRoot!.querySelector('hw-checklist')!.shadowRoot!.querySelectorAll('.shots img'))] as HTMLImageElement[];
      return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    assert.ok(await page.locator('button#checklist-sign').isDisabled(), 'not before every eye item is marked');
    await page.waitForSelector('button#checklist-rerun');
    await page.screenshot({ path: path.join(shots(), 'daily-checklist-before-ru.png'), fullPage: true });
    await lang(page, 'kk');
    await page.getByText('Тексерілді, қалыпты').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'daily-checklist-before-kk.png'), fullPage: true });
    await lang(page, 'ru');
    await markAll(page, c1);
    await page.fill('textarea#checklist-note', 'Всё проверено перед заседаниями');
    assert.ok(await page.locator('button#checklist-sign').isEnabled());
    await page.click('button#checklist-sign');
    await page.waitForSelector('dialog#checklist-confirm[open]');
    assert.match(await page.locator('dialog#checklist-confirm').innerText(), /изменить нельзя/);
    await page.click('button#checklist-confirm-yes');
    await page.waitForSelector('section#checklist[data-signed="true"] #signoff[data-login="head-almaly"][data-on-time="true"]');
    assert.equal(await page.locator('a#checklist-incident').count(), 0, 'nothing failed, no incident');
    assert.equal(await page.locator('input[type=radio]').count(), 0, 'read-only once signed');
    assert.equal(await page.locator('button#checklist-sign').count(), 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots(), 'daily-checklist-after-ru.png'), fullPage: true });

    // Reloading shows the same sign-off, read-only.
    await page.reload();
    await page.waitForSelector('section#checklist[data-signed="true"] #signoff[data-login="head-almaly"]');
    assert.match(await page.locator('#signoff').innerText(), /Проверка подписана[\s\S]*в срок/);
    await lang(page, 'kk');
    await page.getByText('Тексеруге қол қойылды').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'daily-checklist-after-kk.png'), fullPage: true });
    await lang(page, 'ru');

    // The day view: hall 1 signed.
    await page.click('a#nav-daily');
    await page.waitForSelector('[data-daily-hall="almaly-district.1"][data-daily-state="signed"]');
    await page.waitForSelector('#daily-summary [data-count="signed"]');
    assert.equal(await page.locator('#daily-summary [data-count="signed"] b').innerText(), '1');

    // Hall 3: the dead microphone, marked not fine → an incident.
    const c3 = checkOf('almaly-district.3');
    const mic = c3.items.find((i) => i.category === 'microphone' && i.status === 'down')!;
    await page.goto(`${rig.collector.url}/#/daily/check/${c3.id}`);
    await page.waitForSelector(`section#checklist[data-check-id="${c3.id}"][data-signed="false"]`);
    await page.waitForSelector(`li[data-item="${mic.key}"][data-status="down"]`);
    await markAll(page, c3, [mic.key]);
    await page.fill(`input[name="note-${mic.key}"]`, 'Нет звука');
    await signChecklist(page);
    const link = page.locator('a#checklist-incident');
    await link.waitFor();
    assert.match((await link.getAttribute('href'))!, /^#\/incident\/\d+$/);
    assert.match(await page.locator(`li[data-item="${mic.key}"]`).innerText(), /Не в норме — Нет звука/);
    await page.click('a#nav-daily');
    await page.waitForSelector('[data-daily-hall="almaly-district.3"][data-daily-state="failed"]');
  });

  it('the technician signs the appellate court\'s checklist, not the district court\'s', async () => {
    const page = await signIn('tech-almaty', '/daily');
    await page.waitForSelector('[data-daily-hall="almaty-city.1"][data-daily-state="pending"]');
    const city = checkOf('almaty-city.1');
    await page.goto(`${rig.collector.url}/#/daily/check/${city.id}`);
    await page.waitForSelector(`section#checklist[data-check-id="${city.id}"]`);
    await markAll(page, city);
    await signChecklist(page);
    await page.waitForSelector('#signoff[data-login="tech-almaty"]');

    const district = checkOf('almaly-district.2');
    await page.goto(`${rig.collector.url}/#/daily/check/${district.id}`);
    await page.waitForSelector(`section#checklist[data-check-id="${district.id}"][data-signed="false"]`);
    await page.waitForSelector('#checklist-owner');
    assert.equal(await page.locator('button#checklist-sign').count(), 0);
    assert.equal(await page.locator('input[type=radio]').count(), 0);
  });

  it('compliance shows the signed counts with CSV and PDF links; the free-halls board', async () => {
    const page = await signIn('head-almaly', '/compliance');
    const row = page.locator('table#compliance-court tr[data-id="almaly-district"]');
    await row.waitFor();
    assert.equal(await row.locator('[data-col="onTime"]').innerText(), '2', 'halls 1 and 3 signed on time');
    assert.equal(await row.locator('[data-col="failures"]').innerText(), '2');
    const csv = await page.locator('a#compliance-csv').getAttribute('href');
    const res = await page.request.get(new URL(csv!, rig.collector.url).toString());
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/csv/);
    assert.match((await page.locator('a#compliance-pdf-ru').getAttribute('href'))!, /format=pdf&lang=ru/);
    assert.match((await page.locator('a#compliance-pdf-kk').getAttribute('href'))!, /format=pdf&lang=kk/);
    await page.screenshot({ path: path.join(shots(), 'daily-compliance-ru.png'), fullPage: true });
    await lang(page, 'kk');
    await page.getByText('Мерзімінде үлесі').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'daily-compliance-kk.png'), fullPage: true });
    await lang(page, 'ru');

    await page.click('a#nav-free');
    await page.waitForSelector('[data-free-hall="almaly-district.1"]');
    assert.equal(await page.locator('[data-free-hall="almaly-district.3"]').count(), 0, 'a dead microphone and an open incident');
    await page.screenshot({ path: path.join(shots(), 'daily-free-ru.png'), fullPage: true });
  });
});
