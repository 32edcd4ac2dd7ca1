/**
 * The recorder and microphone drivers in the demo region: two halls run the real recorder agent
 * (ffmpeg on lavfi sources; Bostandyk hall 2's channel 2 silent). Commands through
 * `POST /api/devices/:id/commands/:name`: a secretary of the court and the contract's technician
 * may, others get 403; every command is on the audit trail with its outcome. The test recording
 * passes in the healthy hall and fails naming the dead channel in the other.
 */
import assert from 'node:assert/strict';
import { startDemoRig, type DemoRig } from './helpers/demo';

const REC = 'almaly-district-h4-rec';
const REC_DEAD = 'bostandyk-district-h2-rec';

describe('recorder commands and microphones in the demo (real agent)', function () {
  this.timeout(60_000);
  let rig: DemoRig;

  before(async () => {
    rig = await startDemoRig();
  });
  after(async () => {
    await rig?.stop();
  });

  it('the microphone driver reads the real agent: the silent channel is a dead microphone, the hall cannot record', async () => {
    await rig.probeAll();
    const admin = await rig.client('admin');
    const hall = await admin.get<{ devices: Array<{ id: string; status: string; checks: Array<{ check: string; messageKey: string }> }> }>('/api/halls/bostandyk-district.2');
    const dev = (id: string) => hall.body.devices.find((d) => d.id === id)!;
    assert.deepEqual([dev('bostandyk-district-h2-mic2').status, dev('bostandyk-district-h2-mic2').checks[0]!.messageKey], ['down', 'microphone.dead.silence']);
    assert.deepEqual([dev('bostandyk-district-h2-mic1').status, dev('bostandyk-district-h2-mic1').checks[0]!.messageKey], ['ok', 'microphone.alive']);
    assert.equal(dev(REC_DEAD).status, 'ok');
    const quiet = await admin.get<{ status: { status: string }; devices: Array<{ id: string; status: string }> }>('/api/halls/almaly-district.4');
    assert.ok(quiet.body.devices.filter((d) => /-(mic\d|rec)$/.test(d.id)).every((d) => d.status === 'ok'), JSON.stringify(quiet.body.devices.map((d) => [d.id, d.status])));
  });

  it('start → growing files → mark → stop by the secretary; 403 for a chancellery head and for another court; all audited', async () => {
    const sec = await rig.client('secretary-almaly');
    const head = await rig.client('head-almaly');
    const list = await sec.get<Array<{ name: string; action: string }>>(`/api/devices/${REC}/commands`);
    assert.deepEqual(list.body.map((c) => c.name).sort(), ['mark', 'pause', 'resume', 'start', 'stop', 'test-recording']);
    assert.ok(list.body.every((c) => c.action === 'recording.control'));

    const denied = await head.post<{ field: string }>(`/api/devices/${REC}/commands/start`, { caseNumber: '2-1/2026' });
    assert.deepEqual([denied.status, denied.body.field], [403, 'role']);
    const otherCourt = await sec.post<{ field: string }>(`/api/devices/${REC_DEAD}/commands/start`, { caseNumber: '2-1/2026' });
    assert.deepEqual([otherCourt.status, otherCourt.body.field], [403, 'court']);
    const invalid = await sec.post(`/api/devices/${REC}/commands/start`, {});
    assert.equal(invalid.status, 400);

    const start = await sec.post<{ ok: boolean; data: { id: string } }>(`/api/devices/${REC}/commands/start`, { caseNumber: '2-77/2026', parties: ['Истец', 'Ответчик'] });
    assert.deepEqual([start.status, start.body.ok], [200, true]);
    const again = await sec.post<{ ok: boolean; params: { error: string } }>(`/api/devices/${REC}/commands/start`, { caseNumber: '2-78/2026' });
    assert.deepEqual([again.status, again.body.ok], [502, false]);
    // The console's view of the agent: recording, the case, files growing.
    const sts = async () => (await sec.get<{ state: string; session?: { caseNumber: string; bytes: number } }>(`/api/recorders/${REC}/status`)).body;
    const s1 = await sts();
    assert.deepEqual([s1.state, s1.session?.caseNumber], ['recording', '2-77/2026']);
    const levels = await sec.get<{ channels: Array<{ channel: number; rmsDbfs: number }> }>(`/api/recorders/${REC}/levels`);
    assert.equal(levels.body.channels.length, 4);
    const agent = (rig.demo.simulators.get(REC) as unknown as { agent: import('../device-drivers/recorder/agent/agent').RecorderAgent }).agent;
    await new Promise<void>((resolve) => agent.once('segment', () => resolve()));
    await rig.collector.scheduler.probeNow(REC);
    assert.ok((await sts()).session!.bytes > s1.session!.bytes, 'files grow');
    const mark = await sec.post<{ ok: boolean }>(`/api/devices/${REC}/commands/mark`, { speaker: 'Истец' });
    assert.equal(mark.body.ok, true);
    const stop = await sec.post<{ ok: boolean; data: { id: string; verification: { intact: boolean; signed: boolean }; copies: { verifiedAt: { main?: string; backup?: string } } } }>(`/api/devices/${REC}/commands/stop`, {});
    assert.equal(stop.body.ok, true, JSON.stringify(stop.body));
    assert.deepEqual([stop.body.data.verification.intact, stop.body.data.verification.signed, !!stop.body.data.copies.verifiedAt.main, !!stop.body.data.copies.verifiedAt.backup], [true, true, true, true]);
    const recs = await sec.get<Array<{ id: string; finished: boolean }>>(`/api/recorders/${REC}/recordings`);
    assert.ok(recs.body.some((r) => r.id === stop.body.data.id && r.finished));
    const protocol = await sec.get(`/api/recorders/${REC}/recordings/${stop.body.data.id}/protocol?lang=kk`);
    assert.match(protocol.text, /ҚЫСҚАША ХАТТАМАСЫ[\s\S]*2-77\/2026/);

    const rows = await rig.collector.db.all<{ actor: string; action: string; outcome: string; target: string }>(
      "SELECT actor, action, outcome, target FROM audit_log WHERE action LIKE 'device.command.%' ORDER BY seq");
    assert.deepEqual(rows.map((r) => [r.actor, r.action, r.outcome, r.target]), [
      ['secretary-almaly', 'device.command.start', 'ok', REC],
      ['secretary-almaly', 'device.command.start', 'failed', REC],
      ['secretary-almaly', 'device.command.mark', 'ok', REC],
      ['secretary-almaly', 'device.command.stop', 'ok', REC],
    ]);
  });

  it('test recording by the technician: passes in the healthy hall, fails naming the dead channel', async () => {
    const tech = await rig.client('tech-almaty');
    const [good, bad] = await Promise.all([
      tech.post<{ ok: boolean; data: { reasons: string[]; files: Array<{ width?: number }>; channels: Array<{ verdict: string }> } }>(`/api/devices/${REC}/commands/test-recording`, { seconds: 2 }),
      tech.post<{ ok: boolean; data: { reasons: string[]; channels: Array<{ verdict: string }> } }>(`/api/devices/${REC_DEAD}/commands/test-recording`, { seconds: 2 }),
    ]);
    assert.deepEqual([good.status, good.body.ok], [200, true], JSON.stringify(good.body));
    assert.ok(good.body.data.channels.every((c) => c.verdict === 'alive'));
    assert.ok(good.body.data.files.some((f) => f.width === 640));
    assert.deepEqual([bad.status, bad.body.ok], [502, false]);
    assert.deepEqual(bad.body.data.reasons, ['channel 2: dead-silence']);
    const rows = await rig.collector.db.all<{ actor: string; outcome: string; target: string }>("SELECT actor, outcome, target FROM audit_log WHERE action = 'device.command.test-recording' ORDER BY seq");
    assert.deepEqual(rows.map((r) => [r.actor, r.outcome]).sort(), [['tech-almaty', 'failed'], ['tech-almaty', 'ok']]);
  });
});
