/**
 * The command line for cameras, in-process through main(): `hallwatch probe --driver
 * onvif-camera` (exit codes, a wrong password, the deadline) and `hallwatch discover` aimed at
 * simulators' unicast WS-Discovery ports on 127.0.0.1 (no packet leaves loopback).
 * These run on the system clock with deadlines of a fraction of a second.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../collector/cli/main';
import { OnvifCameraSimulator } from '../device-drivers/onvif-camera/simulator';
import { listen, type Running } from './helpers/servers';

interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

async function hallwatch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const t0 = performance.now();
  const code = await main(['node', 'hallwatch', ...args], { out: (s) => out.push(s), err: (s) => err.push(s), env, untilSignal: () => new Promise<string>(() => {}) });
  return { code, out: out.join('\n'), err: err.join('\n'), ms: performance.now() - t0 };
}

const lines = (out: string) => out.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 2));

describe('hallwatch probe --driver onvif-camera', function () {
  this.timeout(10_000);
  let sim: OnvifCameraSimulator;
  const env = { CAM_PASS: 'Zal-3-pass', WRONG: 'nope' };
  const closers: Running[] = [];

  before(async () => {
    sim = new OnvifCameraSimulator('cli-cam', { username: 'admin', password: 'Zal-3-pass' });
    await sim.start();
  });
  after(async () => {
    await sim.stop();
    for (const c of closers.splice(0)) await c.close();
  });

  it('prints the five checks of a healthy camera and exits 0', async () => {
    const r = await hallwatch(['probe', '--driver', 'onvif-camera', '--address', sim.address, '--username', 'admin', '--password-env', 'CAM_PASS'], env);
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(lines(r.out), [['OK', 'onvif-connect'], ['OK', 'clock-drift'], ['OK', 'media-profiles'], ['OK', 'rtsp-stream'], ['OK', 'snapshot']]);
    assert.match(r.out, /HIKVISION DS-2CD2143G2-I, firmware 1\.10/);
    assert.doesNotMatch(r.out + r.err, /Zal-3-pass/);
  });

  it('exits 1 on a wrong password, saying authentication failed (in Kazakh too)', async () => {
    const r = await hallwatch(['probe', '-d', 'onvif-camera', '-a', sim.address, '-u', 'admin', '--password-env', 'WRONG'], env);
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.out), [['UNKNOWN', 'onvif-connect'], ['OK', 'clock-drift']]);
    assert.match(r.out, /authentication failed: the camera rejected user "admin"/);
    const kk = await hallwatch(['probe', '-d', 'onvif-camera', '-a', sim.address, '-u', 'admin', '--password-env', 'WRONG', '--lang', 'kk'], env);
    assert.match(kk.out, /Аутентификация сәтсіз: камера «admin» пайдаланушысын қабылдамады/);
  });

  it('prints JSON with the facts, firmware as text', async () => {
    const r = await hallwatch(['probe', '-d', 'onvif-camera', '-a', sim.address, '-u', 'admin', '--password-env', 'CAM_PASS', '--json', '--option', 'checkSnapshot=false'], env);
    const j = JSON.parse(r.out) as { results: Array<{ check: string; facts?: Record<string, string> }> };
    assert.equal(j.results.find((x) => x.check === 'onvif-connect')!.facts!.firmware, '1.10');
    assert.ok(!j.results.some((x) => x.check === 'snapshot'));
  });

  it('never hangs past its deadline: a camera that never answers ends at --timeout with exit 1', async () => {
    const server = net.createServer((s) => s.on('data', () => {}).on('error', () => {}));
    const running = await listen(server);
    closers.push(running);
    const r = await hallwatch(['probe', '-d', 'onvif-camera', '-a', `127.0.0.1:${running.port}`, '--timeout', '0.4']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^DOWN\s+onvif-connect\s+no answer to GetSystemDateAndTime within 0\.4 s/m);
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
  });

  it('rejects bad options with exit 2', async () => {
    assert.equal((await hallwatch(['probe', '-d', 'onvif-camera', '-a', sim.address, '--option', 'uriHost=elsewhere'])).code, 2);
    assert.equal((await hallwatch(['probe', '-d', 'onvif-camera', '-a', sim.address, '--option', 'path=no-slash'])).code, 2);
  });
});

describe('hallwatch discover', function () {
  this.timeout(10_000);
  const sims: OnvifCameraSimulator[] = [];
  let dir: string;

  before(async () => {
    for (const id of ['disc-known', 'disc-stranger']) {
      const s = new OnvifCameraSimulator(id, { name: `Зал 3 ${id}`, location: 'almaty/almaly-district/hall-3' });
      await s.start();
      sims.push(s);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-discover-'));
  });
  after(async () => {
    for (const s of sims) await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function inventory(cameras: Array<{ id: string; address: string }>): string {
    const file = path.join(dir, `inv-${cameras.length}.yaml`);
    fs.writeFileSync(file, [
      'version: 1',
      'regions:',
      '  - id: almaty',
      '    name: { ru: г. Алматы, kk: Алматы қаласы }',
      '    courts:',
      '      - id: almaly-district',
      '        name: { ru: Алмалинский районный суд, kk: Алмалы аудандық соты }',
      '        level: district',
      '        halls:',
      '          - number: 3',
      '            devices:',
      ...cameras.map((c) => `              - { id: ${c.id}, driver: onvif-camera, address: "${c.address}" }`),
    ].join('\n'));
    return file;
  }

  it('lists the device that answers a unicast probe, with its name and hardware from the scopes', async () => {
    const [known] = sims;
    const r = await hallwatch(['discover', '--target', `127.0.0.1:${known!.discoveryPort}`, '--timeout', '0.3']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1 ONVIF device\(s\) answered within 0\.3 s$/m);
    const row = r.out.split('\n')[1]!;
    assert.match(row, new RegExp(`^FOUND\\s+127\\.0\\.0\\.1:${known!.port}\\s`));
    assert.match(row, /name="Зал 3 disc-known"/);
    assert.match(row, /hardware="DS-2CD2143G2-I"/);
    assert.match(row, new RegExp(`http://127\\.0\\.0\\.1:${known!.port}/onvif/device_service`));
  });

  it('marks a device missing from the inventory and exits 1; lists inventory cameras that stayed silent', async () => {
    const [known, stranger] = sims;
    const file = inventory([{ id: 'almaly-h3-cam1', address: known!.address }, { id: 'almaly-h3-cam2', address: '127.0.0.1:9' }]);
    const seen = await hallwatch(['discover', '--target', `127.0.0.1:${known!.discoveryPort}`, '--timeout', '0.3', '--inventory', file]);
    assert.equal(seen.code, 0, seen.out + seen.err);
    assert.match(seen.out, /^KNOWN\s+\S+\s+almaly-h3-cam1/m);
    assert.match(seen.out, /^SILENT\s+127\.0\.0\.1:9\s+almaly-h3-cam2$/m);

    const missing = await hallwatch(['discover', '--target', `127.0.0.1:${stranger!.discoveryPort}`, '--timeout', '0.3', '--inventory', file, '--json']);
    assert.equal(missing.code, 1);
    const j = JSON.parse(missing.out) as { devices: Array<{ endpoint: string; inventoryId: string | null; service: string }>; silent: Array<{ id: string }> };
    assert.deepEqual(j.devices.map((d) => [d.endpoint, d.inventoryId, d.service]), [[stranger!.endpoint, null, stranger!.address]]);
    assert.deepEqual(j.silent.map((s) => s.id).sort(), ['almaly-h3-cam1', 'almaly-h3-cam2']);
  });

  it('exits 1 when nothing answers, 2 on usage errors, 0 for --help', async () => {
    const quiet = await hallwatch(['discover', '--target', '127.0.0.1:9', '--timeout', '0.2']);
    assert.deepEqual([quiet.code, quiet.out], [1, '0 ONVIF device(s) answered within 0.2 s']);
    for (const bad of [['--timeout', '0'], ['--timeout', 'soon'], ['--target', 'nowhere'], ['--interface', 'no-such-if0'], ['--inventory', path.join(dir, 'none.yaml')]]) {
      const r = await hallwatch(['discover', ...bad]);
      assert.equal(r.code, 2, `${bad.join(' ')}: ${r.out}${r.err}`);
    }
    const help = await hallwatch(['discover', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--interface <if>/);
    assert.match(help.out, /--inventory <file>/);
  });
});
