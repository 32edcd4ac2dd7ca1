/**
 * Loads and validates the inventory. Every problem is reported with its path
 * (`regions[0].courts[1].halls[3].devices[0].address: expected host:port`), all at once,
 * and a bad inventory never yields a half-configured collector.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { readSecrets } from './secrets-file';
import type { DriverRegistry } from '../../device-drivers/registry';
import type { CourtLevel, Names } from '../api/dto';
import { parseHostPort } from '../core/address';
import { registerSecret } from '../core/logger';
import type { Credentials, DeviceCategory, SystemKind } from '../core/types';
import { courtShallow, deviceSchema, hallShallow, inventoryShallow, regionShallow, serviceOrgSchema, type SecretRef } from './inventory-schema';

export interface Problem {
  path: string;
  message: string;
}

export interface Region {
  id: string;
  name: Names;
  courtIds: string[];
}
export interface Court {
  id: string;
  regionId: string;
  name: Names;
  level: CourtLevel;
  timezone: string;
  hallIds: string[];
}
export interface Hall {
  id: string;
  courtId: string;
  regionId: string;
  number: string;
  name: Names;
  avfEquipped: boolean;
  vksEquipped: boolean;
  deviceIds: string[];
}
export interface Device {
  id: string;
  hallId: string;
  courtId: string;
  regionId: string;
  driver: string;
  category: DeviceCategory;
  system: SystemKind;
  name: Names;
  host: string;
  port: number;
  address: string;
  critical: boolean;
  intervalMs: number;
  timeoutMs: number;
  options: unknown;
  /** Resolved secrets: kept off every serializer (see api/serialize.ts). */
  credentials?: Credentials;
}

export interface ServiceOrg {
  id: string;
  name: Names;
  /** Courts covered by the contract: those named and all courts of the regions named. */
  courtIds: string[];
}

export interface Inventory {
  serviceOrgs: Map<string, ServiceOrg>;
  regions: Region[];
  courts: Court[];
  halls: Hall[];
  devices: Device[];
  region: Map<string, Region>;
  court: Map<string, Court>;
  hall: Map<string, Hall>;
  device: Map<string, Device>;
}

export type LoadResult = { ok: true; inventory: Inventory; warnings: Problem[] } | { ok: false; problems: Problem[] };

export interface LoadOptions {
  registry: DriverRegistry;
  env?: NodeJS.ProcessEnv;
  /** Directory that relative paths (secretsFile) are resolved against. */
  baseDir?: string;
  /** Secrets given directly (overrides secretsFile); mainly for the demo. */
  secrets?: Record<string, string>;
  /** The key of an encrypted secrets file (default: secretsKeyFile, else hallwatch.key beside it). */
  keyFile?: string;
}

export function formatPath(p: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const step of p) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += (out ? '.' : '') + String(step);
  }
  return out || '(root)';
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

const HALL_NUMBER = /^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі_-]+$/u;

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function zodProblems(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): Problem[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));
}

export function loadInventoryFile(file: string, opts: Omit<LoadOptions, 'baseDir'>): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  return loadInventoryText(text, { ...opts, baseDir: path.dirname(path.resolve(file)) });
}

export function loadInventoryText(text: string, opts: LoadOptions): LoadResult {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(yaml)',
        message: e.message.split('\n')[0]!,
      })),
    };
  }
  return loadInventoryData(doc.toJS(), opts);
}

export function loadInventoryData(data: unknown, opts: LoadOptions): LoadResult {
  return build(data ?? {}, opts);
}

type Path = Array<string | number>;

/**
 * Parses one level; on failure records its problems and returns the raw object so that the
 * walk goes on into its children (whose own problems are reported too).
 */
function level<T>(schema: z.ZodType<T>, raw: unknown, at: Path, problems: Problem[]): { data: T; valid: boolean } {
  const r = schema.safeParse(raw);
  if (r.success) return { data: r.data, valid: true };
  problems.push(...zodProblems(r.error, at));
  return { data: (raw && typeof raw === 'object' ? raw : {}) as T, valid: false };
}

const rawArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rawText = (v: unknown, fallback: string): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : fallback);

