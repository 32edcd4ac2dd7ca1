/**
 * The collector's metrics, the alerting rules and the Grafana dashboards, proven against a real
 * Prometheus (Debian's /usr/bin/prometheus) scraping the demo collector on loopback: promtool
 * checks the exposition and the rules, and every rule expression, every dashboard panel query and
 * every dashboard variable query must parse and return series.
 *
 * The demo runs on its FakeClock, driven through a morning: probes, VKS readiness checks, incidents
 * past their one-hour report (000 §28), the 08:30 daily check, two halls signed and the rest past
 * 09:30. Prometheus scrapes in real time; waiting on it is bounded polling of its HTTP API.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { hasMessage } from '../console-ui/i18n/messages';
import { defaultPolicy } from '../collector/config/policy';
import type { CheckResult } from '../collector/core/types';
import { seedDemoMorning } from '../collector/demo/demo-daily';
import { deviceMetricProblems, registerDeviceMetrics } from '../collector/metrics/device-metrics';
import { SeriesTable } from '../collector/metrics/series-table';
import { seedDemoVks } from '../collector/vks/demo-seed';
import { builtinDrivers, defaultRegistry } from '../device-drivers/registry';
import { startDemoRig, type DemoRig } from './helpers/demo';

const ROOT = path.resolve(__dirname, '../..');
const RULES = path.join(ROOT, 'alerts/prometheus/hallwatch.rules.yml');
const RULES_TEST = path.join(ROOT, 'alerts/prometheus/hallwatch.rules.test.yml');
const DASHBOARDS = path.join(ROOT, 'dashboards');
const METRICS_DOC = path.join(ROOT, 'docs/METRICS.md');
const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const DS = { type: 'prometheus', uid: '${datasource}' };

/**
 * What the test puts for each dashboard variable: "All" (Grafana's allValue ".*") for the
 * multi-value ones, a hall that has every kind of device for the single-value hall, and the
 * interval variables as Grafana would fill them in over this Prometheus (1 s scrapes: $__interval
 * is never below the scrape interval, and a minute of $__rate_interval covers many scrapes).
 */
const VARIABLES: Record<string, string> = {
  region: '.*', court: '.*', hall: 'almaly-district.4', device: '.*', job: 'hallwatch', instance: '.*',
  __rate_interval: '1m', __interval: '1s', __range: '1h',
};
/**
 * Alerts the demo's injected faults and its driven morning must raise (pending or firing): the rule
 * expressions are proven to fire on real data, not only to parse.
 */
const FIRING_IN_DEMO = [
  'HallCannotRecord', 'HallIncidentOpen', 'IncidentReportOverdue', 'VksSystemDown', 'VksReadinessCheckFailed',
  'DailyCheckFoundFailures', 'DailyCheckNotSigned', 'CameraClockDrift', 'CameraPictureFault', 'RecordingDiskLow',
  'RecorderProcessStopped', 'VksNotRegistered',
];

interface Panel { id: number; type: string; title: string; description?: string; gridPos: { h: number; w: number; x: number; y: number }; datasource?: unknown; targets?: Array<{ refId: string; expr: string; datasource?: unknown }> }
interface Variable { name: string; type: string; query?: string | { query: string }; datasource?: unknown; multi?: boolean; includeAll?: boolean }
interface Dashboard { uid: string; title: string; tags: string[]; schemaVersion: number; panels: Panel[]; templating: { list: Variable[] } }
interface QueryReply { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Bounded polling of the Prometheus process (real time: it knows nothing of the demo's clock). */
async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function substitute(expr: string): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    const v = VARIABLES[(a ?? b)!];
    if (v === undefined) throw new Error(`no test value for the variable in ${whole} (${expr})`);
    return v;
  });
}

