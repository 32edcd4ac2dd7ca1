/**
 * WebSocket /ws: pushes hall status changes and new results to every console.
 * A slow client never slows the collector: past a buffer limit it misses result pushes
 * (the status changes still go), and a client that stops reading entirely is dropped.
 *
 * The console may ask for a recorder's live levels: {type:'subscribe-levels', deviceId} and
 * {type:'unsubscribe-levels', deviceId}. A subscription re-checks the session and needs
 * 'hall.view' in the recorder's court; a refused one is answered {type:'error', deviceId, ...}.
 * The frames ({type:'levels', ...}) come from level-stream.ts, one reader per recorder.
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
import type { LevelRelay, LevelsWsMessage } from './level-stream';

const SOFT_LIMIT = 1 << 20;
const HARD_LIMIT = 16 << 20;
/** A console shows one hall's panel at a time; a few more cover a second tab on the same socket. */
const MAX_LEVEL_SUBSCRIPTIONS = 8;
/** Halls whose device results one socket follows (a hall page, or a few tabs' worth). */
const MAX_WATCHED_HALLS = 8;
/** Messages of one socket waiting to be handled (each subscription reads the session store). */
const MAX_PENDING_MESSAGES = 32;

type Outgoing = WsMessage | LevelsWsMessage;

export class LiveHub {
  private wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private unsubscribe: Array<() => void> = [];
  private heartbeat: TimerHandle | undefined;
  private alive = new WeakMap<WebSocket, boolean>();

  private scopes = new WeakMap<WebSocket, Scope>();
  private logins = new WeakMap<WebSocket, string>();
  private requests = new WeakMap<WebSocket, http.IncomingMessage>();
  /** Per socket: recorder id → its unsubscribe from the level relay. */
  private levelSubs = new WeakMap<WebSocket, Map<string, () => void>>();
  /**
   * Per socket: the halls whose device results it follows ('watch-hall'). Every probe's results
   * went to every console before: at a national fleet that is ~500 messages a second to each, for
   * a hall page that shows one hall (docs/BENCHMARKS.md, fleet). Hall statuses still go to all.
   */
  private watched = new WeakMap<WebSocket, Set<string>>();
  /** Per socket: its messages are handled one after another (a subscribe awaits the session). */
  private inbox = new WeakMap<WebSocket, { tail: Promise<void>; pending: number }>();

