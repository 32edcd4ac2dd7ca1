import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCalendar } from '../alerts/calendar/working-calendar';
import { answerDueAt, readinessPlan, requestDueAt } from '../collector/vks/deadlines';
import { seedDemoVks } from '../collector/vks/demo-seed';
import { vksHearingsToday } from '../collector/vks/feed';
import { parseSchedule } from '../collector/vks/import';
import { vksServiceFor, type HearingView } from '../collector/vks/service';
import { startDemoRig, type DemoRig } from './helpers/demo';

const cal = (() => {
  const r = loadCalendar({ file: path.resolve(__dirname, '../../alerts/calendar/kz.yaml') });
  if (!r.ok) throw new Error('calendar');
  return r.calendar;
})();
const almaty = (ms: number) => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('VKS deadlines on the working-day calendar', function () {
  it('001 §12: three working days across a weekend (Thursday → Tuesday 18:30)', () => {
    assert.equal(almaty(requestDueAt(cal, Date.parse('2026-11-19T06:00:00Z'))), '2026-11-24 18:30');
  });
  it('001 §12: across Nauryz (21–23 March 2026, weekend days moved to 24 and 25): Thursday 19 → Friday 27', () => {
    assert.equal(almaty(requestDueAt(cal, Date.parse('2026-03-19T06:00:00Z'))), '2026-03-27 18:30');
  });
  it('001 §21: the next working day — a Friday request is due Monday; Friday 20 March 2026 → Thursday 26', () => {
    assert.equal(almaty(answerDueAt(cal, Date.parse('2026-11-20T10:00:00Z'))), '2026-11-23 18:30');
    assert.equal(almaty(answerDueAt(cal, Date.parse('2026-03-20T10:00:00Z'))), '2026-03-26 18:30');
  });
  it('readiness plan: test session 26 h before, day check 2 h before (not before midnight), connection 30 min before', () => {
    const start = Date.parse('2026-11-24T05:00:00Z'); // 10:00 Almaty
    const p = Object.fromEntries(readinessPlan(start, 'Asia/Almaty').map((x) => [x.kind, almaty(x.dueAt)]));
    assert.deepEqual(p, { 'test-session': '2026-11-23 08:00', 'day-check': '2026-11-24 08:00', connection: '2026-11-24 09:30' });
    const early = Object.fromEntries(readinessPlan(Date.parse('2026-11-23T20:00:00Z'), 'Asia/Almaty').map((x) => [x.kind, almaty(x.dueAt)]));
    assert.equal(early['day-check'], '2026-11-24 00:00');
  });
});

