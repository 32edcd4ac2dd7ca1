/**
 * Incidents in the console, in Chromium, on the demo rig's FakeClock: a healthy hall's
 * microphone dies and an incident opens; the chancellery head sees it in the alerts view with a
 * live countdown, the notices badge, and the board's marker; the regional coordinator reports to
 * the Department and confirms the cause; the technician and the Department confirm too, and the
 * act is drafted; a report deadline passes in a second incident and its step shows overdue and
 * escalated; the chancellery head edits the act, approves it (its PDFs in Russian and Kazakh
 * answer), and a later change makes version 2; the secretary's "Запись невозможна" button opens
 * an incident with the case number; the statistics count it all.
 * One Chromium, one demo rig; a fresh browser context (cookie jar) per person.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IncidentDto } from '../alerts/incidents/types';
import type { ActVersion } from '../alerts/acts/act-service';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

const HALL = 'almaly-district.1';
const SECOND_HALL = 'almaly-district.3';
const QUIET_HALL = 'almaly-district.4';

/** "23.11.2026 07:00" on the Almaty wall clock (what the console shows), from Node's ICU. */
function almaty(iso: string): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.day}.${p.month}.${p.year}`, time: `${p.hour}:${p.minute}` };
}

describe('console: incidents, escalation and the technical act in Chromium', function () {
  let rig: DemoRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** The incident of the hall whose microphone dies, and the one already open in hall 3. */
  let id = 0;
  let secondId = 0;
  /** The incident the secretary's button opens. */
  let reportedId = 0;
  /** When hall 1's outage began (UTC ISO, from the API). */
  let outageStart = '';
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
    // A healthy hall fails: almaly-district hall 1's microphone, channel 1.
    (rig.demo.simulators.get('almaly-district-h1-mic1') as unknown as { deadChannels: Set<number> }).deadChannels.add(1);
    await rig.collector.scheduler.probeNow('almaly-district-h1-mic1');
    // 130 s on the fake clock (openAfterSeconds is 120), the two halls' devices probed every
    // 20 s meanwhile: results older than 3 intervals would turn the halls 'unknown' instead.
    const devices = rig.demo.inventory.devices.filter((d) => d.hallId === HALL || d.hallId === SECOND_HALL);
    for (let left = 130_000; left > 0; left -= 20_000) {
      await Promise.all(devices.map((d) => rig.collector.scheduler.probeNow(d.id)));
      await rig.clock.advance(Math.min(20_000, left));
    }
    await rig.collector.engine.tick();
    const admin = await rig.client('admin');
    const list = (await admin.get<IncidentDto[]>('/api/incidents')).body;
    id = list.find((i) => i.hallId === HALL)?.id ?? 0;
    outageStart = list.find((i) => i.hallId === HALL)?.outageStartedAt ?? '';
    secondId = list.find((i) => i.hallId === SECOND_HALL)?.id ?? 0;
    assert.ok(id > 0, `an incident opened for ${HALL}: ${JSON.stringify(list.map((i) => i.hallId))}`);
    assert.ok(secondId > 0, `the dead microphone of ${SECOND_HALL} opened one too`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await rig?.stop();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  async function signIn(login: string, hash = '/'): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${rig.collector.url}/#${hash}`);
    await page.waitForSelector('form#login-form');
    await page.fill('input#login', login);
    await page.fill('input#password', rig.passwords.get(login)!);
    await page.click('button#sign-in');
    await page.waitForSelector(`#user-name[data-login="${login}"]`);
    return page;
  }

  /** A screenshot for people to look at; a full page from the top (the header is sticky). */
  async function shot(page: Page, name: string, fullPage = false): Promise<void> {
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots(), name), fullPage });
  }

  const row = (incident: number) => `table#alerts-table tr[data-incident-id="${incident}"]`;

  it('head-almaly: the alerts view lists the incident with a ticking countdown, live; the badge counts the notices; the board marks the hall', async () => {
    const page = await signIn('head-almaly', '/alerts');
    assert.equal(await page.locator('a#nav-alerts').innerText(), 'Инциденты');
    await page.waitForSelector(`${row(id)}[data-state="open"][data-overdue="false"]`);
    const r = page.locator(row(id));
    const text = await r.innerText();
    assert.match(text, /Зал № 1/);
    assert.match(text, /Алмалинский районный суд г\. Алматы/);
    assert.match(text, /Открыт/);
    const since = almaty(outageStart);
    assert.ok(text.includes(since.time), `since the outage began, in Almaty time (${outageStart} is ${since.time}): ${text}`);
    assert.match(text, /Микрофон: Поле alive = false, ожидалось true/, 'the cause in words');
    assert.match(text, /Доклад координатору Департамента/, 'the next step owed');
    assert.match(text, /Координатор областного суда/, 'and who owes it');
    const countdown = r.locator('[data-countdown]');
    // The countdown appears once the socket's hello has given the server's time (the rig's clock
    // is a fake one, a day off the browser's).
    await r.locator('[data-countdown]', { hasText: /^осталось 0:\d\d:\d\d$/ }).waitFor({ timeout: 5000 });
    const first = await countdown.innerText();
    assert.match(first, /^осталось 0:\d\d:\d\d$/);
    // It ticks by itself, each second.
    await page.waitForFunction(
      ([sel, before]) => {
        const el = document.querySelector('hw-app')?.shadowRoot?.querySelector('hw-alerts')?.shadowRoot?.querySelector(sel);
        return !!el && (el as HTMLElement).innerText !== before;
      },
      [`tr[data-incident-id="${id}"] [data-countdown]`, first] as const,
    );
    // Only this user's court: nothing from Astana or from other Almaty courts.
    for (const hallId of await page.locator('table#alerts-table tr[data-hall-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-hall-id')))) {
      assert.match(hallId ?? '', /^almaly-district\./);
    }

    // The notices: the badge counts them; opening the list reads them out and marks them read.
    await page.waitForSelector('#notif-badge:not([data-unread="0"])');
    assert.ok(Number(await page.locator('#notif-badge').getAttribute('data-unread')) > 0);
    await shot(page, 'incidents-alerts-ru.png');
    await page.click('#notif-badge');
    const notice = page.locator(`#notif-list li[data-incident-id="${id}"]`).first();
    await notice.waitFor();
    assert.ok(
      (await notice.innerText()).includes(`Запись судебного заседания невозможна: Алмалинский районный суд г. Алматы, зал № 1, с ${since.date} ${since.time}. Причина: Поле alive = false`),
      await notice.innerText(),
    );
    await page.waitForSelector('#notif-badge[data-unread="0"]');
    await shot(page, 'incidents-notices-ru.png');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#notif-panel', { state: 'detached' });

    // Live: acknowledged elsewhere, the row changes by itself (the 'incident' push).
    const head = await rig.client('head-almaly');
    assert.equal((await head.post(`/api/incidents/${id}/acknowledge`)).status, 200);
    await page.waitForSelector(`${row(id)}[data-state="acknowledged"]`);
    assert.match(await page.locator(row(id)).innerText(), /Принят в работу/);

    // In Kazakh.
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Оқиғалар').first().waitFor();
    const kk = await page.locator(row(id)).innerText();
    assert.match(kk, /№ 1 зал/);
    assert.match(kk, /Жұмысқа алынды/);
    assert.match(kk, /Департамент үйлестірушісіне/);
    assert.match(await page.locator(`${row(id)} [data-countdown]`).innerText(), /^0:\d\d:\d\d қалды$/);
    await shot(page, 'incidents-alerts-kk.png');
    await page.locator('hw-lang-switch button[data-lang="ru"]').click();

    // The board marks the hall; the mark goes to the incident, not to the hall page.
    await page.click('a#nav-board');
    const marker = page.locator(`[data-hall-id="${HALL}"] [data-incident-link="${id}"]`);
    await marker.waitFor();
    await shot(page, 'board-incident-marker-ru.png');
    await marker.click();
    await page.waitForSelector(`#incident-header[data-incident-id="${id}"]`);
    assert.equal(new URL(page.url()).hash, `#/incident/${id}`);
  });

  it('coord-almaty: reports to the Department from the incident page and confirms the cause', async () => {
    const page = await signIn('coord-almaty', `/incident/${id}`);
    await page.waitForSelector(`#incident-header[data-incident-id="${id}"][data-state="acknowledged"]`);
    const step = page.locator('li[data-step="report-department"]');
    await page.waitForSelector('li[data-step="report-department"][data-done="false"][data-overdue="false"]');
    assert.match(await step.innerText(), /000 §28/);
    await step.locator('[data-countdown]', { hasText: /^осталось 0:\d\d:\d\d$/ }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('button#ack').count(), 0, 'acknowledged already');

    // An empty report is refused in words, before any request.
    await page.click('#report-submit');
    await page.waitForSelector('#incident-message[data-form="report"][data-ok="false"]');
    await page.fill('#report-note', 'Алмалинский суд, зал № 1: не работает микрофон судьи (канал 1). Вызван техник СудТехСервис.');
    await page.click('#report-submit');
    await page.waitForSelector('li[data-step="report-department"][data-done="true"]');
    assert.match(await step.innerText(), /Выполнен .*coord-almaty/);
    assert.match(await step.innerText(), /Вызван техник СудТехСервис/);
    assert.equal(await page.locator('form#report-form').count(), 0);
    await page.waitForSelector('#timeline li[data-kind="step-done"]');

    await page.fill('#cause-text', 'Обрыв кабеля микрофона судьи');
    await page.click('#cause-submit');
    await page.waitForSelector('li[data-party="regional"][data-confirmed="true"]');
    assert.match(await page.locator('li[data-party="regional"]').innerText(), /Садыкова Айгерим/);
    assert.equal(await page.locator('li[data-party="department"][data-confirmed="false"]').count(), 1);
    await page.waitForSelector('#timeline li[data-kind="cause-confirmed"]');
    await page.waitForSelector('section#act[data-status="none"]');
    await shot(page, 'incident-page-ru.png', true);
  });

  it('tech-almaty and dept confirm the cause: with all three parties the act is drafted', async () => {
    const tech = await signIn('tech-almaty', `/incident/${id}`);
    await tech.waitForSelector('form#cause-form');
    assert.equal(await tech.locator('form#report-form').count(), 0, 'the report is the coordinator’s');
    await tech.fill('#cause-text', 'Повреждён кабель микрофона судьи у пульта; кабель заменён');
    await tech.click('#cause-submit');
    await tech.waitForSelector('li[data-party="service-org"][data-confirmed="true"]');

    const dept = await signIn('dept', `/incident/${id}`);
    await dept.waitForSelector('form#cause-form');
    await dept.fill('#cause-text', 'Механическое повреждение кабеля микрофона');
    await dept.click('#cause-submit');
    await dept.waitForSelector('li[data-step="confirm-cause"][data-done="true"]');
    await dept.waitForSelector('section#act[data-status="draft"][data-version="1"]');
    await dept.waitForSelector('#timeline li[data-kind="act-drafted"]');
    await dept.waitForSelector('li[data-step="approve-act"][data-started="true"][data-done="false"]');
    const act = await dept.locator('section#act').innerText();
    assert.match(act, /Механическое повреждение кабеля микрофона/);
    assert.match(act, /Обрыв кабеля микрофона судьи/);
    // The technician's page hears of it too (the push).
    await tech.waitForSelector('section#act[data-status="draft"][data-version="1"]');
    await shot(dept, 'incident-steps-ru.png', true);
    await dept.locator('hw-lang-switch button[data-lang="kk"]').click();
    await dept.getByText('Регламент қадамдары').first().waitFor();
    assert.match(await dept.locator('li[data-step="confirm-cause"]').innerText(), /Ақаудың себебін растау/);
    assert.match(await dept.locator('li[data-party="regional"]').innerText(), /Облыстық сот үйлестірушісі/);
    assert.match(await dept.locator('#timeline').innerText(), /Техникалық актінің жобасы жасалды, 1-нұсқа/);
    await shot(dept, 'incident-steps-kk.png', true);
  });

  it('a second incident’s report deadline passes: the step is overdue and escalated, first in the list', async () => {
    await rig.clock.advance(61 * 60_000);
    await rig.collector.engine.escalate();
    const page = await signIn('coord-almaty', '/alerts');
    await page.waitForSelector(`${row(secondId)}[data-overdue="true"]`);
    const r = page.locator(row(secondId));
    assert.match(await r.locator('[data-countdown]').innerText(), /^просрочено на \d+:\d\d:\d\d$/);
    assert.match(await r.innerText(), /Эскалация: уровень 1/);
    const order = await page.locator('table#alerts-table tr[data-incident-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-overdue')));
    assert.equal(order[0], 'true', 'overdue first');
    assert.ok(order.indexOf('false') < 0 || order.lastIndexOf('true') < order.indexOf('false'), `overdue rows before the others: ${order}`);
    await shot(page, 'incidents-alerts-overdue-ru.png');

    await page.click(`${row(secondId)} a[data-incident-link]`);
    await page.waitForSelector(`#incident-header[data-incident-id="${secondId}"]`);
    await page.waitForSelector('li[data-step="report-department"][data-overdue="true"][data-done="false"]');
    assert.match(await page.locator('li[data-step="report-department"]').innerText(), /Эскалация: уровень 1/);
    await page.waitForSelector('#timeline li[data-kind="escalated"]');
    assert.match(await page.locator('#timeline li[data-kind="escalated"]').first().innerText(), /Эскалация \(уровень 1\): «Доклад координатору Департамента/);
    // The first incident's report was made in time: not overdue.
    await page.goto(`${rig.collector.url}/#/incident/${id}`);
    await page.waitForSelector(`#incident-header[data-incident-id="${id}"]`);
    await page.waitForSelector('li[data-step="report-department"][data-done="true"][data-overdue="false"]');
  });

  it('head-almaly: edits the act, approves it; the PDFs answer in Russian and Kazakh; a later change is version 2', async () => {
    const page = await signIn('head-almaly', `/incident/${id}/act`);
    await page.waitForSelector('section#act[data-status="draft"][data-version="1"]');
    const description = 'Во время заседания по делу 2-777/2026 пропал звук с микрофона судьи; заседание отложено.';
    await page.fill('textarea#act-description', description);
    await page.waitForSelector('#act-dirty');
    assert.ok(await page.locator('button#act-approve').isDisabled(), 'save before approving');
    await page.fill('textarea#act-measures', 'Кабель микрофона заменён техником СудТехСервис.');
    await page.fill('input[data-signatory="chancellery-head"]', 'Нурланова Д.');
    await page.click('button#act-save');
    await page.waitForSelector('#act-message[data-ok="true"]');
    const head = await rig.client('head-almaly');
    const saved = (await head.get<ActVersion[]>(`/api/incidents/${id}/act`)).body;
    assert.equal(saved[0]!.act.description, description);
    assert.equal(saved[0]!.act.signatories.find((s) => s.role === 'chancellery-head')?.name, 'Нурланова Д.');
    await shot(page, 'act-editor-ru.png', true);
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Техникалық акт').first().waitFor();
    assert.match(await page.locator('section#act').innerText(), /Жоба · 1-нұсқа/);
    await shot(page, 'act-editor-kk.png', true);
    await page.locator('hw-lang-switch button[data-lang="ru"]').click();

    await page.click('button#act-approve');
    await page.waitForSelector('#act-approve-confirm');
    await page.click('button#act-approve-yes');
    await page.waitForSelector('section#act[data-status="approved"][data-version="1"]');
    assert.equal(await page.locator('textarea#act-description').count(), 0, 'read-only once approved');
    assert.equal(await page.locator('#act-description-text').innerText(), description);
    assert.match(await page.locator('#act-frozen').innerText(), /больше не изменяется/);
    await page.waitForSelector('li[data-step="approve-act"][data-done="true"]');
    await page.waitForSelector('#timeline li[data-kind="act-approved"]');
    await shot(page, 'act-approved-ru.png', true);

    for (const lang of ['ru', 'kk'] as const) {
      const href = await page.locator(`a#act-pdf-${lang}`).getAttribute('href');
      assert.equal(href, `/api/incidents/${id}/act.pdf?lang=${lang}&version=1`);
      const res = await page.request.get(new URL(href!, rig.collector.url).toString());
      assert.equal(res.status(), 200, `${lang} PDF`);
      assert.match(res.headers()['content-type'] ?? '', /^application\/pdf/);
      assert.equal((await res.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    }

    // Changing an approved act makes a new draft version; version 1 stays as it was.
    await page.click('button#act-new-version');
    await page.fill('textarea#act-measures', 'Кабель микрофона заменён; проведена проверка записи.');
    assert.match(await page.locator('button#act-save').innerText(), /Сохранить как версию 2/);
    await page.click('button#act-save');
    await page.waitForSelector('section#act[data-status="draft"][data-version="2"]');
    await page.waitForSelector('ol#act-versions li[data-act-version="1"][data-status="approved"]');
    await page.waitForSelector('ol#act-versions li[data-act-version="2"][data-status="draft"]');
    const v = (await head.get<ActVersion[]>(`/api/incidents/${id}/act`)).body;
    assert.deepEqual(v.map((x) => [x.version, x.status]), [[2, 'draft'], [1, 'approved']]);
    assert.equal(v[1]!.act.description, description);
  });

  it('secretary-almaly: "Запись невозможна" on a hall page opens an incident with the case number', async () => {
    const page = await signIn('secretary-almaly', `/hall/${encodeURIComponent(QUIET_HALL)}`);
    await page.waitForSelector(`#hall-header[data-hall="${QUIET_HALL}"]`);
    const button = page.locator('button#report-impossible');
    assert.equal((await button.innerText()).trim(), 'Запись невозможна');
    await button.click();
    await page.fill('#report-case', '2-1234/2026');
    await page.fill('#report-note-text', 'Нет записи: компьютер секретаря не видит микрофоны');
    await shot(page, 'report-impossible-ru.png');
    await page.click('#report-impossible-submit');
    await page.waitForFunction(() => /^#\/incident\/\d+$/.test(location.hash));
    const newId = Number(new URL(page.url()).hash.split('/')[2]);
    reportedId = newId;
    assert.ok(newId > secondId);
    await page.waitForSelector(`#incident-header[data-incident-id="${newId}"][data-state="open"]`);
    assert.equal((await page.locator('#incident-case').innerText()).trim(), '2-1234/2026');
    assert.match(await page.locator('#timeline li[data-kind="opened"]').innerText(), /по сообщению «Запись невозможна»/);
    assert.match(await page.locator('#timeline li[data-kind="opened"]').innerText(), /компьютер секретаря не видит микрофоны/);
    assert.equal(await page.locator('button#ack').count(), 0, 'a secretary does not manage incidents');
    assert.equal(await page.locator('form#cause-form').count(), 0);
    assert.equal(await page.locator('#incident-actions').count(), 0);

    // The hall page now links to the incident; a technician sees no such button.
    const tech = await signIn('tech-almaty', `/hall/${encodeURIComponent(QUIET_HALL)}`);
    await tech.waitForSelector(`a#hall-incident-link[data-incident-id="${newId}"]`);
    assert.equal(await tech.locator('button#report-impossible').count(), 0);
    await shot(tech, 'hall-incident-bar-ru.png');
  });

  it('head-almaly: acknowledges, comments, assigns, sets the case number and resolves; a resolved incident leaves the active list', async () => {
    assert.ok(reportedId > 0);
    const page = await signIn('head-almaly', `/incident/${reportedId}`);
    await page.waitForSelector(`#incident-header[data-incident-id="${reportedId}"][data-state="open"]`);
    await page.click('button#ack');
    await page.waitForSelector(`#incident-header[data-incident-id="${reportedId}"][data-state="acknowledged"]`);
    await page.waitForSelector('#timeline li[data-kind="acknowledged"]');

    await page.fill('#comment-text', 'Техник выехал в суд');
    await page.click('#comment-submit');
    await page.waitForSelector('#timeline li[data-kind="comment"]');
    assert.match(await page.locator('#timeline li[data-kind="comment"]').innerText(), /Техник выехал в суд/);

    await page.fill('#assign-login', 'nobody-here');
    await page.click('#assign-submit');
    await page.waitForSelector('#incident-message[data-form="assign"][data-ok="false"]');
    assert.match(await page.locator('#incident-message').innerText(), /логин действующего пользователя/);
    await page.fill('#assign-login', 'tech-almaty');
    await page.click('#assign-submit');
    await page.waitForSelector('#incident-assignee');
    assert.equal(await page.locator('#incident-assignee').innerText(), 'tech-almaty');

    await page.fill('#case-number', '2-1234/2026 <script>');
    await page.click('#case-submit');
    await page.waitForSelector('#incident-message[data-form="case"][data-ok="false"]');
    await page.fill('#case-number', '2-555/2026');
    await page.click('#case-submit');
    await page.waitForSelector('#incident-case[data-case="2-555/2026"]');
    await page.waitForSelector('#timeline li[data-kind="case-number"]');

    await page.click('button#resolve');
    await page.waitForSelector('#incident-message[data-form="resolve"][data-ok="false"]');
    await page.fill('#resolution', 'Микрофоны переподключены, запись восстановлена');
    await page.click('button#resolve');
    await page.waitForSelector(`#incident-header[data-incident-id="${reportedId}"][data-state="resolved"]`);
    await page.waitForSelector('#timeline li[data-kind="resolved"]');
    assert.equal(await page.locator('button#resolve').count(), 0);
    assert.match(await page.locator('#incident-header').innerText(), /Микрофоны переподключены/);

    await page.click('#back-to-alerts');
    await page.waitForSelector('table#alerts-table[data-mode="active"]');
    await page.waitForSelector(row(id));
    assert.equal(await page.locator(row(reportedId)).count(), 0, 'resolved: not among the active');
    await page.click('#alerts-all');
    await page.waitForSelector(`table#alerts-table[data-mode="all"] tr[data-incident-id="${reportedId}"][data-state="resolved"][data-overdue="false"]`);
    await page.selectOption('#alerts-state', 'resolved');
    assert.deepEqual(
      await page.locator('table#alerts-table tr[data-incident-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))),
      ['resolved'],
    );
    await page.click('#alerts-active');
  });

  it('statistics per court and per service organization', async () => {
    const page = await signIn('dept', '/incidents/stats');
    await page.waitForSelector('table#stats-courts tr[data-court-id="almaly-district"]');
    const cell = async (sel: string, field: string) => Number(await page.locator(`${sel} [data-field="${field}"]`).innerText());
    const court = 'table#stats-courts tr[data-court-id="almaly-district"]';
    assert.ok((await cell(court, 'incidents')) >= 3, 'halls 1 and 3, and the secretary’s report in hall 4');
    assert.ok((await cell(court, 'overdue')) >= 1, 'the second incident’s late report');
    assert.match(await page.locator(`${court} [data-field="ack"]`).innerText(), /мин|меньше минуты/);
    const org = 'table#stats-orgs tr[data-org-id="sudtechservice"]';
    await page.waitForSelector(org);
    assert.match(await page.locator(org).innerText(), /ТОО «СудТехСервис»/);
    assert.ok((await cell(org, 'incidents')) >= 3);
    await shot(page, 'incident-stats-ru.png', true);
  });
});
