/**
 * The demo region: real courts' names, halls with cameras, microphones, a recording PC and
 * sometimes a VKS endpoint — every device a simulator on 127.0.0.1, probed by the real drivers.
 * The inventory it produces goes through the same validation as any inventory file.
 */
import crypto from 'node:crypto';
import type { DriverRegistry } from '../../device-drivers/registry';
import { loadInventoryData, formatProblems, type Inventory } from '../config/inventory';
import type { Clock, TimerHandle } from '../core/clock';
import { CameraWebSimulator } from './simulators/camera-web';
import type { HttpSimulator } from './simulators/http-sim';
import { RecorderAgentSimulator } from './simulators/recorder-agent';
import { VksXapiSimulator } from './simulators/vks-xapi';

interface HallPlan {
  number: string;
  vks?: boolean;
  /** Faults injected at start (device suffix → fault). */
  faults?: Partial<Record<'cam1' | 'cam2' | 'pc' | 'vks', string>>;
  deadMic?: number;
}
interface CourtPlan {
  id: string;
  ru: string;
  kk: string;
  level: 'district' | 'regional';
  halls: HallPlan[];
}
interface RegionPlan {
  id: string;
  ru: string;
  kk: string;
  courts: CourtPlan[];
}

export const DEMO_PLAN: RegionPlan[] = [
  {
    id: 'almaty', ru: 'г. Алматы', kk: 'Алматы қаласы',
    courts: [
      {
        id: 'almaty-city', ru: 'Алматинский городской суд', kk: 'Алматы қалалық соты', level: 'regional',
        halls: [
          { number: '1', vks: true }, { number: '2', faults: { cam2: 'offline' } },
          { number: '3', vks: true }, { number: '4', faults: { pc: 'recorder-stopped' } },
        ],
      },
      {
        id: 'almaly-district', ru: 'Алмалинский районный суд г. Алматы', kk: 'Алматы қаласы Алмалы аудандық соты', level: 'district',
        halls: [
          { number: '1' }, { number: '2', faults: { cam1: 'http-500' } },
          { number: '3', deadMic: 3 }, { number: '4', vks: true },
        ],
      },
      {
        id: 'bostandyk-district', ru: 'Бостандыкский районный суд г. Алматы', kk: 'Алматы қаласы Бостандық аудандық соты', level: 'district',
        halls: [
          { number: '1', vks: true, faults: { vks: 'unregistered' } }, { number: '2' },
          { number: '3' }, { number: '4', faults: { pc: 'hang' } },
        ],
      },
    ],
  },
  {
    id: 'astana', ru: 'г. Астана', kk: 'Астана қаласы',
    courts: [
      {
        id: 'astana-city', ru: 'Астанинский городской суд', kk: 'Астана қалалық соты', level: 'regional',
        halls: [{ number: '1', vks: true }, { number: '2' }],
      },
      {
        id: 'esil-district', ru: 'Есильский районный суд г. Астаны', kk: 'Астана қаласы Есіл аудандық соты', level: 'district',
        halls: [{ number: '1' }, { number: '2', vks: true }, { number: '3' }],
      },
    ],
  },
];

/** Service organizations and their contracts: the technicians' scope. */
export const DEMO_SERVICE_ORGS = [
  { id: 'sudtechservice', name: { ru: 'ТОО «СудТехСервис»', kk: '«СотТехСервис» ЖШС' }, contract: { regions: ['almaty'], courts: [] } },
  { id: 'astana-avf-service', name: { ru: 'ТОО «Астана АВФ Сервис»', kk: '«Астана АБТ Сервис» ЖШС' }, contract: { regions: ['astana'], courts: [] } },
];

export const MICS_PER_HALL = 4;
/** The microphone that comes and goes, so the board shows live changes. */
export const FLAPPING_MIC = { hall: 'almaly-district.1', channel: 2, everyMs: 180_000 };

export interface DemoRegion {
  inventory: Inventory;
  /** Simulators by the device id (several devices may share one, e.g. a recorder agent). */
  simulators: Map<string, HttpSimulator<string>>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  registry: DriverRegistry;
  clock: Clock;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  /** Flap one microphone so the board changes by itself (off in tests). */
  flap?: boolean;
}

