// numpy-like text for arrays: `array([[1. , 2.5],\n       [3. , 4. ]])`, elided with "..." when large.
import { isComplex } from "./dtype";
import type { NDArray } from "./ndarray";

const THRESHOLD = 1000; // numpy's print threshold (elements)
const EDGE = 3; // elements kept at each edge when eliding
const PRECISION = 8;

/** Formats one float the way numpy's repr does for a whole array: shared fraction width, scientific when needed. */
function floatFormatter(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const minAbs = finite.filter((v) => v !== 0).reduce((m, v) => Math.min(m, Math.abs(v)), Infinity);
  const scientific = maxAbs >= 1e16 || (minAbs < 1e-4 && minAbs !== Infinity) || (maxAbs / minAbs > 1e3 && minAbs < 1e-4);
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (scientific) {
    const digits = Math.max(
      ...finite.map((v) => {
        const m = v.toExponential(PRECISION).split("e")[0].replace(/0+$/, "");
        return m.split(".")[1]?.length ?? 0;
      }),
      1,
    );
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = v.toExponential(digits).split("e");
      const exp = Math.abs(Number(e));
      return `${m}e${Number(e) < 0 ? "-" : "+"}${exp < 10 ? "0" : ""}${exp}`;
    };
  }
  const fracs = finite.map((v) => {
    const s = v.toFixed(PRECISION).replace(/0+$/, "");
    return s.length - s.indexOf(".") - 1;
  });
  const width = Math.max(0, ...fracs);
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    const s = v.toFixed(PRECISION).replace(/0+$/, "");
    const frac = s.length - s.indexOf(".") - 1;
    return s + " ".repeat(width - frac);
  };
}

function elementFormatter(x: NDArray, sample: number[]): (i: number) => string {
  const d = x.data;
  if (x.dtype === "bool") return (i) => (d[i] ? " True" : "False");
  if (x.dtype === "int32") return (i) => String(d[i]);
  if (isComplex(x.dtype)) {
    const re = floatFormatter(sample.map((i) => d[2 * i]));
    const im = floatFormatter(sample.map((i) => Math.abs(d[2 * i + 1])));
    return (i) => `${re(d[2 * i])}${d[2 * i + 1] < 0 || Object.is(d[2 * i + 1], -0) ? "-" : "+"}${im(Math.abs(d[2 * i + 1])).trimEnd()}j`;
  }
  const f = floatFormatter(sample.map((i) => d[i]));
  return (i) => f(d[i]);
}

/** Flat indices of the elements that will be printed (all, or the edges of each axis when eliding). */
function visibleIndices(shape: number[], elide: boolean): number[] {
  const out: number[] = [];
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((p, v) => p * v, 1));
  const walk = (dim: number, base: number) => {
    if (dim === shape.length) {
      out.push(base);
      return;
    }
    const n = shape[dim];
    for (let j = 0; j < n; j++) {
      if (elide && n > 2 * EDGE && j === EDGE) j = n - EDGE;
      walk(dim + 1, base + j * strides[dim]);
    }
  };
  walk(0, 0);
  return out;
}

/** The body of the repr (without `array(` and dtype suffix), as numpy prints it. */
export function formatBody(x: NDArray, indent = 0): string {
  const shape = x.shape;
  if (x.size === 0) return "[]";
  const elide = x.size > THRESHOLD;
  const visible = visibleIndices(shape, elide);
  const fmt = elementFormatter(x, visible);
  const width = Math.max(...visible.map((i) => fmt(i).length));
  const cell = (i: number) => fmt(i).padStart(width);
  if (shape.length === 0) return fmt(0).trim();
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((p, v) => p * v, 1));
  const render = (dim: number, base: number): string => {
    const n = shape[dim];
    const parts: string[] = [];
    for (let j = 0; j < n; j++) {
      if (elide && n > 2 * EDGE && j === EDGE) {
        parts.push("...");
        j = n - EDGE;
      }
      parts.push(dim === shape.length - 1 ? cell(base + j * strides[dim]) : render(dim + 1, base + j * strides[dim]));
    }
    if (dim === shape.length - 1) return `[${wrapLine(parts, indent + dim + 1)}]`;
    const sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0);
}

/** Joins a row's cells with ", ", wrapping at numpy's 75-character line width. */
function wrapLine(cells: string[], indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const c of cells) {
    const piece = line ? `${line}, ${c}` : c;
    if (piece.length + indent > 72 && line) {
      lines.push(line + ",");
      line = c;
    } else line = piece;
  }
  lines.push(line);
  return lines.join("\n" + " ".repeat(indent));
}

/** `array([...])`, with `dtype=...` for dtypes numpy would name. */
export function formatArray(x: NDArray): string {
  const body = formatBody(x, 6);
  const showDtype = x.dtype === "float32" || (x.size === 0 && x.dtype !== "float64");
  return `array(${body}${showDtype ? `, dtype=${x.dtype}` : ""})`;
}
