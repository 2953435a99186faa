// Checks of a figure's data: what `plot.line` & co. accept as series, and the visible notes (NaN gaps, empty
// series, values hidden by log axes) that the renderer writes into the chart, so a chart is never silently blank.
import { type Coord, isNDArrayLike, isSeriesLike, isTypedArray, shapeString, toGrid, toValues } from "./data";
import { axisKeys } from "./layout";
import type { GridSpec, PlotlyLayout, PlotlyTrace, TraceMeta } from "./types";

/** Subplot index (1-based) of a trace, from its `xaxis` reference ("x", "x2", ...). */
export function traceCell(tr: PlotlyTrace): number {
  const ref = typeof tr.xaxis === "string" ? tr.xaxis : "x";
  const n = Number(ref.slice(1));
  return ref === "x" || !Number.isFinite(n) || n < 1 ? 1 : n;
}

export function arrayLength(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (Array.isArray(v) || isTypedArray(v)) return v.length;
  if (isNDArrayLike(v)) return v.shape.length === 0 ? 1 : v.shape[0];
  return 0;
}

/** Numbers of a trace's coordinate array (NDArrays included), as plain values for counting. */
export function flatValues(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (isNDArrayLike(v)) {
    const out: number[] = [];
    const n = v.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) out.push(Number(v.data[i]));
    return out;
  }
  if (isTypedArray(v)) return Array.from(v);
  if (Array.isArray(v)) return v.flatMap((e) => (Array.isArray(e) || isTypedArray(e) ? flatValues(e) : [e]));
  return [];
}

export const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));

export function traceKind(tr: PlotlyTrace): string {
  const type = tr.type ?? "scatter";
  if (type === "scatter" || type === "scattergl") {
    const mode = String(tr.mode ?? "lines");
    return mode.includes("lines") ? "line" : "scatter";
  }
  return String(type);
}

export const GRID_TYPES = new Set(["contour", "heatmap", "surface", "histogram2dcontour"]);

