/** A real SMTP server (npm smtp-server) on 127.0.0.1 for tests, that can go down and come back on its port. */
import { SMTPServer } from 'smtp-server';
import { freePort } from './slapd';

export interface Mail {
  to: string[];
  subject: string;
  messageId: string;
  idempotencyKey: string;
  text: string;
}

export class TestSmtp {
  readonly mails: Mail[] = [];
  private server: SMTPServer | undefined;
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  port = 0;

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const split = raw.indexOf('\r\n\r\n');
          // Unfold headers (RFC 5322 §2.2.3) and decode the body's transfer encoding.
          const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
          const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
          let body = raw.slice(split + 4);
          const cte = header('Content-Transfer-Encoding').toLowerCase();
          if (cte === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
          else if (cte === 'quoted-printable') {
            const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
            body = Buffer.from(bytes, 'latin1').toString('utf8');
          }
          this.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address), subject: header('Subject'), messageId: header('Message-ID'),
            idempotencyKey: header('X-Hallwatch-Idempotency-Key'), text: body,
          });
          for (const w of this.waiters.filter((x) => this.mails.length >= x.n)) w.resolve();
          this.waiters = this.waiters.filter((x) => this.mails.length < x.n);
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Resolves when at least n mails have arrived (a real event, no polling). */
  received(n: number): Promise<void> {
    if (this.mails.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}
