/**
 * Inventory loading and `hallwatch inventory check`: a valid file, broken files with many
 * problems reported at once with their paths, YAML errors, and the CLI's exit codes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../collector/cli/main';
import { formatProblems, loadInventoryFile, loadInventoryText, type Problem } from '../collector/config/inventory';
import { defaultRegistry } from '../device-drivers/registry';

const VALID = `
version: 1
secretsFile: secrets.yaml
defaults:
  intervalSeconds: 30
regions:
  - id: almaty
    name: { ru: г. Алматы, kk: Алматы қ. }
    courts:
      - id: almaty-bostandyk
        name: { ru: Бостандыкский районный суд, kk: Бостандық аудандық соты }
        level: district
        halls:
          - number: 1
            avf: true
            vks: true
            devices:
              - id: cam-1
                driver: http
                category: camera
                address: 10.20.1.11:80
                credentials: { username: admin, password: { env: CAM_PASS } }
                options: { path: /status, bodyContains: OK }
              - id: pc-1
                driver: tcp
                category: recording-pc
                address: 10.20.1.12:3389
              - id: vks-1
                driver: http
                category: vks-endpoint
                address: 10.20.1.13:443
                credentials: { username: integrator, password: { secret: vks-1 } }
                options: { scheme: https, tlsInsecure: true, path: /status.xml }
          - number: 2A
            name: { ru: Зал присяжных, kk: Алқабилер залы }
            devices:
              - id: mic-2
                driver: tcp
                category: microphone
                critical: false
                address: mic-2.court.local:5000
      - id: almaty-city
        name: { ru: Алматинский городской суд, kk: Алматы қалалық соты }
        level: regional
        timezone: Asia/Aqtobe
        halls:
          - number: 101
            devices:
              - id: city-pc-101
                driver: tcp
                category: recording-pc
                address: 10.30.0.5:22
                timeoutSeconds: 3
`;

/** Structurally valid, semantically wrong in many places at once. */
const BROKEN = `
secretsFile: secrets.yaml
regions:
  - id: south
    name: { ru: Юг, kk: Оңтүстік }
    courts:
      - id: court-a
        name: { ru: Суд А, kk: А соты }
        level: district
        timezone: Asia/Nowhere
        halls:
          - number: 1
            devices:
              - id: dev-1
                driver: tcp
                category: camera
                address: 10.0.0.1:99999
              - id: dev-2
                driver: snmp
                category: camera
                address: 10.0.0.2:161
              - id: dev-3
                driver: http
                category: camera
                address: 10.0.0.3:80
                credentials: { username: admin, password: { env: MISSING_PASS } }
                options: { path: status }
              - id: dev-4
                driver: http
                category: vks-endpoint
                address: 10.0.0.4:443
                credentials: { username: admin, password: { secret: nope } }
          - number: 2
            avf: false
            vks: false
      - id: court-b
        name: { ru: Суд Б, kk: Б соты }
        level: regional
        halls:
          - number: 1
            devices:
              - id: dev-1
                driver: tcp
                category: camera
                address: not-an-address
              - id: dev-5
                driver: tcp
                category: camera
                address: 10.0.0.5:554
                intervalSeconds: 10
                timeoutSeconds: 10
      - id: court-a
        name: { ru: Суд А2, kk: А2 соты }
        level: district
`;

