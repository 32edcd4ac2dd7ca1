/**
 * Live levels over the console's WebSocket (issue 6). In the demo rig (the real recorder agent:
 * ffmpeg on lavfi sources) a real `ws` client subscribes to its hall's recorder and receives
 * frames with every channel's RMS, peak and name; a recorder of another court, an unknown device
 * and garbage are refused with an error naming them, and the socket lives on; two consoles on the
 * same recorder cost the agent one read per tick (counted at the agent), and the reader stops with
 * the last subscriber; a subscription re-checks the session. Then the relay alone, against a
 * hanging, a dead, a stale and a healthy agent on a FakeClock: the slow one delays nobody, and
 * each says why its levels are unavailable.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { Device } from '../collector/config/inventory';
import { FakeClock } from '../collector/core/clock';
import { createLogger } from '../collector/core/logger';
import { LevelRelay, type LevelRelayOptions, type LevelsFrame, type LevelsWsMessage } from '../collector/api/level-stream';
import type { RecorderAgent } from '../device-drivers/recorder/agent/agent';
import { readAgentLevels } from '../device-drivers/recorder/client';
import type { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';

const REC = 'almaly-district-h4-rec';
const REC_OTHER_COURT = 'bostandyk-district-h2-rec';

/** Waits for a condition on real sockets or processes, bounded (the app's own time is the FakeClock). */
async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Msg = LevelsWsMessage | { type: string; [k: string]: unknown };

/** A console's socket: every message it got, in order, and its close code. */
class Console {
  readonly got: Msg[] = [];
  closeCode: number | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (m) => this.got.push(JSON.parse(String(m)) as Msg));
    ws.on('close', (code) => (this.closeCode = code));
  }

  static open(rig: DemoRig, client: ApiClient): Promise<Console> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(rig.collector.url.replace('http', 'ws') + '/ws', { headers: { cookie: client.cookie } });
      const c = new Console(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  frames(deviceId: string): Array<LevelsFrame & { type: 'levels' }> {
    return this.got.filter((m): m is LevelsFrame & { type: 'levels' } => m.type === 'levels' && (m as { deviceId?: string }).deviceId === deviceId);
  }

  errors(): Array<Extract<LevelsWsMessage, { type: 'error' }>> {
    return this.got.filter((m): m is Extract<LevelsWsMessage, { type: 'error' }> => m.type === 'error');
  }

  async frameAfter(deviceId: string, n: number, what: string): Promise<LevelsFrame> {
    await until(() => this.frames(deviceId).length > n, what);
    return this.frames(deviceId)[n]!;
  }
}

