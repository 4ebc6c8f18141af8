/**
 * A horizontal bar chart as a standalone SVG, for RESULTS.md: one bar per contender (its median), a
 * whisker from its minimum to its maximum, grouped by workload, with reference lines (the baseline's
 * 1.00, a target). No charting dependency: a few rectangles, lines and texts, in the same bytes for the
 * same figures.
 *
 *   barChart({ title: "Cold generation", unit: "× tsc", lowerIsBetter: true,
 *              groups: [{ label: "200 services", bars: [{ label: "tsc", value: 1, min: 1, max: 1 }, …] }],
 *              references: [{ value: 1, label: "tsc" }, { value: 2, label: "target", dashed: true }] })
 */
import { type Cell, type Columns, median } from "./report.js";

export interface ChartBar {
  readonly label: string;
  /** The bar's length: the median. */
  readonly value: number;
  /** The whisker's ends; left out, no whisker. */
  readonly min?: number;
  readonly max?: number;
  /** Drawn in the accent colour (jamp-gen); the others are grey. */
  readonly highlight?: boolean;
}

export interface ChartGroup {
  readonly label: string;
  readonly bars: readonly ChartBar[];
}

export interface ChartReference {
  readonly value: number;
  readonly label: string;
  /** A target rather than a measured baseline. */
  readonly dashed?: boolean;
}

export interface ChartSpec {
  readonly title: string;
  /** What a value is, after the number: `×`, ` ms`. */
  readonly unit: string;
  /** Says which way is better under the title. */
  readonly lowerIsBetter: boolean;
  /** The line under the title, in place of the one that says which way is faster. */
  readonly subtitle?: string;
  /** Digits after the point in the value labels. */
  readonly digits?: number;
  readonly groups: readonly ChartGroup[];
  readonly references?: readonly ChartReference[];
  /** A note under the axis (what the whiskers are, where the figures come from). */
  readonly note?: string;
}

const font = 12;
/** Average advance of a character of the sans-serif font at `font` px: enough to lay out labels. */
const charWidth = font * 0.6;
const barHeight = 16;
const barGap = 6;
const groupGap = 14;
const chartWidth = 480;
const pad = 12;

