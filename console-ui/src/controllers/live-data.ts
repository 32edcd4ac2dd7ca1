/**
 * Live data for the console: the board fetched over HTTP, kept current by WebSocket pushes.
 *
 * It runs only while someone is signed in: the app calls start() after sign-in and stop()
 * at sign-out, which closes the socket and forgets the board (the next user has other courts).
 *
 * One shared store (`liveData`) owns the connection. Views subscribe through
 * LiveDataController (re-render on changes) or listen to its events directly:
 *   'board'       the board was (re)loaded or failed to load
 *   'conn'        the connection state changed
 *   'hall-status' a hall's status changed (detail: HallStatusEventDetail)
 *   'results'     a device reported fresh check results (detail: ResultsEventDetail)
 *   'resync'      the socket came back after a drop: state may have changed, re-fetch
 *   'incident'    an incident changed (detail: IncidentEventDetail, the push as it came)
 *   'incident-updated'  that incident was fetched again (detail: IncidentUpdatedDetail)
 *   'incidents'   the active incidents (board markers, hall page) changed
 *   'notification' a new notice for the signed-in person (detail: { notificationId })
 *   'clock'       the server's clock offset changed (the socket's hello): re-derive periods
 *
 * Active incidents: the board has no incident ids, so the store fetches GET /api/incidents
 * once at start (and after a reconnect) and each changed incident again on its push.
 *
 * Live levels of a recorder (the capture panel): subscribeLevels(deviceId, listener) asks the
 * server for them on this same socket ({type:'subscribe-levels'}), once per recorder however many
 * listeners; the last listener to leave sends {type:'unsubscribe-levels'}. After a reconnect the
 * subscriptions are sent again; while the socket is down the listeners hear 'offline'.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BoardDto, CourtDto, HallStatusDto, HallSummaryDto, RegionDto, WsMessage } from '../../../collector/api/dto';
import type { CheckResult, Status } from '../../../collector/core/types';
import type { ActVersion } from '../../../alerts/acts/act-service';
import type { IncidentDto, IncidentEventDto } from '../../../alerts/incidents/types';
import type { LevelsFrame, LevelsWsMessage, LiveClientMessage } from '../../../collector/api/level-stream';
import { ApiError, isAbort, requestJson } from '../api';

/** 'connecting' only until the first attempt succeeds or fails; then 'connected' / 'reconnecting'. */
export type ConnState = 'connecting' | 'connected' | 'reconnecting';

export interface HallStatusEventDetail {
  hall: HallStatusDto;
  previous: Status | null;
}

export interface ResultsEventDetail {
  deviceId: string;
  hallId: string;
  status: Status;
  results: CheckResult[];
}

/**
 * What a levels listener hears: a frame from the server, or why there are none:
 * 'offline' the socket to the server is down; 'refused' the server refused the subscription
 * (unknown recorder, or a hall outside the user's courts; `message` says which).
 */
export type LevelsUpdate = LevelsFrame | { deviceId: string; available: false; reason: 'offline' | 'refused'; message?: string };
export type LevelsUpdateListener = (update: LevelsUpdate) => void;

/** GET /api/incidents/:id: the incident with its timeline and its latest act version. */
export type IncidentDetail = IncidentDto & { events: IncidentEventDto[]; act: ActVersion | null };

export interface IncidentEventDetail {
  incidentId: number;
  hallId: string;
  courtId: string;
  state: string;
}

export interface IncidentUpdatedDetail {
  id: number;
  /** null: gone from the user's view (not found, or out of scope). */
  incident: IncidentDetail | null;
}

export type LiveEvent =
  | 'board'
  | 'conn'
  | 'hall-status'
  | 'results'
  | 'resync'
  | 'incident'
  | 'incident-updated'
  | 'incidents'
  | 'notification'
  | 'clock';

type BoardRegion = BoardDto['regions'][number];
type BoardCourt = BoardRegion['courts'][number];

interface HallEntry {
  hall: HallSummaryDto;
  court: BoardCourt;
  region: BoardRegion;
}

const STATUS_KEYS: readonly Status[] = ['ok', 'degraded', 'down', 'unknown', 'maintenance'];

function emptyCounts(): Record<Status, number> {
  return { ok: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 };
}

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

export class LiveData extends EventTarget {
  board: BoardDto | null = null;
  /** Error of the latest board load; the previous board (if any) is kept. */
  boardError: unknown = null;
  loading = false;
  conn: ConnState = 'connecting';
  /** When the board was last known current (load or push), UTC ms. */
  updatedAt: number | null = null;
  /** serverTime - client time, from the socket's hello. */
  serverOffsetMs = 0;
  /** The socket's hello has given the server's time at least once (until then now() is the browser's). */
  clockKnown = false;