describe('live levels over the WebSocket (real recorder agent in the demo rig)', function () {
  this.timeout(60_000);
  let rig: DemoRig;
  const consoles: Console[] = [];
  /** GET /api/levels requests the agent of REC has served. */
  let agentReads = 0;
  const relay = () => rig.collector.live.levels!;

  before(async () => {
    rig = await startDemoRig();
    const agent = (rig.demo.simulators.get(REC) as unknown as { agent: RecorderAgent }).agent;
    // Counted where the load lands: the agent's own HTTP server.
    const server = (agent as unknown as { server?: http.Server }).server;
    assert.ok(server instanceof http.Server, "the agent's HTTP server (to count its reads)");
    server.on('request', (req: http.IncomingMessage) => {
      if (req.url === '/api/levels') agentReads++;
    });
  });
  afterEach(() => {
    for (const c of consoles.splice(0)) c.ws.terminate();
  });
  after(async () => {
    await rig?.stop();
  });

  async function open(login: string): Promise<{ c: Console; client: ApiClient }> {
    const client = await rig.client(login);
    const c = await Console.open(rig, client);
    consoles.push(c);
    await until(() => c.got.some((m) => m.type === 'hello'), 'hello');
    return { c, client };
  }

  it('a secretary subscribes to her hall recorder: frames with every channel\'s RMS, peak, name and time, on the Clock', async () => {
    const { c } = await open('secretary-almaly');
    c.send({ type: 'subscribe-levels', deviceId: REC });
    const f = await c.frameAfter(REC, 0, 'the first levels frame');
    assert.ok(f.available, JSON.stringify(f));
    assert.equal(f.hallId, 'almaly-district.4');
    assert.ok(!Number.isNaN(Date.parse(f.at)), f.at);
    assert.deepEqual(f.channels.map((ch) => ch.channel), [1, 2, 3, 4]);
    for (const ch of f.channels) {
      assert.deepEqual(ch.name, { ru: `Микрофон, канал ${ch.channel}`, kk: `Микрофон, ${ch.channel}-арна` });
      // The demo's channels: a tone over a noise floor, far above silence and below full scale.
      assert.ok(ch.rmsDbfs > -60 && ch.rmsDbfs < 0, JSON.stringify(ch));
      assert.ok(ch.peakDbfs >= ch.rmsDbfs && ch.peakDbfs <= 0, JSON.stringify(ch));
    }
    // The next read comes with the collector's Clock (4 Hz), not when a browser asks.
    await rig.clock.advance(250);
    const f2 = await c.frameAfter(REC, 1, 'the second frame, 250 ms later on the Clock');
    assert.ok(f2.available && f2.channels.length === 4, JSON.stringify(f2));
    assert.equal(c.errors().length, 0, JSON.stringify(c.errors()));
  });

  it('device results go only to consoles that watch the hall (a hall page), in scope; hall statuses to all', async () => {
    const { c: watching } = await open('secretary-almaly');
    const { c: board } = await open('secretary-almaly');
    watching.send({ type: 'watch-hall', hallId: 'almaly-district.4' });
    watching.send({ type: 'watch-hall', hallId: 'bostandyk-district.2' });
    watching.send({ type: 'watch-hall', hallId: 'no-such.1' });
    await until(() => watching.errors().length === 2, 'two refusals');
    const [other, unknown] = watching.errors();
    assert.deepEqual([other!.request, other!.hallId, other!.error], ['watch-hall', 'bostandyk-district.2', 'forbidden']);
    assert.deepEqual([unknown!.hallId, unknown!.error], ['no-such.1', 'not-found']);
    const results = (c: Console, hallId: string) => c.got.filter((m) => m.type === 'results' && m.hallId === hallId).length;
    await rig.collector.scheduler.probeNow('almaly-district-h4-cam1');
    await rig.collector.scheduler.probeNow('almaly-district-h1-cam1');
    await until(() => results(watching, 'almaly-district.4') === 1, "the watched hall's results");
    assert.equal(results(watching, 'almaly-district.1'), 0, 'not a hall it watches');
    assert.equal(board.got.filter((m) => m.type === 'results').length, 0, 'a console that watches no hall gets no device results');
    watching.send({ type: 'unwatch-hall', hallId: 'almaly-district.4' });
    watching.send({ type: 'watch-hall', hallId: 'almaly-district.1' });
    // A socket's messages are handled in order: this refusal means the two before are in place.
    watching.send({ type: 'watch-hall', hallId: 'no-such.2' });
    await until(() => watching.errors().length === 3, 'the third refusal');
    await rig.collector.scheduler.probeNow('almaly-district-h4-cam1');
    await rig.collector.scheduler.probeNow('almaly-district-h1-cam1');
    await until(() => results(watching, 'almaly-district.1') === 1, 'the newly watched hall');
    assert.equal(results(watching, 'almaly-district.4'), 1, 'no more results of the hall it stopped watching');
  });

  it("refuses another court's recorder, an unknown device, a camera and garbage, naming them; the socket lives on", async () => {
    const { c } = await open('secretary-almaly');
    c.send({ type: 'subscribe-levels', deviceId: REC_OTHER_COURT });
    c.send({ type: 'subscribe-levels', deviceId: 'no-such-recorder' });
    c.send({ type: 'subscribe-levels', deviceId: 'almaly-district-h4-cam1' });
    c.send('{not json');
    c.send({ type: 'subscribe-levels' });
    await until(() => c.errors().length === 5, 'five refusals');
    const [other, unknown, camera, garbage, noId] = c.errors();
    assert.deepEqual([other!.request, other!.deviceId, other!.error], ['subscribe-levels', REC_OTHER_COURT, 'forbidden']);
    assert.match(other!.message, /recorder "bostandyk-district-h2-rec" is in court "bostandyk-district", outside the courts you answer for/);
    assert.deepEqual([unknown!.deviceId, unknown!.error, unknown!.message], ['no-such-recorder', 'not-found', 'no recorder "no-such-recorder"']);
    assert.deepEqual([camera!.deviceId, camera!.error], ['almaly-district-h4-cam1', 'not-found']);
    assert.deepEqual([garbage!.request, garbage!.error], ['message', 'bad-request']);
    assert.deepEqual([noId!.request, noId!.error], ['subscribe-levels', 'bad-request']);
    assert.equal(relay().subscribers(REC_OTHER_COURT), 0, 'no reader of the refused recorder');
    assert.equal(c.frames(REC_OTHER_COURT).length, 0);
    // The socket still works.
    c.send({ type: 'subscribe-levels', deviceId: REC });
    await rig.clock.advance(250); // the previous test's reader read last: keep the recorder's pace
    assert.ok((await c.frameAfter(REC, 0, 'a frame after the refusals')).available);
    assert.equal(c.closeCode, undefined);
  });

  it('two consoles on one recorder: one reader upstream (counted at the agent), stopped when the last one leaves', async () => {
    const { c: a } = await open('secretary-almaly');
    const { c: b } = await open('head-almaly');
    await rig.clock.advance(250);
    a.send({ type: 'subscribe-levels', deviceId: REC });
    await a.frameAfter(REC, 0, "A's first frame");
    b.send({ type: 'subscribe-levels', deviceId: REC });
    // B joins the running reader and gets its newest frame at once, without another read.
    await b.frameAfter(REC, 0, "B's first frame");
    assert.deepEqual(b.frames(REC)[0], a.frames(REC)[0]);
    assert.deepEqual([relay().active, relay().subscribers(REC)], [1, 2]);

    const before = agentReads;
    const TICKS = 6;
    for (let i = 1; i <= TICKS; i++) {
      await rig.clock.advance(250);
      await a.frameAfter(REC, i, `A's frame ${i}`);
      await b.frameAfter(REC, i, `B's frame ${i}`);
    }
    assert.equal(agentReads - before, TICKS, `one agent read per tick for two consoles (${agentReads - before} reads)`);
    assert.deepEqual(a.frames(REC).slice(1), b.frames(REC).slice(1), 'the same frames to both');

    // A disconnects: B goes on alone on the same reader.
    a.ws.close();
    await until(() => relay().subscribers(REC) === 1, 'A released on disconnect');
    await rig.clock.advance(250);
    await b.frameAfter(REC, TICKS + 1, 'B after A left');
    // B unsubscribes: the last one, the reader stops and the agent is not read any more.
    b.send({ type: 'unsubscribe-levels', deviceId: REC });
    await until(() => relay().active === 0, 'the reader stopped');
    const after = agentReads;
    const framesB = b.frames(REC).length;
    await rig.clock.advance(5_000);
    await rig.client('secretary-almaly').then((s) => s.get(`/api/recorders/${REC}/status`)); // a round trip to the same agent
    assert.equal(agentReads, after, 'no reads without subscribers');
    assert.equal(b.frames(REC).length, framesB, 'no frames after unsubscribing');
  });

  it('a subscription re-checks the session; a subscribed socket whose session ended is closed and its reader stopped', async () => {
    const { c: late, client: lateClient } = await open('secretary-almaly');
    assert.equal((await lateClient.delete('/api/session')).status, 204);
    late.send({ type: 'subscribe-levels', deviceId: REC });
    await until(() => late.closeCode !== undefined, 'the socket closed at the subscription');
    assert.equal(late.closeCode, 4401);
    assert.equal(late.frames(REC).length, 0);
    assert.equal(relay().active, 0);

    const { c, client } = await open('tech-almaty');
    await rig.clock.advance(250);
    c.send({ type: 'subscribe-levels', deviceId: REC });
    await c.frameAfter(REC, 0, 'a frame for the technician');
    assert.equal(relay().active, 1);
    assert.equal((await client.delete('/api/session')).status, 204);
    await rig.clock.advance(30_000); // the heartbeat re-checks every socket's session
    await until(() => c.closeCode !== undefined, 'the socket closed at the heartbeat');
    assert.equal(c.closeCode, 4401);
    assert.equal(relay().active, 0, 'the reader stopped with its last socket');
  });
});

