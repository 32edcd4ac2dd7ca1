/** The `hallwatch` command line. Exit codes: 0 ok, 1 checks failed, 2 usage or configuration error. */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { defaultRegistry } from '../../device-drivers/registry';
import { startCollector } from '../app';
import { loadAuthConfig } from '../auth/auth-config';
import { formatProblems, loadInventoryFile, type Inventory } from '../config/inventory';
import { loadPolicy } from '../config/policy';
import { SystemClock } from '../core/clock';
import { createLogger } from '../core/logger';
import { startDemoRegion, type DemoRegion } from '../demo/demo-region';
import { demoPolicy } from '../demo/demo-policy';
import { DEMO_USERS, seedDemoUsers } from '../demo/demo-users';
import { seedDemoVks } from '../vks/demo-seed';
import { seedDemoMorning } from '../demo/demo-daily';
import { loadNotifyConfig } from '../config/notify-config';
import { registerAdminCommands } from './admin-commands';
import { registerRecorderCommands } from '../../device-drivers/recorder/agent/cli';
import { probeCommand } from './probe-command';
import { discoverCommand } from '../../device-drivers/onvif-camera/discovery';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  untilSignal: () => Promise<string>;
  /** Standard input, read whole (passwords and secrets piped in). */
  readStdin?: () => Promise<string>;
}

async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('(type the value, then Enter and Ctrl-D)\n');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  env: process.env,
  untilSignal: () => new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  }),
});

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code = 0;
  const program = new Command('hallwatch')
    .description('Monitoring console for court hearing-hall audio/video recording (AVF) and videoconference (VKS) equipment')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  program.command('start')
    .description('start the collector, API and console; with no inventory, a simulated demo region on loopback')
    .addOption(new Option('-i, --inventory <file>', 'inventory YAML (regions, courts, halls, devices)').env('HALLWATCH_INVENTORY'))
    .addOption(new Option('--policy <file>', 'policy YAML overriding the regulation defaults').env('HALLWATCH_POLICY'))
    .addOption(new Option('--db <file>', 'SQLite database file').env('HALLWATCH_DB').default('data/hallwatch.db'))
    .addOption(new Option('--auth <file>', 'sign-in configuration YAML: LDAP / Active Directory, session and lockout limits').env('HALLWATCH_AUTH'))
    .addOption(new Option('--notify <file>', 'notices YAML: SMTP server and webhooks (the console always gets them)').env('HALLWATCH_NOTIFY'))
    .addOption(new Option('--calendar <file>', 'working-day calendar YAML (default: alerts/calendar/kz.yaml)').env('HALLWATCH_CALENDAR'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HALLWATCH_HOST').default('127.0.0.1'))
    .addOption(new Option('-p, --port <port>', 'port to listen on (0: any free port)').env('HALLWATCH_PORT').default('8080'))
    .addOption(new Option('--demo-interval <seconds>', 'probe interval of the demo devices').default('20'))
    .action(async (o: StartOptions) => {
      code = await startCommand(o, io);
    });

  program.command('probe')
    .description('probe one device now and print its checks (exit 0 all pass, 1 some fail, 2 usage error)')
    .requiredOption('-d, --driver <kind>', `driver kind: ${[...defaultRegistry.keys()].join(', ')}`)
    .requiredOption('-a, --address <host:port>', 'device address')
    .option('-u, --username <name>', 'user name for the device')
    .option('--password-env <VAR>', 'environment variable holding the password (never pass a password on the command line)')
    .option('-o, --option <key=value...>', 'driver option, repeatable (e.g. path=/status, json.field=alive, json.equals=true)')
    .option('--options-json <json>', 'driver options as one JSON object')
    .option('-t, --timeout <seconds>', 'hard deadline for the probe')
    .option('--json', 'print the results as JSON')
    .option('--lang <lang>', 'language of the messages: en, ru or kk', 'en')
    .action(async (o) => {
      code = await probeCommand(o, io);
    });

  program.command('discover')
    .description('find ONVIF cameras with a WS-Discovery probe; with --inventory, mark those the inventory lacks (exit 0 all known, 1 none answered or some missing, 2 usage error)')
    .option('--interface <if>', 'network interface (name or IPv4 address) to send the multicast probe from')
    .option('-t, --timeout <seconds>', 'how long to wait for answers', '3')
    .option('-i, --inventory <file>', 'inventory YAML: mark answering devices it does not list, and list its cameras that did not answer')
    .option('--target <host:port>', 'send the probe to this address instead of the multicast group 239.255.255.250:3702 (unicast; a camera on another subnet)')
    .option('--json', 'print the devices as JSON')
    .action(async (o: { interface?: string; timeout?: string; inventory?: string; target?: string; json?: boolean }) => {
      code = await discoverCommand(o, io, defaultRegistry);
    });

  const bench = program.command('bench').description('benchmarks (docs/BENCHMARKS.md)');
  bench.command('fleet')
    .description('a national fleet of simulators on loopback and the real collector against it: CPU, memory, lag, fault to console, portal feed; exit 1 if a budget is missed')
    .option('--halls <n>', 'halls (2,500 is the whole country)', '2500')
    .option('--interval <seconds>', 'probe interval of every device', '60')
    .option('--intervals <n>', 'intervals measured after the warm-up', '3')
    .option('--workers <n>', 'simulator processes', '3')
    .option('--faults <n>', 'faults injected during the measurement', '20')
    .option('--keep', 'keep the working directory (inventory, database)')
    .option('--json', 'print the report as JSON')
    .action(async (o: Record<string, string | boolean>) => {
      // Loaded only here: the benchmark is not part of a production start.
      const { fleetMain } = await import('../../bench/fleet/main');
      const argv = Object.entries(o).flatMap(([k, v]) => (v === true ? [`--${k}`] : v === false ? [] : [`--${k}`, String(v)]));
      code = await fleetMain(argv);
    });
  const inventory = program.command('inventory').description('work with inventory files');
  inventory.command('check')
    .description('validate an inventory file; exit 0 if valid, 2 printing every problem with its path')
    .argument('<file>', 'inventory YAML')
    .action((file: string) => {
      const r = loadInventoryFile(file, { registry: defaultRegistry, env: io.env });
      if (!r.ok) {
        io.err(`${file}: ${r.problems.length} problem(s)`);
        io.err(formatProblems(r.problems));
        code = 2;
        return;
      }
      const inv = r.inventory;
      for (const w of r.warnings) io.err(`warning: ${w.path}: ${w.message}`);
      io.out(`${file}: valid — ${inv.regions.length} region(s), ${inv.courts.length} court(s), ${inv.halls.length} hall(s), ${inv.devices.length} device(s)`);
    });

  registerAdminCommands(program, { ...io, readStdin: io.readStdin ?? readAllStdin }, (c) => (code = c));
  registerRecorderCommands(program, io, (c) => (code = c));

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    throw e;
  }
  return code;
}

