/**
 * `options:` of an snmp-host device in the inventory. Secrets are not options: the v2c community
 * is `credentials.password`; for v3, `credentials.username` is the user and `credentials.password`
 * the authentication key. The privacy key, if it differs from the authentication key, is a
 * reference to an environment variable (`privKey: { env: VAR }`), never the key itself.
 */
import { z } from 'zod';

const envRef = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'),
});

export const snmpHostOptions = z.strictObject({
  version: z.enum(['2c', '3']).default('2c'),
  /** v3: authPriv (default) encrypts; authNoPriv only authenticates. noAuthNoPriv is not offered. */
  securityLevel: z.enum(['authPriv', 'authNoPriv']).default('authPriv'),
  /** v3 authentication: the SHA family (MD5 is not offered). */
  authProtocol: z.enum(['sha', 'sha224', 'sha256', 'sha384', 'sha512']).default('sha'),
  /** v3 privacy: AES (DES is not offered). aes256b/aes256r: Blumenthal / Reeder key extension. */
  privProtocol: z.enum(['aes', 'aes256b', 'aes256r']).default('aes'),
  /**
   * v3 privacy key, when it differs from the authentication key (as in Net-SNMP's createUser, the
   * authentication key is used when none is given). Only `{ env: VAR }`: a secrets-file reference
   * is not resolved for driver options by the inventory loader yet.
   */
  privKey: z.union([envRef, z.strictObject({ secret: z.string().min(1) })], { error: 'expected { env: VARIABLE } (never the key itself)' }).optional(),
  /** What the host is: the hall's recording PC (003 §5, §7.1) or a regional main/backup server (003 §14). */
  role: z.enum(['recording-pc', 'regional-server']).default('recording-pc'),
  volumes: z.strictObject({
    /** The recording volume as hrStorageDescr shows it: a mount path (/srv/records) or a drive (D:\). */
    recording: z.string().trim().min(1).optional(),
    /** A regional server's archive volume, likewise. */
    archive: z.string().trim().min(1).optional(),
  }).default({}),
  /** The recorder's process name as hrSWRunName shows it (e.g. avf-recorder.exe); checked when given. */
  recorderProcess: z.string().trim().min(1).max(255).optional(),
  /** The hall writes disc copies (003 §7.3, 000 §8): an optical drive must be present. */
  opticalRequired: z.boolean().default(false),
  /** Bitrate of the hall's whole record, Mbit/s; the policy's storage.defaultBitrateMbps when not given. */
  bitrateMbps: z.number().positive().max(10_000).optional(),
  /** Interfaces (ifDescr) that must be up; by default every administratively-up, non-loopback one is watched. */
  interfaces: z.array(z.string().min(1)).min(1).optional(),
  /** Offset from UTC of a host whose hrSystemDate carries none (8-octet form). Kazakhstan: UTC+5. */
  localUtcOffsetMinutes: z.number().int().min(-720).max(840).default(300),
  /** Rows asked for per GETBULK. */
  maxRepetitions: z.number().int().min(1).max(200).default(32),
  /** A table walk stops with an error past this many rows or bytes (a broken agent cannot fill memory). */
  maxRows: z.number().int().min(10).max(1_000_000).default(10_000),
  maxBytes: z.number().int().min(4096).max(64 * 1024 * 1024).default(1024 * 1024),
}).superRefine((o, ctx) => {
  if (o.role === 'recording-pc' && !o.volumes.recording) {
    ctx.addIssue({ code: 'custom', path: ['volumes', 'recording'], message: 'required for role recording-pc: the recording volume as the host names it (D:\\ or /srv/records)' });
  }
  if (o.role === 'regional-server' && !o.volumes.archive) {
    ctx.addIssue({ code: 'custom', path: ['volumes', 'archive'], message: 'required for role regional-server: the archive volume as the host names it' });
  }
  if (o.privKey && (o.version !== '3' || o.securityLevel !== 'authPriv')) {
    ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'only for version 3 with securityLevel authPriv' });
  }
  if (o.privKey && 'secret' in o.privKey) {
    ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'a secrets-file reference is not resolved for driver options yet: use { env: VARIABLE }, or omit privKey to use the authentication key' });
  }
});
export type SnmpHostOptions = z.infer<typeof snmpHostOptions>;
