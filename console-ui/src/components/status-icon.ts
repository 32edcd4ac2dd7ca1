/** Shape icons per status, so colour is never the only signal. */
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { Status } from '../../../collector/core/types';

const shapes: Record<Status, SVGTemplateResult> = {
  ok: svg`<circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M4.6 8.3l2.2 2.2 4.6-4.8" fill="none" class="ins" stroke="#fff" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/>`,
  degraded: svg`<path d="M8 1.2l7.2 13H.8z" fill="currentColor" stroke="currentColor" stroke-width="1" stroke-linejoin="round"/><path d="M8 5.8v3.9" class="ins" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/><circle cx="8" cy="12" r="1.05" class="inf" fill="#fff"/>`,
  down: svg`<path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z" fill="currentColor"/><path d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8" class="ins" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>`,
  unknown: svg`<circle cx="8" cy="8" r="6.3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-dasharray="2.6 1.7"/><path d="M6.1 6.4a1.95 1.95 0 1 1 2.7 1.8c-.55.24-.8.62-.8 1.15v.35" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="11.7" r=".95" fill="currentColor"/>`,
  maintenance: svg`<rect x="1" y="1" width="14" height="14" rx="3.2" fill="currentColor"/><path d="M10.9 3.3a2.7 2.7 0 0 0-3.4 3.4L3.7 10.5l1.8 1.8 3.8-3.8a2.7 2.7 0 0 0 3.4-3.4l-1.55 1.55-1.5-.3-.3-1.5z" class="inf" fill="#fff"/>`,
};

/** The <svg> element itself must come from html``; the shapes inside are svg`` fragments. */
export function statusIcon(status: Status, size = 14): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 16 16" width=${size} height=${size} aria-hidden="true" focusable="false">${shapes[status] ?? shapes.unknown}</svg>`;
}