const BROKEN_EXPECTED: Array<[string, RegExp]> = [
  ['regions[0].courts[0].timezone', /unknown time zone "Asia\/Nowhere"/],
  ['regions[0].courts[0].halls[0].devices[0].address', /port 99999 is out of range 1-65535/],
  ['regions[0].courts[0].halls[0].devices[1].driver', /unknown driver kind "snmp" \(known: .*\btcp\b.*\)/],
  ['regions[0].courts[0].halls[0].devices[2].options.path', /expected a path starting with "\/"/],
  ['regions[0].courts[0].halls[0].devices[2].credentials.password', /environment variable MISSING_PASS is not set/],
  ['regions[0].courts[0].halls[0].devices[3].category', /VKS endpoint in a hall that is not VKS-equipped/],
  ['regions[0].courts[0].halls[0].devices[3].credentials.password', /secret "nope" is not in the secrets file/],
  ['regions[0].courts[0].halls[1]', /must be equipped with AVF, VKS or both/],
  ['regions[0].courts[1].halls[0].devices[0].id', /duplicate device id "dev-1" \(first at regions\[0\]\.courts\[0\]\.halls\[0\]\.devices\[0\]\.id\)/],
  ['regions[0].courts[1].halls[0].devices[0].address', /^expected host:port$/],
  ['regions[0].courts[1].halls[0].devices[1].timeoutSeconds', /must be less than the interval \(10 s\)/],
  ['regions[0].courts[2].id', /duplicate court id "court-a" \(first at regions\[0\]\.courts\[0\]\.id\)/],
];

/** Wrong types and unknown fields: caught by the schema. */
const SCHEMA_BROKEN = `
regions:
  - id: south
    name: { ru: Юг, kk: Оңтүстік }
    courts:
      - id: court-a
        name: { ru: Суд А, kk: А соты }
        level: district
        halls:
          - number: 1
            devices:
              - id: dev-1
                driver: tcp
                category: camera
                address: 10.0.0.1:80
                critical: "yes"
              - id: dev-2
                driver: tcp
                category: camera
                address: 10.0.0.2:80
                colour: red
                credentials: { username: admin, password: plain-Text-pw }
      - id: Court_B
        name: { ru: Суд Б, kk: "" }
        level: city
`;

const SCHEMA_EXPECTED: Array<[string, RegExp]> = [
  ['regions[0].courts[0].halls[0].devices[0].critical', /expected boolean, received string/],
  ['regions[0].courts[0].halls[0].devices[1]', /Unrecognized key: "colour"/],
  ['regions[0].courts[0].halls[0].devices[1].credentials.password', /expected \{ env: VARIABLE \} or \{ secret: NAME \}/],
  ['regions[0].courts[1].id', /expected an id of lower-case letters/],
  ['regions[0].courts[1].name.kk', /the Kazakh name is empty/],
  ['regions[0].courts[1].level', /"district"\|"regional"\|"supreme"/],
];

function assertProblems(problems: Problem[], expected: Array<[string, RegExp]>): void {
  const shown = formatProblems(problems);
  for (const [p, re] of expected) {
    const hits = problems.filter((x) => x.path === p && re.test(x.message));
    assert.equal(hits.length, 1, `expected one problem at ${p} matching ${re}; got:\n${shown}`);
  }
  assert.equal(problems.length, expected.length, `unexpected extra problems:\n${shown}`);
}

interface Captured {
  io: { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv; untilSignal: () => Promise<string> };
  out: string[];
  err: string[];
}

function capture(env: NodeJS.ProcessEnv = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    io: { out: (s) => out.push(s), err: (s) => err.push(s), env, untilSignal: () => new Promise<string>(() => {}) },
  };
}

