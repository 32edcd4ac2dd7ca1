/**
 * One simulator process of the fleet benchmark (forked by fleet.ts): starts the simulators of
 * every hall whose index modulo `of` is `part`, reports their addresses over IPC, and switches
 * faults on request. Several such processes share the fleet so that no one of them runs out of
 * file descriptors or of CPU; none of their work is charged to the collector.
 */
import { SystemClock } from '../../collector/core/clock';
import { OnvifCameraSimulator } from '../../device-drivers/onvif-camera/simulator';
import { RecorderApiSimulator } from '../../device-drivers/recorder/simulator';
import { SnmpHostSimulator } from '../../device-drivers/snmp-host/simulator';
import { VksEndpointSimulator } from '../../device-drivers/vks-endpoint/simulator';
import { fleetHalls, type FleetShape } from './shape';

export interface SimSecrets {
  camera: string;
  recorderToken: string;
  snmp: string;
  vks: string;
}

export interface WorkerStart {
  type: 'start';
  shape: FleetShape;
  part: number;
  of: number;
  secrets: SimSecrets;
}

/** Where each simulated device listens. */
export interface SimDevice {
  id: string;
  address: string;
  sipPort?: number;
  recorderProcess?: string;
}

export type WorkerReply =
  | { type: 'started'; devices: SimDevice[]; startMs: number }
  | { type: 'fault-set'; id: string; fault: string }
  | { type: 'error'; message: string };

interface Sim {
  setFault(f: string): Promise<void>;
  stop(): Promise<void>;
}

const sims = new Map<string, Sim>();

async function start(m: WorkerStart): Promise<SimDevice[]> {
  const clock = new SystemClock();
  const out: SimDevice[] = [];
  const halls = fleetHalls(m.shape).filter((h) => h.index % m.of === m.part);
  for (const h of halls) {
    for (let n = 1; n <= m.shape.camerasPerHall; n++) {
      const cam = new OnvifCameraSimulator(`${h.base}-cam${n}`, { clock, username: 'admin', password: m.secrets.camera, discovery: 'off', sharedFrames: true });
      await cam.start();
      sims.set(cam.id, { setFault: async (f) => cam.setFault(f as never), stop: () => cam.stop() });
      out.push({ id: cam.id, address: cam.address });
    }
    const pc = new SnmpHostSimulator({ id: `${h.base}-pc`, community: m.secrets.snmp, now: () => clock.now() });
    await pc.start();
    sims.set(pc.id, { setFault: async (f) => pc.setFault(f as never), stop: () => pc.stop() });
    out.push({ id: pc.id, address: pc.address, recorderProcess: pc.recorderProcess });
    const rec = new RecorderApiSimulator(`${h.base}-rec`, m.shape.micsPerHall, m.secrets.recorderToken);
    await rec.start();
    sims.set(rec.id, rec);
    out.push({ id: rec.id, address: rec.address });
    if (h.vks) {
      const vks = new VksEndpointSimulator(`${h.base}-vks`, { username: 'admin', password: m.secrets.vks });
      await vks.start();
      sims.set(vks.id, { setFault: async (f) => vks.setFault(f as never), stop: () => vks.stop() });
      out.push({ id: vks.id, address: vks.address, sipPort: vks.sipPort });
    }
  }
  return out;
}

const send = (r: WorkerReply) => process.send?.(r);

process.on('message', (m: WorkerStart | { type: 'fault'; id: string; fault: string } | { type: 'stop' }) => {
  if (m.type === 'start') {
    const t0 = performance.now();
    start(m).then((devices) => send({ type: 'started', devices, startMs: performance.now() - t0 }), (e) => send({ type: 'error', message: String((e as Error)?.stack ?? e) }));
  } else if (m.type === 'fault') {
    const s = sims.get(m.id);
    if (!s) send({ type: 'error', message: `no simulator ${m.id}` });
    else s.setFault(m.fault).then(() => send({ type: 'fault-set', id: m.id, fault: m.fault }), (e) => send({ type: 'error', message: String(e) }));
  } else if (m.type === 'stop') {
    void Promise.allSettled([...sims.values()].map((s) => s.stop())).then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
