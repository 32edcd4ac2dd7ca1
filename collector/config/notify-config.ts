/** Where notices go besides the console (`--notify FILE`): SMTP and webhooks; secrets by reference. */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import type { NotifyConfig } from '../app';
import { registerSecret } from '../core/logger';
import { formatPath, type Problem } from './inventory';

const envRef = z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) });

export const notifySchema = z.strictObject({
  publicUrl: z.string().url().optional(),
  email: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    requireTls: z.boolean().default(true),
    from: z.string().min(3),
    username: z.string().optional(),
    password: envRef.optional(),
  }).optional(),
  webhooks: z.array(z.strictObject({ url: z.string().url(), secret: envRef.optional() })).default([]),
  /** The internal portal's endpoint for pushed hall states (000 §4). */
  portal: z.strictObject({ url: z.string().url(), token: envRef.optional() }).optional(),
});

export function loadNotifyConfig(file: string | undefined, env: NodeJS.ProcessEnv): { ok: true; config: NotifyConfig } | { ok: false; problems: Problem[] } {
  if (!file) return { ok: true, config: {} };
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: (e as Error).message.split('\n')[0]! }] };
  }
  const r = notifySchema.safeParse(raw ?? {});
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const problems: Problem[] = [];
  const secret = (ref: { env: string } | undefined, at: string) => {
    if (!ref) return undefined;
    const v = env[ref.env];
    if (!v) problems.push({ path: at, message: `environment variable ${ref.env} is not set` });
    registerSecret(v);
    return v;
  };
  const c = r.data;
  const config: NotifyConfig = {
    publicUrl: c.publicUrl,
    email: c.email ? { ...c.email, password: secret(c.email.password, 'email.password') } : undefined,
    webhooks: c.webhooks.map((w, i) => ({ url: w.url, secret: secret(w.secret, `webhooks[${i}].secret`) })),
    portal: c.portal ? { url: c.portal.url, token: secret(c.portal.token, 'portal.token') } : undefined,
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
