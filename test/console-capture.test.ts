/**
 * Issue 6 from the console: the secretary of Almaly district court opens hall 4 (the real recorder
 * agent: ffmpeg on lavfi sources, every channel alive), starts a recording with a case number in the
 * capture panel, sees it recording with elapsed time and live level meters, marks a speaker, stops;
 * the finished recording is listed as verified with verified copies, and its short protocol opens in
 * Russian and Kazakh. The same through the API, and `hallwatch recording verify DIR` exits 0 on the
 * recording folder. The chancellery head (no 'recording.control') sees the panel without controls.
 * The meters move over the console's WebSocket (subscribe-levels; the page never asks
 * /api/recorders/:id/levels), the subscription ends when the panel leaves the page, and a recorder
 * agent that goes away leaves the panel saying there are no levels.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { main } from '../collector/cli/main';
import type { FakeClock } from '../collector/core/clock';
import type { RecorderAgent } from '../device-drivers/recorder/agent/agent';
import { launchChromium } from './helpers/browser';
import { startDemoRig, type DemoRig } from './helpers/demo';

const HALL = 'almaly-district.4';
const REC = 'almaly-district-h4-rec';
const CASE = '2-314/2026';

/**
 * The collector runs on the rig's FakeClock; the agent, ffmpeg and Chromium run in real time.
 * While pages are open the test moves the Clock with real time, so that the collector's level
 * relay reads the agent at its 4 Hz as it would in production (the relay never sleeps itself).
 */
function clockFollowsRealTime(clock: FakeClock): { stop(): Promise<void> } {
  let running = true;
  let last = Date.now();
  const done = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 50));
      const now = Date.now();
      await clock.advance(now - last);
      last = now;
    }
  })();
  return { async stop() { running = false; await done; } };
}

/** What a page did over the network: HTTP requests for levels (must be none) and its WebSocket frames. */
interface Traffic {
  levelRequests: string[];
  sent: Array<{ type: string; deviceId?: string }>;
  levels: Array<{ deviceId: string; available: boolean; at: string; channels?: Array<{ channel: number; rmsDbfs: number }> }>;
}

