import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

const tile = (hall: string, status?: string) => `[data-hall-id="${hall}"]${status ? `[data-status="${status}"]` : ''}`;

describe('console in Chromium', function () {
  let rig: DemoRig;
  let browser: Browser;
  let page: Page;
  // Set HALLWATCH_SCREENSHOTS=DIR to keep the screenshots and look at them.
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('signs in through the form as the Department coordinator', async () => {
    await page.goto(rig.collector.url + '/');
    await page.waitForSelector('form#login-form');
    await page.fill('input#login', 'dept');
    await page.fill('input#password', rig.passwords.get('dept')!);
    await page.click('button#sign-in');
    await page.waitForSelector('#user-role[data-role="department-coordinator"]');
  });

  it('shows the board grouped by region and court, with status colours and causes in words', async () => {
    await page.waitForSelector(tile('almaly-district.2', 'down'));
    await page.waitForSelector(tile('bostandyk-district.1', 'degraded'));
    await page.waitForSelector(tile('almaty-city.1', 'ok'));
    const text = await page.locator(tile('almaly-district.2')).innerText();
    assert.match(text, /Камера/, 'the cause names the device category in Russian');
    assert.match(text, /HTTP 500/, 'and says what went wrong');
    await page.getByText('Алмалинский районный суд г. Алматы').first().waitFor();
    await page.getByText('г. Астана').first().waitFor();
    await page.screenshot({ path: path.join(shots(), 'board-ru.png') });
  });

  it('receives a hall status change live over the WebSocket, without a reload', async () => {
    await page.waitForSelector(tile('esil-district.3', 'ok'));
    await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 42));
    await rig.demo.simulators.get('esil-district-h3-cam1')!.setFault('http-500');
    await rig.collector.scheduler.probeNow('esil-district-h3-cam1');
    await page.waitForSelector(tile('esil-district.3', 'down'), { timeout: 10_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload), 42, 'the page was not reloaded');

    await rig.demo.simulators.get('esil-district-h3-cam1')!.setFault('none');
    await rig.collector.scheduler.probeNow('esil-district-h3-cam1');
    await page.waitForSelector(tile('esil-district.3', 'ok'), { timeout: 10_000 });
  });

  it('switches to Kazakh from the one catalog', async () => {
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Алматы қаласы Алмалы аудандық соты').first().waitFor({ timeout: 10_000 });
    assert.match(await page.locator(tile('almaly-district.2')).innerText(), /Камера/);
    assert.equal(await page.locator('hw-lang-switch button[data-lang="kk"]').getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: path.join(shots(), 'board-kk.png') });
  });

  it('opens a hall page with its devices and checks, and probes a device on request', async () => {
    await page.goto(rig.collector.url + '/#/hall/almaly-district.3');
    await page.waitForSelector('#hall-header[data-hall="almaly-district.3"][data-status="down"]');
    await page.waitForSelector('#causes li[data-cause-device="almaly-district-h3-mic3"][data-effect="down"]');
    await page.waitForSelector('article[data-device-id="almaly-district-h3-mic3"][data-status="down"] tr[data-check="http-json"][data-status="down"]');
    await page.screenshot({ path: path.join(shots(), 'hall.png'), fullPage: true });

    // The microphone comes back; "probe now" from the page shows it at once.
    (rig.demo.simulators.get('almaly-district-h3-mic3') as unknown as { deadChannels: Set<number> }).deadChannels.delete(3);
    await page.locator('button[data-probe-device="almaly-district-h3-mic3"]').click();
    await page.waitForSelector('article[data-device-id="almaly-district-h3-mic3"][data-status="ok"]', { timeout: 10_000 });
    await page.waitForSelector('#hall-header[data-hall="almaly-district.3"][data-status="ok"]', { timeout: 10_000 });
  });
});
