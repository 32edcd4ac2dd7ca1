/**
 * The hall page shows a camera's identity (facts) and the snapshot that judged it, served from
 * /api/evidence, in Chromium over the demo region (FakeClock; the cameras are ONVIF simulators).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

describe('hall page: camera facts and snapshots', function () {
  this.timeout(30_000);
  let rig: DemoRig;
  let browser: Browser;
  let page: Page;
  const card = (id: string) => `article[data-device-id="${id}"]`;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
    // A second round a probe interval later: the frozen camera shows the same picture again.
    await rig.clock.advance(20_000);
    await rig.probeAll();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(rig.collector.url + '/');
    await page.waitForSelector('form#login-form');
    await page.fill('input#login', 'dept');
    await page.fill('input#password', rig.passwords.get('dept')!);
    await page.click('button#sign-in');
    await page.waitForSelector('#user-role');
  });
  after(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('a black picture: the thumbnail, the check that judged it, and the camera\'s maker, model, firmware, serial', async () => {
    await page.goto(rig.collector.url + '/#/hall/bostandyk-district.2');
    const fig = `${card('bostandyk-district-h2-cam1')} figure[data-snapshot-check="snapshot"][data-status="down"]`;
    await page.waitForSelector(`${fig} img`);
    // The thumbnail really loads from /api/evidence/<ref> with the session.
    const img = page.locator(`${fig} img`);
    await img.evaluate((el: HTMLImageElement) => (el.complete ? undefined : new Promise((r) => {
      el.addEventListener('load', r, { once: true });
      el.addEventListener('error', r, { once: true });
    })));
    assert.match((await img.getAttribute('src'))!, /^\/api\/evidence\/[0-9a-f]{64}$/);
    assert.equal(await img.evaluate((el: HTMLImageElement) => el.naturalWidth), 160);
    assert.match(await page.locator(fig).innerText(), /Изображение[\s\S]*Чёрное изображение: нет видео или закрыт объектив/);
    const facts = page.locator(`${card('bostandyk-district-h2-cam1')} dl[data-facts]`);
    assert.deepEqual(await facts.locator('dd').allInnerTexts(), ['HIKVISION', 'DS-2CD2143G2-I', '1.10', (rig.demo.simulators.get('bostandyk-district-h2-cam1') as unknown as { identity: { serial: string } }).identity.serial]);
    await page.screenshot({ path: path.join(process.env.HALLWATCH_SCREENSHOTS ?? rig.dir, 'hall-camera-black.png'), fullPage: true });
  });

  it('a frozen picture after its second probe, and an ok one beside it', async () => {
    await page.goto(rig.collector.url + '/#/hall/esil-district.1');
    await page.waitForSelector(`${card('esil-district-h1-cam1')} figure[data-status="down"] img`);
    assert.match(await page.locator(`${card('esil-district-h1-cam1')} figure`).innerText(), /застыло/);
    await page.waitForSelector(`${card('esil-district-h1-cam2')} figure[data-status="ok"] img`);
    assert.match(await page.locator(`${card('esil-district-h1-cam2')} dd[data-fact="maker"]`).innerText(), /Dahua/);
  });

  it('a camera refusing our password shows no picture, only its check', async () => {
    await page.goto(rig.collector.url + '/#/hall/bostandyk-district.3');
    await page.waitForSelector(`${card('bostandyk-district-h3-cam1')} tr[data-check="onvif-connect"][data-status="unknown"]`);
    assert.equal(await page.locator(`${card('bostandyk-district-h3-cam1')} figure`).count(), 0);
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.getByText('Аутентификация сәтсіз').first().waitFor({ timeout: 10_000 });
    await page.locator('hw-lang-switch button[data-lang="ru"]').click();
  });
});
