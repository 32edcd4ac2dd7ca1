/**
 * `hallwatch probe`: a one-off probe for a technician at a terminal. Prints the named checks;
 * exit 0 when all pass, 1 when some fail, 2 on a usage or configuration error.
 */
import { defaultRegistry, type DriverRegistry } from '../../device-drivers/registry';
import { translate, type Lang } from '../../console-ui/i18n/messages';
import { parseHostPort } from '../core/address';
import { SystemClock } from '../core/clock';
import { createLogger, registerSecret } from '../core/logger';
import { formatPath } from '../config/inventory';
import { runProbe } from '../scheduler/run-probe';

export interface ProbeArgs {
  driver: string;
  address: string;
  username?: string;
  passwordEnv?: string;
  option?: string[];
  optionsJson?: string;
  timeout?: string;
  json?: boolean;
  lang?: string;
}

export class UsageError extends Error {}

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
      ? mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/**
 * "a.b=1" → { a: { b: 1 } }. With typed: values that parse as JSON (numbers, booleans, arrays)
 * become those types; without, every value stays text.
 */
export function parseOptionPairs(pairs: string[], typed = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--option "${pair}": expected key=value`);
    const keys = pair.slice(0, eq).split('.');
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    if (typed) {
      try {
        value = JSON.parse(raw);
      } catch {
        /* plain text */
      }
    }
    let cur = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) cur[k] = value;
      else cur = (cur[k] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

export async function probeCommand(args: ProbeArgs, io: { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv }, registry: DriverRegistry = defaultRegistry): Promise<number> {
  const driver = registry.get(args.driver);
  if (!driver) {
    io.err(`--driver: unknown driver kind "${args.driver}" (known: ${[...registry.keys()].join(', ')})`);
    return 2;
  }
  const addr = parseHostPort(args.address);
  if ('error' in addr) {
    io.err(`--address: ${addr.error}`);
    return 2;
  }
  const lang = (args.lang ?? 'en') as Lang | 'en';
  if (!['en', 'ru', 'kk'].includes(lang)) {
    io.err('--lang: expected en, ru or kk');
    return 2;
  }
  let password: string | undefined;
  if (args.passwordEnv) {
    password = io.env[args.passwordEnv];
    if (password === undefined) {
      io.err(`--password-env: environment variable ${args.passwordEnv} is not set`);
      return 2;
    }
    registerSecret(password);
  }
  let fromJson: Record<string, unknown>;
  const pairs = args.option ?? [];
  try {
    fromJson = args.optionsJson ? (JSON.parse(args.optionsJson) as Record<string, unknown>) : {};
    parseOptionPairs(pairs);
  } catch (e) {
    io.err(e instanceof UsageError ? e.message : `--options-json: ${(e as Error).message}`);
    return 2;
  }
  const build = (asText: Set<string>) => {
    let o: Record<string, unknown> = { ...fromJson };
    for (const pair of pairs) o = mergeDeep(o, parseOptionPairs([pair], !asText.has(pair.slice(0, pair.indexOf('=')))));
    return Object.keys(o).length ? o : undefined;
  };
  let opts = driver.optionsSchema.safeParse(build(new Set()));
  if (!opts.success) {
    // "--option bodyContains=200" means the text 200: the options the driver rejected as typed
    // values are tried again as text, the others keep their types.
    const rejected = new Set(opts.error.issues.map((i) => i.path.map(String).join('.')));
    const retry = driver.optionsSchema.safeParse(build(rejected));
    if (retry.success) opts = retry;
  }
  if (!opts.success) {
    for (const i of opts.error.issues) io.err(`--option ${formatPath(i.path)}: ${i.message}`);
    return 2;
  }
  const timeoutS = args.timeout === undefined ? driver.defaults.timeoutSeconds : Number(args.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
    io.err('--timeout: expected seconds, more than 0 and at most 600');
    return 2;
  }

  const run = await runProbe(driver, {
    id: 'cli', driver: driver.kind, host: addr.host, port: addr.port, options: opts.data,
    credentials: args.username || password ? { username: args.username, password } : undefined,
  }, { clock: new SystemClock(), timeoutMs: timeoutS * 1000, log: createLogger({ level: 'warn' }) });

  if (args.json) {
    io.out(JSON.stringify({ driver: driver.kind, address: args.address, outcome: run.outcome, durationMs: run.durationMs, results: run.results }, null, 2));
  } else {
    for (const r of run.results) {
      const text = lang === 'en' ? r.message : translate(lang, r.messageKey, r.params, r.message);
      io.out(`${r.status.toUpperCase().padEnd(8)} ${r.check.padEnd(16)} ${text}`);
    }
  }
  return run.results.every((r) => r.status === 'ok') ? 0 : 1;
}
