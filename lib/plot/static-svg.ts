// A static SVG picture of a figure, drawn here without plotly.js: the fallback of a figure's mime bundle
// (`image/svg+xml`) and the placeholder inside its HTML until plotly.js draws. It is what GitHub, nbviewer, an
// untrusted notebook (scripts stripped) or a page without plotly.js show.
//
// Covers what the tutorials draw: line and scatter traces (linear or log axes, gaps, numeric marker colors),
// heatmaps and filled contours (as a color image of z), bars, subplot grids, titles, axis titles, a legend and
// the figure's annotations (notes, subplot titles). Other trace types are named in a note instead of drawn.
import * as zlib from "zlib";
import { COLORWAY, FONT, axisKeys } from "./layout";
import type { FigureSpec, PlotlyTrace } from "./types";

type Num = number | null;
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  /** data value → pixel */
  map(v: number): number;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Plotly's pseudo-HTML text (<b>, <br>, entities) as plain text. */
const plain = (s: unknown): string =>
  String(s ?? "")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const f1 = (v: number): string => (Math.round(v * 10) / 10).toString();
const titleText = (t: unknown): string => plain(typeof t === "string" ? t : (t as { text?: string } | undefined)?.text ?? "");

const GRID_TYPES = new Set(["heatmap", "contour", "histogram2dcontour"]);
let pictures = 0;
const MAX_POINTS = 1500;
const MAX_CELLS = 120;

function finite(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flat(2) : [];
}

/** Tick values: "nice" steps (1, 2, 5 × 10^k) on linear axes, decades on log axes. */
function ticks(s: Scale): number[] {
  if (s.log) {
    const a = Math.ceil(s.lo - 1e-9);
    const b = Math.floor(s.hi + 1e-9);
    const span = b - a;
    if (span < 1) return niceTicks(s.lo, s.hi).map((v) => Math.log10(v)).filter(Number.isFinite);
    const step = Math.max(1, Math.ceil(span / 8));
    const out: number[] = [];
    for (let k = a; k <= b; k += step) out.push(k);
    return out;
  }
  return niceTicks(s.lo, s.hi);
}

function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Tick label: plain decimals for ordinary values, 1e-4 style for very small or large ones (never SI "µ"). */
export function tickLabel(v: number, log: boolean): string {
  const x = log ? Math.pow(10, v) : v;
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(6)));
  const [m, e] = x.toExponential(2).split("e");
  const mant = String(Number(m));
  return `${mant}e${e.replace("+", "")}`.replace("-", "−");
}

function scale(lo: number, hi: number, log: boolean, p0: number, p1: number): Scale {
  if (!(hi > lo)) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  return { lo, hi, log, map: (v: number) => p0 + ((v - lo) / (hi - lo)) * (p1 - p0) };
}

// ---- colors ------------------------------------------------------------------------------------------------

const SCALES: Record<string, string[]> = {
  Viridis: ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"],
  RdBu: ["#050aac", "#6a89f7", "#bebebe", "#dcaa84", "#e6915a", "#b20a1c"],
  Blues: ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"],
  Greys: ["#000000", "#ffffff"],
  Reds: ["#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"],
};

function parseColor(c: string): [number, number, number] {
  const s = c.trim();
  if (s.startsWith("#")) {
    const h = s.length === 4 ? s.slice(1).split("").map((d) => d + d).join("") : s.slice(1, 7);
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const m = /rgba?\(([^)]*)\)/.exec(s);
  if (m) {
    const [r, g, b] = m[1].split(",").map((x) => Number(x.trim()));
    return [r, g, b];
  }
  return [128, 128, 128];
}