describe('VKS schedule, readiness checks, incidents and the act over the demo', function () {
  // The readiness test drives a whole day of the demo's fake clock (the incident engine ticks every 10 s).
  this.timeout(120_000);
  let rig: DemoRig;
  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
  });
  after(async () => rig?.stop());
  const svc = () => vksServiceFor(rig.collector.db)!;

  async function drive(ms: number, step = 60_000) {
    for (let t = 0; t < ms; t += step) {
      await rig.clock.advance(Math.min(step, ms - t));
      await svc().idle();
    }
  }

  it('import: bad rows are named by line and field, and nothing is imported', () => {
    const csv = [
      'court,hall,date,time,case,remote_kind,remote_name,remote_address,participant',
      'almaly-district,4,2026-11-25,10:00,7511-26-00-2/1,facility,СИЗО ЛА-155/18,la@vks,',
      'nowhere,1,2026-11-25,10:00,x,court,Y,,',
      'almaly-district,1,2026-11-25,10:00,x,court,Y,,',
      'almaly-district,4,2026-13-01,25:00,x,court,Y,,',
      'almaly-district,4,2026-11-25,11:00,x,phone,Y,,',
      'almaly-district,4,2026-11-25,10:00,dup,court,"Суд, зал 2",,',
    ].join('\n');
    const r = parseSchedule(csv, 'csv', rig.demo.inventory);
    assert.deepEqual(r.problems.map((p) => `${p.line}:${p.field}`), ['3:court', '4:hall', '5:date', '5:time', '6:remote_kind', '7:time']);
    const j = parseSchedule(JSON.stringify([{ court: 'almaly-district', hall: '4', date: '2026-11-25', time: '12:00', case: '1', remote_kind: 'app', remote_name: 'Судебный кабинет' }, { court: 'almaly-district' }]), 'json', rig.demo.inventory);
    assert.deepEqual(j.problems.map((p) => `${p.line}:${p.field}`), ['2:hall', '2:date', '2:time', '2:case', '2:remote_kind', '2:remote_name']);
  });

  it('the API: a secretary creates a hearing in her court (not in another); import answers 422 with rows', async () => {
    const sec = await rig.client('secretary-almaly');
    const created = await sec.post<HearingView>('/api/vks/hearings', { court: 'almaly-district', hall: '4', date: '2026-11-25', time: '10:00', case: '7511-26-00-2/77', remote_kind: 'court', remote_name: 'Есильский районный суд, зал 2', remote_address: 'esil@vks', resolution_at: '2026-11-23T04:00:00Z' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.checks.length, 3);
    assert.equal(almaty(Date.parse(created.body.deadlines.requestDueAt!)), '2026-11-26 18:30');
    const other = await sec.post('/api/vks/hearings', { court: 'bostandyk-district', hall: '1', date: '2026-11-25', time: '10:00', case: 'x', remote_kind: 'court', remote_name: 'y' });
    assert.equal(other.status, 403);
    const bad = await sec.request<{ problems: unknown[] }>('POST', '/api/vks/hearings/import', 'court,hall,date,time,case,remote_kind,remote_name\nalmaly-district,9,2026-11-25,10:00,x,court,y\n', { 'content-type': 'text/csv' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.problems, [{ line: 2, field: 'hall', message: 'no hall 9 in almaly-district' }]);
    const pdf = await sec.request('GET', `/api/vks/hearings/${created.body.id}/documents/request?lang=kk`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  });

  it('the readiness checks fire on the clock: the test session the day before, the day check, the connection', async () => {
    // A hearing Tuesday 2026-11-24 10:00 Almaty in almaly-district.4 (a healthy endpoint), created on Monday morning.
    const driveTo = (isoTime: string, step = 15 * 60_000) => drive(Math.max(0, Date.parse(isoTime) - rig.clock.now()), step);
    assert.ok(rig.clock.now() < Date.parse('2026-11-23T03:00:00Z'), 'the rig starts before the test session is due');
    const id = await svc().create({ courtId: 'almaly-district', hallId: 'almaly-district.4', startsAt: '2026-11-24T05:00:00Z', caseNumber: '7511-26-00-2/500', remoteKind: 'facility', remoteName: 'СИЗО', remoteAddress: 'sizo@vks' }, { login: 'test', role: 'system' });
    await svc().idle();
    const get = async () => (await svc().list('2026-11-24T00:00:00Z', '2026-11-25T00:00:00Z')).find((x) => x.id === id)!;
    assert.ok((await get()).checks.every((c) => c.ranAt === null), 'nothing has run yet');
    await driveTo('2026-11-23T03:10:00Z', 60_000);
    let h = await get();
    assert.deepEqual([h.checks[0]!.kind, h.checks[0]!.outcome, h.checks[0]!.ranAt, h.state], ['test-session', 'passed', '2026-11-23T03:00:00.000Z', 'ready']);
    await driveTo('2026-11-24T04:00:00Z');
    h = await get();
    assert.deepEqual(h.checks.map((c) => [c.kind, c.outcome, c.ranAt]), [
      ['test-session', 'passed', '2026-11-23T03:00:00.000Z'],
      ['day-check', 'passed', '2026-11-24T03:00:00.000Z'],
      ['connection', null, null],
    ]);
    await driveTo('2026-11-24T04:40:00Z', 5 * 60_000);
    h = await get();
    assert.deepEqual([h.checks[2]!.outcome, h.checks[2]!.ranAt, h.state], ['passed', '2026-11-24T04:30:00.000Z', 'ready']);
  });

  it('the demo seed: passing hearings, and the unregistered endpoint fails, opens an incident, and at the start the act is drafted (ru, kk)', async () => {
    const ids = await seedDemoVks(svc());
    await svc().idle();
    const now = rig.clock.now();
    const all = await svc().list(new Date(now - 86_400_000).toISOString(), new Date(now + 86_400_000).toISOString());
    const failing = all.find((h) => h.id === ids[3])!;
    assert.equal(failing.state, 'failed');
    assert.equal(failing.checks.find((c) => c.outcome === 'failed')!.messageKey, 'vks.registration.failed');
    assert.ok(failing.incidentId, 'an incident was reported');
    assert.ok(all.filter((h) => ids.includes(h.id) && h.state === 'ready').length >= 3);
    await drive(3 * 60_000);
    const delayed = (await svc().list(new Date(now - 86_400_000).toISOString(), new Date(now + 86_400_000).toISOString())).find((h) => h.id === ids[3])!;
    assert.equal(delayed.state, 'delayed');
    assert.ok(delayed.act);

    const admin = await rig.client('admin');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vks-act-'));
    for (const lang of ['ru', 'kk'] as const) {
      const res = await fetch(`${rig.collector.url}/api/vks/hearings/${delayed.id}/documents/act?lang=${lang}`, { headers: { cookie: admin.cookie } });
      assert.equal(res.status, 200);
      const file = path.join(dir, `act-${lang}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      if (process.env.HALLWATCH_SCREENSHOTS) fs.copyFileSync(file, path.join(process.env.HALLWATCH_SCREENSHOTS, path.basename(file)));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      if (lang === 'ru') {
        for (const s of ['Акт о технической невозможности', '7512-26-00-1/356', 'Заведующий канцелярией', 'Секретарь судебного заседания', 'Технический специалист', 'Бостандыкский районный суд']) assert.ok(text.includes(s), `ru act lacks "${s}": ${text.slice(0, 400)}`);
      } else {
        for (const s of ['техникалық мүмкіндігінің болмауы туралы акт', 'Кеңсе меңгерушісі', 'Сот отырысының хатшысы', 'Техникалық маман', 'Бостандық аудандық соты']) assert.ok(text.includes(s), `kk act lacks "${s}": ${text.slice(0, 400)}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });

    const feed = await vksHearingsToday(rig.collector.db, undefined, rig.clock.now(), { vksStatus: (id) => rig.collector.monitor.hallStatus.get(id)?.vks });
    const b = feed.find((f) => f.hearingId === ids[3])!;
    assert.deepEqual([b.courtId, b.hallNumber, b.remote.kind, b.operability.status], ['bostandyk-district', '1', 'facility', 'down']);
    assert.ok(feed.some((f) => f.courtId === 'almaly-district' && f.operability.status === 'ok'));
  });
});
