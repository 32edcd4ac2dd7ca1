/**
 * The explicit list of drivers. A driver is known to hallwatch because it is named here,
 * never because a folder exists (as in blackbox_exporter's prober map).
 */
import type { AnyDriver } from '../collector/core/driver';
import { httpDriver } from './http/driver';
import { microphoneDriver } from './microphone/driver';
import { recorderDriver } from './recorder/driver';
import { onvifCameraDriver } from './onvif-camera/driver';
import { snmpHostDriver } from './snmp-host/driver';
import { tcpDriver } from './tcp/driver';
import { vksEndpointDriver } from './vks-endpoint/driver';

export type DriverRegistry = ReadonlyMap<string, AnyDriver>;

export function createRegistry(drivers: readonly AnyDriver[]): DriverRegistry {
  const map = new Map<string, AnyDriver>();
  for (const d of drivers) {
    if (map.has(d.kind)) throw new Error(`driver kind "${d.kind}" is registered twice`);
    map.set(d.kind, d);
  }
  return map;
}

export const builtinDrivers: readonly AnyDriver[] = [tcpDriver, httpDriver, onvifCameraDriver, snmpHostDriver, recorderDriver, microphoneDriver, vksEndpointDriver];

export const defaultRegistry: DriverRegistry = createRegistry(builtinDrivers);
