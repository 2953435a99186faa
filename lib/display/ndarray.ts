// Rich display of NDArrays: an HTML table (numpy-like elision, shape and dtype in the caption) and the
// numpy-like text repr. Pure functions from an array to strings; no kernel needed.
import {
  type ElementKind,
  elementFormatter,
  escapeHTML,
  kindOfDtype,
  readElement,
  shapeTuple,
} from "./format";
import type { MimeBundle } from "./types";

/** What the renderer reads from an array (NDArray satisfies it; so do traced arrays). */
export interface NDArrayLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly _box?: unknown;
}

export function isNDArrayLike(x: unknown): x is NDArrayLike {
  if (typeof x !== "object" || x === null) return false;
  const a = x as Partial<NDArrayLike>;
  return (
    Array.isArray(a.shape) &&
    typeof a.dtype === "string" &&
    a.data !== undefined &&
    ArrayBuffer.isView(a.data as unknown as ArrayBufferView)
  );
}

export interface NDArrayHTMLOptions {
  /** A trailing (row or column) axis longer than this is elided. Default 20. */
  threshold?: number;
  /** Items kept at each end of an elided trailing axis. Default 3. */
  edgeItems?: number;
  /** A leading axis (ndim >= 3) longer than this is elided. Default 4. */
  leadingThreshold?: number;
  /** Items kept at each end of an elided leading axis. Default 2. */
  leadingEdgeItems?: number;
}

type Pick = number | null; // an index, or null for the "…" marker

function pickIndices(n: number, threshold: number, edge: number): Pick[] {
  if (n <= threshold) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: edge }, (_, i) => i);
  const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
  return [...head, null, ...tail];
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) strides[k] = strides[k + 1] * shape[k + 1];
  return strides;
}

function cartesian(lists: Pick[][]): Pick[][] {
  let out: Pick[][] = [[]];
  for (const list of lists) {
    const next: Pick[][] = [];
    for (const prefix of out) for (const v of list) next.push([...prefix, v]);
    out = next;
  }
  return out;
}

const TABLE_STYLE = "border-collapse:collapse;font-family:monospace;font-size:12px;margin:0";
const TH_STYLE = "color:#888;font-weight:normal;text-align:right;padding:1px 6px";
const TD_STYLE = "text-align:right;padding:1px 6px;white-space:pre";
const ELLIPSIS = "…";

/** An HTML table of the array: rows and columns with their indices, elided past `threshold`. */
export function ndarrayToHTML(x: NDArrayLike, opts: NDArrayHTMLOptions = {}): string {
  const threshold = opts.threshold ?? 20;
  const edge = opts.edgeItems ?? 3;
  const leadThreshold = opts.leadingThreshold ?? 4;
  const leadEdge = opts.leadingEdgeItems ?? 2;
  const shape = x.shape;
  const ndim = shape.length;
  const kind: ElementKind = kindOfDtype(x.dtype);
  const strides = stridesOf(shape);
  const size = shape.reduce((a, b) => a * b, 1);

  // Which indices are shown along each axis.
  const picks: Pick[][] = shape.map((n, k) =>
    ndim >= 3 && k < ndim - 2 ? pickIndices(n, leadThreshold, leadEdge) : pickIndices(n, threshold, edge),
  );

  // Collect the shown elements first: the number format depends on all of them (as in numpy).
  const shownFlat: number[] = [];
  if (size > 0) {
    const concrete = picks.map((p) => p.filter((i): i is number => i !== null));
    for (const idx of cartesian(concrete)) {
      let flat = 0;
      for (let k = 0; k < ndim; k++) flat += (idx[k] as number) * strides[k];
      shownFlat.push(flat);
    }
  }
  const values = shownFlat.map((i) => readElement(x.data, i, kind));
  const fmt = elementFormatter(kind, values);
  const cell = (flat: number) => escapeHTML(fmt(readElement(x.data, flat, kind)));

  const traced = x._box !== undefined && x._box !== null ? " · traced" : "";
  const caption = `NDArray · shape ${shapeTuple(shape)} · ${escapeHTML(x.dtype)}${traced}`;

  const table2d = (
    offset: number,
    rowPicks: Pick[],
    colPicks: Pick[],
    rowStride: number,
    colStride: number,
    captionHTML: string,
    rowIndex = true,
  ) => {
    const parts: string[] = [`<table style="${TABLE_STYLE}">`];
    if (captionHTML) parts.push(`<caption style="caption-side:top;text-align:left;color:#666;font-size:11px;padding:2px 0;white-space:nowrap">${captionHTML}</caption>`);
    parts.push(`<thead><tr>${rowIndex ? `<th style="${TH_STYLE}"></th>` : ""}`);
    for (const c of colPicks) parts.push(`<th style="${TH_STYLE}">${c === null ? ELLIPSIS : c}</th>`);
    parts.push("</tr></thead><tbody>");
    for (const r of rowPicks) {
      parts.push(`<tr>${rowIndex ? `<th style="${TH_STYLE}">${r === null ? ELLIPSIS : r}</th>` : ""}`);
      for (const c of colPicks) {
        const text = r === null || c === null ? ELLIPSIS : cell(offset + r * rowStride + c * colStride);
        parts.push(`<td style="${TD_STYLE}">${text}</td>`);
      }
      parts.push("</tr>");
    }
    parts.push("</tbody></table>");
    return parts.join("");
  };

  const out: string[] = [`<div class="gradlab-ndarray">`];
  if (size === 0) {
    out.push(`<table style="${TABLE_STYLE}"><caption style="caption-side:top;text-align:left;color:#666;font-size:11px;white-space:nowrap">${caption}</caption>`);
    out.push(`<tbody><tr><td style="${TD_STYLE}">(empty)</td></tr></tbody></table>`);
  } else if (ndim === 0) {
    out.push(`<table style="${TABLE_STYLE}"><caption style="caption-side:top;text-align:left;color:#666;font-size:11px;white-space:nowrap">${caption}</caption>`);
    out.push(`<tbody><tr><td style="${TD_STYLE}">${cell(0)}</td></tr></tbody></table>`);
  } else if (ndim === 1) {
    out.push(table2d(0, [0], picks[0], 0, 1, caption, false));
  } else if (ndim === 2) {
    out.push(table2d(0, picks[0], picks[1], strides[0], strides[1], caption));
  } else {
    out.push(`<div style="color:#666;font-size:11px;font-family:monospace;padding:2px 0;white-space:nowrap">${caption}</div>`);
    const lead = picks.slice(0, ndim - 2);
    for (const idx of cartesian(lead)) {
      if (idx.some((i) => i === null)) {
        const label = idx.map((i) => (i === null ? ELLIPSIS : String(i))).join(", ");
        out.push(`<div style="font-family:monospace;font-size:11px;color:#888;padding:4px 0">[${label}, :, :] ${ELLIPSIS}</div>`);
        continue;
      }
      let offset = 0;
      for (let k = 0; k < idx.length; k++) offset += (idx[k] as number) * strides[k];
      const label = `[${idx.join(", ")}, :, :]`;
      out.push(table2d(offset, picks[ndim - 2], picks[ndim - 1], strides[ndim - 2], strides[ndim - 1], escapeHTML(label)));
    }
  }
  out.push("</div>");
  return out.join("");
}

