/**
 * Hall page (#/hall/<id>): header with court, region, status, causes and since when; the
 * devices with their checks and a "probe now" button each; the hall's status history.
 * Live: 'results' pushes update the device checks in place, 'hall-status' the header.
 *
 * Test hooks: #hall-header[data-hall][data-status], article[data-device-id][data-status],
 * tr[data-check][data-status], button[data-probe-device], #status-history li[data-status].
 * Role: "probe now" only with 'device.probe' in the hall's court; the maintenance section
 * (components/hw-maintenance.ts) only with 'maintenance.manage' there.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeviceDto, HallDetailDto, HallStatusDto, HistoryPoint, ProbeNowDto } from '../../../collector/api/dto';
import type { CheckResult, Status } from '../../../collector/core/types';
import { ApiError, describeError, errorDetail, isAbort, requestJson } from '../api';
import { statusIcon } from '../components/status-icon';
import '../components/hw-status-badge';
import {
  LiveDataController,
  liveData,
  type HallStatusEventDetail,
  type ResultsEventDetail,
} from '../controllers/live-data';
import {
  categoryLabel,
  checkLabel,
  durationSince,
  formatDateTime,
  formatDuration,
  formatTime,
  formatValues,
  hallExtraName,
  message,
  worstStatus,
} from '../format';
import { LangController, t, type Lang } from '../i18n';
import { base, pageCrumbs } from '../styles';
import '../components/hw-maintenance';
import '../components/hw-report-button';
import '../components/hw-capture';
import { can } from '../session';

interface ProbeState {
  busy: boolean;
  error?: string;
  errorDetail?: string;
  doneAt?: string;
}

/** A history point may carry the catalog key if the server sends it. */
type HistoryEntry = HistoryPoint & { messageKey?: string; params?: Record<string, string | number> };

const FRESH_MS = 3000;
const MAX_CHECK_HISTORY = 40;

function latest(results: CheckResult[]): string | null {
  let best: string | null = null;
  for (const r of results) if (!best || Date.parse(r.observedAt) > Date.parse(best)) best = r.observedAt;
  return best;
}

/** Replace checks by name (newer wins), keep the existing order, append new ones. */
/**
 * A probe's results replace the device's checks whole, as the store does: a check the newer probe
 * no longer reports (the snapshot of a camera gone offline) must not linger. An older set that
 * arrives late is ignored.
 */
function replaceChecks(existing: CheckResult[], incoming: CheckResult[]): CheckResult[] {
  const newest = (xs: CheckResult[]) => xs.reduce((m, c) => Math.max(m, Date.parse(c.observedAt)), 0);
  return existing.length && newest(existing) > newest(incoming) ? existing : incoming;
}

export class HwHall extends LitElement {
  static override properties = {
    hallId: { type: String, attribute: 'hall-id' },
  };