const dashboards = (): Array<{ file: string; d: Dashboard }> => fs.readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json')).sort()
  .map((file) => ({ file, d: JSON.parse(fs.readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard }));

describe('metrics, alerting rules and dashboards on a real Prometheus scraping the demo', function () {
  this.timeout(180_000);
  let rig: DemoRig;
  let prom: ChildProcess | undefined;
  let promLog = '';
  let promUrl = '';
  let dir = '';
  let metricsText = '';
  /**
   * The moment queries are evaluated at: a good scrape's own timestamp. A scrape that fails on a
   * loaded machine marks every series stale from then on; evaluating at a good scrape makes the
   * answers independent of what the next scrapes do.
   */
  let evalAt: string | undefined;

  const query = async (q: string): Promise<QueryReply> => {
    const res = await fetch(`${promUrl}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: q, ...(evalAt ? { time: evalAt } : {}) }), signal: AbortSignal.timeout(15_000) });
    return (await res.json()) as QueryReply;
  };
  const scalar = async (q: string): Promise<number> => {
    const r = await query(q);
    return r.status === 'success' && r.data!.result.length ? Number(r.data!.result[0]!.value[1]) : NaN;
  };
  const scrapes = () => scalar('sum(count_over_time(up{job="hallwatch"}[10m]))');
  const goodScrapes = () => scalar('sum(sum_over_time(up{job="hallwatch"}[10m]))');

  /** Drives the demo's clock in minute steps, letting the VKS service and the incident engine act at each. */
  async function driveTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    while (rig.clock.now() < target) {
      await rig.clock.advance(Math.min(60_000, target - rig.clock.now()));
      await rig.collector.vks.idle();
    }
    await rig.collector.engine.tick();
  }

  before(async () => {
    rig = await startDemoRig({
      collector: {
        policy: {
          ...defaultPolicy,
          // Nothing polls in this test: results must stay fresh across the driven morning (1000 × 20 s).
          rollup: { ...defaultPolicy.rollup, staleAfterIntervals: 1000 },
          dailyCheck: { ...defaultPolicy.dailyCheck, testRecordingSeconds: 2 },
        },
      },
    });
    await rig.probeAll();
    await seedDemoVks(rig.collector.vks);
    await rig.collector.vks.idle();
    // Down halls open incidents after two minutes; an hour later their report is overdue (000 §28).
    await driveTo('2026-11-23T03:30:00Z'); // 08:30 in Almaty: the daily check
    await rig.collector.dailyChecks.tick();
    await seedDemoMorning(rig.collector); // two Almaly halls signed by the chancellery head
    await driveTo('2026-11-23T04:31:00Z'); // past dueBy 09:30: the rest are overdue

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-prom-'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [RULES],
      scrape_configs: [{ job_name: 'hallwatch', static_configs: [{ targets: [new URL(rig.collector.url).host] }] }],
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(config));
    prom = spawn(PROMETHEUS, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (b: Buffer) => (promLog += b.toString()));
    prom.stderr!.on('data', (b: Buffer) => (promLog += b.toString()));
    const exited = new Promise<never>((_, reject) => {
      prom!.once('exit', (code) => reject(new Error(`prometheus exited (${code}):\n${promLog}`)));
      prom!.once('error', (e) => reject(new Error(`prometheus did not start: ${e.message}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([exited, until('Prometheus ready', async () => (await fetch(`${promUrl}/-/ready`)).ok)]);
    await Promise.race([exited, until('two good scrapes', async () => (await goodScrapes()) >= 2)]);
    // A second round of probes between scrapes, so that every rate() has something to measure.
    await rig.probeAll();
    const seen = await scrapes();
    await Promise.race([exited, until('three more scrapes', async () => (await scrapes()) >= seen + 3 && (await goodScrapes()) >= 4)]);
    evalAt = await until('a good scrape to evaluate at', async () => (await query('timestamp(up{job="hallwatch"} == 1)')).data?.result[0]?.value[1]);
    metricsText = await (await fetch(`${rig.collector.url}/metrics`)).text();
  });

  after(async () => {
    if (prom?.pid !== undefined && prom.exitCode === null && prom.signalCode === null) {
      const gone = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      const t = setTimeout(() => prom!.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    }
    await rig?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics passes on the collector\'s /metrics', () => {
    assert.match(metricsText, /^hallwatch_camera_picture_fault\{[^}]*device="bostandyk-district-h2-cam1"[^}]*fault="black"\} 1$/m);
    assert.match(metricsText, /^hallwatch_device_clock_drift_seconds\{[^}]*device="almaty-city-h3-cam1"[^}]*\} 20$/m);
    assert.match(metricsText, /^hallwatch_vks_registered\{[^}]*device="bostandyk-district-h1-vks"[^}]*\} 0$/m);
    assert.match(metricsText, /^hallwatch_incident_steps_overdue\{step="report-department"\} [1-9]/m, 'overdue against the collector\'s clock');
    assert.match(metricsText, /^hallwatch_daily_check_halls\{region="almaty",court="almaly-district",state="signed_on_time"\} 2$/m);
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
    assert.equal(r.status, 0, `promtool check metrics:\n${r.stdout}${r.stderr}`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
  });

  it('promtool checks the rules and runs their unit tests', () => {
    const check = spawnSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool check rules:\n${check.stdout}${check.stderr}`);
    const unit = spawnSync(PROMTOOL, ['test', 'rules', path.basename(RULES_TEST)], { cwd: path.dirname(RULES_TEST), encoding: 'utf8' });
    assert.equal(unit.status, 0, `promtool test rules:\n${unit.stdout}${unit.stderr}`);
  });

  it('device metric declarations are sound, and a figure the last probe did not give has no series', async () => {
    assert.deepEqual(deviceMetricProblems(builtinDrivers), []);
    // A declaration by message key follows the driver's keys: one renamed in the catalog must be renamed here.
    const keys = builtinDrivers.flatMap((d) => (d.metrics ?? []).flatMap((m) => (m.from === 'message' ? Object.keys(m.values) : m.from === 'state' ? Object.keys(m.states) : [])));
    assert.ok(keys.length >= 15);
    assert.deepEqual(keys.filter((k) => !hasMessage(k)), []);
    assert.deepEqual(deviceMetricProblems([{ ...builtinDrivers[0]!, metrics: [{ name: 'hallwatch_x_total', help: 'h', check: 'nope', from: 'value', key: 'k' }] }]).length, 2);
    const table = new SeriesTable();
    const dm = registerDeviceMetrics(table, rig.demo.inventory, defaultRegistry);
    const at = new Date(rig.clock.now()).toISOString();
    const result = (check: string, messageKey: string, values?: Record<string, number>): CheckResult => ({ check, status: 'ok', message: '', messageKey, observedAt: at, durationMs: 1, values });
    const pc = 'astana-city-h1-pc';
    const cam = 'esil-district-h3-cam1';
    dm.update(pc, [result('archive-volume', 'snmp.archive.ok', { free_bytes: 5e12, size_bytes: 8e12, free_percent: 62.5 }), result('cpu-load', 'snmp.cpu.ok', { load_percent: 37 })]);
    dm.update(cam, [result('snapshot', 'onvif.snapshot.frozen', { brightness: 50 })]);
    let text = table.render();
    assert.match(text, /^hallwatch_archive_volume_free_bytes\{[^}]*device="astana-city-h1-pc"[^}]*\} 5000000000000$/m);
    assert.match(text, /^hallwatch_host_cpu_load_ratio\{[^}]*device="astana-city-h1-pc"[^}]*\} 0\.37$/m);
    assert.match(text, /^hallwatch_camera_picture_fault\{[^}]*fault="frozen"\} 1$/m);
    assert.match(text, /^hallwatch_camera_picture_fault\{[^}]*fault="black"\} 0$/m);
    assert.match(text, /^hallwatch_camera_picture_brightness_ratio\{[^}]*\} 0\.5$/m);
    // The next probe answers no archive and cannot fetch the picture: those series go.
    dm.update(pc, [result('cpu-load', 'snmp.cpu.ok', { load_percent: 12 })]);
    dm.update(cam, [result('snapshot', 'onvif.snapshot.timeout')]);
    text = table.render();
    assert.doesNotMatch(text, /^hallwatch_archive_volume_free_bytes\{/m);
    assert.doesNotMatch(text, /^hallwatch_camera_picture_fault\{/m);
    assert.match(text, /^hallwatch_host_cpu_load_ratio\{[^}]*\} 0\.12$/m);
  });

  it('docs/METRICS.md lists every metric the collector exposes', () => {
    const doc = fs.readFileSync(METRICS_DOC, 'utf8');
    const names = [...new Set([...metricsText.matchAll(/^# TYPE (hallwatch_\w+) /gm)].map((m) => m[1]!))].filter((n) => !n.startsWith('hallwatch_process_'));
    assert.ok(names.length >= 40, `only ${names.length} metric families`);
    const missing = names.filter((n) => !doc.includes(`\`${n}\``));
    assert.deepEqual(missing, [], 'metrics missing from docs/METRICS.md');
    // And every declared device metric, whether or not the demo has a device that reports it.
    const declared = builtinDrivers.flatMap((d) => (d.metrics ?? []).map((m) => m.name)).filter((n) => !doc.includes(`\`${n}\``));
    assert.deepEqual(declared, []);
  });

  it('the rules are loaded and healthy in Prometheus', async () => {
    const expected = (YAML.parse(fs.readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    const res = await until('every rule evaluated', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }> }> } };
      const rules = body.data.groups.flatMap((g) => g.rules);
      return rules.length === expected.length && rules.every((r) => !r.lastEvaluation.startsWith('0001')) ? rules : undefined;
    });
    assert.deepEqual(res.map((r) => r.name).sort(), [...expected].sort());
    const unhealthy = res.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    assert.deepEqual(unhealthy, []);
  });

  it('every rule expression parses and watches data the demo has; the demo\'s faults raise their alerts', async () => {
    const groups = (YAML.parse(fs.readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups;
    const problems: string[] = [];
    for (const r of groups.flatMap((g) => g.rules)) {
      // Every rule is "<measure> <comparison> <number>": the measure must have series, whether or not it fires.
      const m = /^([\s\S]+?)\s*(==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(r.expr.trim());
      if (!m) {
        problems.push(`${r.alert}: not "<measure> <comparison> <number>": ${r.expr}`);
        continue;
      }
      const whole = await query(r.expr);
      if (whole.status !== 'success') problems.push(`${r.alert}: ${whole.error}`);
      const measure = await query(m[1]!);
      if (measure.status !== 'success') problems.push(`${r.alert} (measure): ${measure.error}`);
      else if (!measure.data!.result.length) problems.push(`${r.alert}: its measure returns no series: ${m[1]}`);
      if (FIRING_IN_DEMO.includes(r.alert) && whole.status === 'success' && !whole.data!.result.length) problems.push(`${r.alert}: should match the demo's faults, returns nothing`);
    }
    assert.deepEqual(problems, []);
    const alerts = await until('the demo\'s alerts pending or firing', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ labels: Record<string, string>; state: string }> } };
      const names = new Set(body.data.alerts.map((a) => a.labels.alertname!));
      return FIRING_IN_DEMO.every((n) => names.has(n)) ? body.data.alerts : undefined;
    }, 15_000);
    const black = alerts.find((a) => a.labels.alertname === 'CameraPictureFault' && a.labels.fault === 'black');
    assert.equal(black?.labels.device, 'bostandyk-district-h2-cam1');
    assert.ok(alerts.some((a) => a.labels.alertname === 'RecordingDiskLow' && a.labels.device === 'astana-city-h2-pc'));
  });

  it('dashboards: Grafana structure, the datasource variable on every panel and target, no overlapping panels', () => {
    const list = dashboards();
    assert.deepEqual(list.map((x) => x.file), ['cameras.json', 'collector.json', 'daily-check.json', 'fleet.json', 'hall.json', 'recording-pcs.json', 'vks.json']);
    assert.equal(new Set(list.map((x) => x.d.uid)).size, list.length, 'unique uids');
    const problems: string[] = [];
    for (const { file, d } of list) {
      const at = (what: string) => problems.push(`${file}: ${what}`);
      if (!d.uid || !d.title || !d.tags?.includes('hallwatch') || typeof d.schemaVersion !== 'number') at('uid, title, tag hallwatch, schemaVersion');
      const vars = d.templating.list;
      const ds = vars[0];
      if (ds?.name !== 'datasource' || ds.type !== 'datasource' || ds.query !== 'prometheus') at('first variable must be the datasource (type datasource, query prometheus)');
      for (const v of vars.slice(1)) {
        if (v.type !== 'query' || JSON.stringify(v.datasource) !== JSON.stringify(DS)) at(`variable ${v.name}: a query on \${datasource}`);
      }
      const names = new Set(vars.map((v) => v.name));
      const ids = new Set<number>();
      const boxes: Array<Panel['gridPos'] & { title: string }> = [];
      for (const p of d.panels) {
        const where = `panel ${p.id} "${p.title}"`;
        if (!Number.isInteger(p.id) || ids.has(p.id)) at(`${where}: id missing or repeated`);
        ids.add(p.id);
        if (!p.title || !p.description) at(`${where}: title and description (the question it answers)`);
        const g = p.gridPos;
        if (![g?.h, g?.w, g?.x, g?.y].every((n) => Number.isInteger(n) && n >= 0) || g.w < 1 || g.h < 1 || g.x + g.w > 24) at(`${where}: gridPos`);
        for (const b of boxes) {
          if (g.x < b.x + b.w && b.x < g.x + g.w && g.y < b.y + b.h && b.y < g.y + g.h) at(`${where}: overlaps "${b.title}"`);
        }
        boxes.push({ ...g, title: p.title });
        if (JSON.stringify(p.datasource) !== JSON.stringify(DS)) at(`${where}: datasource must be \${datasource}`);
        if (!p.targets?.length) at(`${where}: no targets`);
        const refs = new Set<string>();
        for (const t of p.targets ?? []) {
          if (JSON.stringify(t.datasource) !== JSON.stringify(DS)) at(`${where} target ${t.refId}: datasource must be \${datasource}`);
          if (!t.refId || refs.has(t.refId)) at(`${where}: refId missing or repeated`);
          refs.add(t.refId);
          if (!t.expr?.trim()) at(`${where} target ${t.refId}: no expr`);
          for (const m of t.expr.matchAll(/\$\{?(\w+)/g)) if (!names.has(m[1]!) && !m[1]!.startsWith('__')) at(`${where}: $${m[1]} is not a variable of the dashboard`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every dashboard variable query and panel query parses and returns series', async () => {
    const problems: string[] = [];
    let n = 0;
    for (const { file, d } of dashboards()) {
      for (const v of d.templating.list.filter((x) => x.type === 'query')) {
        const q = substitute(typeof v.query === 'string' ? v.query : v.query!.query);
        const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q);
        if (!m) {
          problems.push(`${file} variable ${v.name}: only label_values(selector, label) is used: ${q}`);
          continue;
        }
        const r = await query(`count by (${m[2]}) (${m[1]})`);
        n++;
        const values = r.data?.result.map((x) => x.metric[m[2]!]).filter(Boolean) ?? [];
        if (r.status !== 'success') problems.push(`${file} variable ${v.name}: ${r.error}`);
        else if (!values.length) problems.push(`${file} variable ${v.name}: no values for ${q}`);
        else if (VARIABLES[v.name] && !VARIABLES[v.name]!.includes('*') && !values.includes(VARIABLES[v.name]!)) problems.push(`${file} variable ${v.name}: ${VARIABLES[v.name]} is not among ${values.join(', ')}`);
      }
      for (const p of d.panels) {
        for (const t of p.targets ?? []) {
          const q = substitute(t.expr);
          const r = await query(q);
          n++;
          if (r.status !== 'success') problems.push(`${file} "${p.title}" ${t.refId}: ${r.error}: ${q}`);
          else if (!r.data!.result.length) problems.push(`${file} "${p.title}" ${t.refId}: no series: ${q}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(n > 90, `${n} queries`);
  });

  it('docs/METRICS.md says which question each dashboard panel answers', () => {
    const lines = fs.readFileSync(METRICS_DOC, 'utf8').split('\n');
    const missing: string[] = [];
    for (const { file, d } of dashboards()) {
      const name = file.replace(/\.json$/, '');
      for (const p of d.panels) {
        // The panel's description is "Who: the question"; the table row says the same.
        const [who, question] = (p.description ?? '').split(/: (.*)/s);
        if (!lines.includes(`| ${name} | ${p.title} | ${who} | ${question} |`)) missing.push(`${name}: ${p.title}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('a camera that stops answering keeps only what its last probe said', async () => {
    const cam = 'esil-district-h3-cam1';
    const sim = rig.demo.simulators.get(cam)!;
    const series = async () => (await (await fetch(`${rig.collector.url}/metrics`)).text()).split('\n').filter((l) => l.includes(`device="${cam}"`) && !l.startsWith('hallwatch_probe_'));
    const before = await series();
    assert.ok(before.some((l) => l.startsWith('hallwatch_check_status{') && l.includes('check="snapshot"')));
    assert.ok(before.some((l) => l.startsWith('hallwatch_device_clock_drift_seconds{')));
    await sim.setFault('offline');
    try {
      await rig.collector.scheduler.probeNow(cam);
      const after = await series();
      assert.deepEqual(after.map((l) => l.replace(/\{.*check="([^"]+)".*\}/, ' $1')), ['hallwatch_check_status onvif-connect 2']);
    } finally {
      await sim.setFault('none');
    }
  });

  // Last: the restarted collector listens on another port, out of this Prometheus's sight.
  it('a restarted collector exposes the stored latest measurements before any new probe', async () => {
    await rig.restart();
    const text = await (await fetch(`${rig.collector.url}/metrics`)).text();
    assert.match(text, /^hallwatch_device_clock_drift_seconds\{[^}]*device="almaty-city-h3-cam1"[^}]*\} 20$/m);
    assert.match(text, /^hallwatch_camera_picture_fault\{[^}]*device="bostandyk-district-h2-cam1"[^}]*fault="black"\} 1$/m);
    assert.match(text, /^hallwatch_check_status\{[^}]*device="almaly-district-h3-mic3"[^}]*\} 2$/m);
    assert.match(text, /^hallwatch_probes_total\{driver="onvif-camera",outcome="ok"\} 0$/m, 'counters start again at zero');
  });
});