/** A numpy-like repr used when the array class has no `toString` of its own. */
export function ndarrayFallbackRepr(x: NDArrayLike): string {
  const shape = x.shape;
  const ndim = shape.length;
  const kind = kindOfDtype(x.dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  const summarize = size > 1000;
  const strides = stridesOf(shape);
  const picks = shape.map((n) => (summarize ? pickIndices(n, 6, 3) : pickIndices(n, Infinity, 0)));
  const concrete = picks.map((p) => p.filter((i): i is number => i !== null));
  const flats = size === 0 ? [] : cartesian(concrete).map((idx) => idx.reduce((a: number, i, k) => a + (i as number) * strides[k], 0));
  const fmt = elementFormatter(kind, flats.map((i) => readElement(x.data, i, kind)));
  const texts = new Map<number, string>();
  let width = 0;
  for (const f of flats) {
    const t = fmt(readElement(x.data, f, kind));
    texts.set(f, t);
    width = Math.max(width, t.length);
  }
  const suffix = x.dtype === "float64" || x.dtype === "bool" || x.dtype === "complex128" ? "" : `, dtype=${x.dtype}`;
  if (size === 0) return `array([], shape=${shapeTuple(shape)}, dtype=${x.dtype})`;
  if (ndim === 0) return `array(${texts.get(0)}${suffix})`;
  const indent = "array(".length;
  const rec = (dim: number, offset: number, pad: number): string => {
    const items: string[] = [];
    for (const i of picks[dim]) {
      if (i === null) {
        items.push("...");
        continue;
      }
      const o = offset + i * strides[dim];
      items.push(dim === ndim - 1 ? (texts.get(o) as string).padStart(width) : rec(dim + 1, o, pad + 1));
    }
    if (dim === ndim - 1) return `[${items.join(", ")}]`;
    const sep = "," + "\n".repeat(ndim - 1 - dim) + " ".repeat(pad + 1);
    return `[${items.join(sep)}]`;
  };
  return `array(${rec(0, 0, indent)}${suffix})`;
}

/** The text/plain form: the array's own numpy-like repr (`toString`), or a fallback with the same layout. */
export function ndarrayToText(x: NDArrayLike): string {
  const own = (x as { toString?: () => string }).toString;
  if (typeof own === "function" && own !== Object.prototype.toString) {
    try {
      const s = own.call(x);
      if (typeof s === "string" && s !== "[object Object]") return s;
    } catch {
      // fall through to the fallback repr
    }
  }
  return ndarrayFallbackRepr(x);
}

/** `{ "text/plain": numpy-like repr, "text/html": table }`: what a notebook shows for an NDArray. */
export function ndarrayMimeBundle(x: NDArrayLike, opts?: NDArrayHTMLOptions): MimeBundle {
  return { "text/plain": ndarrayToText(x), "text/html": ndarrayToHTML(x, opts) };
}
