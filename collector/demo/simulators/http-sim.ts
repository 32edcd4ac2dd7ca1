/**
 * Base of the demo's device simulators: one HTTP server on 127.0.0.1 per simulated device,
 * with fault modes switchable at run time. `offline` really closes the port, `hang` accepts
 * and never answers: the collector sees exactly what a broken device would show it.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type BaseFault = 'none' | 'offline' | 'hang' | 'http-500';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorized: boolean;
}

export interface SimReply {
  status: number;
  type: string;
  body: string | Buffer;
}

export abstract class HttpSimulator<Fault extends string = BaseFault> {
  private server: http.Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  fault: Fault | BaseFault = 'none';
  requests = 0;

  constructor(readonly id: string, private readonly auth?: { username: string; password: string } | { bearer: string }) {}

  protected abstract handle(req: SimRequest): SimReply;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => this.serve(req, res));
    server.keepAliveTimeout = 130_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Switch fault mode; `offline` closes the listening port, leaving it re-opens on the same port. */
  async setFault(fault: Fault | BaseFault): Promise<void> {
    const wasOffline = this.fault === 'offline';
    this.fault = fault;
    if (fault === 'offline' && !wasOffline) await this.stop();
    if (fault !== 'offline' && wasOffline) await this.start(this.port);
    if (fault !== 'hang') {
      // Sockets held by an earlier hang would otherwise stay open for ever.
      for (const s of this.sockets) if ((s as Socket & { hung?: boolean }).hung) s.destroy();
    }
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests++;
    if (this.fault === 'hang') {
      (req.socket as Socket & { hung?: boolean }).hung = true;
      return;
    }
    if (this.fault === 'http-500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim');
    const reply = this.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorized: this.checkAuth(req) });
    res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) }).end(reply.body);
  }

  private checkAuth(req: http.IncomingMessage): boolean {
    if (!this.auth) return true;
    const h = req.headers.authorization ?? '';
    if ('bearer' in this.auth) return h === `Bearer ${this.auth.bearer}`;
    if (!h.startsWith('Basic ')) return false;
    return Buffer.from(h.slice(6), 'base64').toString() === `${this.auth.username}:${this.auth.password}`;
  }
}

export const json = (status: number, body: unknown): SimReply => ({ status, type: 'application/json', body: JSON.stringify(body) });
export const unauthorized = (): SimReply => ({ status: 401, type: 'text/plain', body: 'unauthorized' });
export const notFoundReply = (): SimReply => ({ status: 404, type: 'text/plain', body: 'not found' });