/** A colorscale (plotly name or [[t, color], ...]) as a function of t in [0, 1]. */
function colorscale(cs: unknown): (t: number) => [number, number, number] {
  let stops: [number, [number, number, number]][];
  if (Array.isArray(cs) && cs.length >= 2 && cs.every((s) => Array.isArray(s) && s.length === 2)) {
    stops = cs.map(([t, c]) => [Number(t), parseColor(String(c))]);
  } else {
    const list = SCALES[typeof cs === "string" ? cs : "Viridis"] ?? SCALES.Viridis;
    stops = list.map((c, i) => [i / (list.length - 1), parseColor(c)]);
  }
  return (t) => {
    const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
    let i = 0;
    while (i < stops.length - 2 && u > stops[i + 1][0]) i++;
    const [t0, c0] = stops[i];
    const [t1, c1] = stops[i + 1];
    const w = t1 > t0 ? (u - t0) / (t1 - t0) : 0;
    return [0, 1, 2].map((k) => Math.round(c0[k] + w * (c1[k] - c0[k]))) as [number, number, number];
  };
}

const hex = ([r, g, b]: [number, number, number]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;

// ---- a tiny PNG encoder (grids become one image) ---------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA pixels (row-major, top row first) → PNG bytes. */
export function encodePNG(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

// ---- the picture -------------------------------------------------------------------------------------------

/** Traces of one subplot cell (1-based), from their axis references. */
function cellOf(tr: PlotlyTrace): number {
  const ref = typeof tr.xaxis === "string" ? tr.xaxis : "x";
  const n = Number(ref.slice(1));
  return ref === "x" || !Number.isFinite(n) || n < 1 ? 1 : n;
}

function seriesXY(tr: PlotlyTrace): { x: unknown[]; y: unknown[] } {
  const y = Array.isArray(tr.y) ? tr.y : [];
  const x = Array.isArray(tr.x) ? tr.x : y.map((_: unknown, i: number) => i);
  return { x, y };
}

/** The SVG picture of a rendered spec (`figureSpec`): `width` px wide unless the layout fixes one. */
export function staticSVG(spec: FigureSpec, opts: { width?: number } = {}): string {
  const L = spec.layout;
  // ids are global in an HTML page: each picture's clip paths get their own
  const uid = `${Date.now().toString(36)}${(++pictures).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const W = Math.round(Number(L.width) || opts.width || 720);
  const H = Math.round(Number(L.height) || 380);
  const m = { l: 64, r: 28, t: 40, b: 52, ...(L.margin ?? {}) };
  const out: string[] = [];
  const colorway: string[] = Array.isArray(L.colorway) ? L.colorway : COLORWAY;
  const legendItems: { name: string; color: string; kind: "line" | "marker" | "box" }[] = [];
  const unsupported = new Set<string>();
  const legend = L.showlegend ? spec.data.filter((tr) => tr.name !== undefined && tr.name !== "" && tr.showlegend !== false) : [];
  const legendRight = legend.length > 0 && L.legend?.orientation !== "h";
  const legendWidth = legendRight ? Math.min(200, 36 + 7 * Math.max(...legend.map((tr) => plain(tr.name).length))) : 0;
  const colorbars = spec.data.some((tr) => GRID_TYPES.has(String(tr.type)) && tr.showscale !== false);
  const plotArea: Box = { x: m.l, y: m.t, w: Math.max(40, W - m.l - m.r - legendWidth - (colorbars ? 50 : 0)), h: Math.max(40, H - m.t - m.b) };

  let cells = 1;
  for (const key of Object.keys(L)) {
    const k = /^xaxis(\d+)$/.exec(key);
    if (k) cells = Math.max(cells, Number(k[1]));
  }
  let colorIndex = 0;
  for (let k = 1; k <= cells; k++) {
    const { xa, ya } = axisKeys(k);
    const ax = L[xa] ?? {};
    const ay = L[ya] ?? {};
    const xd: number[] = Array.isArray(ax.domain) ? ax.domain : [0, 1];
    const yd: number[] = Array.isArray(ay.domain) ? ay.domain : [0, 1];
    const box: Box = {
      x: plotArea.x + xd[0] * plotArea.w,
      y: plotArea.y + (1 - yd[1]) * plotArea.h,
      w: (xd[1] - xd[0]) * plotArea.w,
      h: (yd[1] - yd[0]) * plotArea.h,
    };
    const traces = spec.data.filter((tr) => cellOf(tr) === k && tr.visible !== false);
    const xlog = ax.type === "log";
    const ylog = ay.type === "log";
    const tv = (v: unknown, log: boolean): number | null => (finite(v) ? (log ? (v > 0 ? Math.log10(v) : null) : v) : null);
    // extents
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    let categories: string[] | null = null;
    const grow = (xv: number | null, yv: number | null) => {
      if (xv !== null) (x0 = Math.min(x0, xv)), (x1 = Math.max(x1, xv));
      if (yv !== null) (y0 = Math.min(y0, yv)), (y1 = Math.max(y1, yv));
    };
    for (const tr of traces) {
      if (GRID_TYPES.has(String(tr.type))) {
        const { xs, ys } = gridCoords(tr);
        const hx = xs.length > 1 ? (Number(xs[1]) - Number(xs[0])) / 2 : 0.5;
        const hy = ys.length > 1 ? (Number(ys[1]) - Number(ys[0])) / 2 : 0.5;
        if (tr.type === "heatmap" && xs.length) grow(Number(xs[0]) - hx, Number(ys[0]) - hy), grow(Number(xs[xs.length - 1]) + hx, Number(ys[ys.length - 1]) + hy);
        else if (xs.length) grow(Number(xs[0]), Number(ys[0])), grow(Number(xs[xs.length - 1]), Number(ys[ys.length - 1]));
      } else if (tr.type === "bar") {
        const { x, y } = seriesXY(tr);
        if (x.some((v) => typeof v === "string")) categories = x.map(String);
        x.forEach((xv, i) => grow(categories ? i - 0.5 : tv(xv, xlog), tv(y[i], ylog)));
        if (categories) grow(categories.length - 0.5, 0);
        grow(null, 0);
      } else if ((tr.type ?? "scatter") === "scatter" || tr.type === "scattergl") {
        const { x, y } = seriesXY(tr);
        for (let i = 0; i < y.length; i++) grow(tv(x[i], xlog), tv(y[i], ylog));
      } else unsupported.add(String(tr.type));
    }
    if (Array.isArray(ax.range)) [x0, x1] = ax.range.map(Number);
    if (Array.isArray(ay.range)) [y0, y1] = ay.range.map(Number);
    const empty = !(x1 >= x0) || !(y1 >= y0);
    if (empty) [x0, x1, y0, y1] = [0, 1, 0, 1];
    const hasGrid = traces.some((tr) => GRID_TYPES.has(String(tr.type)));
    if (!hasGrid && !Array.isArray(ax.range) && !categories && !xlog) {
      const p = (x1 - x0) * 0.02;
      x0 -= p;
      x1 += p;
    }
    if (!hasGrid && !Array.isArray(ay.range)) {
      const p = (y1 - y0 || 1) * 0.06;
      y0 -= p;
      y1 += p;
    }
    const sx = scale(x0, x1, xlog, box.x, box.x + box.w);
    const sy = scale(y0, y1, ylog, box.y + box.h, box.y);
    const clip = `gl-clip-${uid}-${k}`;
    out.push(`<clipPath id="${clip}"><rect x="${f1(box.x)}" y="${f1(box.y)}" width="${f1(box.w)}" height="${f1(box.h)}"/></clipPath>`);
    // grid lines and ticks
    const axisParts: string[] = [];
    for (const t of categories ? [] : ticks(sx)) {
      const px = sx.map(t);
      if (px < box.x - 0.5 || px > box.x + box.w + 0.5) continue;
      axisParts.push(`<line x1="${f1(px)}" y1="${f1(box.y)}" x2="${f1(px)}" y2="${f1(box.y + box.h)}" stroke="#e5e7eb"/>`);
      axisParts.push(`<text x="${f1(px)}" y="${f1(box.y + box.h + 16)}" text-anchor="middle" class="tick">${esc(tickLabel(t, xlog))}</text>`);
    }
    (categories ?? []).forEach((c, i) => {
      axisParts.push(`<text x="${f1(sx.map(i))}" y="${f1(box.y + box.h + 16)}" text-anchor="middle" class="tick">${esc(c)}</text>`);
    });
    for (const t of ticks(sy)) {
      const py = sy.map(t);
      if (py < box.y - 0.5 || py > box.y + box.h + 0.5) continue;
      axisParts.push(`<line x1="${f1(box.x)}" y1="${f1(py)}" x2="${f1(box.x + box.w)}" y2="${f1(py)}" stroke="#e5e7eb"/>`);
      axisParts.push(`<text x="${f1(box.x - 6)}" y="${f1(py + 4)}" text-anchor="end" class="tick">${esc(tickLabel(t, ylog))}</text>`);
    }
    out.push(...axisParts);
    out.push(`<rect x="${f1(box.x)}" y="${f1(box.y)}" width="${f1(box.w)}" height="${f1(box.h)}" fill="none" stroke="#9ca3af"/>`);
    const xt = titleText(ax.title);
    const yt = titleText(ay.title);
    if (xt) out.push(`<text x="${f1(box.x + box.w / 2)}" y="${f1(box.y + box.h + 36)}" text-anchor="middle">${esc(xt)}</text>`);
    if (yt) {
      const cx = box.x - 46;
      const cy = box.y + box.h / 2;
      out.push(`<text x="${f1(cx)}" y="${f1(cy)}" text-anchor="middle" transform="rotate(-90 ${f1(cx)} ${f1(cy)})">${esc(yt)}</text>`);
    }
    // traces
    const body: string[] = [];
    for (const tr of traces) {
      const type = String(tr.type ?? "scatter");
      if (GRID_TYPES.has(type)) {
        body.push(gridImage(tr, sx, sy));
        continue;
      }
      const traceColor = (fallback: string) => (typeof tr.line?.color === "string" ? tr.line.color : typeof tr.marker?.color === "string" ? tr.marker.color : fallback);
      const color = traceColor(colorway[colorIndex++ % colorway.length]);
      const { x, y } = seriesXY(tr);
      if (type === "bar") {
        const bw = categories ? (sx.map(1) - sx.map(0)) * 0.7 : box.w / Math.max(1, x.length) * 0.7;
        const base = sy.map(ylog ? sy.lo : 0);
        x.forEach((xv, i) => {
          const yv = tv(y[i], ylog);
          if (yv === null) return;
          const cx = categories ? sx.map(i) : sx.map(tv(xv, xlog) ?? 0);
          const top = sy.map(yv);
          body.push(`<rect x="${f1(cx - bw / 2)}" y="${f1(Math.min(top, base))}" width="${f1(bw)}" height="${f1(Math.abs(base - top))}" fill="${esc(color)}"/>`);
        });
        if (tr.name !== undefined) legendItems.push({ name: plain(tr.name), color, kind: "box" });
        continue;
      }
      if (type !== "scatter" && type !== "scattergl") continue;
      const mode = String(tr.mode ?? (y.length > 20 ? "lines" : "lines+markers"));
      const stride = Math.max(1, Math.ceil(y.length / MAX_POINTS));
      if (mode.includes("lines")) {
        let d = "";
        let pen = false;
        for (let i = 0; i < y.length; i += stride) {
          const xv = tv(x[i], xlog);
          const yv = tv(y[i], ylog);
          if (xv === null || yv === null) {
            pen = false;
            continue;
          }
          d += `${pen ? "L" : "M"}${f1(sx.map(xv))} ${f1(sy.map(yv))}`;
          pen = true;
        }
        const dash = tr.line?.dash === "dot" ? ` stroke-dasharray="2 3"` : tr.line?.dash && tr.line.dash !== "solid" ? ` stroke-dasharray="7 4"` : "";
        if (d) body.push(`<path d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${Number(tr.line?.width ?? 2)}"${dash}/>`);
      }
      if (mode.includes("markers")) {
        const mc = tr.marker?.color;
        const numeric = Array.isArray(mc) ? mc.filter(finite) : [];
        const cmin = numeric.length ? Math.min(...numeric) : 0;
        const cmax = numeric.length ? Math.max(...numeric) : 1;
        const cs = colorscale(tr.marker?.colorscale);
        const size = (i: number) => (Array.isArray(tr.marker?.size) ? Number(tr.marker.size[i]) : Number(tr.marker?.size ?? 6));
        for (let i = 0; i < y.length; i += stride) {
          const xv = tv(x[i], xlog);
          const yv = tv(y[i], ylog);
          if (xv === null || yv === null) continue;
          const c = Array.isArray(mc) ? (finite(mc[i]) ? hex(cs(cmax > cmin ? (mc[i] - cmin) / (cmax - cmin) : 0.5)) : String(mc[i] ?? color)) : color;
          body.push(`<circle cx="${f1(sx.map(xv))}" cy="${f1(sy.map(yv))}" r="${f1(Math.max(1.5, size(i) / 2))}" fill="${esc(c)}" stroke="#ffffff" stroke-width="0.5"/>`);
        }
      }
      if (tr.name !== undefined && tr.name !== "" && tr.showlegend !== false) {
        legendItems.push({ name: plain(tr.name), color: Array.isArray(tr.marker?.color) ? "#6b7280" : color, kind: mode.includes("lines") ? "line" : "marker" });
      }
    }
    out.push(`<g clip-path="url(#${clip})">${body.join("")}</g>`);
  }
  // annotations: notes and subplot titles (positions relative to a cell's domain, or to the paper)
  for (const a of Array.isArray(L.annotations) ? L.annotations : []) {
    const text = plain(a.text);
    if (!text) continue;
    const cellRef = /^x(\d*) domain$/.exec(String(a.xref ?? ""));
    const k = cellRef ? Number(cellRef[1] || 1) : 0;
    const { xa, ya } = axisKeys(k || 1);
    const xd: number[] = k && Array.isArray(L[xa]?.domain) ? L[xa].domain : [0, 1];
    const yd: number[] = k && Array.isArray(L[ya]?.domain) ? L[ya].domain : [0, 1];
    if (!(String(a.xref ?? "").endsWith("domain") || a.xref === "paper")) continue;
    const px = plotArea.x + (xd[0] + Number(a.x ?? 0.5) * (xd[1] - xd[0])) * plotArea.w;
    const py = plotArea.y + (1 - (yd[0] + Number(a.y ?? 0.5) * (yd[1] - yd[0]))) * plotArea.h - Number(a.yshift ?? 0);
    const anchor = a.xanchor === "left" ? "start" : a.xanchor === "right" ? "end" : "middle";
    const dy = a.yanchor === "top" ? 12 : a.yanchor === "bottom" ? -4 : 4;
    const weight = /<b>/.test(String(a.text)) ? ` font-weight="bold"` : "";
    const fill = a.font?.color ? ` fill="${esc(String(a.font.color))}"` : "";
    out.push(`<text x="${f1(px)}" y="${f1(py + dy)}" text-anchor="${anchor}" font-size="${Number(a.font?.size ?? 12)}"${weight}${fill}>${esc(text)}</text>`);
  }
  if (unsupported.size) {
    out.push(`<text x="${f1(plotArea.x + 8)}" y="${f1(plotArea.y + plotArea.h - 8)}" font-size="11" fill="#9a3412">${esc(`not drawn in this picture: ${[...unsupported].join(", ")} traces`)}</text>`);
  }
  // legend
  if (legendItems.length) {
    let lx = legendRight ? plotArea.x + plotArea.w + (colorbars ? 50 : 0) + 10 : plotArea.x;
    let ly = legendRight ? plotArea.y + 4 : plotArea.y - 14;
    for (const it of legendItems) {
      const sw =
        it.kind === "line"
          ? `<line x1="${f1(lx)}" y1="${f1(ly)}" x2="${f1(lx + 22)}" y2="${f1(ly)}" stroke="${esc(it.color)}" stroke-width="2.5"/>`
          : it.kind === "box"
            ? `<rect x="${f1(lx + 5)}" y="${f1(ly - 6)}" width="12" height="12" fill="${esc(it.color)}"/>`
            : `<circle cx="${f1(lx + 11)}" cy="${f1(ly)}" r="4" fill="${esc(it.color)}"/>`;
      out.push(sw + `<text x="${f1(lx + 28)}" y="${f1(ly + 4)}">${esc(it.name)}</text>`);
      if (legendRight) ly += 20;
      else lx += 40 + 7 * it.name.length;
    }
  }
  const title = titleText(L.title);
  if (title) out.push(`<text x="${f1(W / 2)}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="gradlab-static-figure" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" ` +
    `font-family="${esc(FONT)}" font-size="12" fill="#1f2937" role="img" aria-label="${esc(title || "figure")}">` +
    `<style>.tick { fill: #4b5563; font-size: 11px; }</style>` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
    out.join("") +
    `</svg>`
  );
}