  private halls = new Map<string, HallEntry>();
  private ws: WebSocket | null = null;
  private attempt = 0;
  private everConnected = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private loadSeq = 0;
  private loadAbort: AbortController | null = null;
  private listening = false;
  private refusedCheck: Promise<unknown> | null = null;
  /** Active (open or acknowledged) incidents in the user's scope, by id. */
  readonly activeIncidents = new Map<number, IncidentDto>();
  incidentsLoaded = false;
  private incidentsSeq = 0;
  /** Incidents fetched one by one while the list was loading: the list must not undo them. */
  private refreshedDuringList = new Set<number>();
  private incidentFetches = new Map<number, { again: boolean; done: Promise<IncidentDetail | null> }>();
  /** Level listeners by recorder id: the server is subscribed to each recorder listed here. */
  private levelListeners = new Map<string, Set<LevelsUpdateListener>>();
  /** Halls watched for device results, with how many views watch each. */
  private watchedHalls = new Map<string, number>();

  get running(): boolean {
    return this.started;
  }

  /** Load the board and open the socket (once; again after stop()). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loadBoard();
    void this.loadIncidents();
    this.connect();
    if (!this.listening) {
      this.listening = true;
      window.addEventListener('online', () => this.reconnectNow());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.reconnectNow();
      });
    }
  }

  /** Close the socket, cancel loads and timers, and forget the board. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.loadSeq++;
    this.loadAbort?.abort();
    this.loadAbort = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'signed out');
    // The next user subscribes anew (their panels are new); the old listeners hear nothing more.
    this.levelListeners.clear();
    this.watchedHalls.clear();
    this.board = null;
    this.boardError = null;
    this.loading = false;
    this.updatedAt = null;
    this.halls.clear();
    this.incidentsSeq++;
    this.activeIncidents.clear();
    this.incidentsLoaded = false;
    this.incidentFetches.clear();
    this.emit('incidents');
    this.attempt = 0;
    this.everConnected = false;
    this.conn = 'connecting';
    this.emit('conn');
    this.emit('board');
  }

  /** Server "now" in client ms, for durations. */
  now(): number {
    return Date.now() + this.serverOffsetMs;
  }

  hall(id: string): HallSummaryDto | undefined {
    return this.halls.get(id)?.hall;
  }

  /** The hall with its court and region from the board (names for incidents and notices). */
  hallInfo(id: string): { hall: HallSummaryDto; court: BoardCourt; region: BoardRegion } | undefined {
    return this.halls.get(id);
  }

  /** The newest active incident of a hall, if any. */
  incidentForHall(hallId: string): IncidentDto | undefined {
    let best: IncidentDto | undefined;
    for (const i of this.activeIncidents.values()) if (i.hallId === hallId && (!best || i.id > best.id)) best = i;
    return best;
  }

  /** GET /api/incidents?state=active: the markers on the board and the hall page. */
  async loadIncidents(): Promise<void> {
    if (!this.started) return;
    const seq = ++this.incidentsSeq;
    this.refreshedDuringList.clear();
    try {
      const list = await requestJson<IncidentDto[]>('/api/incidents?state=active');
      if (seq !== this.incidentsSeq || !this.started) return;
      const kept = new Map([...this.activeIncidents].filter(([id]) => this.refreshedDuringList.has(id)));
      this.activeIncidents.clear();
      for (const i of list) if (!this.refreshedDuringList.has(i.id)) this.activeIncidents.set(i.id, i);
      for (const [id, i] of kept) this.activeIncidents.set(id, i);
      this.incidentsLoaded = true;
      this.emit('incidents');
    } catch {
      // Markers are a convenience: the alerts view shows its own errors.
    }
  }