export async function startDemoRegion(opts: DemoOptions): Promise<DemoRegion> {
  // Per-run device passwords: the demo exercises the same secret handling as production.
  const secrets = {
    'demo-camera': crypto.randomBytes(9).toString('base64url'),
    'demo-recorder': crypto.randomBytes(9).toString('base64url'),
    'demo-vks': crypto.randomBytes(9).toString('base64url'),
  };
  const simulators = new Map<string, HttpSimulator<string>>();
  const started: HttpSimulator<string>[] = [];
  const start = async <S extends HttpSimulator<string>>(sim: S): Promise<S> => {
    await sim.start();
    started.push(sim);
    return sim;
  };
  const interval = opts.intervalSeconds ?? 20;
  const timeout = opts.timeoutSeconds ?? 5;

  try {
    const regions = [];
    for (const r of DEMO_PLAN) {
      const courts = [];
      for (const c of r.courts) {
        const halls = [];
        for (const h of c.halls) {
          const base = `${c.id}-h${h.number}`;
          const cam1 = await start(new CameraWebSimulator(`${base}-cam1`, { username: 'admin', password: secrets['demo-camera'] }));
          const cam2 = await start(new CameraWebSimulator(`${base}-cam2`, { username: 'admin', password: secrets['demo-camera'] }));
          const agent = await start(new RecorderAgentSimulator(`${base}-pc`, MICS_PER_HALL, { username: 'hallwatch', password: secrets['demo-recorder'] }));
          if (h.deadMic) agent.deadChannels.add(h.deadMic);
          const cameraDevice = (sim: CameraWebSimulator, n: number, critical: boolean) => ({
            id: sim.id, driver: 'http', category: 'camera', address: sim.address, critical,
            name: n === 1 ? { ru: 'Камера судьи', kk: 'Судья камерасы' } : { ru: 'Обзорная камера зала', kk: 'Залға шолу камерасы' },
            credentials: { username: 'admin', password: { secret: 'demo-camera' } },
            options: { path: '/snapshot.jpg' },
          });
          const devices: unknown[] = [
            cameraDevice(cam1, 1, true),
            // The overview camera is a second angle: losing it degrades the hall, recording goes on.
            cameraDevice(cam2, 2, false),
            {
              id: `${base}-pc`, driver: 'http', category: 'recording-pc', address: agent.address,
              name: { ru: 'ПК записи секретаря', kk: 'Хатшының жазу компьютері' },
              credentials: { username: 'hallwatch', password: { secret: 'demo-recorder' } },
              options: { path: '/api/status', json: { field: 'recorderProcess', equals: 'running' } },
            },
          ];
          simulators.set(cam1.id, cam1);
          simulators.set(cam2.id, cam2);
          simulators.set(`${base}-pc`, agent);
          for (let ch = 1; ch <= MICS_PER_HALL; ch++) {
            const id = `${base}-mic${ch}`;
            simulators.set(id, agent);
            devices.push({
              id, driver: 'http', category: 'microphone', address: agent.address,
              name: { ru: `Микрофон, канал ${ch}`, kk: `Микрофон, ${ch}-арна` },
              credentials: { username: 'hallwatch', password: { secret: 'demo-recorder' } },
              options: { path: `/api/levels/${ch}`, json: { field: 'alive', equals: true } },
            });
          }
          if (h.vks) {
            const vks = await start(new VksXapiSimulator(`${base}-vks`, { username: 'admin', password: secrets['demo-vks'] }));
            simulators.set(vks.id, vks);
            devices.push({
              id: vks.id, driver: 'http', category: 'vks-endpoint', address: vks.address,
              name: { ru: 'Терминал ВКС', kk: 'БКБ терминалы' },
              credentials: { username: 'admin', password: { secret: 'demo-vks' } },
              options: { path: '/getxml?location=/Status/SIP/Registration', bodyContains: '<Status>Registered</Status>' },
            });
          }
          for (const [suffix, fault] of Object.entries(h.faults ?? {})) await simulators.get(`${base}-${suffix}`)!.setFault(fault);
          halls.push({ number: h.number, avf: true, vks: !!h.vks, devices });
        }
        courts.push({ id: c.id, name: { ru: c.ru, kk: c.kk }, level: c.level, halls });
      }
      regions.push({ id: r.id, name: { ru: r.ru, kk: r.kk }, courts });
    }

    const loaded = loadInventoryData(
      { version: 1, defaults: { intervalSeconds: interval, timeoutSeconds: timeout }, regions, serviceOrganizations: DEMO_SERVICE_ORGS },
      { registry: opts.registry, secrets },
    );
    if (!loaded.ok) throw new Error(`demo inventory is invalid:\n${formatProblems(loaded.problems)}`);

    let flapTimer: TimerHandle | undefined;
    if (opts.flap) {
      const agent = simulators.get(`${FLAPPING_MIC.hall.replace('.', '-h')}-pc`) as RecorderAgentSimulator;
      const flap = () => {
        flapTimer = opts.clock.setTimer(FLAPPING_MIC.everyMs, () => {
          if (agent.deadChannels.has(FLAPPING_MIC.channel)) agent.deadChannels.delete(FLAPPING_MIC.channel);
          else agent.deadChannels.add(FLAPPING_MIC.channel);
          flap();
        });
      };
      flap();
    }

    return {
      inventory: loaded.inventory,
      simulators,
      async stop() {
        if (flapTimer) opts.clock.clearTimer(flapTimer);
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.stop()));
    throw e;
  }
}