describe('level relay: slow, dead, stale and healthy agents (FakeClock)', () => {
  const servers: Array<{ close(): void }> = [];
  let relay: LevelRelay | undefined;
  afterEach(() => {
    relay?.close();
    for (const s of servers.splice(0)) s.close();
  });

  const listen = async (server: net.Server): Promise<number> => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push({
      close: () => {
        server.close();
        if (server instanceof http.Server) server.closeAllConnections();
      },
    });
    return (server.address() as AddressInfo).port;
  };

  /** An agent that answers GET /api/levels like the real one, `ageMs` old on its own clock. */
  async function healthyAgent(token: string, ageMs = 0): Promise<{ port: number; reads: () => number }> {
    let reads = 0;
    const server = http.createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized', message: 'bearer token required' }));
        return;
      }
      reads++;
      const at = new Date(Date.now() - ageMs).toISOString();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        at, state: 'idle',
        channels: [1, 2].map((channel) => ({ channel, rmsDbfs: -30 - channel, acRmsDbfs: -30, peakDbfs: -20, dcDbfs: -120, clippedRatio: 0, at })),
      }));
    });
    return { port: await listen(server), reads: () => reads };
  }

  const recorder = (id: string, port: number, token = 'secret-token-123456'): Device =>
    ({ id, hallId: `${id}.hall`, courtId: 'c1', regionId: 'r1', driver: 'recorder', category: 'recording-pc', system: 'avf', name: { ru: id, kk: id }, host: '127.0.0.1', port, address: `127.0.0.1:${port}`, critical: true, intervalMs: 30_000, timeoutMs: 5000, options: {}, credentials: { password: token } }) as Device;

  function makeRelay(devices: Device[], clock: FakeClock, o: Partial<LevelRelayOptions> = {}): LevelRelay {
    const mic: Device = { ...devices[0]!, id: 'mic1', driver: 'microphone', category: 'microphone', name: { ru: 'Судья', kk: 'Судья' }, options: { channel: 1 } };
    relay = new LevelRelay({ inv: { device: new Map(devices.map((d) => [d.id, d])), devices: [...devices, mic] }, clock, log: createLogger({ level: 'error', write: () => {} }), ...o });
    return relay;
  }

  it('a hanging agent delays nobody: the healthy one goes on at 4 Hz, the hanging and the dead are "no-answer", a stale one is "stale"', async () => {
    const clock = new FakeClock();
    const good = await healthyAgent('secret-token-123456');
    const old = await healthyAgent('secret-token-123456', 10_000);
    // Accepts the connection and never answers.
    const held: net.Socket[] = [];
    const hang = net.createServer((s) => held.push(s));
    const hangPort = await listen(hang);
    servers.push({ close: () => held.forEach((s) => s.destroy()) });
    // A port with nobody listening.
    const closed = net.createServer();
    const deadPort = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));

    const r = makeRelay([recorder('good', good.port), recorder('hang', hangPort), recorder('dead', deadPort), recorder('old', old.port), recorder('wrong-token', good.port, 'another-token-123456')], clock);
    const frames = new Map<string, LevelsFrame[]>();
    const on = (id: string) => r.subscribe(id, (f) => void (frames.get(id) ?? frames.set(id, []).get(id)!).push(f));
    // A console whose socket throws must not stop the frames of the others.
    r.subscribe('good', () => {
      throw new Error('a broken listener');
    });
    const offs = ['good', 'hang', 'dead', 'old', 'wrong-token'].map(on);
    const n = (id: string) => frames.get(id)?.length ?? 0;

    await until(() => n('good') >= 1 && n('dead') >= 1 && n('old') >= 1 && n('wrong-token') >= 1, 'first frames');
    const g = frames.get('good')![0]!;
    assert.ok(g.available, JSON.stringify(g));
    assert.deepEqual(g.channels, [{ channel: 1, name: { ru: 'Судья', kk: 'Судья' }, rmsDbfs: -31, peakDbfs: -20 }, { channel: 2, name: null, rmsDbfs: -32, peakDbfs: -20 }]);
    const dead = frames.get('dead')![0]!;
    assert.deepEqual([dead.available, !dead.available && dead.reason], [false, 'no-answer']);
    const stale = frames.get('old')![0]!;
    assert.deepEqual([stale.available, !stale.available && stale.reason], [false, 'stale'], JSON.stringify(stale));
    const wrong = frames.get('wrong-token')![0]!;
    assert.deepEqual([wrong.available, !wrong.available && wrong.reason], [false, 'agent-error'], JSON.stringify(wrong));
    assert.equal(n('hang'), 0, 'the hanging agent has not answered');

    // 1.75 s on the Clock: seven more healthy frames while the hanging read is still open.
    for (let i = 1; i <= 7; i++) {
      await clock.advance(250);
      await until(() => n('good') === 1 + i, `healthy frame ${i + 1}`);
    }
    assert.equal(n('hang'), 0);
    assert.equal(good.reads(), 8, 'healthy agent: one read per 250 ms (the wrong token is refused before counting)');
    // At 2 s the hanging read is abandoned: its subscribers learn why.
    await clock.advance(250);
    await until(() => n('hang') === 1, 'the hanging agent reported');
    const h = frames.get('hang')![0]!;
    assert.deepEqual([h.available, !h.available && h.reason, !h.available && h.detail], [false, 'no-answer', 'no answer within 2000 ms']);
    await until(() => n('good') === 9, 'the healthy agent still on time');
    // The dead agent is retried every 2 s, not at 4 Hz.
    assert.ok(n('dead') <= 2, `dead agent read ${n('dead')} times in 2 s`);

    for (const off of offs) off();
    assert.equal(r.active, 1, 'the broken listener still holds "good"');
    r.close();
    assert.equal(r.active, 0);
    const reads = good.reads();
    await clock.advance(5_000);
    assert.equal(good.reads(), reads, 'nothing is read after close');
    assert.equal(clock.pendingTimers(), 0, 'no timers left behind');
  });

  it('a reader restarted at once keeps the pace; a late subscriber gets the newest frame without a read', async () => {
    const clock = new FakeClock();
    const good = await healthyAgent('secret-token-123456');
    // The real transport, with the calls counted where the relay makes them (synchronously).
    let calls = 0;
    const r = makeRelay([recorder('good', good.port)], clock, { read: (d, signal) => (calls++, readAgentLevels(d, signal)) });
    const got: LevelsFrame[] = [];
    const off = r.subscribe('good', (f) => got.push(f));
    await until(() => got.length === 1, 'first frame');
    const late: LevelsFrame[] = [];
    const offLate = r.subscribe('good', (f) => late.push(f));
    assert.deepEqual(late, got, 'the newest frame at once');
    assert.deepEqual([calls, good.reads()], [1, 1]);
    off();
    offLate();
    assert.equal(r.active, 0);
    // Subscribing again at once (a console toggling) does not read the agent before the period.
    const again: LevelsFrame[] = [];
    r.subscribe('good', (f) => again.push(f));
    assert.equal(calls, 1, 'no read before the period');
    await clock.advance(249);
    assert.equal(calls, 1, 'no read before the period');
    await clock.advance(1);
    assert.equal(calls, 2, 'read when the period is over');
    await until(() => again.length === 1, 'the frame of that read');
    assert.equal(good.reads(), 2);
    assert.throws(() => r.subscribe('nope', () => {}), /no recorder "nope"/);
  });
});