function build(raw: unknown, opts: LoadOptions): LoadResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const file = level(inventoryShallow, raw, [], problems).data;
  file.defaults ??= {};
  const env = opts.env ?? process.env;
  let secrets: Record<string, string> = opts.secrets ?? {};
  if (!opts.secrets && typeof file.secretsFile === 'string') {
    const secretsPath = path.resolve(opts.baseDir ?? '.', file.secretsFile);
    const keyFile = opts.keyFile ?? (typeof file.secretsKeyFile === 'string' ? path.resolve(opts.baseDir ?? '.', file.secretsKeyFile) : path.join(path.dirname(secretsPath), 'hallwatch.key'));
    const r = readSecrets(secretsPath, keyFile);
    if (!r.ok) problems.push({ path: 'secretsFile', message: r.error });
    else {
      secrets = r.secrets;
      if (!r.encrypted) warnings.push({ path: 'secretsFile', message: 'the secrets file is not encrypted; encrypt it with "hallwatch secrets set"' });
    }
  }
  const resolveSecret = (ref: SecretRef, at: string): string | undefined => {
    if ('env' in ref) {
      const v = env[ref.env];
      if (v === undefined || v === '') problems.push({ path: at, message: `environment variable ${ref.env} is not set` });
      return v;
    }
    const v = secrets[ref.secret];
    if (v === undefined) {
      problems.push({ path: at, message: file.secretsFile || opts.secrets ? `secret "${ref.secret}" is not in the secrets file` : `secret "${ref.secret}" is referenced but no secretsFile is given` });
    }
    return v;
  };

  const inv: Inventory = {
    serviceOrgs: new Map(),
    regions: [], courts: [], halls: [], devices: [],
    region: new Map(), court: new Map(), hall: new Map(), device: new Map(),
  };
  const firstSeen = new Map<string, string>();
  const unique = (kind: string, idv: string, at: string) => {
    const key = `${kind}:${idv}`;
    const prev = firstSeen.get(key);
    if (prev) problems.push({ path: at, message: `duplicate ${kind} id "${idv}" (first at ${prev})` });
    else firstSeen.set(key, at);
  };

  const defaults = file.defaults && typeof file.defaults === 'object' ? file.defaults : {};
  rawArray(file.regions).forEach((rawRegion, ri) => {
    const rp = `regions[${ri}]`;
    const r = level(regionShallow, rawRegion, ['regions', ri], problems).data;
    const regionId = rawText(r.id, `#${ri}`);
    unique('region', regionId, `${rp}.id`);
    const region: Region = { id: regionId, name: r.name, courtIds: [] };
    inv.regions.push(region);
    inv.region.set(regionId, region);

    rawArray(r.courts).forEach((rawCourt, ci) => {
      const cp = `${rp}.courts[${ci}]`;
      const c = level(courtShallow, rawCourt, ['regions', ri, 'courts', ci], problems).data;
      const courtId = rawText(c.id, `${regionId}#${ci}`);
      const timezone = typeof c.timezone === 'string' ? c.timezone : 'Asia/Almaty';
      unique('court', courtId, `${cp}.id`);
      if (!validTimezone(timezone)) problems.push({ path: `${cp}.timezone`, message: `unknown time zone "${timezone}" (expected an IANA name such as Asia/Almaty)` });
      const court: Court = { id: courtId, regionId, name: c.name, level: c.level, timezone, hallIds: [] };
      region.courtIds.push(courtId);
      inv.courts.push(court);
      inv.court.set(courtId, court);

      rawArray(c.halls).forEach((rawHall, hi) => {
        const hp = `${cp}.halls[${hi}]`;
        const hv = level(hallShallow, rawHall, ['regions', ri, 'courts', ci, 'halls', hi], problems);
        const h = hv.data;
        const number = rawText(h.number, `#${hi}`);
        const avf = h.avf !== false;
        const vks = h.vks === true;
        if (hv.valid && !HALL_NUMBER.test(number)) problems.push({ path: `${hp}.number`, message: 'expected letters, digits, "-" or "_"' });
        const hallId = `${courtId}.${number.toLowerCase()}`;
        unique('hall', hallId, `${hp}.number`);
        if (!avf && !vks) problems.push({ path: hp, message: 'a hall must be equipped with AVF, VKS or both' });
        const hall: Hall = {
          id: hallId, courtId, regionId, number,
          name: h.name ?? { ru: `Зал № ${number}`, kk: `№ ${number} зал` },
          avfEquipped: avf, vksEquipped: vks, deviceIds: [],
        };
        court.hallIds.push(hallId);
        inv.halls.push(hall);
        inv.hall.set(hallId, hall);

        rawArray(h.devices).forEach((rawDevice, di) => {
          const dp = `${hp}.devices[${di}]`;
          const at: Path = ['regions', ri, 'courts', ci, 'halls', hi, 'devices', di];
          const dv = level(deviceSchema, rawDevice, at, problems);
          const d = dv.data;
          const id = rawText(d.id, `${hallId}#${di}`);
          unique('device', id, `${dp}.id`);
          const driver = typeof d.driver === 'string' ? opts.registry.get(d.driver) : undefined;
          if (!driver && typeof d.driver === 'string') {
            problems.push({ path: `${dp}.driver`, message: `unknown driver kind "${d.driver}" (known: ${[...opts.registry.keys()].join(', ')})` });
          }
          const addr = parseHostPort(d.address);
          if ('error' in addr && typeof d.address === 'string') problems.push({ path: `${dp}.address`, message: addr.error });
          // The remaining checks read fields whose types only a valid entry guarantees.
          if (!dv.valid) return;

          const category = (d.category ?? driver?.category) as DeviceCategory | undefined;
          if (!category && driver) problems.push({ path: `${dp}.category`, message: `required for driver "${d.driver}" (one of camera, microphone, recording-pc, vks-endpoint, server, other)` });
          const system: SystemKind = category === 'vks-endpoint' ? 'vks' : 'avf';
          if (system === 'vks' && !vks) problems.push({ path: `${dp}.category`, message: 'a VKS endpoint in a hall that is not VKS-equipped (set vks: true on the hall)' });
          if (system === 'avf' && !avf) problems.push({ path: `${dp}.category`, message: 'an AVF device in a hall that is not AVF-equipped (set avf: true on the hall)' });

          let options: unknown = d.options ?? {};
          if (driver) {
            const o = driver.optionsSchema.safeParse(d.options ?? undefined);
            if (o.success) options = o.data;
            else problems.push(...zodProblems(o.error, [...at, 'options']));
          }
          const intervalS = d.intervalSeconds ?? defaults.intervalSeconds ?? driver?.defaults.intervalSeconds ?? 60;
          const timeoutS = d.timeoutSeconds ?? defaults.timeoutSeconds ?? driver?.defaults.timeoutSeconds ?? 10;
          if (timeoutS >= intervalS) problems.push({ path: `${dp}.timeoutSeconds`, message: `must be less than the interval (${intervalS} s)` });

          let credentials: Credentials | undefined;
          if (d.credentials) {
            credentials = { username: d.credentials.username };
            if (d.credentials.password) {
              credentials.password = resolveSecret(d.credentials.password, `${dp}.credentials.password`);
              registerSecret(credentials.password);
            }
          }
          const device: Device = {
            id, hallId, courtId, regionId, driver: d.driver,
            category: category ?? 'other', system,
            name: d.name ?? { ru: id, kk: id },
            host: 'error' in addr ? '' : addr.host, port: 'error' in addr ? 0 : addr.port, address: d.address,
            critical: d.critical,
            intervalMs: Math.round(intervalS * 1000), timeoutMs: Math.round(timeoutS * 1000),
            options, credentials,
          };
          hall.deviceIds.push(id);
          inv.devices.push(device);
          inv.device.set(id, device);
        });
        if (hv.valid && avf && rawArray(h.devices).length === hall.deviceIds.length && !hall.deviceIds.some((id) => inv.device.get(id)?.system === 'avf')) {
          problems.push({ path: `${hp}.devices`, message: 'an AVF-equipped hall needs at least one AVF device to watch' });
        }
      });
    });
  });

  rawArray(file.serviceOrganizations).forEach((rawOrg, oi) => {
    const op = `serviceOrganizations[${oi}]`;
    const o = level(serviceOrgSchema, rawOrg, ['serviceOrganizations', oi], problems);
    if (!o.valid) return;
    unique('service organization', o.data.id, `${op}.id`);
    const courts = new Set<string>();
    o.data.contract.regions.forEach((rid, i) => {
      const region = inv.region.get(rid);
      if (!region) problems.push({ path: `${op}.contract.regions[${i}]`, message: `no region with id "${rid}"` });
      else region.courtIds.forEach((c) => courts.add(c));
    });
    o.data.contract.courts.forEach((cid, i) => {
      if (!inv.court.has(cid)) problems.push({ path: `${op}.contract.courts[${i}]`, message: `no court with id "${cid}"` });
      else courts.add(cid);
    });
    inv.serviceOrgs.set(o.data.id, { id: o.data.id, name: o.data.name, courtIds: [...courts] });
  });

  return problems.length > 0 ? { ok: false, problems } : { ok: true, inventory: inv, warnings };
}
