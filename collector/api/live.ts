/**
 * WebSocket /ws: pushes hall status changes and new results to every console.
 * A slow client never slows the collector: past a buffer limit it misses result pushes
 * (the status changes still go), and a client that stops reading entirely is dropped.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { Identity } from '../auth/auth-service';
import { can, inScope, type Scope } from '../auth/roles';
import type { WsMessage } from './dto';

const SOFT_LIMIT = 1 << 20;
const HARD_LIMIT = 16 << 20;

export class LiveHub {
  private wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private unsubscribe: Array<() => void> = [];
  private heartbeat: TimerHandle | undefined;
  private alive = new WeakMap<WebSocket, boolean>();

  private scopes = new WeakMap<WebSocket, Scope>();
  private logins = new WeakMap<WebSocket, string>();
  private requests = new WeakMap<WebSocket, http.IncomingMessage>();

  constructor(
    server: http.Server,
    bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Who is behind the upgrade request (the console's session cookie). */
    private readonly identify: (req: http.IncomingMessage) => Promise<Identity | undefined>,
    private readonly courtOfHall: (hallId: string) => string | undefined,
  ) {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head).catch((e) => {
        this.log.warn('websocket upgrade failed', { error: (e as Error).message });
        socket.destroy();
      });
    });
    this.unsubscribe.push(
      bus.on('hall-status', (e) => this.broadcast({ type: 'hall-status', hall: e.hall, previous: e.previous }, true)),
      bus.on('results', (e) => this.broadcast({ type: 'results', deviceId: e.deviceId, hallId: e.hallId, status: e.status, results: e.results }, false)),
      bus.on('incident', (e) => this.broadcast({ type: 'incident', ...e }, true)),
      bus.on('notification', (e) => {
        for (const ws of this.wss.clients) if (this.logins.get(ws) === e.login) this.send(ws, { type: 'notification', notificationId: e.notificationId }, true);
      }),
    );
    this.beat();
  }

  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws') return void refuse('404 Not Found');
    // A page on another site must not ride the user's cookie into our live feed.
    const origin = req.headers.origin;
    if (origin) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.headers.host) return void refuse('403 Forbidden');
    }
    const id = await this.identify(req);
    if (!id || !can(id.principal, 'hall.view', id.scope).allowed) return void refuse('401 Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.scopes.set(ws, id.scope);
      this.logins.set(ws, id.principal.name);
      this.requests.set(ws, req);
      this.accept(ws);
    });
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  private accept(ws: WebSocket): void {
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('error', (e) => this.log.debug('websocket error', { error: e.message }));
    // The console only listens; anything it sends is ignored.
    ws.on('message', () => {});
    this.send(ws, { type: 'hello', serverTime: new Date(this.clock.now()).toISOString() }, true);
  }

  private send(ws: WebSocket, msg: WsMessage, essential: boolean): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > HARD_LIMIT) {
      ws.terminate();
      return;
    }
    if (!essential && ws.bufferedAmount > SOFT_LIMIT) return;
    ws.send(JSON.stringify(msg));
  }

  broadcast(msg: WsMessage, essential: boolean): void {
    if (this.wss.clients.size === 0) return;
    const hallId = msg.type === 'hall-status' ? msg.hall.hallId : msg.type === 'results' ? msg.hallId : undefined;
    const court = msg.type === 'incident' ? msg.courtId : hallId ? this.courtOfHall(hallId) : undefined;
    for (const ws of this.wss.clients) {
      const scope = this.scopes.get(ws);
      // Each console hears only of the halls of the courts its user answers for.
      if (court !== undefined && (!scope || !inScope(scope, court))) continue;
      this.send(ws, msg, essential);
    }
  }

  private beat(): void {
    this.heartbeat = this.clock.setTimer(30_000, () => {
      for (const ws of this.wss.clients) {
        if (this.alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        this.alive.set(ws, false);
        ws.ping();
      }
      void this.recheckSessions().finally(() => this.beat());
    });
  }

  /** A socket lives no longer than its session (sign-out, expiry, a disabled account, a new password). */
  async recheckSessions(): Promise<number> {
    let closed = 0;
    for (const ws of this.wss.clients) {
      const req = this.requests.get(ws);
      const id = req ? await this.identify(req).catch(() => undefined) : undefined;
      if (!id) {
        ws.close(4401, 'session ended');
        closed++;
      }
    }
    return closed;
  }

  close(): void {
    if (this.heartbeat) this.clock.clearTimer(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
