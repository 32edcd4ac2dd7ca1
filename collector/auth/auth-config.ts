/** The auth configuration file (`--auth FILE`): LDAP / Active Directory and session limits. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { formatPath, type Problem } from '../config/inventory';
import { secretRef } from '../config/inventory-schema';
import { readSecrets } from '../config/secrets-file';
import { registerSecret } from '../core/logger';
import { HUMAN_ROLES } from './roles';

export const ldapSchema = z.strictObject({
  url: z.string().regex(/^ldaps?:\/\/[^\s]+$/, 'expected ldap://host:port or ldaps://host:port'),
  /** The service account that looks users up; its password by reference, never inline. */
  bindDn: z.string().min(1),
  bindPassword: secretRef,
  userBase: z.string().min(1),
  /** {login} is replaced by the escaped login, e.g. (uid={login}) or (sAMAccountName={login}). */
  userFilter: z.string().includes('{login}', { message: 'must contain {login}' }).default('(uid={login})'),
  displayNameAttribute: z.string().default('cn'),
  /** Groups are read from the user's memberOf, or searched with groupFilter ({dn} = the user's DN). */
  groupBase: z.string().optional(),
  groupFilter: z.string().default('(member={dn})'),
  /** First match wins: the group's DN (case-insensitive) → role and its anchor. */
  groups: z.array(z.strictObject({
    group: z.string().min(1),
    role: z.enum(HUMAN_ROLES),
    court: z.string().optional(),
    region: z.string().optional(),
    org: z.string().optional(),
  })).min(1),
  timeoutSeconds: z.number().positive().max(60).default(5),
  tlsInsecure: z.boolean().default(false),
});
export type LdapConfig = z.infer<typeof ldapSchema>;

export const authConfigSchema = z.strictObject({
  ldap: ldapSchema.optional(),
  /** Where `bindPassword: { secret: NAME }` is looked up (encrypted with `hallwatch secrets set`). */
  secretsFile: z.string().optional(),
  secretsKeyFile: z.string().optional(),
  sessions: z.strictObject({
    idleMinutes: z.number().positive().max(7 * 24 * 60).default(480),
    absoluteHours: z.number().positive().max(14 * 24).default(12),
    /** Mark cookies Secure (set when the console is served over HTTPS or behind a TLS proxy). */
    secureCookies: z.boolean().default(false),
  }).default({ idleMinutes: 480, absoluteHours: 12, secureCookies: false }),
  throttle: z.strictObject({
    maxFailures: z.number().int().min(1).max(100).default(5),
    windowMinutes: z.number().positive().default(15),
    lockMinutes: z.number().positive().default(15),
  }).default({ maxFailures: 5, windowMinutes: 15, lockMinutes: 15 }),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;

export const defaultAuthConfig: AuthConfig = authConfigSchema.parse({});

/** Loads the auth file and resolves the LDAP service account's password. */
export function loadAuthConfig(file: string | undefined, env: NodeJS.ProcessEnv): { ok: true; config: AuthConfig; ldapBindPassword?: string } | { ok: false; problems: Problem[] } {
  if (!file) return { ok: true, config: defaultAuthConfig };
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: (e as Error).message.split('\n')[0]! }] };
  }
  const r = authConfigSchema.safeParse(raw ?? {});
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const ldap = r.data.ldap;
  if (!ldap) return { ok: true, config: r.data };
  const ref = ldap.bindPassword;
  if ('env' in ref) {
    const v = env[ref.env];
    if (!v) return { ok: false, problems: [{ path: 'ldap.bindPassword', message: `environment variable ${ref.env} is not set` }] };
    registerSecret(v);
    return { ok: true, config: r.data, ldapBindPassword: v };
  }
  if (!r.data.secretsFile) return { ok: false, problems: [{ path: 'ldap.bindPassword', message: `secret "${ref.secret}" is referenced but no secretsFile is given` }] };
  const base = path.dirname(path.resolve(file));
  const secretsPath = path.resolve(base, r.data.secretsFile);
  const s = readSecrets(secretsPath, r.data.secretsKeyFile ? path.resolve(base, r.data.secretsKeyFile) : path.join(path.dirname(secretsPath), 'hallwatch.key'));
  if (!s.ok) return { ok: false, problems: [{ path: 'secretsFile', message: s.error }] };
  const v = s.secrets[ref.secret];
  if (!v) return { ok: false, problems: [{ path: 'ldap.bindPassword', message: `secret "${ref.secret}" is not in the secrets file` }] };
  registerSecret(v);
  return { ok: true, config: r.data, ldapBindPassword: v };
}