  constructor(
    server: http.Server,
    bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Who is behind the upgrade request (the console's session cookie). */
    private readonly identify: (req: http.IncomingMessage) => Promise<Identity | undefined>,
    private readonly courtOfHall: (hallId: string) => string | undefined,
    /** Live levels of recorders; without it, level subscriptions are refused as unknown. */
    readonly levels?: LevelRelay,
  ) {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head).catch((e) => {
        this.log.warn('websocket upgrade failed', { error: (e as Error).message });
        socket.destroy();
      });
    });
    this.unsubscribe.push(
      bus.on('hall-status', (e) => this.broadcast({ type: 'hall-status', hall: e.hall, previous: e.previous }, true)),
      bus.on('results', (e) => this.sendResults({ type: 'results', deviceId: e.deviceId, hallId: e.hallId, status: e.status, results: e.results })),
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
    ws.on('message', (data, isBinary) => {
      let q = this.inbox.get(ws);
      if (!q) this.inbox.set(ws, (q = { tail: Promise.resolve(), pending: 0 }));
      // A console sends a message when a panel opens or closes; a flood is not a console.
      if (++q.pending > MAX_PENDING_MESSAGES) return void ws.close(1008, 'too many messages');
      const inbox = q;
      inbox.tail = inbox.tail
        .then(() => this.onClientMessage(ws, isBinary ? undefined : String(data)))
        .catch((e) => this.log.warn('websocket message failed', { error: (e as Error).message }))
        .finally(() => void inbox.pending--);
    });
    ws.on('close', () => this.releaseLevels(ws));
    this.send(ws, { type: 'hello', serverTime: new Date(this.clock.now()).toISOString() }, true);
  }

  private async onClientMessage(ws: WebSocket, text: string | undefined): Promise<void> {
    let msg: { type?: unknown; deviceId?: unknown; hallId?: unknown } | undefined;
    try {
      msg = text === undefined ? undefined : (JSON.parse(text) as typeof msg);
    } catch {
      msg = undefined;
    }
    const type = typeof msg?.type === 'string' ? msg.type : undefined;
    if (type === 'watch-hall' || type === 'unwatch-hall') return this.watchHall(ws, type, msg?.hallId);
    const deviceId = typeof msg?.deviceId === 'string' && msg.deviceId.length > 0 && msg.deviceId.length <= 200 ? msg.deviceId : undefined;
    if ((type !== 'subscribe-levels' && type !== 'unsubscribe-levels') || deviceId === undefined) {
      const request = type === 'subscribe-levels' || type === 'unsubscribe-levels' ? type : 'message';
      this.send(ws, { type: 'error', request, error: 'bad-request', message: 'expected {"type":"subscribe-levels"|"unsubscribe-levels","deviceId":"..."} or {"type":"watch-hall"|"unwatch-hall","hallId":"..."}' }, true);
      return;
    }
    if (type === 'unsubscribe-levels') {
      const subs = this.levelSubs.get(ws);
      subs?.get(deviceId)?.();
      subs?.delete(deviceId);
      return;
    }
    await this.subscribeLevels(ws, deviceId);
  }

  private async subscribeLevels(ws: WebSocket, deviceId: string): Promise<void> {
    const refuse = (error: 'not-found' | 'forbidden' | 'too-many', message: string) =>
      this.send(ws, { type: 'error', request: 'subscribe-levels', deviceId, error, message }, true);
    // The socket may have outlived its session since the last heartbeat: ask again.
    const req = this.requests.get(ws);
    const id = req ? await this.identify(req).catch(() => undefined) : undefined;
    if (ws.readyState !== ws.OPEN) return;
    if (!id) return void ws.close(4401, 'session ended');
    this.scopes.set(ws, id.scope);
    const rec = this.levels?.recorder(deviceId);
    if (!this.levels || !rec) return refuse('not-found', `no recorder "${deviceId}"`);
    const d = can(id.principal, 'hall.view', id.scope, rec.courtId);
    if (!d.allowed) {
      return refuse('forbidden', d.reason === 'role'
        ? `your role (${id.principal.role}) may not view halls`
        : `recorder "${deviceId}" is in court "${rec.courtId}", outside the courts you answer for`);
    }
    let subs = this.levelSubs.get(ws);
    if (!subs) this.levelSubs.set(ws, (subs = new Map()));
    if (subs.has(deviceId)) return;
    if (subs.size >= MAX_LEVEL_SUBSCRIPTIONS) return refuse('too-many', `at most ${MAX_LEVEL_SUBSCRIPTIONS} recorders' levels at once`);
    // Frames are not essential: a console that cannot keep up skips some, the next one is newer anyway.
    subs.set(deviceId, this.levels.subscribe(deviceId, (frame) => this.send(ws, { type: 'levels', ...frame }, false)));
  }

  /** Follow (or stop following) one hall's device results; in the user's courts only. */
  private watchHall(ws: WebSocket, type: 'watch-hall' | 'unwatch-hall', raw: unknown): void {
    const hallId = typeof raw === 'string' && raw.length > 0 && raw.length <= 200 ? raw : undefined;
    const refuse = (error: 'bad-request' | 'not-found' | 'forbidden' | 'too-many', message: string) =>
      this.send(ws, { type: 'error', request: type, ...(hallId ? { hallId } : {}), error, message }, true);
    if (!hallId) return refuse('bad-request', `expected {"type":"${type}","hallId":"..."}`);
    let set = this.watched.get(ws);
    if (type === 'unwatch-hall') return void set?.delete(hallId);
    const court = this.courtOfHall(hallId);
    if (!court) return refuse('not-found', `no hall "${hallId}"`);
    const scope = this.scopes.get(ws);
    if (!scope || !inScope(scope, court)) return refuse('forbidden', `hall "${hallId}" is in court "${court}", outside the courts you answer for`);
    if (!set) this.watched.set(ws, (set = new Set()));
    if (!set.has(hallId) && set.size >= MAX_WATCHED_HALLS) return refuse('too-many', `at most ${MAX_WATCHED_HALLS} halls at once`);
    set.add(hallId);
  }

  /** A probe's results go to the consoles watching its hall, serialized once. */
  private sendResults(msg: Extract<WsMessage, { type: 'results' }>): void {
    const court = this.courtOfHall(msg.hallId);
    if (court === undefined) return;
    let text: string | undefined;
    for (const ws of this.wss.clients) {
      if (!this.watched.get(ws)?.has(msg.hallId)) continue;
      const scope = this.scopes.get(ws);
      // The scope may have narrowed since the watch began (heartbeat recheck).
      if (!scope || !inScope(scope, court)) continue;
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount > SOFT_LIMIT) continue;
      ws.send((text ??= JSON.stringify(msg)));
    }
  }

  private releaseLevels(ws: WebSocket): void {
    const subs = this.levelSubs.get(ws);
    if (!subs) return;
    for (const u of subs.values()) u();
    subs.clear();
  }

  private send(ws: WebSocket, msg: Outgoing, essential: boolean): void {
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
        this.releaseLevels(ws);
        ws.close(4401, 'session ended');
        closed++;
        continue;
      }
      // The account may have changed (another court, another role): its pushes and levels follow.
      this.scopes.set(ws, id.scope);
      const subs = this.levelSubs.get(ws);
      for (const [deviceId, unsubscribe] of subs ?? []) {
        const rec = this.levels?.recorder(deviceId);
        if (rec && can(id.principal, 'hall.view', id.scope, rec.courtId).allowed) continue;
        unsubscribe();
        subs!.delete(deviceId);
        this.send(ws, { type: 'error', request: 'subscribe-levels', deviceId, error: 'forbidden', message: `recorder "${deviceId}" is no longer in the courts you answer for` }, true);
      }
    }
    return closed;
  }

  close(): void {
    if (this.heartbeat) this.clock.clearTimer(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const ws of this.wss.clients) {
      this.releaseLevels(ws);
      ws.terminate();
    }
    this.levels?.close();
    this.wss.close();
  }
}
