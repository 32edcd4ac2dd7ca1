/**
 * JSON-lines logger. Secrets never reach it: every field whose name looks like a secret is
 * replaced, and known secret values (registered at inventory load) are masked in any string.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_FIELD = /pass(word)?|secret|token|key|community|credential/i;

/** Values that must never be printed, whatever field they hide in. */
const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; a 1-3 character password is a problem of its own.
  if (value && value.length >= 4) knownSecrets.add(value);
}

export function maskSecrets(text: string): string {
  let out = text;
  for (const s of knownSecrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  return out;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return maskSecrets(value);
  if (value instanceof Error) return maskSecrets(value.message);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELD.test(k) && v !== undefined ? '***' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => number;
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[opts.level ?? (process.env.HALLWATCH_LOG_LEVEL as LogLevel) ?? 'info'] ?? 20;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = opts.now ?? Date.now;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    const rec = redact({ ts: new Date(now()).toISOString(), level, msg, ...base, ...fields });
    write(JSON.stringify(rec));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests that do not assert on logs). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
