/**
 * Incidents end to end on the demo region and a FakeClock: no incident for a blip, the right
 * people told in order, a flapping hall folded into one incident, an overdue step escalated
 * once across a restart, notices kept while the SMTP server is down, and the act drafted,
 * edited, approved, frozen and rendered.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncidentDto } from '../alerts/incidents/types';
import { defaultPolicy } from '../collector/config/policy';
import type { RecorderAgentSimulator } from '../collector/demo/simulators/recorder-agent';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';
import { httpServer, type Running } from './helpers/servers';
import { TestSmtp } from './helpers/smtp';

const HALL = 'almaly-district.1';
const MIC = 'almaly-district-h1-mic1';
const HOOK_SECRET = 'webhook-signing-secret';

describe('incidents, escalation and acts (000 §27–§29)', function () {
  this.timeout(60_000);
  let rig: DemoRig;
  const smtp = new TestSmtp();
  let hook: Running;
  const hooks: Array<{ key: string; signatureOk: boolean; body: { event: string; incidentId: number } }> = [];
  const as = new Map<string, ApiClient>();
  let incidentId: number;

  const agent = () => rig.demo.simulators.get(MIC) as unknown as RecorderAgentSimulator;
  const hallDevices = () => rig.demo.inventory.hall.get(HALL)!.deviceIds;
  const probeHall = () => Promise.all(hallDevices().map((id) => rig.collector.scheduler.probeNow(id)));
  const client = (login: string) => as.get(login)!;
  const incidents = async () => (await client('admin').get<IncidentDto[]>('/api/incidents?state=all')).body.filter((i) => i.hallId === HALL);
  const get = async (id = incidentId) => (await client('admin').get<IncidentDto & { events: Array<{ kind: string; data: Record<string, unknown> }>; act: unknown }>(`/api/incidents/${id}`)).body;
  const outbox = (where: string, params: Array<string | number> = []) => rig.collector.db.all<{ idempotency_key: string; channel: string; recipient: string; state: string; attempts: number; last_error: string | null }>(`SELECT * FROM outbox WHERE ${where} ORDER BY id`, params);
  const signInAll = async () => {
    for (const login of ['admin', 'dept', 'coord-almaty', 'head-almaly', 'secretary-almaly', 'tech-almaty']) as.set(login, await rig.client(login));
  };

  before(async () => {
    await smtp.start();
    hook = await httpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const sig = 'sha256=' + crypto.createHmac('sha256', HOOK_SECRET).update(body).digest('hex');
        hooks.push({ key: String(req.headers['idempotency-key']), signatureOk: req.headers['x-hallwatch-signature'] === sig, body: JSON.parse(body.toString()) });
        res.end('ok');
      });
    });
    rig = await startDemoRig({
      collector: {
        // Nothing polls in this test: results must stay fresh across its waits (100 × 20 s).
        policy: { ...defaultPolicy, rollup: { ...defaultPolicy.rollup, staleAfterIntervals: 100 } },
        notify: {
          email: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, from: 'hallwatch@courts.kz' },
          webhooks: [{ url: `http://127.0.0.1:${hook.port}/hook`, secret: HOOK_SECRET }],
          publicUrl: 'https://hallwatch.courts.kz',
          retry: { baseDelayMs: 60_000, maxDelayMs: 300_000 },
        },
      },
    });
    await rig.collector.db.run("UPDATE users SET email = login || '@courts.kz'");
    await signInAll();
    await probeHall();
    assert.equal(rig.collector.monitor.hallStatus.get(HALL)!.status, 'ok');
  });
  after(async () => {
    await rig?.stop();
    await smtp.stop();
    await hook?.close();
  });

  it('no incident for a ten-second blip', async () => {
    agent().deadChannels.add(1);
    await rig.collector.scheduler.probeNow(MIC);
    assert.equal(rig.collector.monitor.hallStatus.get(HALL)!.status, 'down');
    await rig.clock.advance(10_000);
    agent().deadChannels.delete(1);
    await rig.collector.scheduler.probeNow(MIC);
    await rig.clock.advance(200_000);
    await rig.collector.engine.tick();
    assert.deepEqual(await incidents(), []);
  });

  it('a hall down past openAfterSeconds opens one incident, dated from the start of the outage', async () => {
    await probeHall();
    agent().deadChannels.add(1);
    await rig.collector.scheduler.probeNow(MIC);
    const since = rig.collector.monitor.hallStatus.get(HALL)!.since;
    await rig.clock.advance(60_000);
    await rig.collector.engine.tick();
    assert.deepEqual(await incidents(), [], 'not yet: a minute is not two');
    await rig.clock.advance(61_000);
    await rig.collector.engine.tick();
    const list = await incidents();
    assert.equal(list.length, 1);
    const inc = list[0]!;
    incidentId = inc.id;
    assert.equal(inc.outageStartedAt, since);
    assert.deepEqual(inc.causes.map((c) => [c.deviceId, c.check]), [[MIC, 'http-json']]);
    assert.deepEqual(inc.orgIds, ['sudtechservice']);
    const step = (k: string) => inc.steps.find((s) => s.key === k)!;
    assert.ok(step('inform-court').doneAt && step('inform-region').doneAt && step('inform-service').doneAt, 'the notices went at once (000 §27)');
    assert.equal(Date.parse(step('report-department').dueAt!) - Date.parse(inc.openedAt), 3600_000, '000 §28: one hour');
    assert.equal(step('confirm-cause').clause, '000 §29');
    assert.equal(step('approve-act').startedAt, null, 'the act waits for the confirmation');
  });

  it('tells the right people, on each channel, once: console, e-mail and a signed webhook', async () => {
    // Key: incident:<id>:<what>:<channel>:<recipient>, <what> being e.g. step:inform-court or owed:confirm-cause.
    const consoleTo = (await outbox("channel = 'console' AND incident_id = ?", [incidentId])).map((r) => `${r.idempotency_key.split(':').slice(2, -2).join(':')}→${r.recipient}`);
    assert.deepEqual(consoleTo.sort(), [
      'step:inform-court→head-almaly', 'step:inform-court→secretary-almaly', 'step:inform-region→coord-almaty', 'step:inform-service→tech-almaty',
      'owed:confirm-cause→coord-almaty', 'owed:confirm-cause→dept', 'owed:confirm-cause→tech-almaty', 'owed:report-department→coord-almaty',
    ].sort());
    await smtp.received(8);
    await rig.collector.outbox.runOnce();
    assert.equal(smtp.mails.length, 8);
    assert.equal(new Set(smtp.mails.map((m) => m.idempotencyKey)).size, 8, 'each notice once');
    const head = smtp.mails.find((m) => m.to.includes('head-almaly@courts.kz') && m.idempotencyKey.includes('inform-court'))!;
    assert.match(head.text, /Алмалинский районный суд г\. Алматы/);
    assert.match(head.text, /Алматы қаласы Алмалы аудандық соты/, 'both languages');
    assert.match(head.text, /https:\/\/hallwatch\.courts\.kz\/#\/incident\//);
    assert.equal(hooks.length, 5);
    assert.ok(hooks.every((h) => h.signatureOk && h.body.incidentId === incidentId));
    const notices = (await client('head-almaly').get<{ unread: number; items: Array<{ messageKey: string }> }>('/api/notifications')).body;
    assert.equal(notices.unread, 1);
    assert.equal(notices.items[0]!.messageKey, 'notify.incident.opened');
  });

  it('a flapping hall folds into its incident: the outage ends and goes on, no new incident', async () => {
    agent().deadChannels.delete(1);
    await rig.collector.scheduler.probeNow(MIC);
    await rig.collector.engine.tick();
    assert.ok((await get()).outageEndedAt, 'restored');
    await rig.clock.advance(30_000);
    agent().deadChannels.add(1);
    await rig.collector.scheduler.probeNow(MIC);
    await rig.clock.advance(300_000);
    await rig.collector.engine.tick();
    const list = await incidents();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.outageEndedAt, null);
    assert.deepEqual((await get()).events.filter((e) => ['restored', 'relapse'].includes(e.kind)).map((e) => e.kind), ['restored', 'relapse']);
  });

  it('an overdue report escalates once, and a restart mid-escalation resumes from the stored deadline', async () => {
    const due = Date.parse((await get()).steps.find((s) => s.key === 'report-department')!.dueAt!);
    await rig.restart();
    await signInAll();
    await rig.clock.advance(due - rig.clock.now() - 1000);
    await rig.collector.engine.escalate();
    assert.equal((await get()).events.filter((e) => e.kind === 'escalated').length, 0, 'not before the deadline');
    await rig.clock.advance(2000);
    await rig.collector.engine.escalate();
    await rig.collector.engine.escalate();
    const inc = await get();
    const escalations = inc.events.filter((e) => e.kind === 'escalated');
    assert.deepEqual(escalations.map((e) => [e.data.step, e.data.level]), [['report-department', 1]]);
    assert.equal(inc.steps.find((s) => s.key === 'report-department')!.overdue, true);
    const told = await outbox("idempotency_key LIKE ? AND channel = 'console'", [`incident:${incidentId}:overdue:report-department:1:%`]);
    assert.deepEqual(told.map((r) => r.recipient).sort(), ['dept']);
  });

  it('with the SMTP server down, notices wait and retry; when it is back each arrives once', async () => {
    await smtp.stop();
    const before = smtp.mails.length;
    // The regional coordinator reports to the Department (000 §28): the Department is told.
    const r = await client('coord-almaty').post(`/api/incidents/${incidentId}/steps/report-department/done`, { note: 'Микрофон 1 не работает: обрыв кабеля, выехал техник' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await rig.collector.outbox.runOnce();
    const pending = await outbox("channel = 'email' AND state = 'pending'");
    assert.ok(pending.length >= 1);
    // Each address is first in, first out: the head of the Department's queue was tried and failed.
    const head = pending.find((p) => p.recipient === 'dept@courts.kz')!;
    assert.ok(head.attempts >= 1 && /ECONNREFUSED|connect|421/i.test(head.last_error ?? ''), JSON.stringify(head));
    await smtp.start();
    await rig.clock.advance(59_000);
    await rig.collector.outbox.runOnce();
    assert.equal(smtp.mails.length, before, 'not before the back-off');
    await rig.clock.advance(2_000);
    await rig.collector.outbox.runOnce();
    await smtp.received(before + pending.length);
    assert.equal((await outbox("channel = 'email' AND state != 'sent'")).length, 0);
    const dept = smtp.mails.filter((m) => m.idempotencyKey.includes(':done:report-department:'));
    assert.deepEqual(dept.map((m) => m.to[0]), ['dept@courts.kz']);
    assert.match(dept[0]!.text, /обрыв кабеля/);
  });

  it('the cause is confirmed by its three parties only, in their scope (000 §29); then the act is drafted', async () => {
    assert.equal((await client('head-almaly').post(`/api/incidents/${incidentId}/cause`, { cause: 'x' })).status, 403, 'a chancellery head is not a party');
    // A technician of another contract may not confirm here.
    await client('admin').post('/api/users', { login: 'tech-astana', displayName: 'Техник Астана', role: 'technician', orgId: 'astana-avf-service', password: 'astana-tech-pass-1' });
    const other = await ApiClient.signIn(rig.collector.url, 'tech-astana', 'astana-tech-pass-1');
    assert.equal((await other.post(`/api/incidents/${incidentId}/cause`, { cause: 'x' })).status, 403);
    for (const [login, cause] of [['coord-almaty', 'Обрыв кабеля микрофона 1 на пульте секретаря'], ['tech-almaty', 'Повреждён кабель XLR канала 1, заменён'], ['dept', 'Подтверждаю: обрыв кабеля микрофона']] as const) {
      const res = await client(login).post(`/api/incidents/${incidentId}/cause`, { cause });
      assert.equal(res.status, 200, `${login}: ${JSON.stringify(res.body)}`);
    }
    const inc = await get();
    assert.ok(inc.steps.find((s) => s.key === 'confirm-cause')!.doneAt);
    assert.ok(inc.steps.find((s) => s.key === 'approve-act')!.dueAt, 'the act step started');
    const acts = (await client('head-almaly').get<Array<{ version: number; status: string; act: { failures: Array<{ deviceId: string }>; causeConfirmations: unknown[]; court: { id: string } } }>>(`/api/incidents/${incidentId}/act`)).body;
    assert.equal(acts.length, 1);
    assert.deepEqual([acts[0]!.version, acts[0]!.status, acts[0]!.act.court.id], [1, 'draft', 'almaly-district']);
    assert.deepEqual(acts[0]!.act.failures.map((f) => f.deviceId), [MIC]);
    assert.equal(acts[0]!.act.causeConfirmations.length, 3);
  });

  it('the act is edited while a draft, frozen when approved, and a later change is a new version', async () => {
    const head = client('head-almaly');
    const edit = await head.request('PUT', `/api/incidents/${incidentId}/act`, { description: 'В ходе заседания по делу 2-1234/2026 пропал звук канала 1.', measures: 'Кабель заменён техником.', caseNumber: '2-1234/2026' });
    assert.equal(edit.status, 200, edit.text);
    assert.equal((await client('secretary-almaly').post(`/api/incidents/${incidentId}/act/approve`)).status, 403);
    const approved = await head.post<{ version: number; status: string }>(`/api/incidents/${incidentId}/act/approve`);
    assert.deepEqual([approved.status, approved.body.version, approved.body.status], [200, 1, 'approved']);
    assert.ok((await get()).steps.find((s) => s.key === 'approve-act')!.doneAt);
    await assert.rejects(rig.collector.db.run("UPDATE acts SET content_json = '{}' WHERE incident_id = ? AND version = 1", [incidentId]), /approved act cannot change/);
    const again = await head.request('PUT', `/api/incidents/${incidentId}/act`, { measures: 'Кабель заменён; проверена запись.' });
    assert.equal(again.status, 200);
    const versions = (await head.get<Array<{ version: number; status: string; act: { measures: string } }>>(`/api/incidents/${incidentId}/act`)).body;
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[2, 'draft'], [1, 'approved']]);
    assert.equal(versions[1]!.act.measures, 'Кабель заменён техником.');
  });

  it('the act renders to PDF in Russian and Kazakh with the court, the case and the confirmed causes', async () => {
    for (const [lang, court] of [['ru', 'Алмалинский районный суд'], ['kk', 'Алмалы аудандық соты']] as const) {
      const res = await fetch(`${rig.collector.url}/api/incidents/${incidentId}/act.pdf?lang=${lang}&version=1`, { headers: { cookie: client('head-almaly').cookie } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      const file = path.join(rig.dir, `act-${lang}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, new RegExp(court));
      assert.match(text, /2-1234\/2026/);
      assert.match(text, /Обрыв кабеля микрофона 1/);
    }
  });

  it('the secretary\'s "recording impossible" opens an incident at once, only in her court', async () => {
    const sec = client('secretary-almaly');
    const r = await sec.post<IncidentDto>('/api/incidents', { hallId: 'almaly-district.4', caseNumber: '2-777/2026', note: 'Не идёт запись с камеры судьи' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.origin, r.body.caseNumber, r.body.hallId], ['manual', '2-777/2026', 'almaly-district.4']);
    assert.equal((await sec.post('/api/incidents', { hallId: 'esil-district.1' })).status, 403);
    const rows = (await client('admin').get<Array<{ action: string; actor: string }>>('/api/audit?action=incident.report')).body;
    assert.equal(rows[0]!.actor, 'secretary-almaly');
  });

  it('per court and per service organization: incidents, time to acknowledge and to restore, overdue steps', async () => {
    const ack = await client('tech-almaty').post<IncidentDto>(`/api/incidents/${incidentId}/acknowledge`);
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    const stats = (await client('dept').get<{ courts: Array<{ id: string; incidents: number; overdueSteps: number; meanMinutesToAcknowledge: number | null }>; serviceOrganizations: Array<{ id: string; incidents: number }> }>('/api/incident-stats')).body;
    const court = stats.courts.find((c) => c.id === 'almaly-district')!;
    assert.equal(court.incidents, 2);
    assert.ok(court.overdueSteps >= 1);
    assert.ok(court.meanMinutesToAcknowledge! > 60);
    assert.equal(stats.serviceOrganizations.find((o) => o.id === 'sudtechservice')!.incidents, 2);
  });
});
