/**
 * The http driver against real loopback servers: status, body text, JSON field, body cap,
 * basic auth, and the hard deadline (FakeClock through runProbe).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { probeContext } from './helpers/context';
import { FakeClock } from '../collector/core/clock';
import type { ProbeContext } from '../collector/core/driver';
import { silentLogger } from '../collector/core/logger';
import type { CheckResultDraft, Credentials, ProbeTarget } from '../collector/core/types';
import { runProbe } from '../collector/scheduler/run-probe';
import { httpDriver, httpOptions, type HttpOptions } from '../device-drivers/http/driver';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
  port: number;
  server: http.Server;
}

const servers: http.Server[] = [];
const cleanups: Array<() => void> = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const server = http.createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as net.AddressInfo).port, server };
}

/** A port that was listening a moment ago and is now closed: connecting is refused. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function target(port: number, options: unknown = undefined, credentials?: Credentials): ProbeTarget<HttpOptions> {
  return { id: 'cam-1', driver: 'http', host: '127.0.0.1', port, options: httpOptions.parse(options), credentials };
}

function ctx(clock = new FakeClock(), ac = new AbortController()): ProbeContext {
  return probeContext({ clock, signal: ac.signal, timeoutMs: 10_000 });
}

function byCheck(results: CheckResultDraft[], check: string): CheckResultDraft {
  const r = results.find((x) => x.check === check);
  assert.ok(r, `no "${check}" check in ${JSON.stringify(results)}`);
  return r;
}

const reply = (status: number, body = '', type = 'text/plain'): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};

describe('http driver', function () {
  this.timeout(5000);

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  describe('status', () => {
    it('reports http-status ok with the status code for a 200', async () => {
      const { port } = await startServer(reply(200, 'fine'));
      const out = await httpDriver.probe(target(port), ctx());
      assert.equal(out.length, 1, 'no body expectation: only the status check');
      const s = byCheck(out, 'http-status');
      assert.equal(s.status, 'ok');
      assert.equal(s.messageKey, 'http.status.ok');
      assert.equal(s.values?.status_code, 200);
      assert.ok((s.values?.rtt_ms ?? -1) >= 0);
      assert.match(s.message, /^HTTP 200 in [\d.]+ ms$/);
    });

    it('reports a 500 as down, naming the code and the expected 2xx', async () => {
      const { port } = await startServer(reply(500, 'boom'));
      const s = byCheck(await httpDriver.probe(target(port), ctx()), 'http-status');
      assert.equal(s.status, 'down');
      assert.equal(s.messageKey, 'http.status.unexpected');
      assert.equal(s.values?.status_code, 500);
      assert.match(s.message, /\b500\b/);
      assert.match(s.message, /expected 2xx/);
      assert.deepEqual(s.params, { code: 500, expected: '2xx' });
    });

    it('accepts a 401 when expectStatus lists it, and rejects a 200 then', async () => {
      const { port } = await startServer((req, res) => {
        res.writeHead(req.url === '/locked' ? 401 : 200);
        res.end();
      });
      const locked = byCheck(await httpDriver.probe(target(port, { path: '/locked', expectStatus: [401] }), ctx()), 'http-status');
      assert.equal(locked.status, 'ok');
      assert.equal(locked.values?.status_code, 401);

      const open = byCheck(await httpDriver.probe(target(port, { path: '/open', expectStatus: [401] }), ctx()), 'http-status');
      assert.equal(open.status, 'down');
      assert.equal(open.message, 'HTTP 200, expected 401');
    });

    it('requests the configured path and method', async () => {
      const seen: string[] = [];
      const { port } = await startServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.end('ok');
      });
      const s = byCheck(await httpDriver.probe(target(port, { path: '/api/v1/status?x=1', method: 'HEAD' }), ctx()), 'http-status');
      assert.equal(s.status, 'ok');
      assert.deepEqual(seen, ['HEAD /api/v1/status?x=1']);
    });

    it('reports a refused connection as down with http.unreachable', async () => {
      const port = await closedPort();
      const out = await httpDriver.probe(target(port), ctx());
      assert.equal(out.length, 1);
      const s = byCheck(out, 'http-status');
      assert.equal(s.status, 'down');
      assert.equal(s.messageKey, 'http.unreachable');
      assert.match(s.message, /ECONNREFUSED/);
    });
  });

  describe('body text (http-body)', () => {
    it('is ok when the expected text is in the body', async () => {
      const { port } = await startServer(reply(200, 'recorder: RUNNING, channels 4'));
      const out = await httpDriver.probe(target(port, { bodyContains: 'RUNNING' }), ctx());
      assert.equal(byCheck(out, 'http-status').status, 'ok');
      const b = byCheck(out, 'http-body');
      assert.equal(b.status, 'ok');
      assert.equal(b.messageKey, 'http.body.ok');
    });

    it('is down and names the text when it is missing', async () => {
      const { port } = await startServer(reply(200, 'recorder: STOPPED'));
      const out = await httpDriver.probe(target(port, { bodyContains: 'RUNNING' }), ctx());
      assert.equal(byCheck(out, 'http-status').status, 'ok');
      const b = byCheck(out, 'http-body');
      assert.equal(b.status, 'down');
      assert.equal(b.messageKey, 'http.body.missing');
      assert.match(b.message, /"RUNNING"/);
      assert.deepEqual(b.params, { text: 'RUNNING' });
    });
  });

  describe('JSON field (http-json)', () => {
    const json = (value: unknown): Handler => reply(200, JSON.stringify(value), 'application/json');

    it('is ok when the field has the expected value', async () => {
      const { port } = await startServer(json({ a: { b: true }, c: 1 }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'a.b', equals: true } }), ctx()), 'http-json');
      assert.equal(j.status, 'ok');
      assert.equal(j.messageKey, 'http.json.ok');
      assert.equal(j.message, 'a.b = true');
    });

    it('follows array indexes in the dot path', async () => {
      const { port } = await startServer(json({ channels: [{ alive: true }, { alive: false }] }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'channels.1.alive', equals: false } }), ctx()), 'http-json');
      assert.equal(j.status, 'ok');
    });

    it('is down on a mismatch and shows the actual value', async () => {
      const { port } = await startServer(json({ a: { b: 'stopped' } }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'a.b', equals: true } }), ctx()), 'http-json');
      assert.equal(j.status, 'down');
      assert.equal(j.messageKey, 'http.json.mismatch');
      assert.equal(j.message, 'a.b = "stopped", expected true');
      assert.equal(j.params?.actual, '"stopped"');
    });

    it('does not treat the string "true" as the boolean true', async () => {
      const { port } = await startServer(json({ a: { b: 'true' } }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'a.b', equals: true } }), ctx()), 'http-json');
      assert.equal(j.status, 'down');
    });

    it('is down with http.json.invalid when the body is not JSON', async () => {
      const { port } = await startServer(reply(200, '<html>login</html>', 'text/html'));
      const out = await httpDriver.probe(target(port, { json: { field: 'a.b', equals: true } }), ctx());
      assert.equal(byCheck(out, 'http-status').status, 'ok');
      const j = byCheck(out, 'http-json');
      assert.equal(j.status, 'down');
      assert.equal(j.messageKey, 'http.json.invalid');
      assert.match(j.message, /^body is not JSON: /);
    });

    it('is down and says "missing" when the field is absent', async () => {
      const { port } = await startServer(json({ a: { c: true } }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'a.b', equals: true } }), ctx()), 'http-json');
      assert.equal(j.status, 'down');
      assert.equal(j.messageKey, 'http.json.mismatch');
      assert.equal(j.message, 'a.b = missing, expected true');
    });

    it('treats a field named like an Object.prototype member as missing', async () => {
      const { port } = await startServer(json({ a: { b: 1 } }));
      const j = byCheck(await httpDriver.probe(target(port, { json: { field: 'a.constructor', equals: 1 } }), ctx()), 'http-json');
      assert.equal(j.status, 'down');
      assert.equal(j.message, 'a.constructor = missing, expected 1');
    });
  });

  it('stops reading a body larger than maxBodyBytes (5 MB streamed, 64 KB limit)', async () => {
    const total = 5 * 1024 * 1024;
    let serverSide!: Promise<{ sent: number; finished: boolean }>;
    const { port } = await startServer((_req, res) => {
      serverSide = new Promise((resolve) => res.on('close', () => resolve({ sent, finished: res.writableFinished })));
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (sent >= total) {
            res.end(chunk);
            return;
          }
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const t0 = performance.now();
    const out = await httpDriver.probe(target(port, { maxBodyBytes: 64 * 1024, bodyContains: 'never-there' }), ctx());
    const elapsed = performance.now() - t0;

    assert.equal(byCheck(out, 'http-status').status, 'ok');
    const b = byCheck(out, 'http-body');
    assert.equal(b.status, 'down');
    assert.equal(b.messageKey, 'http.body.too-large');
    assert.equal(b.message, 'body larger than 65536 bytes');
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    // The driver hung up: the server could not deliver the whole 5 MB.
    const s = await serverSide;
    assert.equal(s.finished, false, `server finished sending ${s.sent} bytes: the driver read the whole body`);
  });

  describe('basic auth', () => {
    const password = 'Zal-7!secret-pw';
    const expected = 'Basic ' + Buffer.from(`admin:${password}`).toString('base64');
    const guarded: Handler = (req, res) => {
      if (req.headers.authorization === expected) {
        res.writeHead(200);
        res.end('{"alive":true}');
      } else {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' });
        res.end('unauthorized');
      }
    };

    it('sends the credentials and never puts the password in a result', async () => {
      const { port } = await startServer(guarded);
      const out = await httpDriver.probe(
        target(port, { json: { field: 'alive', equals: true } }, { username: 'admin', password }), ctx());
      assert.equal(byCheck(out, 'http-status').status, 'ok');
      assert.equal(byCheck(out, 'http-json').status, 'ok');
      assert.ok(!JSON.stringify(out).includes(password), 'password leaked into the results');
    });

    it('reports a rejected password as 401 without echoing it', async () => {
      const { port } = await startServer(guarded);
      const out = await httpDriver.probe(target(port, undefined, { username: 'admin', password: 'wrong-pw-123' }), ctx());
      const s = byCheck(out, 'http-status');
      assert.equal(s.status, 'down');
      assert.equal(s.values?.status_code, 401);
      assert.ok(!JSON.stringify(out).includes('wrong-pw-123'));
    });

    it('sends no authorization header without credentials', async () => {
      let header: string | undefined = 'unset';
      const { port } = await startServer((req, res) => {
        header = req.headers.authorization;
        res.end();
      });
      await httpDriver.probe(target(port), ctx());
      assert.equal(header, undefined);
    });
  });

  describe('deadline', () => {
    it('stops a request when the context signal is aborted', async () => {
      let arrived!: () => void;
      const requestSeen = new Promise<void>((r) => (arrived = r));
      let closed!: Promise<unknown>;
      const { port } = await startServer((req) => {
        closed = once(req.socket, 'close');
        arrived();
      });
      const ac = new AbortController();
      const p = httpDriver.probe(target(port), ctx(new FakeClock(), ac));
      await requestSeen;
      ac.abort(new Error('probe deadline reached'));
      const s = byCheck(await p, 'http-status');
      assert.equal(s.status, 'down');
      assert.equal(s.messageKey, 'http.unreachable');
      await closed; // the driver released the connection
    });

    it('a server that accepts and never answers ends as probe.timeout at the deadline', async () => {
      let arrived!: () => void;
      const requestSeen = new Promise<void>((r) => (arrived = r));
      let closed!: Promise<unknown>;
      const { port } = await startServer((req) => {
        closed = once(req.socket, 'close');
        arrived();
      });
      const clock = new FakeClock();
      let settled = false;
      const p = runProbe(httpDriver, target(port), { clock, timeoutMs: 5000, log: silentLogger });
      void p.then(() => (settled = true));
      await requestSeen;

      await clock.advance(4999);
      assert.equal(settled, false, 'probe ended before its deadline');
      await clock.advance(2);
      const run = await p;
      assert.equal(run.outcome, 'timeout');
      assert.equal(run.results.length, 1);
      const [r] = run.results;
      assert.equal(r!.check, 'probe');
      assert.equal(r!.status, 'down');
      assert.equal(r!.messageKey, 'probe.timeout');
      assert.equal(r!.message, 'no answer within 5000 ms');
      assert.equal(r!.observedAt, '2026-11-23T03:30:00.000Z');
      await closed; // the abort reached the socket
    });

    it('a body dripping one byte every 200 ms is still cut at the deadline', async () => {
      let firstByte!: () => void;
      const firstByteSent = new Promise<void>((r) => (firstByte = r));
      let closed!: Promise<unknown>;
      const { port } = await startServer((_req, res) => {
        closed = once(res, 'close');
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('x', () => firstByte());
        const drip = setInterval(() => res.write('y'), 200);
        res.on('close', () => clearInterval(drip));
        cleanups.push(() => clearInterval(drip));
      });
      const clock = new FakeClock();
      let settled = false;
      const p = runProbe(httpDriver, target(port, { bodyContains: 'never-there' }), { clock, timeoutMs: 3000, log: silentLogger });
      void p.then(() => (settled = true));
      await firstByteSent; // headers and the first byte are on the wire

      await clock.advance(2999);
      assert.equal(settled, false, 'probe ended before its deadline');
      await clock.advance(1);
      const run = await p;
      assert.equal(run.outcome, 'timeout');
      assert.deepEqual(run.results.map((r) => [r.check, r.status, r.messageKey]), [['probe', 'down', 'probe.timeout']]);
      await closed; // the driver stopped reading and hung up
    });
  });

  describe('options schema', () => {
    it('rejects a path without a leading slash, naming path', () => {
      const r = httpOptions.safeParse({ path: 'status' });
      assert.equal(r.success, false);
      assert.equal(r.error!.issues.length, 1);
      assert.deepEqual(r.error!.issues[0]!.path, ['path']);
      assert.equal(r.error!.issues[0]!.message, 'expected a path starting with "/"');
    });

    it('rejects an unknown option key', () => {
      const r = httpOptions.safeParse({ path: '/', colour: 'red' });
      assert.equal(r.success, false);
      assert.match(r.error!.issues[0]!.message, /colour/);
    });

    it('rejects an unknown key inside json', () => {
      const r = httpOptions.safeParse({ json: { field: 'a', equals: 1, approx: true } });
      assert.equal(r.success, false);
      assert.deepEqual(r.error!.issues[0]!.path, ['json']);
    });

    it('rejects expectStatus outside 100-599', () => {
      const r = httpOptions.safeParse({ expectStatus: [200, 700] });
      assert.equal(r.success, false);
      assert.deepEqual(r.error!.issues[0]!.path, ['expectStatus', 1]);
    });

    it('applies the defaults when options are undefined or empty', () => {
      const defaults = { scheme: 'http', path: '/', method: 'GET', maxBodyBytes: 1024 * 1024, tlsInsecure: false };
      assert.deepEqual(httpOptions.parse(undefined), defaults);
      assert.deepEqual(httpOptions.parse({}), defaults);
      assert.deepEqual(httpOptions.parse({ path: '/x' }), { ...defaults, path: '/x' });
    });
  });
});
