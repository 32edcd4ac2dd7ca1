/**
 * Wiring: inventory + policy → store → monitor → scheduler → API, metrics and WebSocket.
 * Everything the collector does at run time hangs off the object this returns, so tests and
 * the demo start exactly what production starts.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { DriverRegistry } from '../device-drivers/registry';
import { defaultRegistry } from '../device-drivers/registry';
import { ActService } from '../alerts/acts/act-service';
import { loadCalendar } from '../alerts/calendar/working-calendar';
import { IncidentEngine } from '../alerts/incidents/engine';
import { consoleSender, emailSender, webhookSender, type EmailConfig, type WebhookConfig } from '../alerts/notify/channels';
import { OutboxWorker } from '../alerts/notify/outbox';
import { authenticate, parseCookies, sessionRoutes } from './api/auth-http';
import { commandRoutes } from './api/command-routes';
import { recorderRoutes } from './api/recorder-routes';
import { vksRoutes } from './api/vks-routes';
import { vksHearingsToday } from './vks/feed';
import { startVks, type VksService } from './vks/service';
import { dailyCheckRoutes } from './api/daily-check-routes';
import { DailyCheckService } from './daily-check/service';
import { PortalPublisher, portalSender, type PortalConfig } from './portal/publisher';
import { portalRoutes } from './portal/routes';
import { incidentRoutes } from './api/incident-routes';
import { apiRoutes } from './api/routes';
import { defaultAuthConfig, type AuthConfig } from './auth/auth-config';
import { AuthService } from './auth/auth-service';
import { LdapAuthenticator } from './auth/ldap';
import { SESSION_COOKIE } from './auth/sessions';
import { ApiError, errorHandler } from './api/errors';
import { LiveHub } from './api/live';
import { LevelRelay } from './api/level-stream';
import { formatProblems, type Inventory } from './config/inventory';
import { defaultPolicy, resolveDriverPolicies, type Policy } from './config/policy';
import { SystemClock, type Clock, type TimerHandle } from './core/clock';
import { EventBus } from './core/events';
import { createLogger, type Logger } from './core/logger';
import { createMetrics, registerIncidentMetrics, type Metrics } from './metrics/metrics';
import { registerDailyCheckMetrics } from './metrics/daily-check-metrics';
import { registerVksMetrics } from './metrics/vks-metrics';
import { Scheduler } from './scheduler/scheduler';
import { Monitor } from './service/monitor';
import { Db } from './store/db';
import { migrate } from './store/migrations';
import { EvidenceStore } from './store/evidence-store';
import { ResultStore } from './store/results-store';

export interface CollectorOptions {
  inventory: Inventory;
  policy?: Policy;
  /** SQLite file, or ':memory:'. */
  dbFile: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clock?: Clock;
  log?: Logger;
  registry?: DriverRegistry;
  /** Start polling devices (tests may drive probes by hand). Default true. */
  schedule?: boolean;
  /** Where the built console is (default: dist/console-ui/public). */
  consoleDir?: string;
  /** Sign-in configuration (LDAP, sessions, throttling); defaults: local accounts only. */
  auth?: AuthConfig;
  /** The LDAP service account's password, resolved from auth.ldap.bindPassword. */
  ldapBindPassword?: string;
  /** Working-day calendar YAML (default: alerts/calendar/kz.yaml); PUT /api/calendar writes it. */
  calendarFile?: string;
  /** Where notices go besides the console. */
  notify?: NotifyConfig;
}

export interface NotifyConfig {
  email?: EmailConfig;
  webhooks?: WebhookConfig[];
  /** The console's address as people reach it, for links in notices. */
  publicUrl?: string;
  /** The internal portal's endpoint for pushed hall states (000 §4). */
  portal?: PortalConfig;
  /** Outbox retry back-off (tests shorten it). */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
}

export interface Collector {
  url: string;
  port: number;
  inventory: Inventory;
  db: Db;
  store: ResultStore;
  evidence: EvidenceStore;
  auth: AuthService;
  engine: IncidentEngine;
  dailyChecks: DailyCheckService;
  vks: VksService;
  outbox: OutboxWorker;
  acts: ActService;
  monitor: Monitor;
  scheduler: Scheduler;
  bus: EventBus;
  metrics: Metrics;
  live: LiveHub;
  clock: Clock;
  stop(): Promise<void>;
}

