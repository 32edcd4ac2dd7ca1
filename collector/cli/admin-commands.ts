/**
 * Administration from the shell: users, machine tokens, the audit trail, device secrets.
 * Each change is audited as "cli:<os user>"; passwords come from an environment variable or
 * standard input, never from the command line (it would land in shell history and `ps`).
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultRegistry } from '../../device-drivers/registry';
import { verifyAudit } from '../auth/audit';
import { passwordProblem } from '../auth/password';
import { HUMAN_ROLES, TOKEN_KINDS, anchorProblem, type HumanRole, type TokenKind } from '../auth/roles';
import { TokenStore } from '../auth/tokens';
import { UserStore } from '../auth/users';
import { loadInventoryFile } from '../config/inventory';
import { listSecretNames, readSecrets, writeSecret } from '../config/secrets-file';
import { Db } from '../store/db';
import { migrate } from '../store/migrations';

export interface AdminIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Standard input, read whole (for a password or a secret piped in). */
  readStdin: () => Promise<string>;
}

export class CliError extends Error {
  constructor(message: string, readonly code = 2) {
    super(message);
  }
}

const cliActor = () => ({ actor: `cli:${os.userInfo().username}`, actorRole: 'administrator' });
const isoNow = () => new Date().toISOString();

async function withDb<T>(file: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await Db.open(path.resolve(file));
  try {
    await migrate(db, isoNow);
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function secretInput(io: AdminIo, envName: string | undefined, what: string): Promise<string> {
  if (envName) {
    const v = io.env[envName];
    if (v === undefined) throw new CliError(`--${what}-env: environment variable ${envName} is not set`);
    return v;
  }
  const v = (await io.readStdin()).replace(/\r?\n$/, '');
  if (!v) throw new CliError(`give the ${what} on standard input or with --${what}-env VAR`);
  return v;
}

export function registerAdminCommands(program: Command, io: AdminIo, setCode: (c: number) => void): void {
  const dbOption = (c: Command) => c.option('--db <file>', 'SQLite database file', io.env.HALLWATCH_DB ?? 'data/hallwatch.db');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const run = <A extends any[]>(fn: (...a: A) => Promise<number | void>) => async (...a: A) => {
    try {
      setCode((await fn(...a)) ?? 0);
    } catch (e) {
      io.err(e instanceof CliError ? e.message : `error: ${(e as Error).message}`);
      setCode(e instanceof CliError ? e.code : 1);
    }
  };

  const user = program.command('user').description('local user accounts');
  dbOption(user.command('add').description('add a local user (password from --password-env VAR or standard input)')
    .argument('<login>')
    .requiredOption('--role <role>', HUMAN_ROLES.join(' | '))
    .requiredOption('--name <display name>', 'full name as people read it')
    .option('--court <id>', 'court (secretary, chancellery-head)')
    .option('--region <id>', 'region (regional-coordinator)')
    .option('--org <id>', 'service organization (technician)')
    .option('--inventory <file>', 'check court, region and organization against this inventory')
    .option('--password-env <VAR>', 'environment variable holding the password'))
    .action(run(async (login: string, o: { role: string; name: string; court?: string; region?: string; org?: string; inventory?: string; passwordEnv?: string; db: string }) => {
      if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(login)) throw new CliError('login: 2-64 lower-case letters, digits, ".", "_" or "-"');
      if (!(HUMAN_ROLES as readonly string[]).includes(o.role)) throw new CliError(`--role: one of ${HUMAN_ROLES.join(', ')}`);
      const anchor = anchorProblem(o.role, { courtId: o.court, regionId: o.region, orgId: o.org });
      if (anchor) throw new CliError(`--${anchor.field.replace('Id', '')}: ${anchor.message}`);
      if (o.inventory) {
        const inv = loadInventoryFile(o.inventory, { registry: defaultRegistry, env: io.env });
        if (!inv.ok) throw new CliError(`--inventory: ${o.inventory} has problems; run "hallwatch inventory check"`);
        if (o.court && !inv.inventory.court.has(o.court)) throw new CliError(`--court: no court "${o.court}" in ${o.inventory}`);
        if (o.region && !inv.inventory.region.has(o.region)) throw new CliError(`--region: no region "${o.region}" in ${o.inventory}`);
        if (o.org && !inv.inventory.serviceOrgs.has(o.org)) throw new CliError(`--org: no service organization "${o.org}" in ${o.inventory}`);
      }
      const password = await secretInput(io, o.passwordEnv, 'password');
      const problem = passwordProblem(password);
      if (problem) throw new CliError(`password: ${problem}`);
      await withDb(o.db, (db) => new UserStore(db, isoNow).add({ login, displayName: o.name, role: o.role as HumanRole, courtId: o.court, regionId: o.region, orgId: o.org, password }, cliActor()));
      io.out(`user ${login} added (${o.role})`);
    }));
  dbOption(user.command('passwd').description('set a local user\'s password (ends their sessions)')
    .argument('<login>').option('--password-env <VAR>', 'environment variable holding the password'))
    .action(run(async (login: string, o: { passwordEnv?: string; db: string }) => {
      const password = await secretInput(io, o.passwordEnv, 'password');
      const problem = passwordProblem(password);
      if (problem) throw new CliError(`password: ${problem}`);
      await withDb(o.db, (db) => new UserStore(db, isoNow).setPassword(login, password, cliActor())).catch((e) => {
        throw new CliError((e as Error).message, 1);
      });
      io.out(`password of ${login} changed; their sessions ended`);
    }));
  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    dbOption(user.command(name).description(`${name} a user${disabled ? ' (ends their sessions)' : ''}`).argument('<login>'))
      .action(run(async (login: string, o: { db: string }) => {
        await withDb(o.db, (db) => new UserStore(db, isoNow).setDisabled(login, disabled, cliActor())).catch((e) => {
          throw new CliError((e as Error).message, 1);
        });
        io.out(`user ${login} ${name}d`);
      }));
  }
  dbOption(user.command('list').description('list users')).action(run(async (o: { db: string }) => {
    const users = await withDb(o.db, (db) => new UserStore(db, isoNow).list());
    for (const u of users) io.out(`${u.login.padEnd(20)} ${u.role.padEnd(24)} ${(u.courtId ?? u.regionId ?? u.orgId ?? '-').padEnd(22)} ${u.source}${u.disabled ? ' DISABLED' : ''}  ${u.displayName}`);
  }));

  const token = program.command('token').description('machine tokens (portal feed reader, other collectors)');
  dbOption(token.command('create').description('create a token and print it once').argument('<name>')
    .requiredOption('--kind <kind>', TOKEN_KINDS.join(' | ')))
    .action(run(async (name: string, o: { kind: string; db: string }) => {
      if (!(TOKEN_KINDS as readonly string[]).includes(o.kind)) throw new CliError(`--kind: one of ${TOKEN_KINDS.join(', ')}`);
      if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(name)) throw new CliError('name: 2-64 lower-case letters, digits, ".", "_" or "-"');
      const t = await withDb(o.db, (db) => new TokenStore(db, isoNow).create(name, o.kind as TokenKind, cliActor())).catch((e) => {
        throw new CliError((e as Error).message, 1);
      });
      io.out(t.token);
      io.err(`token ${name} (${o.kind}) created; it is shown only now. Send it as "Authorization: Bearer <token>".`);
    }));
  dbOption(token.command('revoke').description('revoke a token').argument('<name>'))
    .action(run(async (name: string, o: { db: string }) => {
      await withDb(o.db, (db) => new TokenStore(db, isoNow).revoke(name, cliActor())).catch((e) => {
        throw new CliError((e as Error).message, 1);
      });
      io.out(`token ${name} revoked`);
    }));

  const auditCmd = program.command('audit').description('the audit trail');
  dbOption(auditCmd.command('verify').description('check the hash chain: exit 0 intact, 1 a row was changed or removed'))
    .action(run(async (o: { db: string }) => {
      const r = await withDb(o.db, (db) => verifyAudit(db));
      if (r.ok) {
        io.out(`audit log intact: ${r.rows} row(s)${r.head ? `, head #${r.head.seq} ${r.head.hash}` : ''}`);
        return 0;
      }
      for (const p of r.problems) io.out(`row ${p.seq}: ${p.problem} — ${p.detail}`);
      io.err(`audit log BROKEN: ${r.problems.length} problem(s) in ${r.rows} row(s)`);
      return 1;
    }));

  const secrets = program.command('secrets').description('device secrets, encrypted at rest (AES-256-GCM) with a key file');
  const secretOptions = (c: Command) => c
    .requiredOption('--file <file>', 'the encrypted secrets file (the inventory\'s secretsFile)')
    .option('--key-file <file>', 'the key file (created, mode 600, if missing); default hallwatch.key beside the secrets file');
  const keyOf = (o: { file: string; keyFile?: string }) => o.keyFile ?? path.join(path.dirname(path.resolve(o.file)), 'hallwatch.key');
  secretOptions(secrets.command('set').description('set a secret (value from --value-env VAR or standard input); converts a plain file')
    .argument('<name>').option('--value-env <VAR>', 'environment variable holding the value'))
    .action(run(async (name: string, o: { file: string; keyFile?: string; valueEnv?: string }) => {
      const value = await secretInput(io, o.valueEnv, 'value');
      writeSecret(o.file, keyOf(o), name, value);
      io.out(`secret ${name} set in ${o.file}`);
    }));
  secretOptions(secrets.command('remove').description('remove a secret').argument('<name>'))
    .action(run(async (name: string, o: { file: string; keyFile?: string }) => {
      writeSecret(o.file, keyOf(o), name, undefined);
      io.out(`secret ${name} removed from ${o.file}`);
    }));
  secretOptions(secrets.command('list').description('list secret names (never values) and check they decrypt'))
    .action(run(async (o: { file: string; keyFile?: string }) => {
      const r = readSecrets(o.file, keyOf(o));
      if (!r.ok) throw new CliError(r.error, 1);
      if (!r.encrypted) io.err(`${o.file} is NOT encrypted: run "hallwatch secrets set" once to convert it`);
      for (const n of r.encrypted ? listSecretNames(o.file) : Object.keys(r.secrets).sort()) io.out(n);
    }));
}
