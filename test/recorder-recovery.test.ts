/**
 * The recorder agent when things die (000 §5 continuous recording, 004 §8 interruptions), with
 * real ffmpeg on lavfi sources:
 * - the agent killed with -9 mid-recording (its ffmpeg frozen first, then killed: a power cut) and
 *   started again with the same configuration finishes the session: finished segments checked
 *   against the chain, the partial one quarantined with its time span, protocol, manifest signed
 *   with a PKCS#12 key, copies; `hallwatch recording verify` (the real CLI) exits 0, and 1 naming a
 *   segment with one changed byte;
 * - ffmpeg killed while recording is restarted after a back-off on the agent's (fake) clock, the
 *   numbering continued and the gap on record; killed too often, the recording is paused as a
 *   failure that the driver reports; the short protocol's PDF read back with pdftotext;
 * - PKCS#12 keys (AES and legacy RC2), the passphrase only ever in openssl's environment, and a
 *   wrong one naming `signing.passphrase`.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FakeClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import { runProbe } from '../collector/scheduler/run-probe';
import { KAZAKH_LETTERS } from '../alerts/acts/fonts';
import { QUARANTINE_DIR, RecorderAgent } from '../device-drivers/recorder/agent/agent';
import { parseAgentConfig } from '../device-drivers/recorder/agent/config';
import { segmentNumber } from '../device-drivers/recorder/agent/ffmpeg';
import { readChain, verifyRecording, type Manifest } from '../device-drivers/recorder/agent/integrity';
import type { Interruption } from '../device-drivers/recorder/agent/protocol';
import { loadSigner } from '../device-drivers/recorder/agent/signing';
import { callAgent } from '../device-drivers/recorder/client';
import { recorderDriver, recorderOptions, recorderPolicyDefaults } from '../device-drivers/recorder/driver';

const TOKEN = 'test-token-' + 'r'.repeat(20);
const PASSPHRASE = 'Сот-кілті 2026';
const BIN = path.resolve(__dirname, '../../bin/hallwatch.js');
const lav = (url: string) => ({ options: ['-re', '-f', 'lavfi'], url });
// Every Kazakh letter, in names the protocol must carry (the PDF's font must have them all).
const PARTIES = ['Талапкер: Әлиханов Ғалымжан Қайратұлы', 'Жауапкер: Шаһмардан Өңірбек Үмбетұлы', `Куә: ${KAZAKH_LETTERS}`];

function agentJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hall: { id: 'almaly-district.4', place: { ru: 'Алмалинский районный суд г. Алматы, зал № 4', kk: 'Алматы қаласы Алмалы аудандық соты, 4-зал' } },
    token: TOKEN,
    video: lav('testsrc2=size=640x360:rate=5'),
    audio: [lav('sine=frequency=440:sample_rate=8000'), lav('anoisesrc=r=8000:a=0.003:c=pink')],
    sampleRate: 8000, videoSize: '640x360', videoQuality: 10, segmentSeconds: 1,
    outDir: 'out', meter: { rate: 4000, windowMs: 250 },
    ...extra,
  };
}

/** Streams of agentJson(): ch1, ch2, mix, av. */
const STREAMS = 4;

/** Waits until `test()` holds, re-checking whenever something under `dir` changes. */
function whenChanged<T>(dir: string, test: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = test();
    if (first !== undefined) return resolve(first);
    const w = fs.watch(dir, { recursive: true }, () => {
      const v = test();
      if (v !== undefined) {
        clearTimeout(t);
        w.close();
        resolve(v);
      }
    });
    const t = setTimeout(() => {
      w.close();
      reject(new Error(`timed out waiting on ${dir}`));
    }, timeoutMs);
  });
}

/** Resolves with the first event `name` whose payload passes `test`. */
function nextEvent<T>(agent: RecorderAgent, name: string, test: (e: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (e: T) => {
      if (!test(e)) return;
      clearTimeout(t);
      agent.off(name, on);
      resolve(e);
    };
    const t = setTimeout(() => {
      agent.off(name, on);
      reject(new Error(`no ${name} event within ${timeoutMs} ms; last error: ${agent.lastError ?? ''}`));
    }, timeoutMs);
    agent.on(name, on);
  });
}

