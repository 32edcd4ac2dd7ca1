/**
 * The daily check (000 §7, §11, §17), compliance, free halls (000 §10) and the portal feed
 * (000 §4), on the demo region and a FakeClock.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DailyCheckDto } from '../collector/daily-check/service';
import type { RecorderAgentSimulator } from '../collector/demo/simulators/recorder-agent';
import type { PortalHall } from '../collector/portal/feed';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';
import { httpServer, type Running } from './helpers/servers';
import { freePort } from './helpers/slapd';

const AT_0830 = Date.parse('2026-11-23T03:30:00Z'); // Monday 08:30 in Almaty

describe('the daily check, compliance and the portal feed', function () {
  this.timeout(90_000);
  let rig: DemoRig;
  let portal: Running | undefined;
  let portalPort: number;
  const received: Array<{ key: string; body: { sequence: number; hall: PortalHall } }> = [];
  let portalAnswers = 503;
  const as = new Map<string, ApiClient>();
  const c = (login: string) => as.get(login)!;
  let token: string;

  before(async () => {
    portalPort = await freePort();
    rig = await startDemoRig({
      collector: { notify: { portal: { url: `http://127.0.0.1:${portalPort}/avf/halls`, token: 'portal-push-token' }, retry: { baseDelayMs: 4_000, maxDelayMs: 8_000 } } },
    });
    for (const login of ['admin', 'dept', 'coord-almaty', 'head-almaly', 'secretary-almaly', 'tech-almaty']) as.set(login, await rig.client(login));
  });
  after(async () => {
    await rig?.stop();
    await portal?.close();
  });

  const probeHall = (hallId: string) => Promise.all(rig.demo.inventory.hall.get(hallId)!.deviceIds.map((id) => rig.collector.scheduler.probeNow(id)));
  const dayView = async (login: string, q = '') => (await c(login).get<{ checks: DailyCheckDto[]; missing: string[]; summary: Record<string, number> }>(`/api/daily-checks${q}`)).body;
  const check = async (hallId: string) => (await dayView('admin')).checks.find((x) => x.hallId === hallId)!;

  it('nothing runs before the court\'s hour; at 08:30 every hall is checked, with evidence, owner by court level', async () => {
    assert.equal((await dayView('admin')).checks.length, 0);
    await rig.clock.advance(AT_0830 - rig.clock.now());
    await rig.collector.dailyChecks.tick();
    const v = await dayView('admin');
    assert.equal(v.checks.length, 17);
    assert.deepEqual(v.missing, []);
    const district = v.checks.find((x) => x.hallId === 'almaly-district.1')!;
    const appellate = v.checks.find((x) => x.hallId === 'almaty-city.1')!;
    assert.equal(district.ownerRole, 'chancellery-head', '000 §7: first instance');
    assert.equal(appellate.ownerRole, 'technician', '000 §7: appellate, the service organization');
    assert.equal(district.items.length, 7);
    assert.ok(district.items.every((i) => i.checks.length > 0), 'every device was probed');
    assert.ok(district.items.filter((i) => i.eyeCheck).length >= 6, 'cameras and microphones need eyes and ears');
    assert.equal(v.checks.find((x) => x.hallId === 'almaly-district.3')!.failedItems, 1, 'the dead microphone');
    const scoped = await dayView('head-almaly');
    assert.deepEqual([...new Set(scoped.checks.map((x) => x.courtId))], ['almaly-district']);
  });

  it('the owner signs what they saw; the wrong role or another court is refused', async () => {
    const d1 = await check('almaly-district.1');
    const eye = d1.items.filter((i) => i.eyeCheck).map((i) => ({ key: i.key, confirmed: true }));
    const incomplete = await c('head-almaly').post<{ field: string }>(`/api/daily-checks/${d1.id}/sign`, { marks: eye.slice(1), note: '' });
    assert.deepEqual([incomplete.status, incomplete.body.field], [400, 'marks']);
    assert.equal((await c('tech-almaty').post(`/api/daily-checks/${d1.id}/sign`, { marks: eye })).status, 403, 'a district court\'s check is the chancellery head\'s');
    assert.equal((await c('secretary-almaly').post(`/api/daily-checks/${d1.id}/sign`, { marks: eye })).status, 403);
    const appellate = await check('almaty-city.1');
    assert.equal((await c('head-almaly').post(`/api/daily-checks/${appellate.id}/sign`, { marks: [] })).status, 403, 'another court');
    const signed = await c('head-almaly').post<DailyCheckDto>(`/api/daily-checks/${d1.id}/sign`, { marks: eye, note: 'Проверено, звук и изображение в норме' });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.deepEqual([signed.body.signoff!.login, signed.body.signoff!.onTime, signed.body.signoff!.failedItems], ['head-almaly', true, 0]);
    assert.match(signed.body.signoff!.digest, /^[0-9a-f]{64}$/);
    // The appellate court's check is the technician's (000 §7).
    const tech = await c('tech-almaty').post<DailyCheckDto>(`/api/daily-checks/${appellate.id}/sign`, { marks: appellate.items.filter((i) => i.eyeCheck).map((i) => ({ key: i.key, confirmed: true })) });
    assert.equal(tech.status, 200, JSON.stringify(tech.body));
  });

  it('a sign-off cannot be changed: not through the API, not in the database', async () => {
    const d1 = await check('almaly-district.1');
    const again = await c('head-almaly').post(`/api/daily-checks/${d1.id}/sign`, { marks: [], note: 'исправляю' });
    assert.equal(again.status, 409);
    assert.equal((await c('head-almaly').post('/api/daily-checks/run', { hallId: 'almaly-district.1' })).status, 409, 'nor re-run');
    await assert.rejects(rig.collector.db.run("UPDATE daily_check_signoffs SET note = 'x' WHERE check_id = ?", [d1.id]), /cannot be changed/);
    await assert.rejects(rig.collector.db.run('DELETE FROM daily_check_signoffs WHERE check_id = ?', [d1.id]), /cannot be removed/);
    const audit = (await c('admin').get<Array<{ target: string; after: { digest: string } }>>('/api/audit?action=checklist.sign')).body;
    assert.equal(audit.find((a) => a.target === `daily-check:${d1.id}`)!.after.digest, (await check('almaly-district.1')).signoff!.digest);
  });

  it('a failed item opens an incident for the hall', async () => {
    const d3 = await check('almaly-district.3');
    const marks = d3.items.filter((i) => i.eyeCheck).map((i) => ({ key: i.key, confirmed: i.status !== 'down' }));
    const r = await c('head-almaly').post<DailyCheckDto>(`/api/daily-checks/${d3.id}/sign`, { marks, note: 'Микрофон 3 молчит' });
    assert.equal(r.status, 200);
    assert.ok(r.body.signoff!.incidentId);
    const inc = (await c('head-almaly').get<{ hallId: string; origin: string; events: Array<{ kind: string; data: { note: string } }> }>(`/api/incidents/${r.body.signoff!.incidentId}`)).body;
    assert.equal(inc.hallId, 'almaly-district.3');
    assert.match(JSON.stringify(inc.events), /almaly-district-h3-mic3/);
  });

  it('overdue: the owner is reminded at the due time, the regional coordinator told later (on the clock)', async () => {
    await rig.clock.advance(Date.parse('2026-11-23T04:29:00Z') - rig.clock.now());
    await rig.collector.dailyChecks.remind();
    const notices = async (login: string) => (await c(login).get<{ items: Array<{ messageKey: string; params: { hallId: string } }> }>('/api/notifications')).body.items;
    await rig.collector.outbox.runOnce();
    assert.equal((await notices('head-almaly')).filter((n) => n.messageKey === 'notify.daily.overdue').length, 0, 'not before 09:30');
    await rig.clock.advance(2 * 60_000);
    await rig.collector.dailyChecks.remind();
    await rig.collector.outbox.runOnce();
    const head = (await notices('head-almaly')).filter((n) => n.messageKey === 'notify.daily.overdue').map((n) => n.params.hallId).sort();
    assert.deepEqual(head, ['almaly-district.2', 'almaly-district.4'], 'the two unsigned halls of her court');
    assert.equal((await notices('coord-almaty')).filter((n) => n.messageKey === 'notify.daily.escalated').length, 0);
    await rig.clock.advance(60 * 60_000);
    await rig.collector.dailyChecks.remind();
    await rig.collector.outbox.runOnce();
    const coord = (await notices('coord-almaty')).filter((n) => n.messageKey === 'notify.daily.escalated');
    assert.ok(coord.length >= 2 && coord.some((n) => n.params.hallId === 'almaly-district.2'));
    const late = await check('almaly-district.2');
    const signedLate = await c('head-almaly').post<DailyCheckDto>(`/api/daily-checks/${late.id}/sign`, { marks: late.items.filter((i) => i.eyeCheck).map((i) => ({ key: i.key, confirmed: i.status !== 'down' })) });
    assert.equal(signedLate.body.signoff!.onTime, false);
  });

  it('compliance for the month per court, region and organization, as JSON, CSV and PDF', async () => {
    const r = (await c('dept').get<{ days: number; rows: Array<{ groupBy: string; id: string; due: number; onTime: number; late: number; missing: number; failuresFound: number }> }>('/api/compliance?month=2026-11')).body;
    const court = r.rows.find((x) => x.groupBy === 'court' && x.id === 'almaly-district')!;
    // 16 working days of November up to Monday the 23rd (the 23rd included), 4 halls.
    assert.equal(r.days, 16);
    assert.deepEqual([court.due, court.onTime, court.late, court.missing], [64, 2, 1, 61]);
    assert.ok(court.failuresFound >= 2);
    assert.ok(r.rows.some((x) => x.groupBy === 'org' && x.id === 'sudtechservice'));
    const scoped = (await c('head-almaly').get<{ rows: Array<{ id: string }> }>('/api/compliance?month=2026-11')).body.rows;
    assert.deepEqual(scoped.map((x) => x.id), ['almaly-district']);
    const csv = await c('dept').get('/api/compliance?month=2026-11&format=csv');
    assert.match(csv.headers.get('content-type')!, /text\/csv/);
    const raw = Buffer.from(await (await fetch(`${rig.collector.url}/api/compliance?month=2026-11&format=csv`, { headers: { cookie: c('dept').cookie } })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so spreadsheets read the Cyrillic');
    assert.ok(csv.text.startsWith('group,id,name,due,on_time'));
    assert.match(csv.text, /court,almaly-district,Алмалинский районный суд г\. Алматы,64,2,1,61/);
    const pdf = await fetch(`${rig.collector.url}/api/compliance?month=2026-11&format=pdf&lang=kk`, { headers: { cookie: c('dept').cookie } });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const file = path.join(rig.dir, 'compliance.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Алматы қаласы Алмалы аудандық соты/);
    assert.match(text, /Мерзімінде/);
    assert.equal((await c('dept').get('/api/compliance?month=2026-13x')).status, 400);
  });

  it('free equipped halls: operational, no incident, not recording (000 §10)', async () => {
    // Nothing polls in this test; fresh results for the halls looked at.
    for (const h of ['almaly-district.1', 'almaly-district.3', 'almaly-district.4', 'bostandyk-district.1']) await probeHall(h);
    const free = (await c('head-almaly').get<Array<{ id: string }>>('/api/halls/free')).body.map((h) => h.id);
    assert.ok(free.includes('almaly-district.1'));
    assert.ok(!free.includes('almaly-district.3'), 'a failed hall is not free');
    assert.ok(free.every((id) => id.startsWith('almaly-district.')), 'only her court');
  });

  it('GET /portal/v1/halls: every equipped hall for a portal-reader token, with an ETag', async () => {
    token = (await c('admin').post<{ token: string }>('/api/tokens', { name: 'portal', kind: 'portal-reader' })).body.token;
    assert.equal((await fetch(`${rig.collector.url}/portal/v1/halls`)).status, 401);
    assert.equal((await fetch(`${rig.collector.url}/portal/v1/halls`, { headers: { cookie: c('head-almaly').cookie } })).status, 401, 'a console session is not a portal token');
    const res = await fetch(`${rig.collector.url}/portal/v1/halls`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { halls: PortalHall[] };
    assert.equal(body.halls.length, 17);
    const h3 = body.halls.find((h) => h.hallId === 'almaly-district.3')!;
    assert.equal(rig.collector.monitor.hallStatus.get('almaly-district.3')!.status, 'down');
    assert.deepEqual([h3.court.name.ru, h3.hallNumber, h3.avf!.operational, h3.vks], ['Алмалинский районный суд г. Алматы', '3', false, null]);
    const bost = body.halls.find((h) => h.hallId === 'bostandyk-district.1')!;
    assert.deepEqual([bost.avf!.operational, bost.vks!.operational], [true, false]);
    assert.doesNotMatch(JSON.stringify(body), /password|credentials/i);
    const etag = res.headers.get('etag')!;
    assert.equal((await fetch(`${rig.collector.url}/portal/v1/halls`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': etag } })).status, 304);
  });

  it('the push publisher keeps every state while the portal refuses, and delivers in order when it accepts', async () => {
    // The portal is down (nothing listens): a hall fails.
    await probeHall('esil-district.3');
    (rig.demo.simulators.get('esil-district-h3-mic2') as unknown as RecorderAgentSimulator).deadChannels.add(2);
    await probeHall('esil-district.3');
    assert.equal(rig.collector.monitor.hallStatus.get('esil-district.3')!.status, 'down');
    await rig.collector.outbox.runOnce();
    const pending = await rig.collector.db.all<{ idempotency_key: string; attempts: number; state: string }>("SELECT * FROM outbox WHERE channel = 'portal' AND idempotency_key LIKE 'portal:esil-district.3:%'");
    assert.ok(pending.length >= 1 && pending.every((p) => p.state === 'pending'), JSON.stringify(pending));
    // The portal's queue is first in, first out: its head (some hall's oldest state) was tried and refused.
    const tried = await rig.collector.db.all<{ attempts: number }>("SELECT attempts FROM outbox WHERE channel = 'portal' AND state = 'pending' ORDER BY id LIMIT 1");
    assert.ok(tried[0]!.attempts >= 1, 'tried and refused');
    // Now it answers, but refuses (503); then it accepts.
    portal = await (async () => {
      const s = await httpServerOn(portalPort, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (x: Buffer) => chunks.push(x));
        req.on('end', () => {
          if (portalAnswers !== 200 || req.headers.authorization !== 'Bearer portal-push-token') return void res.writeHead(portalAnswers === 200 ? 401 : 503).end();
          received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(Buffer.concat(chunks).toString()) });
          res.writeHead(200).end();
        });
      });
      return s;
    })();
    await rig.clock.advance(8_000);
    await rig.collector.outbox.runOnce();
    assert.equal(received.length, 0, 'refused: still queued');
    // The hall recovers while the portal is refusing: a second state queues behind the first.
    (rig.demo.simulators.get('esil-district-h3-mic2') as unknown as RecorderAgentSimulator).deadChannels.delete(2);
    await probeHall('esil-district.3');
    assert.equal(rig.collector.monitor.hallStatus.get('esil-district.3')!.status, 'ok');
    portalAnswers = 200;
    await rig.clock.advance(16_000);
    await rig.collector.outbox.runOnce();
    const esil = received.filter((r) => r.body.hall.hallId === 'esil-district.3');
    assert.ok(esil.length >= 2, `got ${esil.length}`);
    const seqs = esil.map((r) => r.body.sequence);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
    assert.equal(esil.at(-1)!.body.hall.avf!.operational, true, 'the newest state is last');
    assert.equal(esil.at(-2)!.body.hall.avf!.operational, false);
    assert.equal(new Set(received.map((r) => r.key)).size, received.length, 'each push once');
    // Hours of outage and hundreds of attempts later, no state was given up.
    const left = await rig.collector.db.all<{ idempotency_key: string; state: string }>("SELECT idempotency_key, state FROM outbox WHERE channel = 'portal' AND state != 'sent'");
    assert.deepEqual(left, [], 'nothing lost');
    const most = await rig.collector.db.get<{ n: number }>("SELECT max(attempts) AS n FROM outbox WHERE channel = 'portal'");
    assert.ok(most!.n >= 10, `a long outage, retried all along (${most!.n} attempts)`);
  });
});

/** An HTTP server on a given port (the portal coming back where it was). */
async function httpServerOn(port: number, handler: Parameters<typeof httpServer>[0]): Promise<Running> {
  const http = await import('node:http');
  const server = http.createServer(handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { port, close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}
