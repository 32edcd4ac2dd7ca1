/**
 * <hw-status-badge status="down" size="sm|md|lg" variant="soft|solid|plain" label="АВФ">
 * A status in words with its colour and shape icon. The optional label is a prefix
 * (e.g. the system name) shown before the status word.
 */
import { LitElement, css, html } from 'lit';
import type { Status } from '../../../collector/core/types';
import { statusLabel, type StatusSubject } from '../format';
import { LangController } from '../i18n';
import { base } from '../styles';
import { statusIcon } from './status-icon';

export class HwStatusBadge extends LitElement {
  static override properties = {
    status: { type: String, reflect: true },
    size: { type: String, reflect: true },
    variant: { type: String, reflect: true },
    label: { type: String },
    subject: { type: String },
  };

  declare status: Status;
  declare size: 'sm' | 'md' | 'lg';
  declare variant: 'soft' | 'solid' | 'plain';
  declare label: string;
  /** What the status is about: hall (default), avf, vks or device (also a check). */
  declare subject: StatusSubject;

  private readonly i18n = new LangController(this);

  constructor() {
    super();
    this.status = 'unknown';
    this.size = 'md';
    this.variant = 'soft';
    this.label = '';
    this.subject = 'hall';
  }

  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
        max-width: 100%;
        vertical-align: middle;
      }
      .b {
        display: inline-flex;
        align-items: center;
        gap: 5px;
        max-width: 100%;
        border-radius: 999px;
        font-weight: 600;
        white-space: nowrap;
        color: var(--st-text);
        background: var(--st-bg);
        border: 1px solid var(--st-border);
        padding: 1px 8px 1px 5px;
        font-size: 12px;
        line-height: 18px;
      }
      .icon {
        flex: none;
        color: var(--st-fg);
      }
      :host([variant='plain']) .icon {
        margin-top: 2px;
      }
      .txt {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .pre {
        font-weight: 700;
        color: var(--hw-text);
        opacity: 0.75;
      }
      :host([size='sm']) .b {
        font-size: 11.5px;
        line-height: 16px;
        padding: 0 7px 0 4px;
        gap: 4px;
      }
      :host([size='lg']) .b {
        font-size: 15px;
        line-height: 22px;
        padding: 4px 14px 4px 9px;
        gap: 7px;
      }
      :host([variant='solid']) .b {
        color: #fff;
        background: var(--st-fg);
        border-color: var(--st-fg);
      }
      :host([variant='solid']) .icon {
        color: #fff;
      }
      :host([variant='solid']) .icon .ins {
        stroke: var(--st-fg);
      }
      :host([variant='solid']) .icon .inf {
        fill: var(--st-fg);
      }
      :host([variant='solid'][status='degraded']) .b {
        color: #2b1a00;
      }
      :host([variant='solid'][status='degraded']) .icon {
        color: #2b1a00;
      }
      :host([variant='plain']) .b {
        white-space: normal;
        align-items: flex-start;
        background: none;
        border-color: transparent;
        padding-left: 0;
        padding-right: 0;
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const word = statusLabel(this.status, this.subject);
    const size = this.size === 'lg' ? 18 : this.size === 'sm' ? 12 : 14;
    return html`<span class="b st-${this.status}" title=${this.label ? `${this.label}: ${word}` : word}
      >${statusIcon(this.status, size)}<span class="txt"
        >${this.label ? html`<span class="pre">${this.label}</span> ` : ''}${word}</span
      ></span
    >`;
  }
}

customElements.define('hw-status-badge', HwStatusBadge);

declare global {
  interface HTMLElementTagNameMap {
    'hw-status-badge': HwStatusBadge;
  }
}
