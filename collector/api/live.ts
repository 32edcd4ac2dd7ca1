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
import type { WsMessage } from './dto';

const SOFT_LIMIT = 1 << 20;
const HARD_LIMIT = 16 << 20;

export class LiveHub {
  private wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private unsubscribe: Array<() => void> = [];
  private heartbeat: TimerHandle | undefined;
  private alive = new WeakMap<WebSocket, boolean>();

  constructor(server: http.Server, bus: EventBus, private readonly clock: Clock, private readonly log: Logger) {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    this.unsubscribe.push(
      bus.on('hall-status', (e) => this.broadcast({ type: 'hall-status', hall: e.hall, previous: e.previous }, true)),
      bus.on('results', (e) => this.broadcast({ type: 'results', deviceId: e.deviceId, hallId: e.hallId, status: e.status, results: e.results }, false)),
    );
    this.beat();
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
    for (const ws of this.wss.clients) this.send(ws, msg, essential);
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
      this.beat();
    });
  }

  close(): void {
    if (this.heartbeat) this.clock.clearTimer(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
