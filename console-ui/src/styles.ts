/** Shared CSS for the console's shadow roots: design tokens, status colour classes, controls. */
import { css, unsafeCSS } from 'lit';
import type { Status } from '../../collector/core/types';
import { STATUS_COLOURS } from './format';

const statusRules = (Object.keys(STATUS_COLOURS) as Status[])
  .map((s) => {
    const c = STATUS_COLOURS[s];
    return `.st-${s}{--st-fg:${c.fg};--st-text:${c.text};--st-bg:${c.bg};--st-border:${c.border};}`;
  })
  .join('\n');

/** `.st-<status>` sets --st-fg, --st-text, --st-bg and --st-border. */
export const statusVars = unsafeCSS(statusRules);

/** Tokens; set on hw-app's host and inherited by every shadow root below it. */
export const tokens = css`
  :host {
    --hw-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', 'Liberation Sans',
      Arial, sans-serif;
    --hw-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace;
    --hw-bg: #eef1f5;
    --hw-surface: #ffffff;
    --hw-surface-2: #f7f8fa;
    --hw-border: #d9dee5;
    --hw-border-strong: #c3cad4;
    --hw-text: #1b2430;
    --hw-muted: #5d6978;
    --hw-faint: #8a95a3;
    --hw-accent: #1d4f91;
    --hw-accent-bg: #e7eef8;
    --hw-header: #15243a;
    --hw-radius: 6px;
    --hw-shadow: 0 1px 2px rgba(16, 24, 40, 0.06);
    --hw-focus: 0 0 0 2px #fff, 0 0 0 4px #2f6fd0;
  }
`;

export const base = css`
  /* A message across the view (errors, stale data), coloured by the status variables. */
  .banner {
    margin: 6px 0 12px;
    padding: 9px 13px;
    border-radius: var(--hw-radius);
    border: 1px solid var(--st-border);
    background: var(--st-bg);
    color: var(--st-text);
    font-weight: 600;
    display: flex;
    gap: 10px;
    align-items: center;
  }
  .empty,
  .loading {
    padding: 36px;
    text-align: center;
    color: var(--hw-muted);
    font-size: 14px;
  }
  :host {
    font-family: var(--hw-font);
    color: var(--hw-text);
    font-size: 13px;
    line-height: 1.4;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  a {
    color: var(--hw-accent);
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--hw-focus);
  }
  .mono {
    font-family: var(--hw-mono);
    font-size: 12px;
  }
  .muted {
    color: var(--hw-muted);
  }
  .num {
    font-variant-numeric: tabular-nums;
  }
  /* A link that does what a button does (a file to open) looks like one. */
  button.btn, a.btn {
    display: inline-block;
    text-decoration: none;
    font: inherit;
    font-size: 12px;
    font-weight: 600;
    color: var(--hw-accent);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border-strong);
    border-radius: 5px;
    padding: 4px 10px;
    cursor: pointer;
    white-space: nowrap;
  }
  button.btn:hover:not([disabled]), a.btn:hover {
    background: var(--hw-accent-bg);
    border-color: var(--hw-accent);
  }
  button.btn[disabled] {
    color: var(--hw-faint);
    cursor: progress;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  ${statusVars}
`;

/** A bordered card holding a data table, as the audit, alerts, figures and schedule views show them. */
export const tableCard = css`
  .card {
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    box-shadow: var(--hw-shadow);
    overflow: hidden;
  }
  th {
    text-align: left;
    font-size: 11px;
    font-weight: 700;
    color: var(--hw-muted);
    padding: 7px 10px;
    border-bottom: 1px solid var(--hw-border);
    background: var(--hw-surface-2);
    white-space: nowrap;
  }
`;

/** A view's title, the clause line under it, and its filter bar with labelled fields. */
export const viewChrome = css`
  h1 {
    font-size: 20px;
    margin: 0 0 4px;
  }
  .basis {
    color: var(--hw-muted);
    margin: 0 0 12px;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 14px;
    align-items: end;
    margin-bottom: 12px;
  }
  label.field {
    display: flex;
    flex-direction: column;
    gap: 3px;
    font-size: 12px;
    color: var(--hw-muted);
    font-weight: 600;
  }
`;

/** A page under the board (a hall, an incident): its spacing and the breadcrumb back to the board. */
export const pageCrumbs = css`
  :host {
    display: block;
    padding-top: 12px;
  }
  .crumbs {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 12.5px;
    color: var(--hw-muted);
    margin-bottom: 10px;
    flex-wrap: wrap;
  }
  .crumbs a {
    font-weight: 600;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .crumbs a:hover {
    text-decoration: underline;
  }
`;
