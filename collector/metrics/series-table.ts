/**
 * Per-device series, kept as exposition text. prom-client keeps every series as objects and
 * formats them all at each scrape: at a national fleet (31,000 devices, ~290,000 series) that is
 * ~115 MB of heap and ~2.5 s of blocked event loop per scrape (docs/BENCHMARKS.md, fleet). Here a
 * device's lines of each family are rendered once, when its results arrive, and a scrape only
 * joins strings. The families are gauges; counters and histograms stay with prom-client.
 */

/** A label value escaped as the text exposition format wants it. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `a="x",b="y"` in the order given. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  let s = '';
  for (const [k, v] of Object.entries(labels)) s += `${s ? ',' : ''}${k}="${escapeLabel(v)}"`;
  return s;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One sample line. `labels` is already label text (labelText). */
export function sampleLine(name: string, labels: string, value: number): string {
  return `${name}{${labels}} ${formatValue(value)}\n`;
}

export class SeriesTable {
  private readonly families = new Map<string, { help: string; rows: Map<string, string> }>();

  /** Declares a gauge family (once per name; the first help text stays). */
  declare(name: string, help: string): void {
    if (!this.families.has(name)) this.families.set(name, { help, rows: new Map() });
  }

  has(name: string): boolean {
    return this.families.has(name);
  }

  /** Sets the lines one key (a device) contributes to a family; empty or undefined removes them. */
  set(name: string, key: string, lines: string | undefined): void {
    const f = this.families.get(name);
    if (!f) throw new Error(`metric family ${name} is not declared`);
    if (lines) f.rows.set(key, lines);
    else f.rows.delete(key);
  }

  /** The text exposition of every declared family (HELP and TYPE even without samples, as prom-client does). */
  render(): string {
    const parts: string[] = [];
    for (const [name, f] of this.families) {
      parts.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} gauge\n`);
      for (const lines of f.rows.values()) parts.push(lines);
    }
    return parts.join('');
  }
}
