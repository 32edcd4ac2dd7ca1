/** Delivery channels for the outbox: e-mail (SMTP, nodemailer), webhooks (signed JSON), the console. */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import { request } from 'undici';
import type { Clock } from '../../collector/core/clock';
import type { Db } from '../../collector/store/db';
import type { Delivery, Sender } from './outbox';

export interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  /** Require STARTTLS on a plain connection (production); tests talk plain SMTP on loopback. */
  requireTls: boolean;
  from: string;
  username?: string;
  password?: string;
}

export function emailSender(cfg: EmailConfig): Sender {
  const transport = nodemailer.createTransport({
    host: cfg.host, port: cfg.port, secure: cfg.secure, requireTLS: cfg.requireTls, ignoreTLS: !cfg.secure && !cfg.requireTls,
    auth: cfg.username ? { user: cfg.username, pass: cfg.password ?? '' } : undefined,
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
  });
  return async (m: Delivery) => {
    await transport.sendMail({
      from: cfg.from, to: m.recipient, subject: m.subject, text: m.body,
      // The same notice retried carries the same Message-ID: mail systems drop the repeat.
      messageId: `<${crypto.createHash('sha256').update(m.key).digest('hex').slice(0, 32)}@hallwatch>`,
      headers: { 'X-Hallwatch-Idempotency-Key': m.key },
    });
  };
}

export interface WebhookConfig {
  url: string;
  /** HMAC-SHA256 key; the signature goes in X-Hallwatch-Signature. */
  secret?: string;
}

export function webhookSender(hooks: WebhookConfig[]): Sender {
  return async (m: Delivery, signal: AbortSignal) => {
    const hook = hooks.find((h) => h.url === m.recipient);
    if (!hook) throw new Error(`webhook ${m.recipient} is no longer configured`);
    const body = JSON.stringify({ key: m.key, subject: m.subject, text: m.body, ...m.payload });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': m.key };
    if (hook.secret) headers['x-hallwatch-signature'] = 'sha256=' + crypto.createHmac('sha256', hook.secret).update(body).digest('hex');
    const res = await request(hook.url, { method: 'POST', headers, body, signal });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`webhook answered HTTP ${res.statusCode}`);
  };
}

/** The console: a row per person (the badge) and a live push to their open consoles. */
export function consoleSender(db: Db, clock: Clock, push: (login: string, notificationId: number) => void): Sender {
  return async (m: Delivery) => {
    const key = String(m.payload.messageKey ?? 'notify.generic');
    // Keyed by the outbox key: a retry after a crash does not show the notice twice.
    const r = await db.run('INSERT INTO notifications (outbox_key, login, incident_id, message_key, params_json, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (outbox_key) DO NOTHING',
      [m.key, m.recipient, m.incidentId, key, JSON.stringify(m.payload.params ?? {}), new Date(clock.now()).toISOString()]);
    if (r.changes > 0) push(m.recipient, r.lastID);
  };
}
