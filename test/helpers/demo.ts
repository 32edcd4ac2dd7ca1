/** Starts the demo region and a collector over it on port 0, on a FakeClock, for tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollector, type Collector, type CollectorOptions } from '../../collector/app';
import type { AuthConfig } from '../../collector/auth/auth-config';
import { defaultPolicy } from '../../collector/config/policy';
import { FakeClock } from '../../collector/core/clock';
import { createLogger } from '../../collector/core/logger';
import { startDemoRegion, type DemoRegion } from '../../collector/demo/demo-region';
import { seedDemoUsers } from '../../collector/demo/demo-users';
import { defaultRegistry } from '../../device-drivers/registry';
import { ApiClient } from './api-client';

export interface DemoRig {
  demo: DemoRegion;
  collector: Collector;
  clock: FakeClock;
  dir: string;
  logs: string[];
  /** Demo users' passwords (login → password). */
  passwords: Map<string, string>;
  /** An API client signed in as a demo user (default: the administrator). */
  client(login?: string): Promise<ApiClient>;
  /** Probe every device once (the hanging ones time out on the fake clock). */
  probeAll(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoRig(opts: { schedule?: boolean; auth?: AuthConfig; ldapBindPassword?: string; collector?: Partial<CollectorOptions> } = {}): Promise<DemoRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-test-'));
  // Monday 07:00 in Almaty: before the 08:30 daily check, which tests that want it advance to.
  const clock = new FakeClock('2026-11-23T02:00:00Z');
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => logs.push(l), now: () => clock.now() });
  const demo = await startDemoRegion({ registry: defaultRegistry, clock, intervalSeconds: 20, timeoutSeconds: 5 });
  // Latency thresholds judge real time; a loaded test machine is not a slow court network.
  const policy = opts.collector?.policy ?? defaultPolicy;
  const relaxed = { ...policy, drivers: { ...policy.drivers, 'vks-endpoint': { sip: { warnRttMs: 30_000 }, api: { warnResponseMs: 30_000 } }, ...policy.drivers } };
  const start = () => startCollector({ inventory: demo.inventory, dbFile: path.join(dir, 'hw.db'), port: 0, clock, log, schedule: opts.schedule ?? false, auth: opts.auth, ldapBindPassword: opts.ldapBindPassword, ...opts.collector, policy: relaxed });
  const collector = await start();
  const rig: DemoRig = {
    demo, clock, dir, logs, collector,
    passwords: await seedDemoUsers(collector.auth),
    client: (login = 'admin') => ApiClient.signIn(rig.collector.url, login, rig.passwords.get(login)!),
    async probeAll() {
      const hangs = (id: string) => demo.simulators.get(id)?.fault === 'hang';
      const answering = demo.inventory.devices.filter((d) => !hangs(d.id)).map((d) => rig.collector.scheduler.probeNow(d.id));
      const hanging = demo.inventory.devices.filter((d) => hangs(d.id)).map((d) => rig.collector.scheduler.probeNow(d.id));
      // Devices that answer do so over real sockets; the hanging ones need their deadline to pass.
      await Promise.all(answering);
      await clock.advance(5_000);
      await Promise.all(hanging);
    },
    async restart() {
      await rig.collector.stop();
      rig.collector = await start();
    },
    async stop() {
      await rig.collector.stop();
      await demo.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
