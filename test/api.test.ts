import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { BoardDto, HallDetailDto, HallSummaryDto, ProbeNowDto, WsMessage } from '../collector/api/dto';
import { deferred } from './helpers/servers';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';

let admin: ApiClient;

/** GET as the administrator (API routes), or plain (health, metrics). */
async function get<T = unknown>(rig: DemoRig, path: string): Promise<{ status: number; body: T; text: string }> {
  if (path.startsWith('/api/')) return admin.get<T>(path);
  const res = await fetch(rig.collector.url + path);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body: body as T, text };
}

async function post<T = unknown>(_rig: DemoRig, path: string, body?: string): Promise<{ status: number; body: T }> {
  return admin.post<T>(path, body);
}

const statusOf = (halls: HallSummaryDto[], id: string) => halls.find((h) => h.id === id)!.status;

describe('collector API over the demo region', function () {
  let rig: DemoRig;

  before(async () => {
    rig = await startDemoRig();
    admin = await rig.client('admin');
  });
  after(async () => {
    await rig?.stop();
  });

  it('serves the board: every region, court and hall, names in Russian and Kazakh, unknown before any probe', async () => {
    const { status, body } = await get<BoardDto>(rig, '/api/board');
    assert.equal(status, 200);
    const courts = body.regions.flatMap((r) => r.courts);
    const halls = courts.flatMap((c) => c.halls);
    assert.ok(body.regions.length >= 1);
    assert.ok(courts.some((c) => c.level === 'regional'));
    assert.ok(courts.filter((c) => c.level === 'district').length >= 2);
    assert.ok(halls.length >= 12);
    assert.equal(courts.find((c) => c.id === 'almaly-district')!.name.kk, 'Алматы қаласы Алмалы аудандық соты');
    assert.ok(halls.every((h) => h.status.status === 'unknown'));
  });

  it('after probing, the demo board shows mixed statuses, each with its cause', async () => {
    await rig.probeAll();
    const { body } = await get<HallSummaryDto[]>(rig, '/api/halls');
    const s = (id: string) => statusOf(body, id);
    assert.equal(s('almaty-city.1').status, 'ok', JSON.stringify(s('almaty-city.1').causes));
    assert.deepEqual([s('almaly-district.2').status, s('almaly-district.2').causes[0]!.deviceId, s('almaly-district.2').causes[0]!.message], ['down', 'almaly-district-h2-cam1', 'ONVIF service answered HTTP 500 to GetSystemDateAndTime']);
    assert.deepEqual([s('almaly-district.3').status, s('almaly-district.3').causes[0]!.deviceId], ['down', 'almaly-district-h3-mic3']);
    assert.deepEqual([s('almaty-city.2').status, s('almaty-city.2').causes[0]!.category], ['degraded', 'camera']);
    assert.deepEqual([s('almaty-city.4').status, s('almaty-city.4').causes[0]!.messageKey], ['down', 'snmp.process.missing']);
    assert.deepEqual([s('bostandyk-district.1').status, s('bostandyk-district.1').avf, s('bostandyk-district.1').vks], ['degraded', 'ok', 'down']);
    const hung = s('bostandyk-district.4');
    assert.deepEqual([hung.status, hung.causes[0]!.deviceId, hung.causes[0]!.messageKey], ['down', 'bostandyk-district-h4-pc', 'snmp.no-answer']);
  });

  it('filters halls by region, court and status, and rejects bad filters naming the parameter', async () => {
    const down = await get<HallSummaryDto[]>(rig, '/api/halls?status=down');
    assert.deepEqual(down.body.map((h) => h.id).sort(), ['almaly-district.2', 'almaly-district.3', 'almaty-city.4', 'bostandyk-district.2', 'bostandyk-district.4']);
    const astana = await get<HallSummaryDto[]>(rig, '/api/halls?region=astana');
    assert.equal(astana.body.length, 5);
    assert.ok(astana.body.every((h) => h.regionId === 'astana'));
    const court = await get<HallSummaryDto[]>(rig, '/api/halls?court=esil-district&status=ok,degraded');
    assert.equal(court.body.length, 3);

    for (const [path, field] of [['/api/halls?status=broken', 'status'], ['/api/halls?region=mars', 'region'], ['/api/halls?court=x', 'court'], ['/api/courts?region=x', 'region'], ['/api/halls?status=ok&status=down', 'status'], ['/api/halls/almaty-city.1?history=0', 'history']] as const) {
      const r = await get<{ error: string; field: string; message: string }>(rig, path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.field, field, path);
      assert.ok(r.body.message.length > 5);
    }
  });

  it('one hall: its devices with latest checks, recent history and status history; secrets never leave', async () => {
    const { status, body, text } = await get<HallDetailDto>(rig, '/api/halls/almaly-district.2');
    assert.equal(status, 200);
    assert.equal(body.court.name.ru, 'Алмалинский районный суд г. Алматы');
    assert.equal(body.devices.length, 7);
    const cam = body.devices.find((d) => d.id === 'almaly-district-h2-cam1')!;
    assert.deepEqual([cam.status, cam.category, cam.critical, cam.checks[0]!.check], ['down', 'camera', true, 'onvif-connect']);
    assert.ok(body.history.length >= 7);
    assert.equal(body.statusHistory[0]!.status, 'down');
    assert.doesNotMatch(text, /credentials|password/i);
  });

  it('unknown ids get 404, bad bodies 4xx, and the collector keeps running', async () => {
    assert.equal((await get(rig, '/api/halls/nope.1')).status, 404);
    assert.equal((await get(rig, '/api/devices/nope')).status, 404);
    assert.equal((await get(rig, '/api/courts/nope')).status, 404);
    assert.equal((await post(rig, '/api/devices/nope/probe')).status, 404);
    const notJson = await post<{ field: string }>(rig, '/api/devices/almaty-city-h1-cam1/probe', '{"broken":');
    assert.deepEqual([notJson.status, notJson.body.field], [400, 'body']);
    const huge = await post(rig, '/api/devices/almaty-city-h1-cam1/probe', JSON.stringify({ x: 'a'.repeat(400_000) }));
    assert.equal(huge.status, 413);
    const route = await get<{ error: string }>(rig, '/api/nothing/here');
    assert.deepEqual([route.status, route.body.error], [404, 'not_found']);
    assert.equal((await get(rig, '/api/halls/%00%01')).status, 400);
    assert.equal((await get<{ status: string }>(rig, '/healthz')).body.status, 'ok');
  });

  it('probe now returns the results and the hall status', async () => {
    const r = await post<ProbeNowDto>(rig, '/api/devices/almaty-city-h1-cam1/probe');
    assert.equal(r.status, 200);
    assert.equal(r.body.results[0]!.check, 'onvif-connect');
    assert.equal(r.body.results[0]!.status, 'ok');
    assert.equal(r.body.hall.hallId, 'almaty-city.1');
  });

  it('the WebSocket pushes a hall status change and the new results', async () => {
    const ws = new WebSocket(rig.collector.url.replace('http', 'ws') + '/ws', { headers: { cookie: admin.cookie } });
    const got: WsMessage[] = [];
    const hello = deferred();
    const change = deferred<WsMessage>();
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as WsMessage;
      got.push(m);
      if (m.type === 'hello') hello.resolve();
      if (m.type === 'hall-status' && m.hall.hallId === 'esil-district.3') change.resolve(m);
    });
    await hello.promise;
    // The hall page watches its hall for device results (hall statuses come to every console).
    ws.send(JSON.stringify({ type: 'watch-hall', hallId: 'esil-district.3' }));
    // Its messages are handled in order: the refusal of the next one means the watch is in place.
    ws.send('{"type":"watch-hall","hallId":"none.1"}');
    await new Promise<void>((resolve) => {
      const check = () => (got.some((x) => (x as { type: string }).type === 'error') ? resolve() : setImmediate(check));
      check();
    });
    await rig.demo.simulators.get('esil-district-h3-cam1')!.setFault('http-500');
    await rig.collector.scheduler.probeNow('esil-district-h3-cam1');
    const m = await change.promise;
    assert.ok(m.type === 'hall-status');
    assert.deepEqual([m.hall.status, m.previous, m.hall.causes[0]!.deviceId], ['down', 'ok', 'esil-district-h3-cam1']);
    assert.ok(got.some((x) => x.type === 'results' && x.deviceId === 'esil-district-h3-cam1' && x.status === 'down'));
    ws.close();
    await rig.demo.simulators.get('esil-district-h3-cam1')!.setFault('none');
    await rig.collector.scheduler.probeNow('esil-district-h3-cam1');
  });

  it('/metrics exposes probe, check, hall and scheduler metrics without secrets or *_total gauges', async () => {
    const { status, text } = await get(rig, '/metrics');
    assert.equal(status, 200);
    assert.match(text, /hallwatch_hall_status\{region="almaty",court="almaly-district",hall="almaly-district.2"\} 2/);
    assert.match(text, /hallwatch_probe_success\{region="almaty",court="almaty-city",hall="almaty-city.1",device="almaty-city-h1-cam1",driver="onvif-camera"\} 1/);
    assert.match(text, /hallwatch_check_status\{[^}]*device="almaly-district-h3-mic3"[^}]*check="http-json"\} 2/);
    // The PC that does not answer reports its own "no answer" (snmp-host) before the collector's deadline.
    assert.match(text, /hallwatch_probes_total\{driver="snmp-host",outcome="fail"\} [1-9]/);
    assert.match(text, /hallwatch_scheduler_lag_seconds_bucket/);
    assert.match(text, /hallwatch_scheduler_queue_depth/);
    assert.doesNotMatch(text, /active_handles_total/);
    assert.doesNotMatch(text, /password/i);
  });

  it('no device password reaches the logs', () => {
    const all = rig.logs.join('\n');
    const device = rig.demo.inventory.devices.find((d) => d.credentials?.password)!;
    assert.ok(device.credentials!.password!.length >= 8);
    assert.ok(!all.includes(device.credentials!.password!));
  });

  it('a restart keeps every hall status and latest result (nothing lost), before any new probe', async () => {
    const before = (await get<HallSummaryDto[]>(rig, '/api/halls')).body;
    await rig.restart();
    // Same session cookie against the restarted collector: sessions are stored, not in memory.
    admin = Object.assign(new ApiClient(rig.collector.url), { cookie: admin.cookie, csrf: admin.csrf });
    const after = (await get<HallSummaryDto[]>(rig, '/api/halls')).body;
    assert.deepEqual(after.map((h) => [h.id, h.status.status, h.status.since]), before.map((h) => [h.id, h.status.status, h.status.since]));
    const hall = (await get<HallDetailDto>(rig, '/api/halls/almaly-district.3')).body;
    assert.equal(hall.devices.find((d) => d.id === 'almaly-district-h3-mic3')!.status, 'down');
  });
});