  declare hallId: string;

  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['conn']);
  private detail: HallDetailDto | null = null;
  private error: unknown = null;
  private loading = false;
  private readonly probes = new Map<string, ProbeState>();
  private readonly fresh = new Map<string, number>();
  private loadAbort: AbortController | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.hallId = '';
  }

  private readonly onHallStatus = (ev: Event): void => {
    const { hall } = (ev as CustomEvent<HallStatusEventDetail>).detail;
    if (!this.detail || hall.hallId !== this.detail.id) return;
    this.applyHallStatus(hall);
  };

  private readonly onResults = (ev: Event): void => {
    const d = (ev as CustomEvent<ResultsEventDetail>).detail;
    if (!this.detail || d.hallId !== this.detail.id) return;
    this.applyResults(d.deviceId, d.results, d.status);
  };

  private readonly onResync = (): void => {
    void this.load(true);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('hall-status', this.onHallStatus);
    liveData.addEventListener('results', this.onResults);
    liveData.addEventListener('resync', this.onResync);
    // Back on the page (the element re-attached): watch again.
    if (this.hallId && !this.unwatch) this.unwatch = liveData.watchHall(this.hallId);
    this.tick = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('hall-status', this.onHallStatus);
    liveData.removeEventListener('results', this.onResults);
    liveData.removeEventListener('resync', this.onResync);
    this.unwatch?.();
    this.unwatch = null;
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    this.loadAbort?.abort();
  }

  /** Stops following the current hall's device results. */
  private unwatch: (() => void) | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('hallId')) {
      this.unwatch?.();
      this.unwatch = this.hallId ? liveData.watchHall(this.hallId) : null;
      this.detail = null;
      this.error = null;
      this.probes.clear();
      void this.load(false);
    }
  }

  private async load(silent: boolean): Promise<void> {
    const id = this.hallId;
    if (!id) return;
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    if (!silent) {
      this.loading = true;
      this.requestUpdate();
    }
    try {
      const detail = await requestJson<HallDetailDto>(`/api/halls/${encodeURIComponent(id)}`, { signal: abort.signal });
      if (abort.signal.aborted || id !== this.hallId) return;
      this.detail = detail;
      this.error = null;
    } catch (err) {
      if (isAbort(err) || id !== this.hallId) return;
      if (!silent || !this.detail) this.error = err;
    } finally {
      if (this.loadAbort === abort) {
        this.loadAbort = null;
        this.loading = false;
        this.requestUpdate();
      }
    }
  }

  private applyHallStatus(hall: HallStatusDto): void {
    const d = this.detail;
    if (!d) return;
    d.status = hall;
    const hist = d.statusHistory ?? (d.statusHistory = []);
    const top = [...hist].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
    if (!top || top.status !== hall.status || top.avf !== hall.avf || top.vks !== hall.vks) {
      hist.push({ status: hall.status, avf: hall.avf, vks: hall.vks, at: hall.since });
    }
    this.requestUpdate();
  }

  private applyResults(deviceId: string, results: CheckResult[], status?: Status): void {
    const d = this.detail;
    if (!d) return;
    const dev = d.devices.find((x) => x.id === deviceId);
    if (!dev) {
      // A device we do not know: the inventory changed, fetch the page again.
      void this.load(true);
      return;
    }
    dev.checks = replaceChecks(dev.checks ?? [], results);
    dev.status = status ?? worstStatus(dev.checks.map((c) => c.status));
    const at = latest(results);
    if (at && (!dev.lastProbeAt || Date.parse(at) >= Date.parse(dev.lastProbeAt))) dev.lastProbeAt = at;
    const points: HistoryEntry[] = results.map((r) => ({
      deviceId,
      check: r.check,
      status: r.status,
      message: r.message,
      messageKey: r.messageKey,
      params: r.params,
      observedAt: r.observedAt,
      durationMs: r.durationMs,
      values: r.values,
    }));
    const seen = new Set(points.map((p) => `${p.deviceId}|${p.check}|${p.observedAt}`));
    const rest = (d.history ?? []).filter((p) => !seen.has(`${p.deviceId}|${p.check}|${p.observedAt}`));
    d.history = [...points, ...rest].slice(0, Math.max(MAX_CHECK_HISTORY, rest.length));
    this.fresh.set(deviceId, Date.now() + FRESH_MS);
    setTimeout(() => this.requestUpdate(), FRESH_MS + 50);
    this.requestUpdate();
  }

  private async probe(dev: DeviceDto): Promise<void> {
    if (this.probes.get(dev.id)?.busy) return;
    const hallId = this.hallId;
    this.probes.set(dev.id, { busy: true });
    this.requestUpdate();
    try {
      const res = await requestJson<ProbeNowDto>(`/api/devices/${encodeURIComponent(dev.id)}/probe`, {
        method: 'POST',
      });
      if (hallId !== this.hallId) return;
      const results = Array.isArray(res.results) ? res.results : [];
      this.applyResults(res.deviceId || dev.id, results);
      if (res.hall) liveData.applyHallStatus(res.hall);
      this.probes.set(dev.id, { busy: false, doneAt: latest(results) ?? new Date().toISOString() });
    } catch (err) {
      if (hallId !== this.hallId) return;
      this.probes.set(dev.id, { busy: false, error: describeError(err), errorDetail: errorDetail(err) });
    }
    this.requestUpdate();
  }

  /** "Probe now" only for those who may probe in this hall's court (the server checks too). */
  private canProbe(): boolean {
    return !!this.detail && can('device.probe', this.detail.court.id);
  }

  private scrollToDevice(id: string): void {
    const el = this.renderRoot.querySelector(`article[data-device-id="${CSS.escape(id)}"]`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }

  static override styles = [
    base,
    pageCrumbs,
    css`
      .card {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
      }
      .head {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 10px 24px;
        padding: 14px 16px 14px 20px;
        position: relative;
        overflow: hidden;
        margin-bottom: 14px;
      }
      .head::before {
        content: '';
        position: absolute;
        left: 0;
        top: 0;
        bottom: 0;
        width: 6px;
        background: var(--st-fg);
      }
      .h-court {
        font-size: 13px;
        color: var(--hw-muted);
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        align-items: center;
      }
      .h-court b {
        color: var(--hw-text);
      }
      .level {
        font-size: 11.5px;
        font-weight: 600;
        color: var(--hw-muted);
        background: var(--hw-surface-2);
        border: 1px solid var(--hw-border);
        border-radius: 4px;
        padding: 0 6px;
      }
      h1 {
        font-size: 22px;
        margin: 4px 0 2px;
        line-height: 1.25;
      }
      h1 .h-name {
        font-weight: 500;
        color: var(--hw-muted);
      }
      .h-since {
        font-size: 13px;
        color: var(--hw-muted);
      }
      .h-status {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        gap: 6px;
      }
      .h-sys {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        justify-content: flex-end;
      }
      .sys-none {
        font-size: 12px;
        color: var(--hw-faint);
        border: 1px dashed var(--hw-border-strong);
        border-radius: 999px;
        padding: 0 8px;
        line-height: 18px;
      }
      .h-causes {
        grid-column: 1 / -1;
        border-top: 1px solid var(--hw-border);
        padding-top: 10px;
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 0 0 8px;
        font-weight: 700;
      }
      .causes {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 4px;
      }
      .causes li {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .causes button {
        font: inherit;
        background: none;
        border: 0;
        padding: 0;
        color: var(--hw-text);
        text-align: left;
        cursor: pointer;
      }
      .causes button:hover .cz-text {
        text-decoration: underline;
      }
      .cz-cat {
        font-weight: 700;
      }
      .ok-note {
        color: var(--hw-muted);
      }
      .cols {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 340px;
        gap: 14px;
        align-items: start;
      }
      @media (max-width: 1180px) {
        .cols {
          grid-template-columns: minmax(0, 1fr);
        }
        aside {
          display: grid;
          grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
          gap: 14px;
          align-items: start;
        }
        aside .card {
          margin-bottom: 0;
        }
      }
      .sec-h {
        display: flex;
        align-items: baseline;
        gap: 8px;
      }
      .device {
        margin-bottom: 10px;
        border-left: 5px solid var(--st-fg);
        overflow: hidden;
      }
      .device.fresh {
        animation: fresh ${FRESH_MS}ms ease-out 1;
      }
      @keyframes fresh {
        0% {
          box-shadow: 0 0 0 3px rgba(47, 111, 208, 0.45);
        }
        100% {
          box-shadow: var(--hw-shadow);
        }
      }
      .d-head {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 4px 16px;
        padding: 9px 12px;
        background: var(--hw-surface-2);
        border-bottom: 1px solid var(--hw-border);
      }
      .device:not(.st-ok) .d-head {
        background: var(--st-bg);
      }
      .d-title {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        min-width: 0;
      }
      .d-cat {
        font-weight: 700;
        font-size: 14px;
      }
      .d-name {
        color: var(--hw-muted);
      }
      .tag {
        font-size: 11px;
        font-weight: 700;
        border-radius: 4px;
        padding: 0 6px;
        line-height: 17px;
        border: 1px solid var(--hw-border-strong);
        color: var(--hw-muted);
        background: var(--hw-surface);
      }
      .tag.crit {
        color: #fff;
        background: #46505e;
        border-color: #46505e;
      }
      .d-meta {
        grid-column: 1;
        display: flex;
        gap: 4px 14px;
        flex-wrap: wrap;
        font-size: 12px;
        color: var(--hw-muted);
      }
      .d-meta .mono {
        color: var(--hw-text);
      }
      .d-probe {
        grid-column: 2;
        grid-row: 1 / span 2;
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        gap: 4px;
        font-size: 12px;
      }
      .probe-msg {
        font-size: 12px;
        max-width: 260px;
        text-align: right;
      }
      .probe-msg.err {
        color: #9b1c1c;
        font-weight: 600;
      }
      .probe-msg.ok {
        color: #17622d;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 12.5px;
        table-layout: fixed;
      }
      th {
        text-align: left;
        font-size: 11px;
        font-weight: 700;
        color: var(--hw-muted);
        padding: 5px 12px;
        border-bottom: 1px solid var(--hw-border);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      td {
        padding: 5px 12px;
        border-bottom: 1px solid #edf0f3;
        vertical-align: top;
        overflow-wrap: anywhere;
      }
      tr:last-child td {
        border-bottom: 0;
      }
      col.c-check {
        width: 19%;
      }
      col.c-status {
        width: 20%;
      }
      col.c-values {
        width: 18%;
      }
      col.c-time {
        width: 84px;
      }
      tr:not([data-status='ok']) td.res {
        color: var(--st-text);
        font-weight: 600;
      }
      .values {
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
      }
      .nochecks {
        padding: 8px 12px;
        color: var(--hw-muted);
      }
      /* A camera's last picture with the check that judged it, and what the device says it is. */
      .d-cam {
        display: flex;
        gap: 10px 18px;
        flex-wrap: wrap;
        align-items: flex-start;
        padding: 10px 12px;
        border-bottom: 1px solid var(--hw-border);
      }
      .snap {
        margin: 0;
        display: grid;
        grid-template-columns: 160px minmax(0, 280px);
        gap: 4px 10px;
        align-items: start;
      }
      .snap a {
        display: block;
        line-height: 0;
        border-radius: 4px;
        outline: 3px solid var(--st-fg);
        outline-offset: -1px;
        overflow: hidden;
        background: #1b2430;
      }
      .snap.st-ok a {
        outline: 1px solid var(--hw-border-strong);
      }
      .snap img {
        width: 160px;
        height: auto;
        min-height: 60px;
        display: block;
      }
      .snap figcaption {
        font-size: 12.5px;
        display: grid;
        gap: 3px;
      }
      .snap .snap-msg {
        font-weight: 600;
        color: var(--st-text);
      }
      .snap.st-ok .snap-msg {
        font-weight: 400;
        color: var(--hw-text);
      }
      .facts {
        margin: 0;
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 2px 10px;
        font-size: 12.5px;
        min-width: 200px;
      }
      .facts dt {
        color: var(--hw-muted);
      }
      .facts dd {
        margin: 0;
        font-family: var(--hw-mono);
        overflow-wrap: anywhere;
      }
      aside .card {
        padding: 12px 14px;
        margin-bottom: 14px;
      }
      .hist {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .hist li {
        display: grid;
        grid-template-columns: 12px minmax(0, 1fr);
        gap: 0 8px;
        position: relative;
        padding-bottom: 10px;
      }
      .hist li::before {
        content: '';
        grid-row: 1 / span 3;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        margin-top: 4px;
        background: var(--st-fg);
      }
      .hist li:not(:last-child)::after {
        content: '';
        position: absolute;
        left: 4px;
        top: 16px;
        bottom: 0;
        width: 2px;
        background: var(--hw-border);
      }
      .hist .when {
        font-size: 12px;
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
      }
      .hist .sys {
        display: flex;
        gap: 2px 10px;
        flex-wrap: wrap;
      }
      .checks-hist {
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 12px;
      }
      .checks-hist li {
        display: grid;
        grid-template-columns: 62px minmax(0, 1fr);
        gap: 0 8px;
        padding: 4px 0;
        border-bottom: 1px solid #edf0f3;
      }
      .checks-hist li:last-child {
        border-bottom: 0;
      }
      .checks-hist .when {
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
      }
      .checks-hist .what {
        display: flex;
        gap: 2px 6px;
        flex-wrap: wrap;
        align-items: center;
      }
    `,
  ];

  private renderCrumbs() {
    const lang = this.i18n.lang;
    const d = this.detail;
    return html`<nav class="crumbs">
      <a href="#/" id="back-link"><span aria-hidden="true">←</span> ${t('ui.nav.back')}</a>
      ${d
        ? html`<span aria-hidden="true">/</span><span>${d.region.name[lang]}</span><span aria-hidden="true">/</span
            ><span>${d.court.name[lang]}</span>`
        : nothing}
    </nav>`;
  }

  protected override render() {
    void this.i18n.lang;
    const lang = this.i18n.lang;
    const d = this.detail;
    if (!d) {
      if (this.error && !this.loading) {
        const notFound = this.error instanceof ApiError && this.error.status === 404;
        return html`${this.renderCrumbs()}
          <div class="banner st-${notFound ? 'unknown' : 'down'}" role="alert" title=${errorDetail(this.error)}>
            ${statusIcon(notFound ? 'unknown' : 'down')}
            ${notFound ? t('ui.hall.notFound', { id: this.hallId }) : `${t('ui.error.load')}: ${describeError(this.error)}`}
            ${notFound ? nothing : html`<button class="btn" type="button" @click=${() => void this.load(false)}>${t('ui.retry')}</button>`}
          </div>`;
      }
      return html`${this.renderCrumbs()}
        <div class="loading" aria-busy="true">${t('ui.loading')}</div>`;
    }
    document.title = `${t('ui.hall.number', { number: d.number })} · ${d.court.name[lang]} — hallwatch`;
    return html`
      ${this.renderCrumbs()}
      ${this.live.data.conn === 'reconnecting'
        ? html`<div class="banner st-degraded" role="status">${statusIcon('degraded')} ${t('ui.board.stale')}</div>`
        : nothing}
      ${this.renderHeader(d, lang)}
      <hw-report-button .hallId=${d.id} .courtId=${d.court.id}></hw-report-button>
      <hw-capture .hall=${d}></hw-capture>
      <hw-vks .hall=${d}></hw-vks>
      <div class="cols">
        <section class="devices" id="devices" aria-labelledby="devices-h">
          <div class="sec-h"><h2 id="devices-h">${t('ui.hall.devices')}</h2></div>
          ${d.devices.length === 0
            ? html`<div class="card empty">${t('ui.hall.noDevices')}</div>`
            : repeat(
                d.devices,
                (dev) => dev.id,
                (dev) => this.renderDevice(dev, lang),
              )}
        </section>
        <aside>
          ${can('maintenance.manage', d.court.id) ? html`<hw-maintenance .hall=${d}></hw-maintenance>` : nothing}
          ${this.renderStatusHistory(d)} ${this.renderCheckHistory(d)}
        </aside>
      </div>
    `;
  }

  private renderHeader(d: HallDetailDto, lang: Lang) {
    const st = d.status;
    const nowMs = liveData.now();
    const sys = (key: 'avf' | 'vks', equipped: boolean, status: Status | null) =>
      equipped
        ? html`<hw-status-badge data-system=${key} subject=${key} .status=${status ?? 'unknown'} .label=${t(`system.${key}`)}></hw-status-badge>`
        : html`<span class="sys-none" data-system=${key}><b>${t(`system.${key}`)}</b> ${t('ui.hall.systemNone')}</span>`;
    return html`<section
      id="hall-header"
      class="card head st-${st.status}"
      data-hall=${d.id}
      data-status=${st.status}
      aria-labelledby="hall-title"
    >
      <div class="h-main">
        <div class="h-court">
          <span class="visually-hidden">${t('ui.hall.court')}:</span>
          <b>${d.court.name[lang]}</b>
          <span class="level">${t(`level.${d.court.level}`)}</span>
          <span aria-hidden="true">·</span>
          <span class="visually-hidden">${t('ui.hall.region')}:</span>
          <span>${d.region.name[lang]}</span>
        </div>
        <h1 id="hall-title">
          ${t('ui.hall.number', { number: d.number })}${hallExtraName(d.number, d.name[lang])
            ? html`<span class="h-name"> — ${d.name[lang]}</span>`
            : nothing}
        </h1>
        <div class="h-since num" title=${formatDateTime(st.since, true)}>
          ${t('ui.hall.sinceLong', {
            time: formatDateTime(st.since),
            duration: formatDuration(durationSince(st.since, nowMs)),
          })}
        </div>
      </div>
      <div class="h-status">
        <hw-status-badge id="hall-status" .status=${st.status} size="lg" variant="solid"></hw-status-badge>
        <div class="h-sys">${sys('avf', d.avfEquipped, st.avf)} ${sys('vks', d.vksEquipped, st.vks)}</div>
      </div>
      ${st.causes.length === 0 && st.status !== 'ok'
        ? nothing
        : html`<div class="h-causes">
        <h2>${t('ui.hall.causes')}</h2>
        ${st.causes.length === 0
          ? html`<div class="ok-note">${t('ui.hall.noCauses')}</div>`
          : html`<ul class="causes" id="causes">
              ${st.causes.map(
                (c) => html`<li data-cause-device=${c.deviceId} data-effect=${c.effect}>
                  <hw-status-badge .status=${c.effect} subject=${c.system} size="sm"></hw-status-badge>
                  <button type="button" @click=${() => this.scrollToDevice(c.deviceId)}>
                    <span class="cz-cat">${categoryLabel(c.category)}</span>
                    <span class="mono muted">${c.deviceId}</span> —
                    <span class="cz-text">${message(c)}</span>
                  </button>
                </li>`,
              )}
            </ul>`}
      </div>`}
    </section>`;
  }

  private renderDevice(dev: DeviceDto, lang: Lang) {
    const probe = this.probes.get(dev.id);
    const fresh = (this.fresh.get(dev.id) ?? 0) > Date.now();
    const checks = dev.checks ?? [];
    return html`<article
      class="card device st-${dev.status} ${fresh ? 'fresh' : ''}"
      data-device-id=${dev.id}
      data-status=${dev.status}
      data-category=${dev.category}
      aria-label=${`${categoryLabel(dev.category)} ${dev.id}`}
    >
      <header class="d-head">
        <div class="d-title">
          <hw-status-badge .status=${dev.status} subject="device" size="sm" variant=${dev.status === 'ok' ? 'soft' : 'solid'}></hw-status-badge>
          <span class="d-cat">${categoryLabel(dev.category)}</span>
          ${dev.name?.[lang] && dev.name[lang] !== categoryLabel(dev.category)
            ? html`<span class="d-name">${dev.name[lang]}</span>`
            : nothing}
          <span class="tag" title=${t(`system.${dev.system}`)}>${t(`system.${dev.system}`)}</span>
          ${dev.critical
            ? html`<span class="tag crit" data-critical="true" title=${t('ui.device.criticalHint')}>${t('ui.device.critical')}</span>`
            : html`<span class="tag" data-critical="false">${t('ui.device.notCritical')}</span>`}
        </div>
        <div class="d-meta">
          <span class="mono" data-field="id">${dev.id}</span>
          <span title=${t('ui.device.address')}>${t('ui.device.address')}: <span class="mono" data-field="address">${dev.address}</span></span>
          <span class="mono">${dev.driver}</span>
          <span>${t('ui.device.interval', { seconds: dev.intervalSeconds })}</span>
        </div>
        <div class="d-probe">
          <span class="num" data-field="last-probe" title=${formatDateTime(dev.lastProbeAt, true)}>
            ${dev.lastProbeAt ? t('ui.device.lastProbe', { time: formatDateTime(dev.lastProbeAt, true) }) : t('ui.device.never')}
          </span>
          ${this.canProbe() ? html`<button
            type="button"
            class="btn"
            data-probe-device=${dev.id}
            ?disabled=${probe?.busy ?? false}
            aria-busy=${probe?.busy ? 'true' : 'false'}
            @click=${() => void this.probe(dev)}
          >
            ${probe?.busy ? t('ui.device.probing') : t('ui.device.probeNow')}
          </button>` : nothing}
          ${probe?.error
            ? html`<span class="probe-msg err" role="alert" data-probe-result="error" title=${probe.errorDetail ?? ''}
                >${t('ui.device.probeFailed', { error: probe.error })}</span
              >`
            : probe?.doneAt
              ? html`<span class="probe-msg ok" role="status" data-probe-result="ok"
                  >${t('ui.device.probeDone', { time: formatTime(probe.doneAt) })}</span
                >`
              : nothing}
        </div>
      </header>
      ${this.renderCameraPanel(dev, checks)}
      ${checks.length === 0
        ? html`<div class="nochecks">${t('ui.device.noChecks')}</div>`
        : html`<table>
            <colgroup>
              <col class="c-check" /><col class="c-status" /><col class="c-res" /><col class="c-values" /><col
                class="c-time"
              />
            </colgroup>
            <thead>
              <tr>
                <th>${t('ui.check.check')}</th>
                <th>${t('ui.check.status')}</th>
                <th>${t('ui.check.result')}</th>
                <th>${t('ui.check.values')}</th>
                <th>${t('ui.check.time')}</th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                checks,
                (c) => c.check,
                (c) => html`<tr class="st-${c.status}" data-check=${c.check} data-status=${c.status}>
                  <td title=${c.check}>${checkLabel(c.check)}</td>
                  <td><hw-status-badge .status=${c.status} subject="device" size="sm" variant="plain"></hw-status-badge></td>
                  <td class="res">${message(c)}</td>
                  <td class="values">
                    ${formatValues(c.values).map((v) => html`<div>${v}</div>`)}
                    ${c.durationMs != null
                      ? html`<div class="muted" data-field="duration">${t('ui.check.duration', { value: Math.round(c.durationMs) })}</div>`
                      : nothing}
                  </td>
                  <td class="num" title=${formatDateTime(c.observedAt, true)}>${formatTime(c.observedAt)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </article>`;
  }

  /**
   * The picture a check judged (its thumbnail as evidence) and the device's identity (facts:
   * maker, model, firmware, serial), for cameras and any device whose checks report them.
   * Hooks: .d-cam figure[data-snapshot-check][data-status] img[src], dl[data-facts] [data-fact].
   */
  private renderCameraPanel(dev: DeviceDto, checks: CheckResult[]) {
    const shot = checks.find((c) => c.evidence?.kind === 'image' && c.evidence.ref);
    const facts: Record<string, string> = Object.assign({}, dev.facts, ...checks.map((c) => c.facts ?? {}));
    const shown = (['maker', 'model', 'firmware', 'serial'] as const).filter((k) => typeof facts[k] === 'string' && facts[k] !== '');
    if (!shot && shown.length === 0) return nothing;
    const src = shot ? `/api/evidence/${encodeURIComponent(shot.evidence!.ref)}` : '';
    const takenAt = shot?.facts?.thumbnail_at ?? shot?.observedAt;
    return html`<div class="d-cam">
      ${shot
        ? html`<figure class="snap st-${shot.status}" data-snapshot-check=${shot.check} data-status=${shot.status}>
            <a href=${src} target="_blank" rel="noopener" title=${t('ui.device.snapshotAlt', { id: dev.id })}>
              <img src=${src} alt=${t('ui.device.snapshotAlt', { id: dev.id })} width="160" loading="lazy" />
            </a>
            <figcaption>
              <span><hw-status-badge .status=${shot.status} subject="device" size="sm" variant="plain"></hw-status-badge>
                <b>${checkLabel(shot.check)}</b></span>
              <span class="snap-msg">${message(shot)}</span>
              <span class="muted num" title=${formatDateTime(takenAt, true)}>${t('ui.device.snapshot', { time: formatDateTime(takenAt, true) })}</span>
            </figcaption>
          </figure>`
        : nothing}
      ${shown.length
        ? html`<dl class="facts" data-facts aria-label=${t('ui.device.facts')}>
            ${shown.map((k) => html`<dt data-fact-label=${k}>${t(`fact.${k}`)}</dt><dd data-fact=${k}>${facts[k]}</dd>`)}
          </dl>`
        : nothing}
    </div>`;
  }

  private renderStatusHistory(d: HallDetailDto) {
    const hist = [...(d.statusHistory ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    const nowMs = liveData.now();
    return html`<section class="card" aria-labelledby="hist-h">
      <h2 id="hist-h">${t('ui.history.title')}</h2>
      ${hist.length === 0
        ? html`<div class="muted">${t('ui.history.empty')}</div>`
        : html`<ol class="hist" id="status-history">
            ${hist.slice(0, 30).map((h, i) => {
              const end = i === 0 ? nowMs : Date.parse(hist[i - 1].at);
              const dur = formatDuration(end - Date.parse(h.at));
              return html`<li class="st-${h.status}" data-status=${h.status} data-at=${h.at}>
                <span class="when" title=${formatDateTime(h.at, true)}
                  >${formatDateTime(h.at)} · ${dur}${i === 0 ? html` · ${t('ui.history.now')}` : nothing}</span
                >
                <span><hw-status-badge .status=${h.status} size="sm"></hw-status-badge></span>
                <span class="sys">
                  ${d.avfEquipped ? html`<hw-status-badge subject="avf" .status=${h.avf ?? 'unknown'} size="sm" variant="plain" .label=${t('system.avf')}></hw-status-badge>` : nothing}
                  ${d.vksEquipped ? html`<hw-status-badge subject="vks" .status=${h.vks ?? 'unknown'} size="sm" variant="plain" .label=${t('system.vks')}></hw-status-badge>` : nothing}
                </span>
              </li>`;
            })}
          </ol>`}
    </section>`;
  }

  private renderCheckHistory(d: HallDetailDto) {
    const points = (d.history ?? []).slice(0, MAX_CHECK_HISTORY) as HistoryEntry[];
    if (points.length === 0) return nothing;
    const devices = new Map(d.devices.map((x) => [x.id, x]));
    return html`<section class="card" aria-labelledby="checks-h">
      <h2 id="checks-h">${t('ui.history.checks')}</h2>
      <ul class="checks-hist" id="check-history">
        ${points.map((p) => {
          const dev = devices.get(p.deviceId);
          const values = formatValues(p.values);
          return html`<li data-history-device=${p.deviceId} data-history-check=${p.check} data-status=${p.status}>
            <span class="when" title=${formatDateTime(p.observedAt, true)}>${formatTime(p.observedAt)}</span>
            <span class="what">
              <hw-status-badge .status=${p.status} subject="device" size="sm" variant="plain"></hw-status-badge>
              <b>${dev ? categoryLabel(dev.category) : p.deviceId}</b>
              <span>${checkLabel(p.check)}</span>
              ${p.messageKey ? html`<span class="muted">— ${message(p)}</span>` : nothing}
              ${values.length > 0 ? html`<span class="muted num">(${values.join(', ')})</span>` : nothing}
            </span>
          </li>`;
        })}
      </ul>
    </section>`;
  }
}

customElements.define('hw-hall', HwHall);

declare global {
  interface HTMLElementTagNameMap {
    'hw-hall': HwHall;
  }
}