export function describeTrace(tr: PlotlyTrace): string {
  const kind = traceKind(tr);
  if (GRID_TYPES.has(String(tr.type)) && tr.z !== undefined) {
    const rows = arrayLength(tr.z);
    const first = Array.isArray(tr.z) ? tr.z[0] : undefined;
    const cols = isNDArrayLike(tr.z) ? (tr.z.shape[1] ?? 0) : arrayLength(first);
    return `${kind}: ${rows}×${cols}`;
  }
  const n = Math.max(arrayLength(tr.x), arrayLength(tr.y));
  return `${kind}: ${n} point${n === 1 ? "" : "s"}`;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** What the checks and the renderer read from a figure. */
export interface FigureView {
  readonly data: readonly PlotlyTrace[];
  readonly layout: PlotlyLayout;
  readonly grid: GridSpec | undefined;
  meta(tr: PlotlyTrace): TraceMeta | undefined;
}

/** A visible note about the data of one subplot (1-based cell); `center`: the plot is empty. */
export interface DataNote {
  cell: number;
  text: string;
  center?: boolean;
}

/** Visible notes about the data (NaN gaps, empty series, values hidden by log axes), per subplot. */
export function dataNotes(view: FigureView): DataNote[] {
  const out: DataNote[] = [];
  const cells = view.grid ? view.grid.rows * view.grid.cols : 1;
  const byCell = new Map<number, PlotlyTrace[]>();
  for (const tr of view.data) {
    const k = traceCell(tr);
    if (!byCell.has(k)) byCell.set(k, []);
    byCell.get(k)!.push(tr);
  }
  for (let k = 1; k <= cells; k++) {
    const traces = byCell.get(k) ?? [];
    const { xa, ya } = axisKeys(k);
    const logx = view.layout[xa]?.type === "log";
    const logy = view.layout[ya]?.type === "log";
    const label = (tr: PlotlyTrace, i: number) =>
      traces.length > 1 ? (tr.name !== undefined ? `"${tr.name}"` : `series ${i + 1}`) : tr.name !== undefined ? `"${tr.name}"` : "";
    let total = 0;
    const lines: string[] = [];
    traces.forEach((tr, i) => {
      const name = label(tr, i);
      const of = name ? ` of ${name}` : "";
      if (GRID_TYPES.has(String(tr.type))) {
        const z = flatValues(tr.z);
        total += z.length;
        if (z.length === 0) lines.push(`${name ? name + ": " : ""}empty grid`);
        const hidden = view.meta(tr)?.logzHidden ?? 0;
        const bad = z.filter(isMissing).length - hidden;
        const zof = tr.name !== undefined ? ` of "${tr.name}"` : "";
        if (bad > 0) lines.push(`${bad} of ${z.length} z values${zof} ${bad === 1 ? "is" : "are"} ${badWord(z)}: left blank`);
        if (hidden > 0) lines.push(`${hidden} z value${hidden === 1 ? "" : "s"}${zof} ≤ 0 left blank (log z)`);
        return;
      }
      const xsv = flatValues(tr.x);
      const ysv = flatValues(tr.y);
      const n = Math.max(xsv.length, ysv.length);
      total += n;
      if (n === 0) {
        if (traces.length > 1) lines.push(`${name}: empty series`);
        return;
      }
      let bad = 0;
      let nonPos = 0;
      for (let j = 0; j < n; j++) {
        const xv = xsv.length ? xsv[j] : j;
        const yv = ysv[j];
        if (isMissing(yv) || (typeof xv !== "string" && isMissing(xv))) bad++;
        else if ((logy && typeof yv === "number" && yv <= 0) || (logx && typeof xv === "number" && xv <= 0)) nonPos++;
      }
      const word = badWord([...xsv, ...ysv]);
      if (bad === n) lines.push(`all ${n} points${of} are ${word}: nothing drawn`);
      else if (bad > 0) lines.push(`${bad} of ${n} points${of} ${bad === 1 ? "is" : "are"} ${word} (drawn as gaps)`);
      if (nonPos > 0) lines.push(`${nonPos} point${nonPos === 1 ? "" : "s"}${of} ≤ 0 hidden by the log axis`);
    });
    for (const text of lines) out.push({ cell: k, text: `⚠ ${text}` });
    if (total === 0) out.push({ cell: k, text: traces.length === 0 ? "empty plot: no data" : "empty series: no points yet", center: true });
  }
  return out;
}

function badWord(values: unknown[]): string {
  let inf = false;
  for (const v of values) if (typeof v === "number" && !Number.isNaN(v) && !Number.isFinite(v)) inf = true;
  return inf ? "NaN/Inf" : "NaN";
}

/**
 * x and the list of y series of plot.line / plot.scatter. `y` is one series, or several: a JS array of
 * series (arrays or 1-d NDArrays), or a 2-d NDArray whose columns (or rows) match x's length.
 */
export function resolveSeries(x: unknown, y: unknown, where: string, names?: string[]): { xs: Coord[]; ys: Coord[][] } {
  if (y === undefined) {
    y = x;
    x = undefined;
  }
  const label = (i: number, many: boolean) => (many ? `y[${i}]${names?.[i] !== undefined ? ` ("${names[i]}")` : ""}` : "y");
  let ys: Coord[][];
  let xs: Coord[] | undefined = x === undefined ? undefined : toValues(x, where, "x");
  if (isNDArrayLike(y) && y.shape.length === 2 && y.shape[0] > 1 && y.shape[1] > 1) {
    const g = toGrid(y, where, "y");
    const n = xs?.length ?? g.rows;
    if (g.rows === n) ys = range(g.cols).map((c) => g.z.map((row) => row[c]));
    else if (g.cols === n) ys = g.z;
    else {
      throw new RangeError(
        `${where}: x has ${n} values but y has shape ${shapeString(y.shape)}; a 2-d y needs one row (or column) per x value, each column a series`,
      );
    }
  } else if (Array.isArray(y) && y.length > 0 && y.every((e) => isSeriesLike(e) && !(isNDArrayLike(e) && e.shape.length === 0))) {
    ys = y.map((e, i) => toValues(e, where, label(i, true)));
  } else {
    ys = [toValues(y, where, "y")];
  }
  const many = ys.length > 1;
  if (xs === undefined) xs = range(ys[0]?.length ?? 0);
  ys.forEach((yv, i) => {
    if (yv.length !== xs!.length) {
      throw new RangeError(
        `${where}: x has ${xs!.length} values but ${label(i, many)} has ${yv.length}; x and y must have the same length`,
      );
    }
  });
  return { xs, ys };
}