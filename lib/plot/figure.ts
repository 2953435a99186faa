// Figure: the builder of a plotly.js spec (traces + layout) that renders itself in the gradlab kernel.
//
// Figures are mutable builders: `addLine`, `addScatter`, `addContour`, `extend` (live curves) change the spec;
// nothing is drawn until the figure is displayed. The rest lives beside it: option types (types.ts), layout
// defaults (layout.ts), checks of the data that become visible notes in the chart (validate.ts), and rendering
// to HTML and a mime bundle (render.ts).
import { type Coord, type Numeric, asScalar, isSeriesLike, toAxisGrid, toGrid, toValues, describeValue } from "./data";
import { AXIS_DEFAULTS, axisKeys, baseLayout, deepMerge, isPlainObject } from "./layout";
import { DISPLAY, type MimeBundle, NEEDS_PLOTLY, claimLibrary, nextFigureUid, sessionToken } from "./library";
import { type FigureSpec, figureBundle, figureHTML, figureSpec } from "./render";
import type {
  AxesOptions,
  CellOptions,
  FigureSizeOptions,
  GridOptions,
  GridSpec,
  LineOptions,
  PlotlyLayout,
  PlotlyTrace,
  ScatterOptions,
  TraceMeta,
} from "./types";
import { type DataNote, type FigureView, dataNotes, describeTrace, range, resolveSeries, traceKind } from "./validate";

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
    const base = baseLayout(grid);
    this.layout = deepMerge(base, layout);
    // The toolbar shows only while the pointer is over the chart (never in a print); reports hide it (render.ts).
    this.config = { responsive: true, displaylogo: false, displayModeBar: "hover", modeBarButtonsToRemove: ["sendDataToCloud"] };
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

  // ---- checks and rendering (validate.ts, render.ts) -----------------------------------------------------

  /** Visible notes about the data (NaN gaps, empty series, values hidden by log axes), per subplot. */
  notes(): DataNote[] {
    return dataNotes(this.view());
  }

  /** The plotly spec drawn by `toHTML` (layout with notes, subplot titles and margins filled in). */
  spec(): FigureSpec {
    return figureSpec(this.view());
  }

  /**
   * HTML for this figure: a <div> and a <script> that draws it with `Plotly.newPlot` once `window.Plotly`
   * exists, over a static picture of the chart. With `library: true` the whole plotly.js library script comes
   * first (~4.8 MB), else the small loader (lib/plot/library.ts).
   */
  toHTML(opts: { library?: boolean } = {}): string {
    const id = `gl-fig-${sessionToken()}-${this.uid}-${++this.htmlCount}`;
    return figureHTML(this.spec(), id, `${sessionToken()}-${this.uid}`, opts);
  }

  private view(): FigureView & { config: Record<string, any> } {
    return { data: this.data, layout: this.layout, grid: this.grid, config: this.config, meta: (tr) => this.meta.get(tr) };
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
   * Rich display (gradlab kernel): text/plain summary, text/html (a static picture that plotly.js replaces by
   * the interactive chart), the plotly spec (`application/vnd.plotly.v1+json`) and the static picture
   * (`image/svg+xml`). plotly.js itself is never in the bundle: see lib/plot/library.ts for how it gets there.
   */
  [DISPLAY](): MimeBundle {
    claimLibrary(this.uid, this.renders === 0);
    this.renders++;
    const id = `gl-fig-${sessionToken()}-${this.uid}-${++this.htmlCount}`;
    return figureBundle(this.spec(), id, `${sessionToken()}-${this.uid}`, this.toString());
  }
}

// console.log(fig) (tslab prints a cell's last value this way) shows the summary, not the whole spec.
(Figure.prototype as any)[Symbol.for("nodejs.util.inspect.custom")] = function (this: Figure) {
  return this.toString();
};
