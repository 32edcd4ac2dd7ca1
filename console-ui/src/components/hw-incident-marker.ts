/**
 * <hw-incident-marker .hallId=${id}>: a small mark on a board tile when the hall has an active
 * incident, linking to it. The tile is itself a link, so the mark is not an <a> (links do not
 * nest): a click on it goes to the incident instead of the hall page.
 *
 * Test hook: the host carries data-incident-link=<id> and data-state while an incident is active
 * (so `[data-hall-id] [data-incident-link]` finds it); without one it renders nothing.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { liveData } from '../controllers/live-data';
import { LangController, t } from '../i18n';
import { base } from '../styles';
import { STATE_TONE, incidentHref, nextStep, stateLabel, stepOverdue } from './incident-util';

export class HwIncidentMarker extends LitElement {
  static override properties = {
    hallId: { type: String, attribute: 'hall-id' },
  };

  declare hallId: string;

  private readonly i18n = new LangController(this);
  private readonly onIncidents = (): void => this.requestUpdate();

  constructor() {
    super();
    this.hallId = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('incidents', this.onIncidents);
    this.addEventListener('click', this.onClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('incidents', this.onIncidents);
    this.removeEventListener('click', this.onClick);
  }

  private readonly onClick = (e: Event): void => {
    const inc = liveData.incidentForHall(this.hallId);
    if (!inc) return;
    // Not the tile's own link (the hall page): the incident.
    e.preventDefault();
    e.stopPropagation();
    location.hash = incidentHref(inc.id);
  };

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const inc = liveData.incidentForHall(this.hallId);
    if (inc) {
      this.setAttribute('data-incident-link', String(inc.id));
      this.setAttribute('data-state', inc.state);
    } else {
      this.removeAttribute('data-incident-link');
      this.removeAttribute('data-state');
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
      }
      .m {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        font-size: 11px;
        font-weight: 700;
        line-height: 17px;
        padding: 0 6px 0 4px;
        border-radius: 4px;
        color: #fff;
        background: var(--st-fg);
        white-space: nowrap;
        cursor: pointer;
      }
      .m:hover {
        filter: brightness(1.1);
        text-decoration: underline;
      }
      .m.late {
        box-shadow: 0 0 0 2px #fff, 0 0 0 3px #c62828;
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const inc = liveData.incidentForHall(this.hallId);
    if (!inc) return nothing;
    const step = nextStep(inc);
    const late = !!step && stepOverdue(step, liveData.now(), inc.state);
    const label = t('incident.marker', { id: inc.id, state: stateLabel(inc.state) });
    return html`<span class="m st-${STATE_TONE[inc.state] ?? 'unknown'} ${late ? 'late' : ''}" role="link" title=${late ? `${label} · ${t('incident.overdueShort')}` : label} aria-label=${label}
      ><svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1l7 13H1z" fill="currentColor" /><path d="M8 6v3.5" stroke="var(--st-fg)" stroke-width="1.8" stroke-linecap="round" /><circle cx="8" cy="11.6" r="1" fill="var(--st-fg)" /></svg
      >${t('incident.number', { id: inc.id })}</span
    >`;
  }
}

customElements.define('hw-incident-marker', HwIncidentMarker);

declare global {
  interface HTMLElementTagNameMap {
    'hw-incident-marker': HwIncidentMarker;
  }
}
