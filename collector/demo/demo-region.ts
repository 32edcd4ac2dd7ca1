/**
 * The demo region: real courts' names, halls with cameras, microphones, a recording PC and
 * sometimes a VKS endpoint — every device a simulator on 127.0.0.1, probed by the real drivers.
 * The inventory it produces goes through the same validation as any inventory file.
 */
import crypto from 'node:crypto';
import type { DriverRegistry } from '../../device-drivers/registry';
import { loadInventoryData, formatProblems, type Inventory } from '../config/inventory';
import type { Clock, TimerHandle } from '../core/clock';
import { OnvifCameraSimulator } from '../../device-drivers/onvif-camera/simulator';
import { RecorderAgentSimulator } from './simulators/recorder-agent';
import { DemoRecorderAgent } from '../../device-drivers/recorder/agent/demo-agent';
import { VksEndpointSimulator } from '../../device-drivers/vks-endpoint/simulator';
import { SnmpHostSimulator } from '../../device-drivers/snmp-host/simulator';

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
          // Camera faults (onvif-camera): a clock 20 s off only degrades (warning at 5 s, failure at 60 s).
          { number: '3', vks: true, faults: { cam1: 'clock-drift:20' } }, { number: '4', faults: { pc: 'recorder-stopped' } },
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
          { number: '1', vks: true, faults: { vks: 'unregistered' } }, { number: '2', faults: { cam1: 'black' } },
          { number: '3', faults: { cam1: 'auth-failure' } }, { number: '4', faults: { pc: 'hang' } },
        ],
      },
    ],
  },
  {
    id: 'astana', ru: 'г. Астана', kk: 'Астана қаласы',
    courts: [
      {
        id: 'astana-city', ru: 'Астанинский городской суд', kk: 'Астана қалалық соты', level: 'regional',
        halls: [{ number: '1', vks: true }, { number: '2', faults: { pc: 'disk-low' } }],
      },
      {
        id: 'esil-district', ru: 'Есильский районный суд г. Астаны', kk: 'Астана қаласы Есіл аудандық соты', level: 'district',
        // The judge's camera freezes: shown from its second probe on (the same picture, time moving on).
        halls: [{ number: '1', faults: { cam1: 'frozen' } }, { number: '2', vks: true }, { number: '3' }],
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
/**
 * Halls whose microphones are read from the real recorder agent (device-drivers/recorder/agent:
 * ffmpeg on lavfi sources) by the `recorder` and `microphone` drivers; the others keep the HTTP
 * stand-in. Few, because each runs a metering ffmpeg. Bostandyk hall 2's channel 2 is silent.
 */
export const REAL_AGENT_HALLS: Record<string, { deadMic?: number }> = { 'almaly-district.4': {}, 'bostandyk-district.2': { deadMic: 2 } };

/** What the demo and its tests use of any simulator, HTTP or SNMP: its fault switch. */
export interface DemoSimulator {
  readonly id: string;
  fault: string;
  setFault(fault: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoRegion {
  inventory: Inventory;
  /** Simulators by the device id (several devices may share one, e.g. a recorder agent). */
  simulators: Map<string, DemoSimulator>;
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
    'demo-recorder-token': crypto.randomBytes(24).toString('base64url'),
    'demo-vks': crypto.randomBytes(9).toString('base64url'),
    // Recording PCs over SNMP: a v2c community (Almaty), a v3 user's key, SHA/AES (Astana).
    'demo-snmp': crypto.randomBytes(9).toString('base64url'),
    'demo-snmp-v3': crypto.randomBytes(12).toString('base64url'),
  };
  const simulators = new Map<string, DemoSimulator>();
  const started: DemoSimulator[] = [];
  const start = async <S extends DemoSimulator>(sim: S): Promise<S> => {
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
          // Cameras: ONVIF simulators (device-drivers/onvif-camera) on the demo's clock.
          const camera = (n: 1 | 2) => new OnvifCameraSimulator(`${base}-cam${n}`, {
            clock: opts.clock, username: 'admin', password: secrets['demo-camera'],
            name: `${c.id}-h${h.number}-cam${n}`, location: `${r.id}/${c.id}/hall-${h.number}`,
            identity: n === 1 ? {} : { maker: 'Dahua', model: 'IPC-HDW2431T-AS-S2', firmware: '2.800.0000000.26.R', hardwareId: '1.00' },
          });
          const cam1 = await start(camera(1));
          const cam2 = await start(camera(2));
          const agent = await start(new RecorderAgentSimulator(`${base}-agent`, MICS_PER_HALL, { username: 'hallwatch', password: secrets['demo-recorder'] }));
          // The secretary's PC: an SNMP agent (snmp-host driver); v3 in Astana, v2c in Almaty.
          const v3 = r.id === 'astana';
          const pc = await start(new SnmpHostSimulator({
            id: `${base}-pc`, community: secrets['demo-snmp'], now: () => opts.clock.now(),
            v3: { user: 'hallwatch', authKey: secrets['demo-snmp-v3'] },
          }));
          if (h.deadMic) agent.deadChannels.add(h.deadMic);
          const cameraDevice = (sim: OnvifCameraSimulator, n: number, critical: boolean) => ({
            id: sim.id, driver: 'onvif-camera', category: 'camera', address: sim.address, critical,
            name: n === 1 ? { ru: 'Камера судьи', kk: 'Судья камерасы' } : { ru: 'Обзорная камера зала', kk: 'Залға шолу камерасы' },
            credentials: { username: 'admin', password: { secret: 'demo-camera' } },
          });
          const devices: unknown[] = [
            cameraDevice(cam1, 1, true),
            // The overview camera is a second angle: losing it degrades the hall, recording goes on.
            cameraDevice(cam2, 2, false),
            {
              id: pc.id, driver: 'snmp-host', category: 'recording-pc', address: pc.address,
              name: { ru: 'ПК записи секретаря', kk: 'Хатшының жазу компьютері' },
              credentials: v3 ? { username: 'hallwatch', password: { secret: 'demo-snmp-v3' } } : { password: { secret: 'demo-snmp' } },
              options: { version: v3 ? '3' : '2c', volumes: { recording: 'D:\\' }, recorderProcess: pc.recorderProcess, opticalRequired: true, bitrateMbps: 8 },
            },
          ];
          simulators.set(cam1.id, cam1);
          simulators.set(cam2.id, cam2);
          simulators.set(pc.id, pc);
          const realAgent = REAL_AGENT_HALLS[`${c.id}.${h.number}`];
          if (realAgent) {
            const rec = await start(new DemoRecorderAgent({
              id: `${base}-rec`, hallId: `${c.id}.${h.number}`, channels: MICS_PER_HALL, token: secrets['demo-recorder-token'],
              place: { ru: `${c.ru}, зал № ${h.number}`, kk: `${c.kk}, ${h.number}-зал` }, deadChannels: realAgent.deadMic ? [realAgent.deadMic] : [],
            }));
            simulators.set(rec.id, rec);
            const token = { password: { secret: 'demo-recorder-token' } };
            devices.push({ id: rec.id, driver: 'recorder', address: rec.address, name: { ru: 'Агент записи зала', kk: 'Зал жазу агенті' }, credentials: token, options: { bytesPerSecond: 300_000, maxTestSeconds: 3 } });
            for (let ch = 1; ch <= MICS_PER_HALL; ch++) {
              simulators.set(`${base}-mic${ch}`, rec);
              devices.push({
                id: `${base}-mic${ch}`, driver: 'microphone', category: 'microphone', address: rec.address,
                name: { ru: `Микрофон, канал ${ch}`, kk: `Микрофон, ${ch}-арна` }, credentials: token, options: { channel: ch },
              });
            }
          } else for (let ch = 1; ch <= MICS_PER_HALL; ch++) {
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
            // The endpoint (device-drivers/vks-endpoint): xAPI over HTTP and a SIP responder (UDP + TCP).
            const vks = await start(new VksEndpointSimulator(`${base}-vks`, { username: 'admin', password: secrets['demo-vks'] }));
            simulators.set(vks.id, vks);
            devices.push({
              id: vks.id, driver: 'vks-endpoint', category: 'vks-endpoint', address: vks.address,
              name: { ru: 'Терминал ВКС', kk: 'БКБ терминалы' },
              credentials: { username: 'admin', password: { secret: 'demo-vks' } },
              options: { sipPort: vks.sipPort, testNumber: 'echo@vks.sud.kz', expectedCameras: 1, expectedMicrophones: 2 },
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
      const agent = simulators.get(`${FLAPPING_MIC.hall.replace('.', '-h')}-mic${FLAPPING_MIC.channel}`) as RecorderAgentSimulator;
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