export async function startCollector(opts: CollectorOptions): Promise<Collector> {
  const clock = opts.clock ?? new SystemClock();
  const log = opts.log ?? createLogger();
  const policy = opts.policy ?? defaultPolicy;
  const registry = opts.registry ?? defaultRegistry;
  const inv = opts.inventory;
  const isoNow = () => new Date(clock.now()).toISOString();

  const db = await Db.open(opts.dbFile);
  const applied = await migrate(db, isoNow);
  if (applied.length) log.info('database migrated', { file: opts.dbFile, applied });
  const store = new ResultStore(db, { historySampleMs: policy.retention.historySampleMinutes * 60_000 });
  const evidence = new EvidenceStore(db, clock);
  const driverPolicies = resolveDriverPolicies(policy, registry);
  if (!driverPolicies.ok) throw new Error(`policy: ${formatProblems(driverPolicies.problems)}`);
  const bus = new EventBus();
  const monitor = new Monitor(inv, policy, store, bus, clock, log);
  const authConfig = opts.auth ?? defaultAuthConfig;
  const ldap = authConfig.ldap ? new LdapAuthenticator(authConfig.ldap, opts.ldapBindPassword ?? '') : undefined;
  const auth = new AuthService(db, inv, clock, log, authConfig, ldap);
  let scheduler: Scheduler | undefined;
  const metrics = createMetrics(inv, bus, () => scheduler, store, registry);
  await monitor.init();
  metrics.seedHalls(monitor.hallStatus.values());
  metrics.seedDevices(monitor.latest);

  scheduler = new Scheduler({
    clock, registry, log,
    firstProbeWithinMs: policy.scheduler.firstProbeWithinSeconds * 1000,
    firstProbesPerSecond: policy.scheduler.firstProbesPerSecond,
    previous: (id) => monitor.latest.get(id),
    driverPolicy: (kind) => driverPolicies.policies.get(kind),
    evidence,
    onResult: async (d, run) => {
      await monitor.onProbe(inv.device.get(d.id)!, run);
    },
    observer: metrics.observer,
  });
  scheduler.setDevices(inv.devices, (id) => monitor.latest.has(id));

  // Incidents: the calendar, the outbox and its channels, the engine (000 §27–§29).
  const calendarFile = opts.calendarFile ?? path.resolve(__dirname, '../../alerts/calendar/kz.yaml');
  const cal = loadCalendar({ file: calendarFile });
  if (!cal.ok) throw new Error(`calendar ${calendarFile}: ${formatProblems(cal.problems)}`);
  let calendar = cal.calendar;
  const notify = opts.notify ?? {};
  const outbox = new OutboxWorker({
    db, clock, log, ...notify.retry,
    senders: {
      console: consoleSender(db, clock, (login, notificationId) => bus.emit('notification', { login, notificationId })),
      ...(notify.email ? { email: emailSender(notify.email) } : {}),
      ...(notify.webhooks?.length ? { webhook: webhookSender(notify.webhooks) } : {}),
      ...(notify.portal ? { portal: portalSender(notify.portal) } : {}),
    },
  });
  const engine = new IncidentEngine({
    db, inv, policy: policy.incidents, clock, log, bus, outbox,
    get calendar() {
      return calendar;
    },
    hallStatus: (id) => monitor.hallStatus.get(id),
    latestResults: (id) => monitor.latest.get(id),
    channels: { email: !!notify.email, webhooks: (notify.webhooks ?? []).map((w) => w.url) },
    publicUrl: notify.publicUrl,
  });
  await engine.init();
  const vks = await startVks({ db, inv, clock, log, registry, engine, calendar: () => calendar, driverPolicy: driverPolicies.policies.get('vks-endpoint'), hallStatus: (id) => monitor.hallStatus.get(id) });
  registerIncidentMetrics(metrics.registry, db, {
    inv, now: () => clock.now(), steps: policy.incidents.steps.map((s) => s.key),
    channels: ['console', ...(notify.email ? ['email'] : []), ...(notify.webhooks?.length ? ['webhook'] : []), ...(notify.portal ? ['portal'] : [])],
  });
  registerVksMetrics(metrics.registry, { db, inv, now: () => clock.now() });
  registerDailyCheckMetrics(metrics.registry, { db, inv, policy: policy.dailyCheck, calendar: () => calendar, now: () => clock.now() });
  const dailyChecks = new DailyCheckService({
    db, inv, policy: policy.dailyCheck, calendar: () => calendar, clock, log, scheduler, monitor, registry, engine, outbox,
  });
  const portal = notify.portal ? new PortalPublisher({ db, inv, bus, clock, log, outbox, url: notify.portal.url }) : undefined;
  const acts = new ActService(db, clock, (incidentId) => void engine.get(incidentId).then((i) => i && bus.emit('incident', { incidentId, hallId: i.hallId, courtId: i.courtId, state: i.state })));

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '256kb' }));
  app.get('/healthz', async (_req, res) => {
    let dbOk = true;
    try {
      await db.get('SELECT 1');
    } catch {
      dbOk = false;
    }
    res.status(dbOk ? 200 : 503).json({
      status: dbOk ? 'ok' : 'degraded', db: dbOk ? 'ok' : 'error', time: isoNow(),
      devices: inv.devices.length, halls: inv.halls.length, probesStarted: scheduler!.probesStarted,
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.exposition());
  });
  app.use('/api', authenticate(auth), sessionRoutes(auth),
    incidentRoutes({
      db, inv, engine, acts, evidence, clock,
      calendar: {
        get: () => calendar,
        set: async (c, text) => {
          const tmp = `${calendarFile}.tmp-${process.pid}`;
          await fs.promises.writeFile(tmp, text);
          await fs.promises.rename(tmp, calendarFile);
          calendar = c;
        },
      },
    }),
    commandRoutes({ db, inv, registry, clock, log }),
    recorderRoutes({ inv }),
    vksRoutes(vks),
    dailyCheckRoutes({ db, inv, checks: dailyChecks, policy: policy.dailyCheck, calendar: () => calendar, clock, monitor, engine }),
    apiRoutes({ db, auth, monitor, scheduler, store, evidence, clock }));
  const consoleDir = opts.consoleDir ?? path.resolve(__dirname, '../console-ui/public');
  app.use('/portal', portalRoutes({
    inv, monitor, auth, clock, bus,
    hearingsToday: () => vksHearingsToday(db, undefined, clock.now(), { vksStatus: (id) => monitor.hallStatus.get(id)?.vks }),
  }));
  app.use(express.static(consoleDir, { index: 'index.html', maxAge: 0 }));
  app.use((req) => {
    throw new ApiError(404, 'not_found', `nothing at ${req.method} ${req.path}`, 'path');
  });
  app.use(errorHandler(log));

  const server = http.createServer(app);
  // A console that opens a connection and sends nothing must not hold a socket forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  const live = new LiveHub(server, bus, clock, log,
    (req) => auth.identify(parseCookies(req.headers.cookie)[SESSION_COOKIE], undefined),
    (hallId) => inv.hall.get(hallId)?.courtId,
    // Live levels of the halls' recorders, read once per recorder however many consoles watch.
    new LevelRelay({ inv, clock, log: log.child({ component: 'levels' }) }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // Results age and maintenance windows open and close without any probe: re-roll periodically.
  let housekeeping: TimerHandle | undefined;
  let lastPrune = 0;
  const keepHouse = () => {
    housekeeping = clock.setTimer(15_000, async () => {
      try {
        await monitor.refreshMaintenance();
        await monitor.reevaluateAll();
        if (clock.now() - lastPrune > 3_600_000) {
          lastPrune = clock.now();
          const cutoff = new Date(clock.now() - policy.retention.historyDays * 86_400_000).toISOString();
          const n = await store.prune(cutoff, 5000, new Date(clock.now() - Math.max(policy.retention.changesDays, policy.retention.historyDays) * 86_400_000).toISOString());
          if (n) log.info('history pruned', { rows: n, before: cutoff });
          await auth.sessions.prune();
          const o = await outbox.prune(cutoff);
          if (o) log.info('outbox pruned', { notices: o });
          const e = await evidence.prune(new Date(clock.now() - policy.retention.evidenceDays * 86_400_000).toISOString());
          if (e) log.info('evidence pruned', { items: e });
        }
      } catch (e) {
        log.error('housekeeping failed', { error: (e as Error).message });
      }
      keepHouse();
    });
  };
  keepHouse();
  outbox.start();
  engine.start();
  dailyChecks.start();
  await portal?.start(monitor.hallStatus.values());
  if (opts.schedule !== false) scheduler.start();
  log.info('collector started', { url, devices: inv.devices.length, halls: inv.halls.length, db: opts.dbFile });

  let stopped = false;
  return {
    url, port, inventory: inv, db, store, evidence, auth, engine, dailyChecks, vks, outbox, acts, monitor, scheduler, bus, metrics, live, clock,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (housekeeping) clock.clearTimer(housekeeping);
      live.close();
      dailyChecks.halt();
      await engine.stop();
      portal?.stop();
      outbox.stop();
      vks.stop();
      // Stopping the scheduler cancels probes in flight, which ends a daily-check run waiting on them.
      await scheduler!.stop();
      await dailyChecks.stop();
      for (const d of registry.values()) await Promise.resolve(d.close?.()).catch((e) => log.warn('driver close failed', { driver: d.kind, error: String(e) }));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}