/** The chart as an SVG document. */
export function barChart(spec: ChartSpec): string {
  const digits = spec.digits ?? 2;
  const format = (v: number) => `${v.toFixed(digits)}${spec.unit}`;
  const labels = spec.groups.flatMap((g) => g.bars.map((b) => b.label));
  const labelWidth = Math.ceil(Math.max(...labels.map((l) => l.length), 4) * charWidth) + 10;
  const values = spec.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.max ?? b.value]));
  const step = tickStep(Math.max(...values, ...(spec.references ?? []).map((r) => r.value)) * 1.05);
  const top = step * Math.ceil((Math.max(...values, ...(spec.references ?? []).map((r) => r.value)) * 1.05) / step);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const valueLabelWidth = Math.ceil((format(top).length + 1) * charWidth);
  const x0 = pad + labelWidth;
  const scale = (v: number) => x0 + (Math.max(0, v) / top) * chartWidth;
  const width = x0 + chartWidth + valueLabelWidth + pad;

  const out: string[] = [];
  let y = pad + font;
  out.push(text(pad, y, spec.title, { weight: "bold", size: font + 2 }));
  y += font + 6;
  const subtitle = spec.subtitle ?? (spec.lowerIsBetter ? "shorter is faster; whiskers: min to max" : "longer is faster; whiskers: min to max");
  out.push(text(pad, y, subtitle, { fill: "#555" }));
  y += 14;
  const plotTop = y;

  for (const group of spec.groups) {
    out.push(text(pad, y + font, group.label, { weight: "bold" }));
    y += font + 6;
    for (const bar of group.bars) {
      const fill = bar.highlight ? "#2f6fb3" : "#9aa5b1";
      out.push(text(x0 - 8, y + barHeight - 4, bar.label, { anchor: "end" }));
      out.push(`<rect x="${x0}" y="${y}" width="${round(scale(bar.value) - x0)}" height="${barHeight}" fill="${fill}"/>`);
      if (bar.min !== undefined && bar.max !== undefined && bar.max > bar.min) {
        const mid = y + barHeight / 2;
        const [a, b] = [round(scale(bar.min)), round(scale(bar.max))];
        out.push(`<path d="M${a} ${mid}H${b}M${a} ${mid - 4}V${mid + 4}M${b} ${mid - 4}V${mid + 4}" stroke="#222" stroke-width="1.2" fill="none"/>`);
      }
      const end = Math.max(scale(bar.value), scale(bar.max ?? bar.value));
      out.push(text(end + 6, y + barHeight - 4, format(bar.value)));
      y += barHeight + barGap;
    }
    y += groupGap - barGap;
  }
  const plotBottom = y;

  // The axis, its ticks, and the reference lines across the plot.
  out.push(`<path d="M${x0} ${plotBottom}H${x0 + chartWidth}" stroke="#222" fill="none"/>`);
  for (const tick of ticks) {
    const x = round(scale(tick));
    out.push(`<path d="M${x} ${plotBottom}V${plotBottom + 4}" stroke="#222" fill="none"/>`);
    out.push(text(x, plotBottom + 4 + font, trimNumber(tick), { anchor: "middle", fill: "#555" }));
  }
  for (const reference of spec.references ?? []) {
    const x = round(scale(reference.value));
    const dash = reference.dashed ? ` stroke-dasharray="5 4"` : "";
    out.push(`<path d="M${x} ${plotTop}V${plotBottom}" stroke="${reference.dashed ? "#c0392b" : "#222"}"${dash} fill="none"/>`);
    out.push(text(x + 3, plotTop + 2, reference.label, { fill: reference.dashed ? "#c0392b" : "#222", size: font - 1 }));
  }
  y = plotBottom + 4 + font + 8;
  if (spec.note) {
    y += font;
    out.push(text(pad, y, spec.note, { fill: "#555", size: font - 1 }));
  }
  const height = y + pad;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="${font}">
<rect width="100%" height="100%" fill="#fff"/>
${out.join("\n")}
</svg>
`;
}

/**
 * A chart of the per-round ratios of `Cell`s (the RPC and validation groups): one group per workload, a
 * bar per contender at its median ratio, whiskers over its range, the baseline at 1.00.
 */
export function cellsChart(title: string, cells: readonly Cell[], columns: Columns, lowerIsBetter = false): string {
  const workloads = [...new Set(cells.map((c) => c.workload))];
  return barChart({
    title,
    unit: "×",
    lowerIsBetter,
    groups: workloads.map((workload) => ({
      label: workload,
      bars: cells
        .filter((c) => c.workload === workload && c.ratios !== undefined)
        .map((c) => ({ label: c.contender, value: median(c.ratios!), min: Math.min(...c.ratios!), max: Math.max(...c.ratios!), highlight: c.contender === "jamp-gen" })),
    })),
    references: [{ value: 1, label: columns.baseline }],
  });
}

function text(x: number, y: number, content: string, style: { anchor?: string; weight?: string; fill?: string; size?: number } = {}): string {
  const attributes = [`x="${round(x)}"`, `y="${round(y)}"`];
  if (style.anchor) attributes.push(`text-anchor="${style.anchor}"`);
  if (style.weight) attributes.push(`font-weight="${style.weight}"`);
  if (style.fill) attributes.push(`fill="${style.fill}"`);
  if (style.size) attributes.push(`font-size="${style.size}"`);
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** A round step (1, 2 or 5 × 10^k) for about four to eight ticks from 0 to `value`. */
function tickStep(value: number): number {
  if (!(value > 0)) return 1;
  const rough = value / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
}

function trimNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}
