/**
 * The recorder agent with real ffmpeg on lavfi sources (a tone, a noise floor, a silent channel,
 * a DC offset): live levels and the microphone driver's verdicts, a recording through the control
 * API with a mark and a pause, the files inspected with ffprobe, the signed manifest verified by
 * `hallwatch recording verify` and then tampered with, the short protocol in ru and kk, copies
 * verified and a corrupted copy reported, and the agent killed with -9 mid-recording. Nothing
 * sleeps: tests wait on the agent's events (levels, finished segments) or on files changing.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../collector/cli/main';
import { FakeClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import type { ProbeTarget } from '../collector/core/types';
import { runProbe } from '../collector/scheduler/run-probe';
import { hasMessage, messages } from '../console-ui/i18n/messages';
import { classifyLevel, microphonePolicyDefaults } from '../device-drivers/microphone/classify';
import { microphoneDriver } from '../device-drivers/microphone/driver';
import { RecorderAgent, recordingBase } from '../device-drivers/recorder/agent/agent';
import { parseAgentConfig, type AgentConfig } from '../device-drivers/recorder/agent/config';
import { ffprobe } from '../device-drivers/recorder/agent/ffmpeg';
import { readChain, verifyRecording } from '../device-drivers/recorder/agent/integrity';
import { LevelMeter, type ChannelLevel } from '../device-drivers/recorder/agent/levels';
import { callAgent } from '../device-drivers/recorder/client';
import { RECORDER_CHECKS, recorderDriver, recorderOptions, recorderPolicyDefaults } from '../device-drivers/recorder/driver';

const TOKEN = 'test-token-' + 'x'.repeat(20);
const lav = (url: string) => ({ options: ['-re', '-f', 'lavfi'], url });
const BIN = path.resolve(__dirname, '../../bin/hallwatch.js');

function makeConfig(dir: string, extra: Record<string, unknown> = {}): AgentConfig {
  return parseAgentConfig({
    hall: { id: 'almaly-district.4', place: { ru: 'Алмалинский районный суд, зал № 4', kk: 'Алмалы аудандық соты, 4-зал' } },
    token: TOKEN,
    video: lav('testsrc2=size=640x360:rate=5'),
    audio: [lav('sine=frequency=440:sample_rate=8000'), lav('anoisesrc=r=8000:a=0.003:c=pink'), lav('anullsrc=r=8000:cl=mono')],
    sampleRate: 8000, videoSize: '640x360', videoQuality: 10, segmentSeconds: 1,
    outDir: 'out', copies: { main: 'regional-main', backup: 'regional-backup', atStop: true },
    signing: { keyFile: 'court.key', certFile: 'court.pem' },
    meter: { rate: 4000, windowMs: 250 },
    ...extra,
  }, dir);
}

/** Waits until `test()` holds, re-checking whenever something in `dir` changes (inotify). */
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

function segmentsChained(agent: RecorderAgent, n: number): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const on = () => {
      if (++count >= n) {
        agent.off('segment', on);
        resolve();
      }
    };
    agent.on('segment', on);
  });
}

