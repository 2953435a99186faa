// Figure: a plotly.js spec (traces + layout) that renders itself in the gradlab kernel as text/html.
//
// Figures are mutable builders: `addLine`, `addScatter`, `addContour`, `extend` (live curves) change the spec;
// nothing is drawn until the figure is displayed. Checks for NaN, empty series and values hidden by log axes
// run at render time and become visible notes (annotations) in the chart, so a chart is never silently blank.
import {
  type Coord,
  type Numeric,
  asScalar,
  describeValue,
  isNDArrayLike,
  isSeriesLike,
  isTypedArray,
  plotJSON,
  shapeString,
  toAxisGrid,
  toGrid,
  toValues,
} from "./data";
import {
  DISPLAY,
  type MimeBundle,
  NEEDS_PLOTLY,
  claimLibrary,
  nextFigureUid,
  plotlyScriptTag,
  sessionToken,
} from "./library";

/** A raw plotly.js trace (https://plotly.com/javascript/reference/); NDArrays are accepted anywhere inside. */
export type PlotlyTrace = { [key: string]: any };
/** A raw plotly.js layout. */
export type PlotlyLayout = { [key: string]: any };

/** Where a trace goes in a subplot grid (1-based, as plotly's make_subplots). */
export interface CellOptions {
  row?: number;
  col?: number;
}

/** Titles, labels and axis scales; on a subplot grid they apply to the chosen cell. */
export interface AxesOptions extends CellOptions {
  /** Figure title (on a subplot grid with row/col: that subplot's title). */
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Logarithmic x axis. */
  logx?: boolean;
  /** Logarithmic y axis (values ≤ 0 are hidden, with a note). */
  logy?: boolean;
  /** Axis ranges in data units (also with log axes). */
  xrange?: [number, number];
  yrange?: [number, number];
}

export interface FigureSizeOptions {
  /** Height in pixels (default 380; subplots: 300 per row). */
  height?: number;
  /** Width in pixels (default: the output's full width, responsive). */
  width?: number;
  /** Show the legend (default: when two or more traces are named). */
  legend?: boolean;
}

export interface LineOptions extends AxesOptions, FigureSizeOptions {
  /** Legend name of a single series. */
  name?: string;
  /** Legend names, one per series when y holds several series. */
  names?: string[];
  color?: string;
  colors?: string[];
  dash?: "solid" | "dot" | "dash" | "longdash" | "dashdot";
  lineWidth?: number;
  /** Draw markers on the points too. */
  markers?: boolean;
}

export interface ScatterOptions extends AxesOptions, FigureSizeOptions {
  name?: string;
  names?: string[];
  /** One CSS color, or one number per point (e.g. class labels) mapped through `colorscale`. */
  color?: string | Numeric;
  colors?: string[];
  colorscale?: string | [number, string][];
  /** Show a color bar for numeric colors (default false). */
  showscale?: boolean;
  /** Marker size in pixels, or one per point. */
  size?: number | Numeric;
  opacity?: number;
  symbol?: string;
  /** Hover text, one per point. */
  text?: string[];
}

export interface GridOptions extends AxesOptions, FigureSizeOptions {
  name?: string;
  colorscale?: string | [number, string][];
  showscale?: boolean;
  /** Color bar title. */
  zlabel?: string;
  /** Plot log10(z) (values ≤ 0 are left blank, with a note): loss surfaces spanning decades. */
  logz?: boolean;
  zmin?: number;
  zmax?: number;
  opacity?: number;
  /** Contours: a count (approximate), or evenly spaced levels, e.g. `[0.5]` for a decision boundary. */
  levels?: number | number[];
  /** Contours: draw lines only (no fill). */
  lines?: boolean;
  /** Contours: write the level values on the lines. */
  labels?: boolean;
}

export interface SubplotsOptions extends FigureSizeOptions {
  /** Figure title. */
  title?: string;
  /** Subplot titles in row-major order. */
  titles?: string[];
  /** All subplots share the first x axis (zoom together). */
  sharex?: boolean;
  sharey?: boolean;
}