/** x and y of a grid trace as numbers (categories and missing axes: 0, 1, 2, ...). */
function gridCoords(tr: PlotlyTrace): { xs: number[]; ys: number[] } {
  const z: unknown[][] = Array.isArray(tr.z) ? tr.z : [];
  const axis = (v: unknown, n: number) => {
    const a = Array.isArray(v) ? v.map(Number) : [];
    return a.length === n && a.every(Number.isFinite) ? a : Array.from({ length: n }, (_, i) => i);
  };
  return { xs: axis(tr.x, Array.isArray(z[0]) ? z[0].length : 0), ys: axis(tr.y, z.length) };
}

/** A heatmap or filled contour drawn as one image of z through its colorscale (at most MAX_CELLS per side). */
function gridImage(tr: PlotlyTrace, sx: Scale, sy: Scale): string {
  const z: Num[][] = Array.isArray(tr.z) ? tr.z : [];
  const rows = z.length;
  const cols = rows ? z[0].length : 0;
  if (!rows || !cols) return "";
  const { xs, ys } = gridCoords(tr);
  const values = flat(z).filter(finite);
  const zmin = finite(tr.zmin) ? tr.zmin : Math.min(...values);
  const zmax = finite(tr.zmax) ? tr.zmax : Math.max(...values);
  const cs = colorscale(tr.colorscale);
  const opacity = finite(tr.opacity) ? tr.opacity : 1;
  const rs = Math.max(1, Math.ceil(rows / MAX_CELLS));
  const cstep = Math.max(1, Math.ceil(cols / MAX_CELLS));
  const h = Math.ceil(rows / rs);
  const w = Math.ceil(cols / cstep);
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = z[i * rs]?.[j * cstep];
      const o = ((h - 1 - i) * w + j) * 4; // image rows top-down; z rows follow y upwards
      if (!finite(v)) continue;
      const [r, g, b] = cs(zmax > zmin ? (v - zmin) / (zmax - zmin) : 0.5);
      px[o] = r;
      px[o + 1] = g;
      px[o + 2] = b;
      px[o + 3] = Math.round(255 * opacity);
    }
  }
  const png = encodePNG(w, h, px).toString("base64");
  const hx = tr.type === "heatmap" && xs.length > 1 ? (xs[1] - xs[0]) / 2 : 0;
  const hy = tr.type === "heatmap" && ys.length > 1 ? (ys[1] - ys[0]) / 2 : 0;
  const left = sx.map(xs[0] - hx);
  const right = sx.map(xs[xs.length - 1] + hx);
  const top = sy.map(ys[ys.length - 1] + hy);
  const bottom = sy.map(ys[0] - hy);
  const img =
    `<image x="${f1(Math.min(left, right))}" y="${f1(Math.min(top, bottom))}" width="${f1(Math.abs(right - left))}" height="${f1(Math.abs(bottom - top))}" ` +
    `preserveAspectRatio="none" style="image-rendering:${tr.type === "heatmap" ? "pixelated" : "auto"}" href="data:image/png;base64,${png}"/>`;
  // heatmap cell texts (texttemplate "%{text}": confusion matrices)
  const texts: string[] = [];
  if (tr.type === "heatmap" && Array.isArray(tr.text) && rows * cols <= 400) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const t = Array.isArray(tr.text[i]) ? tr.text[i][j] : undefined;
        if (t === undefined || t === null) continue;
        texts.push(`<text x="${f1(sx.map(xs[j]))}" y="${f1(sy.map(ys[i]) + 5)}" text-anchor="middle" font-size="${Number(tr.textfont?.size ?? 12)}">${esc(String(t))}</text>`);
      }
    }
  }
  return img + texts.join("");
}