describe('recorder agent (real ffmpeg on lavfi sources)', function () {
  this.timeout(60_000);
  let dir: string;
  let agent: RecorderAgent;
  const children: ChildProcess[] = [];
  const pids: number[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-recorder-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30',
      '-subj', '/CN=Almaly district court', '-keyout', path.join(dir, 'court.key'), '-out', path.join(dir, 'court.pem')], { stdio: 'ignore' });
    agent = new RecorderAgent(makeConfig(dir), TOKEN);
    await agent.start();
    await agent.firstLevels();
  });

  after(async () => {
    await agent?.close();
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch { /* gone */ }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const target = <O>(options: O): ProbeTarget<O> => ({ id: 'almaly-district-h4-mic', driver: 'microphone', host: '127.0.0.1', port: agent.port, options, credentials: { password: TOKEN } });
  const clock = new FakeClock('2026-11-23T03:30:00Z');
  const probeMic = (channel: number) => runProbe(microphoneDriver, target({ channel }), { clock, timeoutMs: 5000, log: silentLogger, policy: microphonePolicyDefaults });
  const probeRec = (previous?: Parameters<typeof runProbe>[2]['previous']) => runProbe(recorderDriver, { ...target(recorderOptions.parse({ bytesPerSecond: 1000 })), driver: 'recorder' }, { clock, timeoutMs: 5000, log: silentLogger, policy: recorderPolicyDefaults, previous });

  it('meters every channel while not recording; the microphone driver finds the tone and the noise floor alive, the silent channel dead', async () => {
    const [a, b, c] = await Promise.all([probeMic(1), probeMic(2), probeMic(3)]);
    assert.deepEqual([a.results[0]!.status, a.results[0]!.messageKey], ['ok', 'microphone.alive']);
    assert.deepEqual([b.results[0]!.status, b.results[0]!.messageKey], ['ok', 'microphone.alive']);
    assert.deepEqual([c.results[0]!.status, c.results[0]!.messageKey], ['down', 'microphone.dead.silence']);
    assert.ok(a.results[0]!.values!.rms_dbfs! > -25 && a.results[0]!.values!.rms_dbfs! < -15, `sine RMS ${a.results[0]!.values!.rms_dbfs}`);
    // A wrong token is refused; the driver says the agent did not answer properly.
    const bad = await runProbe(microphoneDriver, { ...target({ channel: 1 }), credentials: { password: 'wrong-token-wrong-token' } }, { clock, timeoutMs: 5000, log: silentLogger, policy: microphonePolicyDefaults });
    assert.equal(bad.results[0]!.status, 'down');
  });

  it('computes RMS, peak and DC offset from PCM: a DC offset without sound is dead, full scale is clipping', () => {
    const levels: ChannelLevel[][] = [];
    const m = new LevelMeter(2, 100, (l) => levels.push(l));
    const buf = Buffer.alloc(100 * 4);
    for (let i = 0; i < 100; i++) {
      buf.writeInt16LE(8000, i * 4); // channel 1: DC only
      buf.writeInt16LE(i % 2 ? 32767 : -32768, i * 4 + 2); // channel 2: full-scale square
    }
    m.push(buf.subarray(0, 7));
    m.push(buf.subarray(7));
    assert.equal(levels.length, 1);
    const [dc, sq] = levels[0]!;
    assert.equal(classifyLevel(dc!, microphonePolicyDefaults), 'dead-dc');
    assert.equal(dc!.acRmsDbfs, -120);
    assert.equal(classifyLevel(sq!, microphonePolicyDefaults), 'clipping');
  });

  let recId = '';
  it('records: start with the case, files grow, a mark and a pause with its reason, stop → one file per stream, checked with ffprobe', async () => {
    const t = { host: '127.0.0.1', port: agent.port, credentials: { password: TOKEN } };
    const bad = await callAgent(t, 'POST', '/api/start', { body: { caseNumber: '' } });
    assert.deepEqual([bad.ok, bad.ok ? 0 : bad.status], [false, 400]);
    const two = segmentsChained(agent, 5);
    const started = await callAgent<{ id: string; base: string }>(t, 'POST', '/api/start', { body: { caseNumber: '2-1234/2026', description: 'О взыскании долга', composition: ['Судья Ахметова А. А.'], parties: ['Истец: ТОО «Алма»', 'Ответчик: Серіков Б.'], materials: ['Договор займа'] }, actor: 'secretary-almaly' });
    assert.ok(started.ok, JSON.stringify(started));
    recId = started.body.id;
    assert.match(recId, /^2-1234-2026_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    await two;
    const r1 = await probeRec();
    const files1 = r1.results.find((x) => x.check === 'recorder-files')!;
    assert.deepEqual([r1.results.find((x) => x.check === 'recorder-state')!.messageKey, files1.status], ['recorder.state.recording', 'ok']);
    assert.ok((await callAgent(t, 'POST', '/api/mark', { body: { speaker: 'Истец' } })).ok);
    await segmentsChained(agent, 5);
    const r2 = await probeRec(r1.results);
    assert.equal(r2.results.find((x) => x.check === 'recorder-files')!.messageKey, 'recorder.files.growing');
    assert.ok((await callAgent(t, 'POST', '/api/pause', { body: { reason: 'Перерыв по ходатайству стороны' } })).ok);
    assert.equal((await probeRec()).results.find((x) => x.check === 'recorder-state')!.messageKey, 'recorder.state.paused');
    assert.ok((await callAgent(t, 'POST', '/api/resume')).ok);
    await segmentsChained(agent, 5);
    const stopped = await callAgent<{ files: Array<{ file: string; size: number; md5: string }>; verification: { intact: boolean; signed: boolean }; copies: { verifiedAt: Record<string, string>; problems: unknown[] } }>(t, 'POST', '/api/stop');
    assert.ok(stopped.ok, JSON.stringify(stopped));
    assert.deepEqual([stopped.body.verification.intact, stopped.body.verification.signed], [true, true]);
    assert.ok(stopped.body.copies.verifiedAt.main && stopped.body.copies.verifiedAt.backup, 'copied to both stores at stop');

    const recDir = path.join(dir, 'out', recId);
    const names = stopped.body.files.map((f) => f.file);
    for (const k of ['ch1.wav', 'ch2.wav', 'ch3.wav', 'mix.mp3', 'av.mp4', 'protocol.ru.txt', 'protocol.kk.txt', 'protocol.ru.pdf', 'protocol.kk.pdf']) assert.ok(names.includes(`${recId}_${k}`), `${k} in ${names}`);
    for (const ch of [1, 2, 3]) {
      const p = await ffprobe('ffprobe', path.join(recDir, `${recId}_ch${ch}.wav`));
      assert.deepEqual([p.audioCodec, p.audioChannels], ['pcm_s16le', 1]);
      assert.ok(p.durationSeconds >= 1.5, `ch${ch} ${p.durationSeconds} s`);
    }
    const mix = await ffprobe('ffprobe', path.join(recDir, `${recId}_mix.mp3`));
    assert.equal(mix.audioCodec, 'mp3');
    const av = await ffprobe('ffprobe', path.join(recDir, `${recId}_av.mp4`));
    assert.deepEqual([av.videoCodec, av.width, av.height, av.audioCodec], ['mpeg4', 640, 360, 'aac']);
    // The mixed file is as long as a channel's (both are the whole recording, pauses excluded).
    const ch1 = await ffprobe('ffprobe', path.join(recDir, `${recId}_ch1.wav`));
    assert.ok(Math.abs(mix.durationSeconds - ch1.durationSeconds) < 0.5, `${mix.durationSeconds} vs ${ch1.durationSeconds}`);

    // The short protocol, both languages: case, parties, mark, the interruption, every file with size and MD5.
    const ru = fs.readFileSync(path.join(recDir, `${recId}_protocol.ru.txt`), 'utf8');
    const kk = fs.readFileSync(path.join(recDir, `${recId}_protocol.kk.txt`), 'utf8');
    assert.match(ru, /КРАТКИЙ ПРОТОКОЛ/);
    assert.match(kk, /ҚЫСҚАША ХАТТАМАСЫ/);
    for (const text of [ru, kk]) {
      for (const s of ['2-1234/2026', 'Ответчик: Серіков Б.', 'Договор займа', 'Истец', 'Перерыв по ходатайству стороны']) assert.ok(text.includes(s), s);
      for (const f of stopped.body.files.filter((x) => !x.file.includes('protocol') && x.file !== 'session.json')) assert.ok(text.includes(`${f.file} — ${f.size} байт, MD5 ${f.md5}`), f.file);
    }
    assert.match(kk, /Алмалы аудандық соты, 4-зал/);
  });

  it('`hallwatch recording verify`: exit 0 on the intact recording; a changed file → exit 1 naming it', async () => {
    const recDir = path.join(dir, 'out', recId);
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {}, untilSignal: () => new Promise<string>(() => undefined) };
    assert.equal(await main(['node', 'hallwatch', 'recording', 'verify', recDir, '--cert', path.join(dir, 'court.pem'), '--require-signed'], io), 0, out.join('\n'));
    assert.match(out.join('\n'), /^intact: \d+ chained segment\(s\), 10 manifest file\(s\), signed manifest$/m);
    // Tamper: flip one byte in the middle of channel 2's file (same size).
    const victim = path.join(recDir, `${recId}_ch2.wav`);
    const fd = fs.openSync(victim, 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, 5000);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, 5000);
    fs.closeSync(fd);
    out.length = 0;
    assert.equal(await main(['node', 'hallwatch', 'recording', 'verify', recDir], io), 1);
    assert.match(out.join('\n'), new RegExp(`TAMPERED ${recId}_ch2\\.wav: changed`));
    // A changed segment breaks the chain's file check too, and a changed manifest its signature.
    const seg = readChain(recDir)[0]!;
    fs.appendFileSync(path.join(recDir, seg.file), 'x');
    const man = path.join(recDir, 'manifest.json');
    const original = fs.readFileSync(man);
    fs.writeFileSync(man, fs.readFileSync(man, 'utf8').replace('2-1234/2026', '2-9999/2026'));
    const v = await verifyRecording(recDir);
    assert.ok(v.problems.some((p) => p.file === seg.file && p.problem === 'size'));
    assert.ok(v.problems.some((p) => p.file === 'manifest.json' && p.problem === 'signature'));
    fs.writeFileSync(man, original);
    assert.equal(await main(['node', 'hallwatch', 'recording', 'verify', path.join(dir, 'no-such')], io), 2);
  });

  it('copies: verified in both stores; a corrupted or missing copy is reported by name and the driver degrades', async () => {
    const t = { host: '127.0.0.1', port: agent.port, credentials: { password: TOKEN } };
    const copyDir = (store: string) => path.join(dir, store, 'almaly-district.4', recId);
    const okCopies = await probeRec();
    assert.deepEqual(okCopies.results.map((r) => r.check), [...RECORDER_CHECKS]);
    assert.equal(okCopies.results.find((r) => r.check === 'recorder-copies')!.messageKey, 'recorder.copies.ok');
    fs.writeFileSync(path.join(copyDir('regional-backup'), `${recId}_av.mp4`), 'not a video');
    fs.rmSync(path.join(copyDir('regional-main'), `${recId}_mix.mp3`));
    const v = await callAgent<{ problems: Array<{ store: string; file: string; problem: string }> }>(t, 'POST', '/api/copies/verify');
    assert.ok(v.ok);
    assert.deepEqual(v.body.problems.map((p) => [p.store, p.file, p.problem]).sort(), [
      ['backup', `${recId}/${recId}_av.mp4`, 'mismatch'], ['main', `${recId}/${recId}_mix.mp3`, 'missing'],
    ]);
    const r = (await probeRec()).results.find((x) => x.check === 'recorder-copies')!;
    assert.deepEqual([r.status, r.messageKey], ['degraded', 'recorder.copies.problem']);
  });

  it('kill -9 of the agent mid-recording: every finished segment is intact and the chain verifies up to the last one', async () => {
    const d2 = path.join(dir, 'crash');
    fs.mkdirSync(d2);
    fs.writeFileSync(path.join(d2, 'agent.json'), JSON.stringify({
      hall: { id: 'almaly-district.4', place: { ru: 'Зал 4', kk: '4-зал' } }, token: TOKEN,
      video: lav('testsrc2=size=640x360:rate=5'), audio: [lav('sine=frequency=440:sample_rate=8000'), lav('anullsrc=r=8000:cl=mono')],
      sampleRate: 8000, videoSize: '640x360', videoQuality: 10, segmentSeconds: 1, outDir: 'out', meter: { rate: 4000, windowMs: 250 },
    }));
    const child = spawn(process.execPath, [BIN, 'recorder-agent', '--config', path.join(d2, 'agent.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(text);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (c) => reject(new Error(`agent exited ${c}`)));
    });
    const t = { host: '127.0.0.1', port, credentials: { password: TOKEN } };
    const started = await callAgent<{ id: string }>(t, 'POST', '/api/start', { body: { caseNumber: '3-55/2026' } });
    assert.ok(started.ok, JSON.stringify(started));
    const recDir = path.join(d2, 'out', started.body.id);
    // At least 6 finished segments in the chain (each line is fsynced before the next).
    await whenChanged(recDir, () => (readChain(recDir).length >= 6 ? true : undefined));
    const st = await callAgent<{ session: { pid: number } }>(t, 'GET', '/api/status');
    assert.ok(st.ok);
    const ffmpegPid = st.body.session.pid;
    pids.push(ffmpegPid);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    try {
      process.kill(ffmpegPid, 'SIGKILL'); // the orphaned ffmpeg, as a power cut would take it too
    } catch { /* already gone: its stdout pipe broke */ }

    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {}, untilSignal: () => new Promise<string>(() => undefined) };
    assert.equal(await main(['node', 'hallwatch', 'recording', 'verify', recDir], io), 0, out.join('\n'));
    assert.match(out.join('\n'), /no manifest \(recording cut short\)/);
    const chain = readChain(recDir);
    assert.ok(chain.length >= 6);
    for (const e of chain) {
      const p = await ffprobe('ffprobe', path.join(recDir, e.file));
      assert.ok(p.durationSeconds > 0.5, `${e.file}: ${p.durationSeconds} s`);
      if (e.stream === 'av') assert.deepEqual([p.width, p.height], [640, 360]);
    }
  });

  it('names files from the case number, date and time on the hall wall clock (003 §8)', () => {
    assert.equal(recordingBase('2-1234/2026', Date.parse('2026-11-23T03:30:05Z'), 'Asia/Almaty'), '2-1234-2026_2026-11-23_08-30-05');
  });

  it('every message key the drivers and the protocol use is in the catalog, in Russian and Kazakh', () => {
    const keys = Object.keys(messages).filter((k) => /^(recorder|microphone|capture)\.|^check\.(recorder|mic)/.test(k));
    assert.ok(keys.length > 60);
    for (const k of ['microphone.dead.silence', 'microphone.dead.dc', 'microphone.clipping', 'recorder.copies.problem', 'recorder.protocol.title', 'recorder.test.failed']) assert.ok(hasMessage(k), k);
    for (const k of keys) {
      const m = (messages as Record<string, { ru: string; kk: string }>)[k]!;
      assert.ok(m.ru && m.kk && m.ru !== k, k);
    }
  });
});