interface GridSpec {
  rows: number;
  cols: number;
  titles: (string | undefined)[];
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const COLORWAY = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const AXIS_DEFAULTS = {
  gridcolor: "#e5e7eb",
  zeroline: false,
  showline: true,
  linecolor: "#9ca3af",
  ticks: "outside",
  tickcolor: "#9ca3af",
  automargin: true,
};
const H_GAP = 0.1;
const V_GAP = 0.14;

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isTypedArray(v) && !isNDArrayLike(v);
}

/** Deep merge of plain objects (arrays and other values are replaced); returns a new object. */
export function deepMerge(base: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}

const axisKeys = (k: number) => ({
  xa: k === 1 ? "xaxis" : `xaxis${k}`,
  ya: k === 1 ? "yaxis" : `yaxis${k}`,
  xref: k === 1 ? "x" : `x${k}`,
  yref: k === 1 ? "y" : `y${k}`,
});

/** Subplot index (1-based) of a trace, from its `xaxis` reference ("x", "x2", ...). */
function traceCell(tr: PlotlyTrace): number {
  const ref = typeof tr.xaxis === "string" ? tr.xaxis : "x";
  const n = Number(ref.slice(1));
  return ref === "x" || !Number.isFinite(n) || n < 1 ? 1 : n;
}

function arrayLength(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (Array.isArray(v) || isTypedArray(v)) return v.length;
  if (isNDArrayLike(v)) return v.shape.length === 0 ? 1 : v.shape[0];
  return 0;
}

/** Numbers of a trace's coordinate array (NDArrays included), as plain values for counting. */
function flatValues(v: unknown): unknown[] {
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

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));

function traceKind(tr: PlotlyTrace): string {
  const type = tr.type ?? "scatter";
  if (type === "scatter" || type === "scattergl") {
    const mode = String(tr.mode ?? "lines");
    return mode.includes("lines") ? "line" : "scatter";
  }
  return String(type);
}

const GRID_TYPES = new Set(["contour", "heatmap", "surface", "histogram2dcontour"]);