describe('console: capture control of a hall with the real recorder agent (Chromium)', function () {
  this.timeout(60_000);
  let rig: DemoRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shots = () => process.env.HALLWATCH_SCREENSHOTS ?? rig.dir;
  const agent = () => (rig.demo.simulators.get(REC) as unknown as { agent: RecorderAgent }).agent;
  const relay = () => rig.collector.live.levels!;
  let clock: { stop(): Promise<void> } | undefined;

  before(async () => {
    rig = await startDemoRig();
    browser = await launchChromium();
    clock = clockFollowsRealTime(rig.clock);
  });
  after(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await clock?.stop();
    await browser?.close();
    // Stops the collector and the demo region, with every recorder agent and its ffmpeg processes.
    await rig?.stop();
  });

  /** Polls a condition on a real process or the page (no fixed sleeps). */
  async function until(cond: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function signIn(login: string, hash: string): Promise<{ page: Page; ctx: BrowserContext; traffic: Traffic }> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const traffic: Traffic = { levelRequests: [], sent: [], levels: [] };
    page.on('request', (r) => {
      if (/\/api\/recorders\/[^/]+\/levels/.test(r.url())) traffic.levelRequests.push(r.url());
    });
    page.on('websocket', (ws) => {
      const parse = (p: string | Buffer) => {
        try {
          return JSON.parse(String(p)) as { type?: string };
        } catch {
          return {};
        }
      };
      ws.on('framesent', (f) => traffic.sent.push(parse(f.payload) as Traffic['sent'][number]));
      ws.on('framereceived', (f) => {
        const m = parse(f.payload);
        if (m.type === 'levels') traffic.levels.push(m as Traffic['levels'][number]);
      });
    });
    await page.goto(`${rig.collector.url}/#${hash}`);
    await page.waitForSelector('form#login-form');
    await page.fill('input#login', login);
    await page.fill('input#password', rig.passwords.get(login)!);
    await page.click('button#sign-in');
    await page.waitForSelector(`#user-name[data-login="${login}"]`);
    return { page, ctx, traffic };
  }

  /** The meters show frames that came over the socket, and they move: new frames keep coming. */
  async function metersMoveOverWebSocket(page: Page, traffic: Traffic): Promise<void> {
    const seen = new Set<string>();
    await until(async () => {
      const at = await page.locator('hw-capture #capture-levels[data-levels="live"]').getAttribute('data-at', { timeout: 5000 });
      // What the page shows is a frame it received on its socket.
      if (at && traffic.levels.some((f) => f.deviceId === REC && f.available && f.at === at)) seen.add(at);
      return seen.size >= 3;
    }, 'three successive level frames shown from the socket', 10_000);
    assert.ok(traffic.sent.some((m) => m.type === 'subscribe-levels' && m.deviceId === REC), JSON.stringify(traffic.sent));
    assert.deepEqual(traffic.levelRequests, [], 'the page never polls the levels over HTTP');
  }

  it('secretary: start with a case number → recording, elapsed time, live levels → mark → stop → verified recording, copies, protocol ru/kk', async () => {
    const { page, ctx, traffic } = await signIn('secretary-almaly', `/hall/${HALL}`);
    const panel = page.locator('hw-capture #capture');
    await panel.waitFor();
    await page.waitForSelector('hw-capture #capture-state[data-state="idle"]');
    // Live levels before recording (the daily check's view): one meter per channel, all alive.
    await page.locator('hw-capture #capture-levels .meter[data-channel]').nth(3).waitFor();
    assert.equal(await page.locator('hw-capture #capture-levels .meter[data-channel]').count(), 4);
    assert.equal(await page.locator('hw-capture #capture-levels .bar[data-dead="true"]').count(), 0, 'every demo channel is alive');
    await metersMoveOverWebSocket(page, traffic);
    // Named after the hall's microphones in the inventory, with RMS and peak.
    assert.match(await page.locator('hw-capture #capture-levels .meter[data-channel="2"]').innerText(), /Микрофон, канал 2[\s\S]*-?\d+\.\d dBFS[\s\S]*пик -?\d+\.\d/);

    // Start from the form.
    await page.fill('hw-capture #capture-start input[name="case"]', CASE);
    await page.fill('hw-capture #capture-start input[name="description"]', 'Иск о взыскании долга');
    await page.click('hw-capture #capture-start-submit');
    await page.waitForSelector('hw-capture #capture-state[data-state="recording"]');
    await page.locator('hw-capture #capture-elapsed').waitFor();
    assert.match(await page.locator('hw-capture #capture-state').innerText(), new RegExp(`Идёт запись[\\s\\S]*${CASE.replace('/', '\\/')}`));
    assert.equal(await page.locator('hw-capture #capture-start').count(), 0, 'no start form while recording');
    await page.locator('hw-capture #capture-stop').waitFor();

    const sec = await rig.client('secretary-almaly');
    type Status = { state: string; session?: { id: string; caseNumber: string; elapsedSeconds: number; bytes: number } };
    const status = async () => (await sec.get<Status>(`/api/recorders/${REC}/status`)).body;
    const s1 = await status();
    assert.deepEqual([s1.state, s1.session?.caseNumber], ['recording', CASE]);

    // The recording runs in real ffmpeg time: wait (bounded, ~2–4 s) until the panel's elapsed time,
    // refreshed from the agent's status, reaches 2 s — a real process, not a fake clock, so a short wait is unavoidable.
    await until(async () => Number(await page.locator('hw-capture #capture-elapsed').getAttribute('data-seconds')) >= 2, 'elapsed ≥ 2 s in the panel', 10_000);
    assert.match(await page.locator('hw-capture #capture-elapsed').innerText(), /^0:00:0[2-9]$/);
    const s2 = await status();
    assert.ok(s2.session!.elapsedSeconds >= 2, JSON.stringify(s2));
    assert.ok(s2.session!.bytes > 0, `files grow: ${JSON.stringify(s2)}`);
    assert.ok(s2.session!.bytes >= s1.session!.bytes, 'files grow');
    const levels = await sec.get<{ channels: Array<{ channel: number; rmsDbfs: number }> }>(`/api/recorders/${REC}/levels`);
    assert.equal(levels.body.channels.length, 4);
    assert.ok(levels.body.channels.every((c) => c.rmsDbfs > -90), JSON.stringify(levels.body));
    // The meters moved while recording too, and still only over the socket.
    await metersMoveOverWebSocket(page, traffic);

    // A speaker mark from the form.
    await page.fill('hw-capture #capture-mark input[name="speaker"]', 'Истец');
    await page.click('hw-capture #capture-mark-submit');
    await page.locator('hw-capture #capture-note').waitFor();
    await page.waitForSelector('hw-capture #capture-mark-submit:not([disabled])');
    const markNote = await page.locator('hw-capture #capture-note').innerText();
    assert.equal(await page.locator(`hw-capture #capture-recordings li[data-recording="${s1.session!.id}"]`).count(), 0, 'the session being recorded is not listed as a finished recording');
    await panel.screenshot({ path: path.join(shots(), 'capture-recording.png') });
    await page.screenshot({ path: path.join(shots(), 'capture-recording-page.png'), fullPage: true });

    // Stop: the agent finishes the files, signs the manifest, writes the protocols, copies and verifies.
    await page.click('hw-capture #capture-stop');
    await page.waitForSelector('hw-capture #capture-state[data-state="idle"]', { timeout: 30_000 });
    const li = page.locator(`hw-capture #capture-recordings li[data-finished="true"]`).first();
    await li.waitFor({ timeout: 15_000 });
    const rid = (await li.getAttribute('data-recording'))!;
    assert.equal(await li.getAttribute('data-intact'), 'true', await li.innerText());
    assert.equal(await li.getAttribute('data-copies'), 'verified', await li.innerText());
    const liText = await li.innerText();
    assert.match(liText, new RegExp(CASE.replace('/', '\\/')));
    assert.match(liText, /Подпись и хеши верны/);
    assert.match(liText, /Копии на основном и резервном серверах/);
    const stopNote = await page.locator('hw-capture #capture-note').innerText();

    // The short protocol in Russian, then in Kazakh after the language switch.
    await page.click(`hw-capture button[data-protocol="${rid}"]`);
    await page.waitForSelector(`hw-capture #capture-protocol[data-recording="${rid}"][data-lang="ru"]`);
    const ru = await page.locator('hw-capture #capture-protocol').innerText();
    assert.match(ru, /КРАТКИЙ ПРОТОКОЛ[\s\S]*2-314\/2026/);
    assert.match(ru, /Истец/, 'the speaker mark is in the protocol');
    await page.screenshot({ path: path.join(shots(), 'capture-stopped-page.png'), fullPage: true });
    await panel.screenshot({ path: path.join(shots(), 'capture-stopped-ru.png') });
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.waitForSelector(`hw-capture #capture-protocol[data-recording="${rid}"][data-lang="kk"]`);
    const kk = await page.locator('hw-capture #capture-protocol').innerText();
    assert.match(kk, /ҚЫСҚАША ХАТТАМАСЫ[\s\S]*2-314\/2026/);
    assert.match(kk, /Истец/);
    assert.doesNotMatch(await page.locator('hw-capture #capture-note').innerText(), /Запись остановлена/, 'the outcome follows the language switch');
    await panel.screenshot({ path: path.join(shots(), 'capture-stopped-kk.png') });
    // The protocol as the PDF the agent signed into the manifest, in the console's language.
    const href = await page.locator(`hw-capture a[data-protocol-pdf="${rid}"]`).getAttribute('href');
    assert.match(href ?? '', /lang=kk&format=pdf$/);
    const pdf = await page.request.get(new URL(href!, rig.collector.url).toString());
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

    // The same through the API.
    const recs = await sec.get<Array<{ id: string; caseNumber: string; finished: boolean; files: Array<{ file: string; size: number; md5: string }>; verification?: { intact: boolean; signed: boolean }; copies: { verifiedAt: { main?: string; backup?: string } } }>>(`/api/recorders/${REC}/recordings`);
    const r = recs.body.find((x) => x.id === rid)!;
    assert.ok(r, JSON.stringify(recs.body));
    assert.deepEqual([r.caseNumber, r.finished, r.verification?.intact, r.verification?.signed, !!r.copies.verifiedAt.main, !!r.copies.verifiedAt.backup], [CASE, true, true, true, true, true]);
    assert.ok(r.files.length > 0 && r.files.every((f) => f.size > 0 && /^[0-9a-f]{32}$/.test(f.md5)), JSON.stringify(r.files));
    assert.equal((await status()).state, 'idle');
    for (const lang of ['ru', 'kk'] as const) {
      const p = await sec.get(`/api/recorders/${REC}/recordings/${encodeURIComponent(rid)}/protocol?lang=${lang}`);
      assert.equal(p.status, 200);
      assert.match(p.text, lang === 'ru' ? /КРАТКИЙ ПРОТОКОЛ/ : /ҚЫСҚАША ХАТТАМАСЫ/);
      // Every file of the manifest with its MD5 (003 §7.5).
      for (const f of r.files.filter((x) => !/protocol|session\.json/.test(x.file))) assert.ok(p.text.includes(f.md5), `${lang}: ${f.file} ${f.md5} in the protocol`);
    }

    // `hallwatch recording verify DIR` on the recording folder: exit 0, intact and signed.
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'hallwatch', 'recording', 'verify', path.join(agent().config.outDir, rid)], {
      out: (s) => out.push(s), err: (s) => err.push(s), env: {}, untilSignal: () => new Promise(() => undefined),
    });
    assert.equal(code, 0, [...out, ...err].join('\n'));
    assert.match(out.join('\n'), /^intact: .*signed manifest/m);

    // Every command from the console is on the audit trail, by the secretary, ok.
    const rows = await rig.collector.db.all<{ actor: string; action: string; outcome: string }>(
      "SELECT actor, action, outcome FROM audit_log WHERE action LIKE 'device.command.%' ORDER BY seq");
    assert.deepEqual(rows.map((x) => [x.actor, x.action, x.outcome]), [
      ['secretary-almaly', 'device.command.start', 'ok'],
      ['secretary-almaly', 'device.command.mark', 'ok'],
      ['secretary-almaly', 'device.command.stop', 'ok'],
    ]);
    console.log(`      notes: mark → ${JSON.stringify(markNote)}; stop → ${JSON.stringify(stopNote)}`);
    assert.deepEqual(traffic.levelRequests, [], 'the page never polled the levels over HTTP');
    console.log(`      levels: ${traffic.levels.length} frames over the socket, 0 HTTP requests`);
    // The page goes away: its socket closes and the collector stops reading the agent for it.
    await ctx.close();
    await until(async () => relay().subscribers(REC) === 0, 'the subscription released with the page');
  });

  it('chancellery head: the state, levels and recordings, but no capture controls', async () => {
    const { page, traffic } = await signIn('head-almaly', `/hall/${HALL}`);
    await page.waitForSelector('hw-capture #capture-state[data-state]');
    await page.locator('hw-capture #capture-levels .meter[data-channel]').first().waitFor();
    for (const sel of ['#capture-start', '#capture-test', '#capture-mark', '#capture-pause', '#capture-resume', '#capture-stop']) {
      assert.equal(await page.locator(`hw-capture ${sel}`).count(), 0, `${sel} is absent for the chancellery head`);
    }
    await page.locator('hw-capture #capture-recordings li[data-recording]').first().waitFor();
    await page.locator('hw-capture #capture').screenshot({ path: path.join(shots(), 'capture-head.png') });
    await metersMoveOverWebSocket(page, traffic);

    // Leaving the hall page takes the panel away: it unsubscribes, and nobody reads the agent.
    await page.locator('hw-capture #capture').screenshot({ path: path.join(shots(), 'capture-levels-live.png') });
    await page.evaluate(() => void (location.hash = '#/'));
    await page.waitForSelector('hw-capture', { state: 'detached' });
    await until(async () => traffic.sent.some((m) => m.type === 'unsubscribe-levels' && m.deviceId === REC), 'unsubscribe-levels sent');
    await until(async () => relay().active === 0, 'the reader of the agent stopped');
    // Back on the hall page: subscribed again.
    const subscribed = traffic.sent.filter((m) => m.type === 'subscribe-levels').length;
    await page.evaluate((hall) => void (location.hash = `#/hall/${hall}`), HALL);
    await page.locator('hw-capture #capture-levels[data-levels="live"] .meter[data-channel]').first().waitFor();
    assert.equal(traffic.sent.filter((m) => m.type === 'subscribe-levels').length, subscribed + 1);
    assert.deepEqual(traffic.levelRequests, []);
  });

  it("the agent's own troubles are said: a capture process restarting (000 §5), a recording finished after an agent crash", async () => {
    const { page } = await signIn('secretary-almaly', `/hall/${HALL}`);
    // The agent's side of both is tested for real (test/recorder-recovery.test.ts); here, what the panel makes of them.
    await page.route('**/api/recorders/*/status', async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), capture: { state: 'restarting', restarts: 2 } } });
    });
    await page.route('**/api/recorders/*/recordings', async (route) => {
      const res = await route.fetch();
      const list = (await res.json()) as Array<Record<string, unknown>>;
      await route.fulfill({ response: res, json: list.map((r, i) => (i === 0 ? { ...r, recovered: { interruptedAt: '2026-11-23T04:10:00.000Z', recoveredAt: '2026-11-23T04:12:00.000Z' } } : r)) });
    });
    await page.reload();
    const proc = page.locator('hw-capture #capture-process[data-capture="restarting"]');
    await proc.waitFor();
    assert.equal(await proc.innerText(), 'Процесс записи остановился и перезапускается (перезапусков: 2); перерыв отмечается в протоколе');
    const rec = page.locator('hw-capture #capture-recordings [data-recovered="true"]').first();
    assert.equal(await rec.innerText(), 'завершена после сбоя агента записи (23.11.2026 09:10)', 'the crash time in Almaty');
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.locator('hw-capture #capture-process', { hasText: 'Жазу процесі тоқтап, қайта іске қосылуда (қайта қосу саны: 2)' }).waitFor();
    await page.locator('hw-capture [data-recovered]', { hasText: 'жазу агентінің ақауынан кейін аяқталды (23.11.2026 09:10)' }).first().waitFor();
    await page.locator('hw-capture #capture').screenshot({ path: path.join(shots(), 'capture-agent-troubles-kk.png') });
  });

  it('the recorder agent goes away: the panel says there are no levels, and the console goes on', async () => {
    const { page, traffic } = await signIn('secretary-almaly', `/hall/${HALL}`);
    await page.locator('hw-capture #capture-levels[data-levels="live"] .meter[data-channel]').first().waitFor();
    // The agent stops (rig.stop() stops it again, which is a no-op).
    await agent().close();
    const none = page.locator('hw-capture #capture-no-levels[data-reason="no-answer"]');
    await none.waitFor({ timeout: 10_000 });
    assert.equal(await none.innerText(), 'Нет уровней: агент записи не отвечает');
    assert.equal(await page.locator('hw-capture #capture-levels .meter').count(), 0, 'no stale meters');
    await page.locator('hw-lang-switch button[data-lang="kk"]').click();
    await page.locator('hw-capture #capture-no-levels', { hasText: 'Деңгейлер жоқ: жазу агенті жауап бермейді' }).waitFor();
    await page.locator('hw-capture #capture').screenshot({ path: path.join(shots(), 'capture-no-levels-kk.png') });
    assert.deepEqual(traffic.levelRequests, []);
    // The rest of the page is alive: the board still answers.
    await page.locator('#user-name[data-login="secretary-almaly"]').waitFor();
  });
});