function segmentsChained(agent: RecorderAgent, n: number): Promise<void> {
  let count = 0;
  return nextEvent(agent, 'segment', () => ++count >= n).then(() => undefined);
}

/** The real command line: exit code and everything it printed. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

interface AgentProcess {
  child: ChildProcess;
  port: number;
  /** Resolves with the first line it printed (or prints) that matches. */
  line: (re: RegExp, timeoutMs?: number) => Promise<string>;
}

/** `hallwatch recorder-agent` as its own process; resolves once it listens. */
function startAgentProcess(config: string, env: NodeJS.ProcessEnv): Promise<AgentProcess> {
  const child = spawn(process.execPath, [BIN, 'recorder-agent', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });
  let text = '';
  const line = (re: RegExp, timeoutMs = 30_000) => new Promise<string>((resolve, reject) => {
    const find = () => text.split('\n').find((l) => re.test(l));
    const found = find();
    if (found) return resolve(found);
    const on = () => {
      const l = find();
      if (!l) return;
      clearTimeout(t);
      child.stdout!.off('data', on);
      resolve(l);
    };
    const t = setTimeout(() => {
      child.stdout!.off('data', on);
      reject(new Error(`no line ${re} within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    // After the collecting listener below: `text` already holds the chunk.
    child.stdout!.on('data', on);
  });
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(text);
      if (m) resolve({ child, port: Number(m[1]), line });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (c) => reject(new Error(`agent exited ${c}: ${text}`)));
  });
}

function flipByte(file: string, at: number): void {
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0xff;
  fs.writeSync(fd, b, 0, 1, at);
  fs.closeSync(fd);
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('recorder agent: crash recovery, capture restarts, PKCS#12 keys, the protocol as PDF', function () {
  this.timeout(60_000);
  let dir: string;
  let certPem: string;
  const children: ChildProcess[] = [];
  const pids: number[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-recovery-'));
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync('openssl', args, { stdio: 'ignore', env: { ...process.env, ...env } });
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', '/CN=Almaly district court',
      '-keyout', path.join(dir, 'court.key'), '-out', path.join(dir, 'court.pem')]);
    certPem = fs.readFileSync(path.join(dir, 'court.pem'), 'utf8');
    // The court's key as the certification centre hands it out: PKCS#12 with a passphrase (modern AES),
    // and an old-style one (RC2-40, 3DES) that OpenSSL 3 reads only with -legacy.
    run(['pkcs12', '-export', '-inkey', path.join(dir, 'court.key'), '-in', path.join(dir, 'court.pem'), '-out', path.join(dir, 'court.p12'), '-passout', 'env:P'], { P: PASSPHRASE });
    run(['pkcs12', '-export', '-legacy', '-inkey', path.join(dir, 'court.key'), '-in', path.join(dir, 'court.pem'), '-out', path.join(dir, 'court-legacy.pfx'), '-passout', 'env:P'], { P: PASSPHRASE });
  });

  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch { /* gone */ }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('PKCS#12 signing key', () => {
    it('reads a PKCS#12 file, modern and legacy, into the key of the certificate; the passphrase never on an openssl command line', async () => {
      // A wrapper in place of openssl records the command lines it was given.
      const log = path.join(dir, 'openssl-argv.log');
      const wrapper = path.join(dir, 'openssl-wrapper.sh');
      fs.writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec openssl "$@"\n`, { mode: 0o755 });
      const fpr = new crypto.X509Certificate(certPem).fingerprint256;
      for (const file of ['court.p12', 'court-legacy.pfx']) {
        const s = await loadSigner({ pkcs12File: path.join(dir, file), passphrase: { env: 'COURT_KEY_PASS' } }, { env: { COURT_KEY_PASS: PASSPHRASE }, openssl: wrapper });
        assert.equal(s.cert.fingerprint256, fpr, file);
        const sig = crypto.sign('sha256', Buffer.from('manifest'), s.key);
        assert.ok(crypto.verify('sha256', Buffer.from('manifest'), new crypto.X509Certificate(certPem).publicKey, sig), file);
      }
      const argv = fs.readFileSync(log, 'utf8');
      assert.ok(!argv.includes(PASSPHRASE) && !argv.includes('Сот'), argv);
      assert.match(argv, /-passin env:\w+/);
      assert.match(argv, /^pkcs12 -legacy -in .*court-legacy\.pfx/m, 'the legacy file was read again with -legacy');
      // From a file too (its trailing newline is not part of the passphrase).
      fs.writeFileSync(path.join(dir, 'pass.txt'), `${PASSPHRASE}\n`, { mode: 0o600 });
      const fromFile = await loadSigner({ pkcs12File: path.join(dir, 'court.p12'), passphrase: { file: path.join(dir, 'pass.txt') } });
      assert.equal(fromFile.cert.fingerprint256, fpr);
    });

    it('a wrong or missing passphrase names signing.passphrase; the agent does not start (exit 2)', async () => {
      await assert.rejects(loadSigner({ pkcs12File: path.join(dir, 'court.p12'), passphrase: { env: 'P' } }, { env: { P: 'not it' } }), /^Error: signing\.passphrase: wrong passphrase for .*court\.p12$/);
      await assert.rejects(loadSigner({ pkcs12File: path.join(dir, 'court-legacy.pfx'), passphrase: { env: 'P' } }, { env: { P: 'not it' } }), /signing\.passphrase: wrong passphrase/);
      await assert.rejects(loadSigner({ pkcs12File: path.join(dir, 'court.p12'), passphrase: { env: 'UNSET_VAR' } }, { env: {} }), /signing\.passphrase: environment variable UNSET_VAR is not set/);
      await assert.rejects(loadSigner({ pkcs12File: path.join(dir, 'court.pem'), passphrase: { env: 'P' } }, { env: { P: PASSPHRASE } }), /signing\.pkcs12File: .*not a PKCS#12 file/);
      await assert.rejects(loadSigner({ keyFile: path.join(dir, 'court.key'), certFile: path.join(dir, 'court.p12') }), /signing\.certFile/);
      const cfg = path.join(dir, 'wrong-pass.json');
      fs.writeFileSync(cfg, JSON.stringify(agentJson({ outDir: 'out-wrong', signing: { pkcs12File: 'court.p12', passphrase: { env: 'COURT_KEY_PASS' } } })));
      const r = await cli(['recorder-agent', '--config', cfg], { COURT_KEY_PASS: 'Qwerty-999' });
      assert.equal(r.code, 2, r.out);
      assert.match(r.out, /wrong-pass\.json: signing\.passphrase: wrong passphrase for .*court\.p12/);
      assert.ok(!r.out.includes('Qwerty-999'), 'the passphrase is never printed');
      assert.ok(!/listening/.test(r.out), r.out);
    });
  });

  describe('kill -9 of the agent mid-recording, then a restart with the same configuration', () => {
    let d: string;
    let recDir = '';
    let agent2: AgentProcess | undefined;
    const env = { COURT_KEY_PASS: PASSPHRASE };

    before(() => {
      d = path.join(dir, 'crash');
      fs.mkdirSync(d);
      fs.copyFileSync(path.join(dir, 'court.p12'), path.join(d, 'court.p12'));
      fs.writeFileSync(path.join(d, 'agent.json'), JSON.stringify(agentJson({
        copies: { main: 'regional-main', backup: 'regional-backup', atStop: true },
        signing: { pkcs12File: 'court.p12', passphrase: { env: 'COURT_KEY_PASS' } },
      })));
    });

    it('finishes the cut-short session: every finished segment checked and kept, the partial one quarantined with its span, signed, protocol, copies', async () => {
      const a1 = await startAgentProcess(path.join(d, 'agent.json'), env);
      children.push(a1.child);
      const t1 = { host: '127.0.0.1', port: a1.port, credentials: { password: TOKEN } };
      const started = await callAgent<{ id: string }>(t1, 'POST', '/api/start', { body: { caseNumber: '2-1234/2026', parties: PARTIES } });
      assert.ok(started.ok, JSON.stringify(started));
      recDir = path.join(d, 'out', started.body.id);
      await whenChanged(recDir, () => (readChain(recDir).length >= 3 * STREAMS ? true : undefined));
      const st = await callAgent<{ capture: { state: string; pid: number } }>(t1, 'GET', '/api/status');
      assert.ok(st.ok);
      assert.equal(st.body.capture.state, 'running');
      const ffmpegPid = st.body.capture.pid;
      pids.push(ffmpegPid);
      // A power cut: ffmpeg frozen mid-segment (it cannot close anything), the agent killed, then ffmpeg.
      process.kill(ffmpegPid, 'SIGSTOP');
      a1.child.kill('SIGKILL');
      await new Promise((r) => a1.child.once('exit', r));
      process.kill(ffmpegPid, 'SIGKILL');
      for (const end = Date.now() + 5000; alive(ffmpegPid) && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));

      const before = readChain(recDir);
      const segDir = path.join(recDir, 'segments');
      // What ffmpeg had finished (its lists) but the agent not yet chained, and what it was still writing.
      const listed = new Set(fs.readdirSync(segDir).filter((f) => f.endsWith('.csv')).flatMap((f) => fs.readFileSync(path.join(segDir, f), 'utf8').split('\n').map((l) => l.split(',')[0]!).filter(Boolean)));
      const unchained = fs.readdirSync(segDir).filter((f) => !f.endsWith('.csv') && !before.some((e) => e.file === `segments/${f}`));
      const late = unchained.filter((f) => listed.has(f));
      const partial = unchained.filter((f) => !listed.has(f));
      assert.ok(partial.length >= 1, 'ffmpeg was stopped mid-segment: partial files are there');
      assert.ok(!fs.existsSync(path.join(recDir, 'manifest.json')));

      agent2 = await startAgentProcess(path.join(d, 'agent.json'), env);
      children.push(agent2.child);
      const recovered = await agent2.line(/^recovered /);
      assert.match(recovered, new RegExp(`^recovered ${started.body.id}: cut short at .*; ${before.length + late.length} segment\\(s\\) kept.*, ${partial.length} partial file\\(s\\) quarantined; intact, signed$`));

      // The chain written while recording is untouched; every finished segment is in it.
      const after = readChain(recDir);
      assert.deepEqual(after.slice(0, before.length), before);
      assert.deepEqual(after.slice(before.length).map((e) => path.basename(e.file)).sort(), [...late].sort());
      assert.deepEqual(fs.readdirSync(path.join(recDir, QUARANTINE_DIR)).sort(), [...partial].sort());
      assert.deepEqual(fs.readdirSync(segDir).filter((f) => !f.endsWith('.csv') && !after.some((e) => e.file === `segments/${f}`)), []);

      // 004 §8: the interruption, the lost span, the mark "recovered after agent restart".
      const meta = JSON.parse(fs.readFileSync(path.join(recDir, 'session.json'), 'utf8')) as { endedAt: string; interruptions: Interruption[]; recovered: { interruptedAt: string; recoveredAt: string; quarantined: string[] } };
      const crash = meta.interruptions.at(-1)!;
      assert.equal(crash.kind, 'agent-crash');
      assert.equal(crash.resumedAt, undefined);
      assert.deepEqual(crash.lost!.files.sort(), partial.map((f) => `${QUARANTINE_DIR}/${f}`).sort());
      assert.ok(Date.parse(crash.lost!.from) <= Date.parse(crash.lost!.to) && Date.parse(crash.lost!.to) <= Date.parse(meta.recovered.interruptedAt) + 1);
      assert.ok(Date.parse(meta.recovered.recoveredAt) > Date.parse(meta.recovered.interruptedAt));
      assert.equal(meta.endedAt, meta.recovered.interruptedAt);

      // Signed with the PKCS#12 key; the manifest covers the protocols (text and PDF) and says it was recovered.
      const manifest = JSON.parse(fs.readFileSync(path.join(recDir, 'manifest.json'), 'utf8')) as Manifest;
      assert.equal(manifest.signer!.fingerprint256, new crypto.X509Certificate(certPem).fingerprint256);
      assert.deepEqual(manifest.recovery!.quarantined.sort(), crash.lost!.files.sort());
      const id = started.body.id;
      for (const k of ['ch1.wav', 'ch2.wav', 'mix.mp3', 'av.mp4', 'protocol.ru.txt', 'protocol.kk.txt', 'protocol.ru.pdf', 'protocol.kk.pdf']) assert.ok(manifest.files.some((f) => f.file === `${id}_${k}`), k);
      const ru = fs.readFileSync(path.join(recDir, `${id}_protocol.ru.txt`), 'utf8');
      const kk = fs.readFileSync(path.join(recDir, `${id}_protocol.kk.txt`), 'utf8');
      assert.match(ru, /Восстановление: запись прервана .* и завершена после перезапуска агента записи/);
      assert.match(ru, /аварийная остановка агента записи .*; запись не возобновлялась; утрачен незавершённый фрагмент записи с /);
      assert.match(kk, /жазу агентінің апаттық тоқтауы/);
      assert.match(pdfText(path.join(recDir, `${id}_protocol.kk.pdf`)).replace(/\s+/g, ' '), /Қалпына келтіру/);

      // The control API lists it among the finished recordings, recovered; copies made as at a stop.
      const t2 = { host: '127.0.0.1', port: agent2.port, credentials: { password: TOKEN } };
      const list = await callAgent<Array<{ id: string; finished: boolean; recovered?: { quarantined: string[] }; verification?: { intact: boolean; signed: boolean }; copies: { verifiedAt: Record<string, string> } }>>(t2, 'GET', '/api/recordings');
      assert.ok(list.ok);
      const r = list.body.find((x) => x.id === id)!;
      assert.deepEqual([r.finished, r.verification?.intact, r.verification?.signed, r.recovered?.quarantined.length], [true, true, true, partial.length]);
      assert.ok(r.copies.verifiedAt.main && r.copies.verifiedAt.backup, 'copied to both stores');
      const status = await callAgent<{ state: string; recordings: number; recovery: { running: boolean; recovered: Array<{ id: string; intact: boolean }> } }>(t2, 'GET', '/api/status');
      assert.ok(status.ok);
      assert.deepEqual([status.body.state, status.body.recordings, status.body.recovery.running, status.body.recovery.recovered.map((x) => [x.id, x.intact])], ['idle', 1, false, [[id, true]]]);
      // And the recorder driver, reading that status, sees a healthy agent with an intact record.
      const probe = await runProbe(recorderDriver, { id: 'rec', driver: 'recorder', host: '127.0.0.1', port: agent2.port, options: recorderOptions.parse({}), credentials: { password: TOKEN } },
        { clock: new FakeClock(), timeoutMs: 5000, log: silentLogger, policy: recorderPolicyDefaults });
      assert.equal(probe.results.find((x) => x.check === 'recorder-integrity')!.status, 'ok');

      // The real command line.
      const v = await cli(['recording', 'verify', recDir, '--cert', path.join(dir, 'court.pem'), '--require-signed']);
      assert.equal(v.code, 0, v.out);
      assert.match(v.out, /recovered after an agent restart: cut short at .*, \d+ partial file\(s\) quarantined/);
      assert.match(v.out, new RegExp(`^intact: ${after.length} chained segment\\(s\\), 9 manifest file\\(s\\), signed manifest$`, 'm'));
    });

    it('one changed byte in a kept segment: `recording verify` exits 1 naming the segment', async () => {
      assert.ok(recDir, 'the recovery test ran');
      const victim = readChain(recDir)[1]!.file;
      flipByte(path.join(recDir, victim), 200);
      const v = await cli(['recording', 'verify', recDir]);
      assert.equal(v.code, 1, v.out);
      assert.match(v.out, new RegExp(`^TAMPERED ${victim.replace(/[.]/g, '\\.')}: changed`, 'm'));
      assert.match(v.out, /^NOT intact/m);
      flipByte(path.join(recDir, victim), 200);
      assert.equal((await cli(['recording', 'verify', recDir])).code, 0);
      // Stopped properly by a signal: exit 0.
      agent2!.child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => agent2!.child.once('exit', (c) => r(c)));
      assert.equal(code, 0);
    });

    it('an ffmpeg the dead agent left behind is stopped at the next start; the segment it then closed is chained at recovery', async () => {
      const a3 = await startAgentProcess(path.join(d, 'agent.json'), env);
      children.push(a3.child);
      const t3 = { host: '127.0.0.1', port: a3.port, credentials: { password: TOKEN } };
      const started = await callAgent<{ id: string }>(t3, 'POST', '/api/start', { body: { caseNumber: '2-1235/2026' } });
      assert.ok(started.ok, JSON.stringify(started));
      const dir3 = path.join(d, 'out', started.body.id);
      await whenChanged(dir3, () => (readChain(dir3).length >= 2 * STREAMS ? true : undefined));
      const st = await callAgent<{ capture: { pid: number } }>(t3, 'GET', '/api/status');
      assert.ok(st.ok);
      const orphan = st.body.capture.pid;
      pids.push(orphan);
      // Frozen, it outlives its agent (it cannot even notice its output pipe broke).
      process.kill(orphan, 'SIGSTOP');
      a3.child.kill('SIGKILL');
      await new Promise((r) => a3.child.once('exit', r));
      assert.ok(alive(orphan));
      const chained = readChain(dir3).length;

      const a4 = await startAgentProcess(path.join(d, 'agent.json'), env);
      children.push(a4.child);
      // Listening means the orphan was dealt with: asked to finish, it closed its segments.
      assert.ok(!alive(orphan), 'the orphaned ffmpeg is gone before the agent listens');
      const line = await a4.line(new RegExp(`^recovered ${started.body.id}: `));
      const m = /; (\d+) segment\(s\) kept \((\d+) chained at recovery\), (\d+) partial file\(s\) quarantined; intact, signed$/.exec(line);
      assert.ok(m, line);
      assert.ok(Number(m[2]) >= 1 && Number(m[1]) === chained + Number(m[2]), line);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir3, 'manifest.json'), 'utf8')) as Manifest;
      assert.equal(manifest.recovery!.chainedAtRecovery.length, Number(m[2]));
      assert.deepEqual(readChain(dir3).slice(chained).map((e) => e.file).sort(), [...manifest.recovery!.chainedAtRecovery].sort());
      assert.equal((await cli(['recording', 'verify', dir3, '--cert', path.join(dir, 'court.pem'), '--require-signed'])).code, 0);
      a4.child.kill('SIGTERM');
      assert.equal(await new Promise<number | null>((r) => a4.child.once('exit', (c) => r(c))), 0);
    });
  });

  describe('the capture process (ffmpeg) killed while recording', () => {
    let agent: RecorderAgent;
    let clock: FakeClock;
    let d: string;
    const target = () => ({ id: 'rec', driver: 'recorder', host: '127.0.0.1', port: agent.port, options: recorderOptions.parse({}), credentials: { password: TOKEN } });
    const probe = () => runProbe(recorderDriver, target(), { clock: new FakeClock(), timeoutMs: 5000, log: silentLogger, policy: recorderPolicyDefaults });
    const check = async (name: string) => {
      const r = (await probe()).results.find((x) => x.check === name)!;
      return [r.status, r.messageKey];
    };

    before(async () => {
      d = path.join(dir, 'restart');
      fs.mkdirSync(d);
      // The agent's clock drives the back-off; time stamps stay near the files' own times.
      clock = new FakeClock(Date.now());
      const config = parseAgentConfig(agentJson({
        signing: { keyFile: path.join(dir, 'court.key'), certFile: path.join(dir, 'court.pem') },
        restart: { initialDelayMs: 1000, maxDelayMs: 4000, maxRestarts: 2, windowSeconds: 600 },
      }), d);
      agent = new RecorderAgent(config, TOKEN, { clock });
      await agent.start();
      await agent.firstLevels();
    });

    after(async () => {
      await agent?.close();
    });

    let recId = '';
    it('is started again after the back-off on the agent clock, numbering continued, the gap on record; the driver shows the restart', async () => {
      const meta = await agent.startRecording({ caseNumber: '2-77/2026', description: 'Қарызды өндіріп алу туралы', composition: ['Судья Ахметова А. А.'], parties: PARTIES });
      recId = meta.id;
      const recDir = path.join(d, 'out', recId);
      await segmentsChained(agent, 2 * STREAMS);
      const pid1 = agent.recordingPid!;
      const scheduled = nextEvent<{ state: string; delayMs?: number }>(agent, 'capture', (e) => e.state === 'restarting' && e.delayMs !== undefined);
      process.kill(pid1, 'SIGKILL');
      assert.equal((await scheduled).delayMs, 1000);
      // Nothing restarts until the agent's clock says so.
      const st = await agent.status() as { state: string; capture: { state: string; pid?: number; exitsInWindow: number }; session: { interruptions: Interruption[] } };
      assert.deepEqual([st.state, st.capture.state, st.capture.pid, st.capture.exitsInWindow], ['recording', 'restarting', undefined, 1]);
      const gap = st.session.interruptions.at(-1)!;
      assert.deepEqual([gap.kind, gap.resumedAt], ['capture-restart', undefined]);
      assert.match(gap.reason, /^capture process restarted: ffmpeg exited \(SIGKILL\)/);
      assert.deepEqual(await check('recorder-state'), ['degraded', 'recorder.state.restarting']);
      assert.deepEqual(await check('recorder-files'), ['degraded', 'recorder.files.restarting']);
      await clock.advance(999);
      assert.equal(agent.recordingPid, undefined);
      const flowing = nextEvent<{ state: string }>(agent, 'capture', (e) => e.state === 'running');
      await clock.advance(1);
      await flowing;
      const pid2 = agent.recordingPid!;
      assert.ok(pid2 && pid2 !== pid1);
      const before = readChain(recDir).length;
      await segmentsChained(agent, 2 * STREAMS);

      const st2 = await agent.status() as { capture: { state: string; restarts: number }; session: { interruptions: Interruption[]; restarts: number } };
      assert.deepEqual([st2.capture.state, st2.capture.restarts, st2.session.restarts], ['running', 1, 1]);
      const closed = st2.session.interruptions.at(-1)!;
      assert.ok(closed.resumedAt && Date.parse(closed.resumedAt) >= Date.parse(closed.at), JSON.stringify(closed));
      assert.equal(closed.attempts, 1);
      // The partial segment is out of the record, in quarantine; numbering goes on past it, nothing overwritten.
      const quarantined = closed.lost!.files.map((f) => path.basename(f));
      assert.equal(quarantined.length, STREAMS);
      assert.deepEqual(fs.readdirSync(path.join(recDir, QUARANTINE_DIR)).sort(), [...quarantined].sort());
      const chain = readChain(recDir);
      const lostNumber = segmentNumber(quarantined[0]!)!;
      assert.ok(chain.slice(0, before).every((e) => segmentNumber(e.file)! < lostNumber));
      assert.ok(chain.slice(before).every((e) => segmentNumber(e.file)! > lostNumber), 'segments after the restart continue the numbering');
      assert.ok(Date.parse(closed.lost!.from) <= Date.parse(closed.lost!.to));
      const v = await verifyRecording(recDir);
      assert.ok(v.intact, JSON.stringify(v.problems));
      assert.ok(v.unchained.length <= STREAMS, `only the segments in progress are unchained: ${v.unchained}`);
      assert.deepEqual(await check('recorder-state'), ['ok', 'recorder.state.recording']);
    });

    it('killed more than maxRestarts times in the window: paused as a failure (driver: down); resumed by a person; the stop verifies; protocol and PDF state it', async () => {
      const recDir = path.join(d, 'out', recId);
      // Second exit in the window: back-off doubled.
      let scheduled = nextEvent<{ delayMs?: number }>(agent, 'capture', (e) => (e as { state: string }).state === 'restarting' && e.delayMs !== undefined);
      process.kill(agent.recordingPid!, 'SIGKILL');
      assert.equal((await scheduled).delayMs, 2000);
      // The restarted process dies at once: the third exit is one too many (maxRestarts 2).
      const spawned = nextEvent<{ spawned?: number }>(agent, 'capture', (e) => e.spawned !== undefined);
      const failed = nextEvent(agent, 'capture', (e: { state: string }) => e.state === 'failed');
      await clock.advance(2000);
      process.kill((await spawned).spawned!, 'SIGKILL');
      await failed;
      const st = await agent.status() as { state: string; capture: { state: string }; session: { interruptions: Interruption[] } };
      assert.deepEqual([st.state, st.capture.state], ['paused', 'failed']);
      const gap = st.session.interruptions.at(-1)!;
      assert.equal(gap.kind, 'capture-failed');
      assert.match(gap.reason, /^failure: the capture process exited 3 times within 600 s/);
      // Killed before it delivered anything, the restarted process continues the same gap (one
      // attempt); had it delivered, that gap closed and the failure is a gap of its own.
      const gaps = st.session.interruptions.map((i) => i.kind);
      assert.ok(gap.attempts === 1 ? gaps.length === 2 : gaps.length === 3, JSON.stringify(st.session.interruptions));
      assert.deepEqual(await check('recorder-state'), ['down', 'recorder.state.failed']);
      assert.equal(clock.pendingTimers(), 0, 'no restart is pending after the failure');

      // A person resumes: capture again, the gap closed.
      await agent.resume();
      await segmentsChained(agent, STREAMS);
      const summary = await agent.stopRecording('secretary-almaly');
      assert.deepEqual([summary.verification!.intact, summary.verification!.signed], [true, true]);
      const meta = JSON.parse(fs.readFileSync(path.join(recDir, 'session.json'), 'utf8')) as { interruptions: Interruption[] };
      assert.deepEqual(meta.interruptions[0]!.kind, 'capture-restart');
      assert.deepEqual(meta.interruptions.at(-1)!.kind, 'capture-failed');
      assert.ok(meta.interruptions.every((i) => i.resumedAt), 'every gap closed by the restart or the resume');

      const ru = fs.readFileSync(path.join(recDir, `${recId}_protocol.ru.txt`), 'utf8');
      assert.match(ru, /— сбой процесса записи; процесс перезапущен автоматически; возобновлена \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d; утрачен незавершённый фрагмент записи с /);
      assert.match(ru, /— процесс записи неоднократно завершался сбоем; запись остановлена; возобновлена /);

      // The PDF, in Kazakh: read back through the embedded font's ToUnicode map.
      const pdf = path.join(recDir, `${recId}_protocol.kk.pdf`);
      assert.ok(summary.files.some((f) => f.file === path.basename(pdf)), 'the PDF is in the manifest');
      const text = pdfText(pdf);
      const flat = text.replace(/\s+/g, ' ');
      for (const phrase of ['СОТ ОТЫРЫСЫНЫҢ ҚЫСҚАША ХАТТАМАСЫ', 'Алматы қаласы Алмалы аудандық соты, 4-зал', '2-77/2026', 'Қарызды өндіріп алу туралы',
        'Жауапкер: Шаһмардан Өңірбек Үмбетұлы', 'жазу процесінің ақаулығы; процесс автоматты түрде қайта іске қосылды', 'MD5 бақылау сомасы']) {
        assert.ok(flat.includes(phrase), `«${phrase}» not in:\n${text}`);
      }
      for (const letter of KAZAKH_LETTERS) assert.ok(text.includes(letter), `the kk PDF lacks «${letter}»`);
      for (const f of summary.files.filter((x) => /_(ch\d|mix|av)\./.test(x.file))) assert.ok(flat.includes(f.md5) && flat.includes(f.file), f.file);
      const ruText = pdfText(path.join(recDir, `${recId}_protocol.ru.pdf`)).replace(/\s+/g, ' ');
      assert.ok(ruText.includes('КРАТКИЙ ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ') && ruText.includes('Контрольная сумма MD5'), ruText);
      // One page as a picture: it renders, and it is not blank.
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(d, 'protocol-kk')]);
      const png = await sharp(path.join(d, 'protocol-kk.png')).greyscale().stats();
      assert.ok(png.channels[0]!.min < 80 && png.channels[0]!.mean > 200, `ink on white: ${JSON.stringify(png.channels[0])}`);
      // The control API serves it.
      const got = await fetch(`http://127.0.0.1:${agent.port}/api/recordings/${encodeURIComponent(recId)}/protocol?lang=kk&format=pdf`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.deepEqual([got.status, got.headers.get('content-type')], [200, 'application/pdf']);
      assert.ok(Buffer.from(await got.arrayBuffer()).equals(fs.readFileSync(pdf)));
    });
  });
});