function describeTrace(tr: PlotlyTrace): string {
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

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

interface TraceMeta {
  /** z values ≤ 0 blanked by logz. */
  logzHidden?: number;
}

/**
 * A plotly.js figure. Build it with `plot.line`, `plot.scatter`, `plot.contour`, `plot.heatmap`,
 * `plot.subplots`, `plot.figure` (raw traces), then add to it; it displays itself in the gradlab kernel.
 *
 * @example
 * const fig = plot.line(xs, [train, val], { names: ["train", "val"], title: "loss", logy: true });
 * fig.addScatter(xs, points, { name: "samples" });
 */
export class Figure {
  /** The plotly.js traces (raw; edit freely). */
  readonly data: PlotlyTrace[];
  /** The plotly.js layout (raw; edit freely). */
  layout: PlotlyLayout;
  /** The plotly.js config passed to `Plotly.newPlot`. */
  config: Record<string, any>;
  private readonly grid: GridSpec | undefined;
  private readonly uid: number = nextFigureUid();
  private renders = 0;
  private htmlCount = 0;
  private readonly meta = new WeakMap<PlotlyTrace, TraceMeta>();

  constructor(data: PlotlyTrace[] = [], layout: PlotlyLayout = {}, grid?: { rows: number; cols: number; titles?: string[] }) {
    this.data = data;
    this.grid = grid ? { rows: grid.rows, cols: grid.cols, titles: (grid.titles ?? []).slice() } : undefined;
    const base: PlotlyLayout = {
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff",
      font: { family: FONT, size: 12, color: "#1f2937" },
      colorway: COLORWAY,
      hovermode: "closest",
      legend: { x: 1, xanchor: "right", y: 1, bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#e5e7eb", borderwidth: 1 },
      height: grid ? Math.min(260 * grid.rows + 60, 1000) : 380,
    };
    const cells = grid ? grid.rows * grid.cols : 1;
    for (let k = 1; k <= cells; k++) {
      const { xa, ya } = axisKeys(k);
      base[xa] = { ...AXIS_DEFAULTS };
      base[ya] = { ...AXIS_DEFAULTS };
    }
    if (grid) {
      const w = (1 - (grid.cols - 1) * H_GAP) / grid.cols;
      const h = (1 - (grid.rows - 1) * V_GAP) / grid.rows;
      for (let r = 1; r <= grid.rows; r++) {
        for (let c = 1; c <= grid.cols; c++) {
          const k = (r - 1) * grid.cols + c;
          const { xa, ya, xref, yref } = axisKeys(k);
          const x0 = (c - 1) * (w + H_GAP);
          const y1 = 1 - (r - 1) * (h + V_GAP);
          Object.assign(base[xa], { domain: [x0, x0 + w], anchor: yref });
          Object.assign(base[ya], { domain: [y1 - h, y1], anchor: xref });
        }
      }
    }
    this.layout = deepMerge(base, layout);
    this.config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] };
  }

  /** Subplot grid size, or undefined for a single plot. */
  get subplots(): { rows: number; cols: number } | undefined {
    return this.grid ? { rows: this.grid.rows, cols: this.grid.cols } : undefined;
  }

  /** Marks figures for the kernel hook `needsPlotlyLibrary`. */
  get [NEEDS_PLOTLY](): boolean {
    return true;
  }

  // ---- building ------------------------------------------------------------------------------------------

  /** Index (1-based, row-major) of a grid cell; checks bounds. */
  private cell(where: string, o?: CellOptions): number {
    const row = o?.row ?? 1;
    const col = o?.col ?? 1;
    if (!this.grid) {
      if (row !== 1 || col !== 1) {
        throw new RangeError(`${where}: row/col given (${row}, ${col}) but this figure has no subplots; create it with plot.subplots(rows, cols)`);
      }
      return 1;
    }
    const { rows, cols } = this.grid;
    if (!Number.isInteger(row) || row < 1 || row > rows || !Number.isInteger(col) || col < 1 || col > cols) {
      throw new RangeError(`${where}: subplot (row ${row}, col ${col}) is outside the ${rows}×${cols} grid; rows and cols count from 1`);
    }
    return (row - 1) * cols + col;
  }

  /** Puts a trace in a cell: sets its axis references. */
  private place(tr: PlotlyTrace, k: number): PlotlyTrace {
    if (k !== 1) {
      const { xref, yref } = axisKeys(k);
      tr.xaxis = xref;
      tr.yaxis = yref;
    }
    return tr;
  }

  /**
   * Sets titles, axis labels, log scales and ranges (of one subplot on a grid: pass row/col).
   * Options that are undefined are left unchanged.
   */
  axes(opts: AxesOptions): this {
    const k = this.cell("Figure.axes", opts);
    const { xa, ya } = axisKeys(k);
    const L = this.layout;
    L[xa] = L[xa] ?? { ...AXIS_DEFAULTS };
    L[ya] = L[ya] ?? { ...AXIS_DEFAULTS };
    if (opts.title !== undefined) {
      if (this.grid && (opts.row !== undefined || opts.col !== undefined)) this.grid.titles[k - 1] = opts.title;
      else L.title = { ...(isPlainObject(L.title) ? L.title : {}), text: opts.title };
    }
    if (opts.xlabel !== undefined) L[xa].title = { text: opts.xlabel };
    if (opts.ylabel !== undefined) L[ya].title = { text: opts.ylabel };
    if (opts.logx !== undefined) L[xa].type = opts.logx ? "log" : "linear";
    if (opts.logy !== undefined) L[ya].type = opts.logy ? "log" : "linear";
    const toRange = (r: [number, number], log: boolean) => (log ? r.map((v) => Math.log10(v)) : r.slice());
    if (opts.xrange) L[xa].range = toRange(opts.xrange, L[xa].type === "log");
    if (opts.yrange) L[ya].range = toRange(opts.yrange, L[ya].type === "log");
    return this;
  }

  private size(opts: FigureSizeOptions): void {
    if (opts.height !== undefined) this.layout.height = opts.height;
    if (opts.width !== undefined) this.layout.width = opts.width;
    if (opts.legend !== undefined) this.layout.showlegend = opts.legend;
  }

  /**
   * Adds raw plotly.js traces, or all traces of another figure (with its title and axis settings) into a
   * subplot cell of this one.
   */
  add(item: PlotlyTrace | PlotlyTrace[] | Figure, where?: CellOptions): this {
    const k = this.cell("Figure.add", where);
    if (item instanceof Figure) {
      if (item.grid) throw new TypeError("Figure.add: cannot add a figure that has subplots into another figure");
      for (const tr of item.data) {
        const copy = this.place({ ...tr }, k);
        const m = item.meta.get(tr);
        if (m) this.meta.set(copy, m);
        this.data.push(copy);
      }
      const src = item.layout;
      const { xa, ya } = axisKeys(k);
      for (const [from, to] of [["xaxis", xa], ["yaxis", ya]] as const) {
        const s = src[from] ?? {};
        for (const key of ["title", "type", "range"]) if (s[key] !== undefined) this.layout[to][key] = s[key];
      }
      const title = src.title?.text ?? (typeof src.title === "string" ? src.title : undefined);
      if (title !== undefined) {
        if (this.grid) this.grid.titles[k - 1] = title;
        else if (this.layout.title === undefined) this.layout.title = { text: title };
      }
      if (src.showlegend !== undefined && this.layout.showlegend === undefined) this.layout.showlegend = src.showlegend;
      return this;
    }
    const traces = Array.isArray(item) ? item : [item];
    for (const tr of traces) {
      if (!isPlainObject(tr)) throw new TypeError(`Figure.add: expected a plotly trace object, got ${describeValue(tr)}`);
      this.data.push(this.place({ ...tr }, k));
    }
    return this;
  }

  /** Adds one line per series: `y` may be one series or several (`[y1, y2]`, or a 2-d NDArray's columns). */
  addLine(x: unknown, y?: unknown, opts: LineOptions = {}): this {
    return this.addXY("line", x, y, opts);
  }

  /** Adds markers, one trace per series. */
  addScatter(x: unknown, y?: unknown, opts: ScatterOptions = {}): this {
    return this.addXY("scatter", x, y, opts);
  }

  private addXY(kind: "line" | "scatter", x: unknown, y: unknown, options: LineOptions | ScatterOptions): this {
    let opts = options as LineOptions & Omit<ScatterOptions, "color"> & { color?: string | Numeric };
    const where = kind === "line" ? "plot.line" : "plot.scatter";
    const k = this.cell(where, opts);
    if (y !== undefined && !isSeriesLike(y) && isPlainObject(y)) {
      // plot.line(y, opts)
      opts = y as typeof opts;
      y = undefined;
    }
    const { xs, ys } = resolveSeries(x, y, where, opts.names);
    const names = opts.names ?? (opts.name !== undefined ? [opts.name] : []);
    if (opts.names && opts.names.length !== ys.length) {
      throw new RangeError(`${where}: names has ${opts.names.length} entries but y holds ${ys.length} series`);
    }
    ys.forEach((yv, i) => {
      const color = opts.colors?.[i] ?? (typeof opts.color === "string" ? opts.color : undefined);
      const tr: PlotlyTrace = { type: "scatter", x: xs.slice(), y: yv };
      if (names[i] !== undefined) tr.name = names[i];
      if (kind === "line") {
        tr.mode = opts.markers ? "lines+markers" : "lines";
        tr.connectgaps = false;
        tr.line = { width: opts.lineWidth ?? 2 };
        if (color) tr.line.color = color;
        if (opts.dash) tr.line.dash = opts.dash;
        if (opts.markers) tr.marker = { size: 5, ...(color ? { color } : {}) };
      } else {
        tr.mode = "markers";
        const marker: Record<string, any> = { size: 7, line: { width: 0.5, color: "#ffffff" } };
        if (color) marker.color = color;
        else if (opts.color !== undefined && typeof opts.color !== "string") {
          const c = toValues(opts.color, where, "color");
          if (c.length !== xs.length) {
            throw new RangeError(`${where}: color has ${c.length} values but there are ${xs.length} points; give one color value per point`);
          }
          marker.color = c;
          marker.colorscale = opts.colorscale ?? "Viridis";
          marker.showscale = opts.showscale ?? false;
        }
        if (typeof opts.size === "number") marker.size = opts.size;
        else if (opts.size !== undefined) {
          const s = toValues(opts.size, where, "size");
          if (s.length !== xs.length) throw new RangeError(`${where}: size has ${s.length} values but there are ${xs.length} points`);
          marker.size = s;
        }
        if (opts.symbol) marker.symbol = opts.symbol;
        if (opts.opacity !== undefined) marker.opacity = opts.opacity;
        tr.marker = marker;
        if (opts.text) tr.text = opts.text.slice();
      }
      this.data.push(this.place(tr, k));
    });
    this.axes(opts);
    this.size(opts);
    return this;
  }

  /** Adds filled contours of z over an (x, y) grid: z[i][j] is drawn at (x[j], y[i]). */
  addContour(x: unknown, y?: unknown, z?: unknown, opts: GridOptions = {}): this {
    return this.addGrid("contour", x, y, z, opts);
  }

  /** Adds a heatmap of z over an (x, y) grid: z[i][j] is drawn at (x[j], y[i]). */
  addHeatmap(x: unknown, y?: unknown, z?: unknown, opts: GridOptions = {}): this {
    return this.addGrid("heatmap", x, y, z, opts);
  }

  private addGrid(type: "contour" | "heatmap", x: unknown, y: unknown, z: unknown, opts: GridOptions): this {
    const where = `plot.${type}`;
    if (z === undefined || (isPlainObject(z) && !isSeriesLike(z))) {
      // plot.contour(z, opts?)
      if (y !== undefined && !isPlainObject(y)) {
        throw new TypeError(`${where}: expected (x, y, z, opts?) or (z, opts?); got 2 arrays, so z is missing`);
      }
      opts = (isPlainObject(z) ? z : isPlainObject(y) ? y : opts) as GridOptions;
      z = x;
      x = undefined;
      y = undefined;
    }
    const k = this.cell(where, opts);
    const g = toGrid(z, where);
    const xs = x === undefined ? range(g.cols) : toAxisGrid(x, where, "x");
    const ys = y === undefined ? range(g.rows) : toAxisGrid(y, where, "y");
    if (xs.length !== g.cols) {
      throw new RangeError(
        `${where}: z has ${g.cols} columns but x has ${xs.length} values; z[i][j] is drawn at (x[j], y[i]), so x needs one value per column of z`,
      );
    }
    if (ys.length !== g.rows) {
      throw new RangeError(
        `${where}: z has ${g.rows} rows but y has ${ys.length} values; z[i][j] is drawn at (x[j], y[i]), so y needs one value per row of z`,
      );
    }
    let zz = g.z;
    let hidden = 0;
    if (opts.logz) {
      zz = g.z.map((row) =>
        row.map((v) => {
          if (v === null || !Number.isFinite(v)) return v;
          if (v <= 0) {
            hidden++;
            return null;
          }
          return Math.log10(v);
        }),
      );
    }
    const tr: PlotlyTrace = {
      type,
      x: xs,
      y: ys,
      z: zz,
      colorscale: opts.colorscale ?? "Viridis",
      showscale: opts.showscale ?? true,
      colorbar: { thickness: 14, title: { text: opts.zlabel ?? (opts.logz ? "log10 z" : ""), side: "right" } },
    };
    if (opts.name !== undefined) tr.name = opts.name;
    if (opts.zmin !== undefined) tr.zmin = opts.logz ? Math.log10(opts.zmin) : opts.zmin;
    if (opts.zmax !== undefined) tr.zmax = opts.logz ? Math.log10(opts.zmax) : opts.zmax;
    if (opts.opacity !== undefined) tr.opacity = opts.opacity;
    if (type === "contour") {
      tr.contours = { coloring: opts.lines ? "lines" : "fill", showlabels: opts.labels ?? false };
      tr.line = { width: opts.lines ? 2 : 0.5 };
      if (typeof opts.levels === "number") tr.ncontours = opts.levels;
      else if (Array.isArray(opts.levels) && opts.levels.length > 0) {
        const lv = opts.levels.map((v) => (opts.logz ? Math.log10(v) : v));
        const lo = Math.min(...lv);
        const hi = Math.max(...lv);
        tr.autocontour = false;
        Object.assign(tr.contours, { start: lo, end: hi, size: lv.length > 1 ? (hi - lo) / (lv.length - 1) : 1 });
      }
    }
    if (this.grid) {
      // Put the color bar next to its own subplot.
      const { xa, ya } = axisKeys(k);
      const xd = this.layout[xa].domain as number[];
      const yd = this.layout[ya].domain as number[];
      Object.assign(tr.colorbar, { x: xd[1] + 0.01, xanchor: "left", y: (yd[0] + yd[1]) / 2, len: yd[1] - yd[0], thickness: 10 });
    }
    if (hidden > 0) this.meta.set(tr, { logzHidden: hidden });
    this.data.push(this.place(tr, k));
    this.axes(opts);
    this.size(opts);
    return this;
  }

  /**
   * Appends points to existing series (live curves); returns the figure, so
   * `handle.update(fig.extend(epoch, loss))` redraws in place.
   *
   * - `extend(x, y)`: x, y numbers (one point) or equal-length arrays, appended to series 0 (or `opts.trace`).
   * - `extend(x, [y1, y2])`: one point per series, same x, to series 0, 1, ... (multi-series loss curves).
   * - `extend(y)`: x continues from the series' last x + 1 (or 0).
   *
   * Series are the figure's line/scatter traces, in order; `opts.trace` picks one by index or name. A figure
   * without any traces gets a line trace.
   */
  extend(x: unknown, y?: unknown, opts: { trace?: number | string } = {}): this {
    const where = "Figure.extend";
    if (y !== undefined && isPlainObject(y) && !isSeriesLike(y)) {
      opts = y as { trace?: number | string };
      y = undefined;
    }
    const series = this.data.filter((tr) => (tr.type ?? "scatter") === "scatter" || tr.type === "scattergl");
    if (series.length === 0) {
      const tr: PlotlyTrace = { type: "scatter", mode: "lines", x: [], y: [], connectgaps: false, line: { width: 2 } };
      this.data.push(tr);
      series.push(tr);
    }
    const pick = (t: number | string | undefined, fallback: number): PlotlyTrace => {
      if (t === undefined) {
        if (fallback >= series.length) {
          throw new RangeError(`${where}: got values for ${fallback + 1} series but the figure has ${series.length}`);
        }
        return series[fallback];
      }
      const found = typeof t === "number" ? series[t] : series.find((tr) => tr.name === t);
      if (!found) {
        const names = series.map((tr, i) => (tr.name !== undefined ? JSON.stringify(tr.name) : String(i))).join(", ");
        throw new RangeError(`${where}: no series ${JSON.stringify(t)}; the figure has series ${names}`);
      }
      return found;
    };
    const push = (tr: PlotlyTrace, xv: Coord[] | null, yv: Coord[], label: string) => {
      // Raw traces may hold typed arrays or NDArrays: make them plain arrays once.
      if (!Array.isArray(tr.y)) tr.y = tr.y === undefined ? [] : toValues(tr.y, where, "y");
      if (!Array.isArray(tr.x)) tr.x = tr.x === undefined ? range(tr.y.length) : toValues(tr.x, where, "x");
      if (xv === null) {
        const last = tr.x.length > 0 ? tr.x[tr.x.length - 1] : -1;
        const start = typeof last === "number" ? last + 1 : tr.x.length;
        xv = yv.map((_, i) => start + i);
      }
      if (xv.length !== yv.length) {
        throw new RangeError(`${where}: x has ${xv.length} values but ${label} has ${yv.length}; they must have the same length`);
      }
      for (let i = 0; i < xv.length; i++) {
        tr.x.push(xv[i]);
        tr.y.push(yv[i]);
      }
    };
    if (y === undefined) {
      // extend(y)
      const ys = asScalar(x, where, "y");
      push(pick(opts.trace, 0), null, ys !== undefined ? [ys] : toValues(x, where, "y"), "y");
      return this;
    }
    const xs = asScalar(x, where, "x");
    const yScalar = asScalar(y, where, "y");
    if (xs !== undefined && yScalar === undefined && isSeriesLike(y) && opts.trace === undefined) {
      // extend(x, [y1, y2, ...]): one point per series
      const per = toValues(y, where, "y");
      per.forEach((v, i) => push(pick(undefined, i), [xs], [v], `y[${i}]`));
      return this;
    }
    if (yScalar === undefined && Array.isArray(y) && y.length > 0 && y.every((e) => isSeriesLike(e) && asScalar(e, where, "y") === undefined)) {
      // extend(xs, [ys1, ys2, ...])
      const xv = toValues(x, where, "x");
      y.forEach((e, i) => push(pick(undefined, i), xv, toValues(e, where, `y[${i}]`), `y[${i}]`));
      return this;
    }
    const xv = xs !== undefined ? [xs] : toValues(x, where, "x");
    const yv = yScalar !== undefined ? [yScalar] : toValues(y, where, "y");
    push(pick(opts.trace, 0), xv, yv, "y");
    return this;
  }

  /** Deep-merges a raw plotly layout patch, e.g. `fig.relayout({ yaxis: { range: [0, 1] } })`. */
  relayout(patch: PlotlyLayout): this {
    this.layout = deepMerge(this.layout, patch);
    return this;
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  /** Visible notes about the data (NaN gaps, empty series, values hidden by log axes), per subplot. */
  notes(): { cell: number; text: string; center?: boolean }[] {
    const out: { cell: number; text: string; center?: boolean }[] = [];
    const cells = this.grid ? this.grid.rows * this.grid.cols : 1;
    const byCell = new Map<number, PlotlyTrace[]>();
    for (const tr of this.data) {
      const k = traceCell(tr);
      if (!byCell.has(k)) byCell.set(k, []);
      byCell.get(k)!.push(tr);
    }
    for (let k = 1; k <= cells; k++) {
      const traces = byCell.get(k) ?? [];
      const { xa, ya } = axisKeys(k);
      const logx = this.layout[xa]?.type === "log";
      const logy = this.layout[ya]?.type === "log";
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
          const hidden = this.meta.get(tr)?.logzHidden ?? 0;
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

  /** The plotly spec drawn by `toHTML` (layout with notes, subplot titles and margins filled in). */
  spec(): { data: PlotlyTrace[]; layout: PlotlyLayout; config: Record<string, any> } {
    const L: PlotlyLayout = { ...this.layout };
    const annotations: any[] = Array.isArray(L.annotations) ? L.annotations.slice() : [];
    const hasTitle = L.title !== undefined && L.title !== null && (typeof L.title === "string" ? L.title !== "" : L.title.text);
    if (this.grid) {
      this.grid.titles.forEach((t, i) => {
        if (!t) return;
        const { xref, yref } = axisKeys(i + 1);
        annotations.push({
          text: `<b>${escapeText(t)}</b>`,
          xref: `${xref} domain`,
          yref: `${yref} domain`,
          x: 0.5,
          y: 1,
          xanchor: "center",
          yanchor: "bottom",
          yshift: 4,
          showarrow: false,
          font: { size: 13 },
        });
      });
    }
    const perCell = new Map<number, number>();
    for (const note of this.notes()) {
      const { xref, yref } = axisKeys(note.cell);
      const base = { xref: `${xref} domain`, yref: `${yref} domain`, showarrow: false, text: escapeText(note.text) };
      if (note.center) {
        annotations.push({ ...base, x: 0.5, y: 0.5, xanchor: "center", yanchor: "middle", font: { size: 14, color: "#6b7280" } });
      } else {
        const i = perCell.get(note.cell) ?? 0;
        perCell.set(note.cell, i + 1);
        annotations.push({
          ...base,
          x: 0.01,
          y: 0.99,
          yshift: -20 * i,
          xanchor: "left",
          yanchor: "top",
          align: "left",
          bgcolor: "rgba(255,247,237,0.92)",
          bordercolor: "#f59e0b",
          borderwidth: 1,
          borderpad: 3,
          font: { size: 11, color: "#9a3412" },
        });
      }
    }
    L.annotations = annotations;
    const margin = { l: 64, r: 28, b: 52, ...(L.margin ?? {}) };
    if (margin.t === undefined) margin.t = (hasTitle ? 56 : 24) + (this.grid && this.grid.titles.some(Boolean) ? 16 : 0);
    L.margin = margin;
    if (hasTitle && typeof L.title === "object" && L.title.x === undefined) L.title = { x: 0.5, xanchor: "center", ...L.title };
    const named = this.data.filter((tr) => tr.name !== undefined && tr.name !== "").length;
    const data = this.data.slice();
    if (L.showlegend === undefined) L.showlegend = named >= 2 || (named >= 1 && this.data.length >= 2);
    if (L.showlegend) {
      for (let i = 0; i < data.length; i++) {
        if (data[i].name === undefined && data[i].showlegend === undefined) data[i] = { ...data[i], showlegend: false };
      }
    }
    return { data, layout: L, config: { ...this.config } };
  }

  /**
   * HTML for this figure: a <div> and a <script> that draws it with `Plotly.newPlot` once `window.Plotly`
   * exists. With `library: true` the plotly.js library script comes first (~4.8 MB).
   */
  toHTML(opts: { library?: boolean } = {}): string {
    const id = `gl-fig-${sessionToken()}-${this.uid}-${++this.htmlCount}`;
    const spec = this.spec();
    const height = Number(spec.layout.height) || 380;
    const width = spec.layout.width ? `${Number(spec.layout.width)}px` : "100%";
    const script = [
      "(function () {",
      `  var id = "${id}", key = "${sessionToken()}-${this.uid}", spec = ${plotJSON(spec)};`,
      "  function draw() {",
      "    var d = document.getElementById(id);",
      "    if (!d) return false;",
      "    if (d.__gradlabDrawn) return true;",
      "    if (!window.Plotly) return false;",
      "    d.__gradlabDrawn = true;",
      "    if (d.__gradlabMsg) { d.innerHTML = \"\"; }",
      "    var live = window.__gradlabFigures = window.__gradlabFigures || {};",
      "    var old = live[key];",
      "    if (old && old !== d && !old.isConnected) { try { window.Plotly.purge(old); } catch (e) {} }",
      "    live[key] = d;",
      "    window.Plotly.newPlot(d, spec.data, spec.layout, spec.config);",
      "    return true;",
      "  }",
      "  if (draw()) return;",
      "  (window.__gradlabPlotlyQueue = window.__gradlabPlotlyQueue || []).push(draw);",
      "  var n = 0, timer = setInterval(function () {",
      "    if (draw()) { clearInterval(timer); return; }",
      "    n++;",
      "    var d = document.getElementById(id);",
      "    if (n === 100 && d && !window.Plotly) {",
      "      d.__gradlabMsg = true;",
      "      d.innerHTML = '<div style=\"padding:1em;color:#9a3412;background:#fff7ed;border:1px solid #f59e0b;font:13px sans-serif\">" +
        "This figure cannot be drawn: plotly.js is not loaded on this page. In a notebook, run <code>plot.resetPlotlyInlining()</code> " +
        "and re-run this cell (or display <code>plot.library()</code> first); for a report use <code>gradlab report</code>, which inlines it.</div>';",
      "    }",
      "    if (n > 3000 || (n > 100 && !d)) clearInterval(timer);",
      "  }, 100);",
      "})();",
    ].join("\n");
    const fig =
      `<div class="gradlab-figure" style="width:${width};max-width:100%;">` +
      `<div id="${id}" style="width:100%;height:${height}px;"></div></div>\n` +
      `<script type="text/javascript">\n${script}\n</script>`;
    return (opts.library ? plotlyScriptTag() + "\n" : "") + fig;
  }

  /** Short description, e.g. `Figure(line: 100 points, "loss")`. */
  toString(): string {
    const parts: string[] = [];
    if (this.grid) parts.push(`${this.grid.rows}×${this.grid.cols} subplots`);
    const ds = this.data.map(describeTrace);
    if (ds.length === 0) parts.push("no traces");
    else if (ds.length <= 3) parts.push(...ds);
    else {
      const counts = new Map<string, number>();
      for (const tr of this.data) counts.set(traceKind(tr), (counts.get(traceKind(tr)) ?? 0) + 1);
      parts.push(`${ds.length} traces: ${[...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(", ")}`);
    }
    const t = this.layout.title;
    const title = typeof t === "string" ? t : t?.text;
    if (title) parts.push(JSON.stringify(title));
    return `Figure(${parts.join(", ")})`;
  }

  toJSON(): { data: PlotlyTrace[]; layout: PlotlyLayout } {
    return { data: this.data, layout: this.layout };
  }

  /**
   * Rich display (gradlab kernel): text/plain summary and text/html. The first render of the first figure of
   * the session carries the plotly.js library; see lib/plot/library.ts for the full rule.
   */
  [DISPLAY](): MimeBundle {
    const first = this.renders === 0;
    this.renders++;
    const library = claimLibrary(this.uid, first);
    return { "text/plain": this.toString(), "text/html": this.toHTML({ library }) };
  }
}

// console.log(fig) (tslab prints a cell's last value this way) shows the summary, not the whole spec.
(Figure.prototype as any)[Symbol.for("nodejs.util.inspect.custom")] = function (this: Figure) {
  return this.toString();
};

/** Plotly text is pseudo-HTML: escape what would start a tag or an entity. */
const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

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