interface StartOptions {
  inventory?: string;
  policy?: string;
  auth?: string;
  notify?: string;
  calendar?: string;
  db: string;
  host: string;
  port: string;
  demoInterval: string;
}

async function startCommand(o: StartOptions, io: Io): Promise<number> {
  // Own SIGINT/SIGTERM from the first moment: a stop during start-up still stops cleanly.
  const stopSignal = io.untilSignal();
  const log = createLogger();
  const clock = new SystemClock();
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port: expected a port number, got "${o.port}"`);
    return 2;
  }
  const policy = loadPolicy(o.policy, defaultRegistry);
  if (!policy.ok) {
    io.err(`${o.policy ?? 'default policy'}: invalid policy\n${formatProblems(policy.problems)}`);
    return 2;
  }
  const auth = loadAuthConfig(o.auth, io.env);
  if (!auth.ok) {
    io.err(`${o.auth}: invalid sign-in configuration\n${formatProblems(auth.problems)}`);
    return 2;
  }
  const notify = loadNotifyConfig(o.notify, io.env);
  if (!notify.ok) {
    io.err(`${o.notify}: invalid notices configuration\n${formatProblems(notify.problems)}`);
    return 2;
  }
  let inventory: Inventory;
  let demo: DemoRegion | undefined;
  if (o.inventory) {
    const r = loadInventoryFile(o.inventory, { registry: defaultRegistry, env: io.env });
    if (!r.ok) {
      // A bad inventory never starts a half-configured collector.
      io.err(`${o.inventory}: ${r.problems.length} problem(s); not starting`);
      io.err(formatProblems(r.problems));
      return 2;
    }
    inventory = r.inventory;
  } else {
    const interval = Number(o.demoInterval);
    if (!(interval >= 2 && interval <= 3600)) {
      io.err('--demo-interval: expected seconds from 2 to 3600');
      return 2;
    }
    demo = await startDemoRegion({ registry: defaultRegistry, clock, intervalSeconds: interval, timeoutSeconds: Math.min(5, interval / 2), flap: true });
    inventory = demo.inventory;
    log.info('no inventory given: running the simulated demo region', { halls: inventory.halls.length, devices: inventory.devices.length });
  }
  const collector = await startCollector({
    inventory, policy: demo && !o.policy ? demoPolicy(policy.policy) : policy.policy,
    notify: notify.config, calendarFile: o.calendar ? path.resolve(o.calendar) : undefined, dbFile: demo && o.db === 'data/hallwatch.db' ? 'data/demo.db' : path.resolve(o.db),
    host: o.host, port, clock, log, auth: auth.config, ldapBindPassword: auth.ldapBindPassword,
  });
  io.out(`hallwatch is running at ${collector.url}${demo ? ' (demo region)' : ''}`);
  if (demo) {
    const passwords = await seedDemoUsers(collector.auth);
    // Today's VKS hearings: some ready, one whose endpoint fails (and gets its act).
    await seedDemoVks(collector.vks);
    io.out('demo sign-ins (new passwords at every start):');
    for (const u of DEMO_USERS) io.out(`  ${u.role.padEnd(24)} ${u.login.padEnd(18)} ${passwords.get(u.login)}`);
    // The morning's daily checklists (some signed) and a token for the portal feed.
    const morning = await seedDemoMorning(collector);
    io.out(`portal feed: curl -H 'Authorization: Bearer ${morning.portalToken}' ${collector.url}/portal/v1/halls`);
  }
  const signal = await stopSignal;
  log.info('stopping', { signal });
  await collector.stop();
  await demo?.stop();
  return 0;
}