describe('inventory', () => {
  let dir: string;
  const env = { CAM_PASS: 'cam-Secret-1' };
  const write = (name: string, text: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-inventory-'));
    write('secrets.yaml', 'vks-1: "vks-Pa55word"\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('a valid file', () => {
    it('loads with the right counts, ids, names and defaults', () => {
      const r = loadInventoryFile(write('valid.yaml', VALID), { registry: defaultRegistry, env });
      assert.ok(r.ok, r.ok ? '' : formatProblems(r.problems));
      const inv = r.inventory;
      assert.deepEqual([inv.regions.length, inv.courts.length, inv.halls.length, inv.devices.length], [1, 2, 3, 5]);
      assert.deepEqual(inv.region.get('almaty')?.courtIds, ['almaty-bostandyk', 'almaty-city']);

      // Hall id is <courtId>.<number> (ids are lower case).
      assert.deepEqual(inv.halls.map((h) => h.id), ['almaty-bostandyk.1', 'almaty-bostandyk.2a', 'almaty-city.101']);
      assert.equal(inv.hall.get('almaty-bostandyk.2a')?.number, '2A');
      assert.deepEqual(inv.hall.get('almaty-bostandyk.2a')?.name, { ru: 'Зал присяжных', kk: 'Алқабилер залы' });
      assert.deepEqual(inv.hall.get('almaty-bostandyk.1')?.name, { ru: 'Зал № 1', kk: '№ 1 зал' });
      assert.deepEqual(inv.hall.get('almaty-bostandyk.1')?.deviceIds, ['cam-1', 'pc-1', 'vks-1']);
      assert.equal(inv.hall.get('almaty-bostandyk.2a')?.vksEquipped, false);

      assert.equal(inv.court.get('almaty-bostandyk')?.timezone, 'Asia/Almaty');
      assert.equal(inv.court.get('almaty-city')?.timezone, 'Asia/Aqtobe');
      assert.equal(inv.court.get('almaty-bostandyk')?.name.kk, 'Бостандық аудандық соты');
    });

    it('resolves credentials from the environment and the secrets file', () => {
      const r = loadInventoryFile(write('valid.yaml', VALID), { registry: defaultRegistry, env });
      assert.ok(r.ok);
      assert.deepEqual(r.inventory.device.get('cam-1')?.credentials, { username: 'admin', password: 'cam-Secret-1' });
      assert.deepEqual(r.inventory.device.get('vks-1')?.credentials, { username: 'integrator', password: 'vks-Pa55word' });
      assert.equal(r.inventory.device.get('pc-1')?.credentials, undefined);
    });

    it('resolves addresses, systems, timings and driver options', () => {
      const r = loadInventoryFile(write('valid.yaml', VALID), { registry: defaultRegistry, env });
      assert.ok(r.ok);
      const d = r.inventory.device;
      assert.deepEqual([d.get('cam-1')?.host, d.get('cam-1')?.port], ['10.20.1.11', 80]);
      assert.deepEqual([d.get('mic-2')?.host, d.get('mic-2')?.port], ['mic-2.court.local', 5000]);
      assert.equal(d.get('vks-1')?.system, 'vks');
      assert.equal(d.get('cam-1')?.system, 'avf');
      assert.equal(d.get('mic-2')?.critical, false);
      assert.equal(d.get('cam-1')?.critical, true);
      assert.equal(d.get('mic-2')?.hallId, 'almaty-bostandyk.2a');
      // interval from the file's defaults; timeout from the device, then the driver.
      assert.deepEqual([d.get('pc-1')?.intervalMs, d.get('pc-1')?.timeoutMs], [30_000, 5_000]);
      assert.deepEqual([d.get('cam-1')?.intervalMs, d.get('cam-1')?.timeoutMs], [30_000, 10_000]);
      assert.equal(d.get('city-pc-101')?.timeoutMs, 3_000);
      assert.deepEqual(d.get('cam-1')?.options, {
        scheme: 'http', path: '/status', method: 'GET', bodyContains: 'OK', maxBodyBytes: 1024 * 1024, tlsInsecure: false,
      });
      assert.deepEqual(d.get('pc-1')?.options, {});
    });

    it('takes the secrets given in the options instead of the secrets file', () => {
      const r = loadInventoryText(VALID, { registry: defaultRegistry, env, baseDir: '/nonexistent', secrets: { 'vks-1': 'given' } });
      assert.ok(r.ok, r.ok ? '' : formatProblems(r.problems));
      assert.equal(r.inventory.device.get('vks-1')?.credentials?.password, 'given');
    });
  });

  describe('a broken file', () => {
    it('reports every semantic problem at once, each with its path', () => {
      const r = loadInventoryFile(write('broken.yaml', BROKEN), { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, BROKEN_EXPECTED);
    });

    it('reports wrong types and unknown fields with their paths', () => {
      const r = loadInventoryText(SCHEMA_BROKEN, { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, SCHEMA_EXPECTED);
    });

    it('never echoes a password written in plain text into the inventory', () => {
      const r = loadInventoryText(SCHEMA_BROKEN, { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assert.ok(!formatProblems(r.ok ? [] : r.problems).includes('plain-Text-pw'));
    });

    it('reports schema and semantic problems of one file together', () => {
      const both = BROKEN.replace('                address: 10.0.0.1:99999\n',
        '                address: 10.0.0.1:99999\n                critical: "yes"\n');
      const r = loadInventoryText(both, { registry: defaultRegistry, env, baseDir: dir });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, [
        ...BROKEN_EXPECTED,
        ['regions[0].courts[0].halls[0].devices[0].critical', /expected boolean, received string/],
      ]);
    });

    it('reports a device in a hall without AVF, and an AVF hall with nothing to watch', () => {
      const text = VALID
        .replace('          - number: 101\n            devices:', '          - number: 101\n            avf: false\n            vks: true\n            devices:')
        .replace(/            devices:\n              - id: mic-2\n(.*\n){3}                address: mic-2.court.local:5000\n/, '            devices: []\n');
      assert.ok(!text.includes('mic-2') && text.includes('avf: false'), 'fixture edit did not apply');
      const r = loadInventoryText(text, { registry: defaultRegistry, env, baseDir: dir });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, [
        ['regions[0].courts[0].halls[1].devices', /AVF-equipped hall needs at least one AVF device/],
        ['regions[0].courts[1].halls[0].devices[0].category', /AVF device in a hall that is not AVF-equipped/],
      ]);
    });

    it('requires a category for a driver that implies none', () => {
      const r = loadInventoryText(VALID.replace('                category: recording-pc\n                address: 10.20.1.12:3389', '                address: 10.20.1.12:3389'),
        { registry: defaultRegistry, env, baseDir: dir });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, [['regions[0].courts[0].halls[0].devices[1].category', /required for driver "tcp"/]]);
    });

    it('reports a secrets file that cannot be read', () => {
      const r = loadInventoryText(VALID, { registry: defaultRegistry, env, baseDir: path.join(dir, 'missing-dir') });
      assert.equal(r.ok, false);
      const problems = r.ok ? [] : r.problems;
      assert.ok(problems.some((p) => p.path === 'secretsFile' && /cannot read secrets file: ENOENT/.test(p.message)), formatProblems(problems));
    });

    it('treats an empty environment variable as not set', () => {
      const r = loadInventoryText(VALID, { registry: defaultRegistry, env: { CAM_PASS: '' }, baseDir: dir });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, [
        ['regions[0].courts[0].halls[0].devices[0].credentials.password', /environment variable CAM_PASS is not set/],
      ]);
    });
  });

  describe('files that are not an inventory', () => {
    const YAML_ERROR = 'regions:\n  - id: a\n    name: x: y\n';

    it('reports invalid YAML with the parser message', () => {
      const r = loadInventoryText(YAML_ERROR, { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      const problems = r.ok ? [] : r.problems;
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, /^Nested mappings are not allowed in compact mappings/);
    });

    it('gives the line and column of a YAML error', () => {
      const r = loadInventoryText(YAML_ERROR, { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assert.equal(r.ok ? '' : r.problems[0]!.path, 'line 3, column 11');
    });

    it('refuses duplicate keys', () => {
      const r = loadInventoryText('regions: []\nregions: []\n', { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.problems[0]!.message, /Map keys must be unique/);
    });

    it('reports an empty file as missing its regions', () => {
      for (const text of ['', '# only a comment\n']) {
        const r = loadInventoryFile(write('empty.yaml', text), { registry: defaultRegistry, env });
        assert.equal(r.ok, false);
        const problems = r.ok ? [] : r.problems;
        assert.equal(problems.length, 1, formatProblems(problems));
        assert.equal(problems[0]!.path, 'regions');
      }
    });

    it('reports a region list that is empty', () => {
      const r = loadInventoryText('regions: []\n', { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assertProblems(r.ok ? [] : r.problems, [['regions', /at least one region/]]);
    });

    it('reports a missing file by its name', () => {
      const f = path.join(dir, 'no-such-inventory.yaml');
      const r = loadInventoryFile(f, { registry: defaultRegistry, env });
      assert.equal(r.ok, false);
      assert.deepEqual(r.ok ? [] : r.problems, [{ path: f, message: 'cannot read: ENOENT' }]);
    });
  });

  describe('hallwatch inventory check', () => {
    it('exits 0 and prints a summary for a valid file', async () => {
      const f = write('valid.yaml', VALID);
      const c = capture(env);
      const code = await main(['node', 'hallwatch', 'inventory', 'check', f], c.io);
      assert.equal(code, 0, c.err.join('\n'));
      assert.deepEqual(c.out, [`${f}: valid — 1 region(s), 2 court(s), 3 hall(s), 5 device(s)`]);
      // The fixture's secrets file is plain YAML: valid, with the advice to encrypt it.
      assert.deepEqual(c.err, ['warning: secretsFile: the secrets file is not encrypted; encrypt it with "hallwatch secrets set"']);
    });

    it('takes the environment from its io, not from the process', async () => {
      const f = write('valid.yaml', VALID);
      const c = capture({});
      const code = await main(['node', 'hallwatch', 'inventory', 'check', f], c.io);
      assert.equal(code, 2);
      assert.match(c.err.join('\n'), /devices\[0\]\.credentials\.password: environment variable CAM_PASS is not set/);
    });

    it('exits 2 and prints every problem with its path for a broken file', async () => {
      const f = write('broken.yaml', BROKEN);
      const c = capture(env);
      const code = await main(['node', 'hallwatch', 'inventory', 'check', f], c.io);
      assert.equal(code, 2);
      assert.deepEqual(c.out, []);
      const lines = c.err.join('\n').split('\n');
      assert.equal(lines[0], `${f}: ${BROKEN_EXPECTED.length} problem(s)`);
      for (const [p, re] of BROKEN_EXPECTED) {
        assert.ok(lines.some((l) => l.startsWith(`${p}: `) && re.test(l.slice(p.length + 2))), `no line for ${p} in:\n${lines.join('\n')}`);
      }
      assert.equal(lines.length, BROKEN_EXPECTED.length + 1);
    });

    it('exits 2 for a missing file', async () => {
      const c = capture(env);
      const f = path.join(dir, 'absent.yaml');
      assert.equal(await main(['node', 'hallwatch', 'inventory', 'check', f], c.io), 2);
      assert.match(c.err.join('\n'), /cannot read: ENOENT/);
    });

    it('exits 2 when the file argument is missing', async () => {
      const c = capture(env);
      assert.equal(await main(['node', 'hallwatch', 'inventory', 'check'], c.io), 2);
      assert.match(c.err.join('\n'), /missing required argument 'file'/);
    });
  });

  describe('hallwatch help and usage errors', () => {
    const cases: Array<[string[], RegExp, RegExp]> = [
      [['inventory', 'check', '--help'], /^Usage: hallwatch inventory check \[options\] <file>/m, /validate an inventory file/],
      [['probe', '--help'], /^Usage: hallwatch probe \[options\]/m, /--driver <kind>/],
      [['start', '--help'], /^Usage: hallwatch start \[options\]/m, /--inventory <file>/],
    ];
    for (const [args, usage, detail] of cases) {
      it(`${args.join(' ')} exits 0 and prints usage`, async () => {
        const c = capture();
        const code = await main(['node', 'hallwatch', ...args], c.io);
        assert.equal(code, 0);
        const out = c.out.join('\n');
        assert.match(out, usage);
        assert.match(out, detail);
      });
    }

    it('an unknown command exits 2 and names it', async () => {
      const c = capture();
      const code = await main(['node', 'hallwatch', 'frobnicate'], c.io);
      assert.equal(code, 2);
      assert.match(c.err.join('\n'), /unknown command 'frobnicate'/);
    });

    it('an unknown option exits 2 and names it', async () => {
      const c = capture();
      const code = await main(['node', 'hallwatch', 'inventory', 'check', '--frob', 'x.yaml'], c.io);
      assert.equal(code, 2);
      assert.match(c.err.join('\n'), /unknown option '--frob'/);
    });
  });
});