  /**
   * Fetch one incident again (after its push, or after the user changed it) and tell the views.
   * Calls for the same incident while a fetch runs fold into one more fetch after it.
   */
  refreshIncident(id: number): Promise<IncidentDetail | null> {
    const running = this.incidentFetches.get(id);
    if (running) {
      // The running loop fetches once more before it settles.
      running.again = true;
      return running.done;
    }
    const entry: { again: boolean; done: Promise<IncidentDetail | null> } = { again: false, done: Promise.resolve(null) };
    entry.done = (async () => {
      let result: IncidentDetail | null = null;
      do {
        entry.again = false;
        try {
          result = await requestJson<IncidentDetail>(`/api/incidents/${id}`);
        } catch (err) {
          if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 403)) {
            if (this.incidentFetches.get(id) === entry) this.incidentFetches.delete(id);
            throw err;
          }
          result = null;
        }
      } while (entry.again && this.started);
      if (this.incidentFetches.get(id) === entry) this.incidentFetches.delete(id);
      if (!this.started) return result;
      this.refreshedDuringList.add(id);
      if (result && result.state !== 'resolved') {
        const { events: _e, act: _a, ...dto } = result;
        this.activeIncidents.set(id, dto);
      } else this.activeIncidents.delete(id);
      this.emit('incident-updated', { id, incident: result } satisfies IncidentUpdatedDetail);
      this.emit('incidents');
      return result;
    })();
    this.incidentFetches.set(id, entry);
    return entry.done;
  }

  /**
   * Listen to a recorder's live levels over the socket; returns the unsubscribe function.
   * The server is asked once per recorder, whatever the number of listeners.
   */
  subscribeLevels(deviceId: string, listener: LevelsUpdateListener): () => void {
    let set = this.levelListeners.get(deviceId);
    if (!set) {
      set = new Set();
      this.levelListeners.set(deviceId, set);
      this.sendWs({ type: 'subscribe-levels', deviceId });
    }
    set.add(listener);
    // While the first connection is being made the panel waits; after a drop it says there is no connection.
    if (this.conn === 'reconnecting') listener({ deviceId, available: false, reason: 'offline' });
    const mine = set;
    return () => {
      if (!mine.delete(listener) || mine.size > 0 || this.levelListeners.get(deviceId) !== mine) return;
      this.levelListeners.delete(deviceId);
      this.sendWs({ type: 'unsubscribe-levels', deviceId });
    };
  }

  /**
   * Follow a hall's device results ('results' events): the server sends them only to sockets that
   * watch the hall. Returns the function that stops watching; counted per hall.
   */
  watchHall(hallId: string): () => void {
    const n = this.watchedHalls.get(hallId) ?? 0;
    this.watchedHalls.set(hallId, n + 1);
    if (n === 0) this.sendWs({ type: 'watch-hall', hallId });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.watchedHalls.get(hallId) ?? 1) - 1;
      if (left > 0) return void this.watchedHalls.set(hallId, left);
      this.watchedHalls.delete(hallId);
      this.sendWs({ type: 'unwatch-hall', hallId });
    };
  }

  /** Sends when the socket is open; otherwise the 'open' handler sends the subscriptions. */
  private sendWs(msg: LiveClientMessage): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  private tellLevels(deviceId: string, update: LevelsUpdate): void {
    for (const l of [...(this.levelListeners.get(deviceId) ?? [])]) l(update);
  }

  async loadBoard(): Promise<void> {
    if (!this.started) return;
    const seq = ++this.loadSeq;
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    this.loading = true;
    this.emit('board');
    try {
      const board = await requestJson<BoardDto>('/api/board', { signal: abort.signal });
      if (seq !== this.loadSeq) return;
      this.setBoard(board);
      this.boardError = null;
      this.updatedAt = Date.now();
    } catch (err) {
      if (isAbort(err) || seq !== this.loadSeq) return;
      this.boardError = err;
    } finally {
      if (seq === this.loadSeq) {
        this.loading = false;
        this.loadAbort = null;
        this.emit('board');
      }
    }
  }

  /** Apply a hall status (from a push or a probe-now answer) to the board. */
  applyHallStatus(status: HallStatusDto, previous: Status | null = null): void {
    const entry = this.halls.get(status.hallId);
    const prev = entry ? entry.hall.status.status : previous;
    if (entry) {
      entry.hall.status = status;
      this.recount(entry.court, entry.region);
      this.updatedAt = Date.now();
    } else if (this.board && !this.loading) {
      // A hall the board does not know yet (inventory changed): fetch the board again.
      void this.loadBoard();
    }
    this.emit('hall-status', { hall: status, previous: prev ?? previous } satisfies HallStatusEventDetail);
  }

  private setBoard(board: BoardDto): void {
    this.board = board;
    this.halls.clear();
    for (const region of board.regions) {
      for (const court of region.courts) {
        for (const hall of court.halls) this.halls.set(hall.id, { hall, court, region });
      }
      // The server's region totals count every court of the region; show only what this user sees.
      region.courtCount = region.courts.length;
      region.hallCount = region.courts.reduce((n, c) => n + c.halls.length, 0);
      for (const court of region.courts) this.recount(court, region);
    }
  }

  private recount(court: CourtDto & { halls: HallSummaryDto[] }, region: RegionDto & { courts: BoardCourt[] }): void {
    const c = emptyCounts();
    for (const h of court.halls) c[h.status.status] = (c[h.status.status] ?? 0) + 1;
    court.statusCounts = c;
    const r = emptyCounts();
    for (const ct of region.courts) {
      for (const s of STATUS_KEYS) r[s] += ct.statusCounts[s] ?? 0;
    }
    region.statusCounts = r;
  }

  // ---- WebSocket ----

  private url(): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/ws`;
  }

  private connect(): void {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    if (!this.started) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      opened = true;
      const wasReconnect = this.everConnected;
      this.everConnected = true;
      this.attempt = 0;
      this.setConn('connected');
      // A new socket has no subscriptions on the server: ask again for every recorder watched.
      for (const deviceId of this.levelListeners.keys()) this.sendWs({ type: 'subscribe-levels', deviceId });
      for (const hallId of this.watchedHalls.keys()) this.sendWs({ type: 'watch-hall', hallId });
      if (wasReconnect) {
        // We may have missed pushes while disconnected.
        void this.loadBoard();
        void this.loadIncidents();
        this.emit('resync');
      } else if (!this.board || this.boardError) {
        // The server was unreachable at start-up: the board load failed too.
        void this.loadBoard();
      }
    });
    ws.addEventListener('message', (ev: MessageEvent) => {
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      let msg: WsMessage | LevelsWsMessage;
      try {
        msg = JSON.parse(ev.data) as WsMessage | LevelsWsMessage;
      } catch {
        return;
      }
      this.onMessage(msg);
    });
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const deviceId of this.levelListeners.keys()) this.tellLevels(deviceId, { deviceId, available: false, reason: 'offline' });
      // Refused before it opened: the session may be over (the upgrade answers 401). Asking
      // the API tells the session store, which signs the console out and stops us.
      if (!opened && !this.refusedCheck) {
        this.refusedCheck = requestJson('/api/session')
          .catch(() => undefined)
          .finally(() => (this.refusedCheck = null));
      }
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close'.
  }

  private onMessage(msg: WsMessage | LevelsWsMessage): void {
    switch (msg.type) {
      case 'hello': {
        const t = Date.parse(msg.serverTime);
        if (!Number.isNaN(t)) {
          const before = this.serverOffsetMs;
          const first = !this.clockKnown;
          this.serverOffsetMs = t - Date.now();
          this.clockKnown = true;
          if (first || Math.abs(this.serverOffsetMs - before) > 1000) this.emit('clock');
        }
        break;
      }
      case 'hall-status':
        if (msg.hall && typeof msg.hall.hallId === 'string') this.applyHallStatus(msg.hall, msg.previous ?? null);
        break;
      case 'results':
        this.emit('results', {
          deviceId: msg.deviceId,
          hallId: msg.hallId,
          status: msg.status,
          results: Array.isArray(msg.results) ? msg.results : [],
        } satisfies ResultsEventDetail);
        break;
      case 'incident':
        if (typeof msg.incidentId !== 'number') break;
        this.emit('incident', { incidentId: msg.incidentId, hallId: msg.hallId, courtId: msg.courtId, state: msg.state } satisfies IncidentEventDetail);
        this.refreshIncident(msg.incidentId).catch(() => undefined);
        break;
      case 'notification':
        this.emit('notification', { notificationId: msg.notificationId });
        break;
      case 'levels': {
        if (typeof msg.deviceId !== 'string') break;
        const { type: _t, ...frame } = msg;
        if (frame.available && !Array.isArray(frame.channels)) break;
        this.tellLevels(msg.deviceId, frame);
        break;
      }
      case 'error':
        if (msg.request === 'subscribe-levels' && typeof msg.deviceId === 'string') {
          this.tellLevels(msg.deviceId, { deviceId: msg.deviceId, available: false, reason: 'refused', message: msg.message });
        }
        break;
      default:
        break;
    }
  }

  private scheduleReconnect(): void {
    if (!this.started) return;
    this.setConn('reconnecting');
    if (this.reconnectTimer) return;
    const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = Math.round(exp * (0.8 + Math.random() * 0.4));
    this.attempt = Math.min(this.attempt + 1, 10);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** Skip the back-off wait (network came back, tab became visible). */
  private reconnectNow(): void {
    if (!this.started || this.ws || !this.reconnectTimer) return;
    this.attempt = 0;
    this.connect();
  }

  private setConn(state: ConnState): void {
    if (this.conn === state) return;
    this.conn = state;
    this.emit('conn');
  }

  private emit(type: LiveEvent, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export const liveData = new LiveData();

/** Re-renders the host on the given store events. */
export class LiveDataController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly events: readonly LiveEvent[];
  private readonly onEvent = (): void => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost, events: readonly LiveEvent[] = ['board', 'conn', 'hall-status']) {
    this.host = host;
    this.events = events;
    host.addController(this);
  }

  get data(): LiveData {
    return liveData;
  }

  hostConnected(): void {
    for (const e of this.events) liveData.addEventListener(e, this.onEvent);
  }

  hostDisconnected(): void {
    for (const e of this.events) liveData.removeEventListener(e, this.onEvent);
  }
}
