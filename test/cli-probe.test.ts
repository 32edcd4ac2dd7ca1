/**
 * `hallwatch probe` run in-process through main(), against real loopback servers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { main } from '../collector/cli/main';
import { translate } from '../console-ui/i18n/messages';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function hallwatch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'hallwatch', ...args], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env,
    untilSignal: () => new Promise<string>(() => {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const closers: Array<() => Promise<void>> = [];

async function httpServer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** One output line per check: STATUS, check name, message. */
function lines(out: string): Array<[string, string, string]> {
  return out.split('\n').filter(Boolean).map((l) => {
    const m = /^(\S+)\s+(\S+)\s+(.*)$/.exec(l);
    assert.ok(m, `unexpected output line: ${l}`);
    return [m[1]!, m[2]!, m[3]!];
  });
}

describe('hallwatch probe', function () {
  this.timeout(5000);

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('exits 0 and lists http-status OK when every check passes', async () => {
    const address = await httpServer((_req, res) => res.end('{"recording":true}'));
    const r = await hallwatch(['probe', '--driver', 'http', '--address', address,
      '--option', 'json.field=recording', '--option', 'json.equals=true']);
    assert.equal(r.code, 0, r.err);
    const l = lines(r.out);
    assert.deepEqual(l.map(([s, c]) => [s, c]), [['OK', 'http-status'], ['OK', 'http-json']]);
    assert.match(l[0]![2], /^HTTP 200 in [\d.]+ ms$/);
    assert.equal(l[1]![2], 'recording = true');
  });

  it('exits 1 when the device answers 500', async () => {
    const address = await httpServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const r = await hallwatch(['probe', '-d', 'http', '-a', address]);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.out), [['DOWN', 'http-status', 'HTTP 500, expected 2xx']]);
  });

  it('sends the options to the device (path from --option)', async () => {
    const seen: string[] = [];
    const address = await httpServer((req, res) => {
      seen.push(req.url ?? '');
      res.statusCode = req.url === '/status' ? 200 : 404;
      res.end();
    });
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--option', 'path=/status']);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(seen, ['/status']);
  });

  it('takes an --option value that looks like a number as text where the option is text', async () => {
    const address = await httpServer((_req, res) => res.end('firmware build 200 ready'));
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--option', 'bodyContains=200', '--option', 'expectStatus=[200]']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /http-body/);
  });

  describe('usage errors exit 2', () => {
    it('an unknown --driver', async () => {
      const r = await hallwatch(['probe', '--driver', 'nope', '--address', '127.0.0.1:80']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--driver: unknown driver kind "nope" \(known: .*http.*\)/);
      assert.equal(r.out, '');
    });

    it('an --address without a port', async () => {
      const r = await hallwatch(['probe', '--driver', 'http', '--address', 'nohost']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--address: expected host:port/);
    });

    it('a bad --option, naming the option', async () => {
      const r = await hallwatch(['probe', '-d', 'http', '-a', '127.0.0.1:80', '--option', 'path=bad']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--option path: expected a path starting with "\/"/);
    });

    it('an --option that is not key=value', async () => {
      const r = await hallwatch(['probe', '-d', 'http', '-a', '127.0.0.1:80', '--option', 'path']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--option "path": expected key=value/);
    });

    it('a --password-env naming an unset variable', async () => {
      const r = await hallwatch(['probe', '-d', 'http', '-a', '127.0.0.1:80', '-u', 'admin', '--password-env', 'UNSET_VAR'], {});
      assert.equal(r.code, 2);
      assert.match(r.err, /--password-env: environment variable UNSET_VAR is not set/);
    });

    it('a --timeout that is not a positive number', async () => {
      for (const t of ['0', 'soon', '-1']) {
        const r = await hallwatch(['probe', '-d', 'tcp', '-a', '127.0.0.1:80', '--timeout', t]);
        assert.equal(r.code, 2, `--timeout ${t}`);
        assert.match(r.err, /--timeout: expected seconds/);
      }
    });

    it('an unknown --lang', async () => {
      const r = await hallwatch(['probe', '-d', 'tcp', '-a', '127.0.0.1:80', '--lang', 'de']);
      assert.equal(r.code, 2);
      assert.match(r.err, /--lang: expected en, ru or kk/);
    });

    it('a missing --driver', async () => {
      const r = await hallwatch(['probe', '-a', '127.0.0.1:80']);
      assert.equal(r.code, 2);
      assert.match(r.err, /required option '-d, --driver <kind>' not specified/);
    });
  });

  it('sends basic auth from --username/--password-env and never prints the password', async () => {
    const password = 'Cam-Pa55-from-env';
    const expected = 'Basic ' + Buffer.from(`admin:${password}`).toString('base64');
    const seen: Array<string | undefined> = [];
    const address = await httpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode = req.headers.authorization === expected ? 200 : 401;
      res.end();
    });
    const env = { CAM_PASS: password };
    const ok = await hallwatch(['probe', '-d', 'http', '-a', address, '--username', 'admin', '--password-env', 'CAM_PASS'], env);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.deepEqual(seen, [expected]);

    const json = await hallwatch(['probe', '-d', 'http', '-a', address, '-u', 'admin', '--password-env', 'CAM_PASS', '--json'], env);
    assert.equal(json.code, 0);
    for (const r of [ok, json]) {
      assert.ok(!(r.out + r.err).includes(password), 'password printed');
      assert.ok(!(r.out + r.err).includes(Buffer.from(`admin:${password}`).toString('base64')), 'auth header printed');
    }
  });

  it('--json prints parseable JSON with the results', async () => {
    const address = await httpServer((_req, res) => res.end('ok'));
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out) as { driver: string; address: string; outcome: string; results: Array<{ check: string; status: string; values?: Record<string, number> }> };
    assert.equal(doc.driver, 'http');
    assert.equal(doc.address, address);
    assert.equal(doc.outcome, 'ok');
    assert.equal(doc.results.length, 1);
    assert.equal(doc.results[0]!.check, 'http-status');
    assert.equal(doc.results[0]!.status, 'ok');
    assert.equal(doc.results[0]!.values?.status_code, 200);
  });

  it('--lang ru prints the Russian message from the catalog', async () => {
    const address = await httpServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--lang', 'ru']);
    assert.equal(r.code, 1);
    const expected = translate('ru', 'http.status.unexpected', { code: 503, expected: '2xx' });
    assert.match(expected, /[А-Яа-я]/, 'catalog has no Russian text for http.status.unexpected');
    assert.deepEqual(lines(r.out), [['DOWN', 'http-status', expected]]);
  });

  it('--lang kk prints the Kazakh message', async () => {
    const address = await httpServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--lang', 'kk']);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.out), [['DOWN', 'http-status', translate('kk', 'http.status.unexpected', { code: 503, expected: '2xx' })]]);
  });

  it('a device that never answers: --timeout 0.3 ends with probe DOWN and exit 1', async () => {
    // The CLI's own deadline runs on the real clock by design: the one real-time test here.
    const address = await httpServer(() => { /* accept and never answer */ });
    const t0 = performance.now();
    const r = await hallwatch(['probe', '-d', 'http', '-a', address, '--timeout', '0.3']);
    const elapsed = performance.now() - t0;
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.out), [['DOWN', 'probe', 'no answer within 300 ms']]);
    assert.ok(elapsed >= 250 && elapsed < 2000, `took ${elapsed} ms`);
  });

  it('tcp driver against an open port exits 0', async () => {
    const server = net.createServer((s) => s.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    const r = await hallwatch(['probe', '-d', 'tcp', '-a', `127.0.0.1:${port}`]);
    assert.equal(r.code, 0, r.out + r.err);
    const l = lines(r.out);
    assert.deepEqual(l.map(([s, c]) => [s, c]), [['OK', 'tcp-connect']]);
    assert.match(l[0]![2], new RegExp(`^port ${port} open`));
  });

  it('tcp driver against a closed port exits 1', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await hallwatch(['probe', '-d', 'tcp', '-a', `127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.out), [['DOWN', 'tcp-connect', `port ${port} closed (connection refused)`]]);
  });
});
