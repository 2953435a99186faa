// numpy-like text for arrays: `array([[1. , 2.5],\n       [3. , 4. ]])`, elided with "..." when large.
//
// A port of numpy's arrayprint (numpy 2.x defaults: precision 8, floatmode "maxprec", linewidth 75, threshold
// 1000, edgeitems 3): the same choice between positional and scientific notation, the same padding of the
// integer and fraction parts, the same line wrapping, and the same `shape=` / `dtype=` extras.
import { isComplex } from "./dtype";
import type { NDArray } from "./ndarray";

const THRESHOLD = 1000; // numpy's print threshold (elements)
const EDGE = 3; // elements kept at each edge when eliding
const PRECISION = 8;
const LINEWIDTH = 75;

// ---- floats ------------------------------------------------------------------------------------------------

/** The shortest decimal that reads back as `v` (a float32 value when `f32`), as "d.ddd" and exponent. */
function shortest(v: number, f32: boolean): { mant: string; exp: number } {
  let s: string;
  if (!f32) s = v.toExponential();
  else {
    s = v.toExponential(8);
    for (let p = 0; p <= 8; p++) {
      const t = v.toExponential(p);
      if (Math.fround(Number(t)) === v) {
        s = t;
        break;
      }
    }
  }
  const [m, e] = s.split("e");
  return { mant: m, exp: Number(e) };
}

const fracLen = (m: string) => (m.includes(".") ? m.length - m.indexOf(".") - 1 : 0);
const trimZeros = (s: string) => (s.includes(".") ? s.replace(/0+$/, "") : s + ".");

/** numpy's positional digits: shortest repr, at most PRECISION fraction digits, trailing zeros trimmed ("1."). */
function positional(a: number, f32: boolean): string {
  const { mant, exp } = shortest(a, f32);
  const digits = mant.replace(".", "");
  const frac = Math.max(0, digits.length - 1 - exp);
  if (frac > PRECISION) return trimZeros(a.toFixed(PRECISION));
  let s: string;
  if (exp >= 0) {
    const intDigits = exp + 1;
    s = digits.length <= intDigits ? digits + "0".repeat(intDigits - digits.length) + "." : digits.slice(0, intDigits) + "." + digits.slice(intDigits);
  } else s = "0." + "0".repeat(-exp - 1) + digits;
  return trimZeros(s);
}

/** numpy's scientific digits (first pass): shortest mantissa, at most PRECISION fraction digits, trimmed. */
function scientific(a: number, f32: boolean): { mant: string; exp: number } {
  const sh = shortest(a, f32);
  if (fracLen(sh.mant) <= PRECISION) return { mant: trimZeros(sh.mant), exp: sh.exp };
  const [m, e] = a.toExponential(PRECISION).split("e");
  return { mant: trimZeros(m), exp: Number(e) };
}

/**
 * numpy's FloatingFormat for one array of values: decides positional vs scientific from the finite values,
 * pads the integer part on the left and the fraction on the right so that every value has the same width.
 * `sign` "+" prints a plus on non-negative values (the imaginary parts of complex numbers).
 */
function floatFormatter(values: number[], f32: boolean, sign: "-" | "+" = "-"): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonzero.length) {
    const max = Math.max(...nonzero), min = Math.min(...nonzero);
    expFormat = max >= 1e8 || min < 1e-4 || max / min > 1000;
  }
  const signOf = (v: number) => (v < 0 || Object.is(v, -0) ? "-" : sign === "+" ? "+" : "");
  let padLeft = 0, padRight = 0;
  let body: (v: number) => string;
  if (finite.length === 0) {
    body = () => "";
  } else if (expFormat) {
    const parts = finite.map((v) => ({ sign: signOf(v), ...scientific(Math.abs(v), f32) }));
    const precision = Math.max(...parts.map((p) => fracLen(p.mant)));
    const expDigits = Math.max(2, ...parts.map((p) => String(Math.abs(p.exp)).length));
    padLeft = Math.max(...parts.map((p) => p.sign.length + p.mant.indexOf(".")));
    padRight = expDigits + 2 + precision;
    body = (v) => {
      const p = scientific(Math.abs(v), f32);
      const mant = p.mant + "0".repeat(precision - fracLen(p.mant));
      const e = `e${p.exp < 0 ? "-" : "+"}${String(Math.abs(p.exp)).padStart(expDigits, "0")}`;
      return (signOf(v) + mant).padStart(padLeft + mant.length - mant.indexOf(".")) + e;
    };
  } else {
    const strs = finite.map((v) => signOf(v) + positional(Math.abs(v), f32));
    padLeft = Math.max(...strs.map((s) => s.indexOf(".")));
    padRight = Math.max(...strs.map((s) => s.length - s.indexOf(".") - 1));
    body = (v) => {
      const s = signOf(v) + positional(Math.abs(v), f32);
      const dot = s.indexOf(".");
      return " ".repeat(padLeft - dot) + s + " ".repeat(padRight - (s.length - dot - 1));
    };
  }
  if (finite.length !== values.length) {
    // room for nan / inf (numpy widens the integer part)
    const negInf = sign !== "-" || values.some((v) => v === -Infinity);
    padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + (negInf ? 1 : 0) - (padRight + 1));
  }
  return (v) => {
    if (Number.isFinite(v)) return body(v);
    const ret = Number.isNaN(v) ? (sign === "+" ? "+nan" : "nan") : (v < 0 ? "-" : sign === "+" ? "+" : "") + "inf";
    return " ".repeat(Math.max(0, padLeft + padRight + 1 - ret.length)) + ret;
  };
}

// ---- elements ----------------------------------------------------------------------------------------------

function elementFormatter(x: NDArray, sample: number[]): (i: number) => string {
  const d = x.data;
  if (x.dtype === "bool") {
    const t = x.ndim === 0 ? "True" : " True";
    return (i) => (d[i] ? t : "False");
  }
  if (x.dtype === "int32") {
    const width = Math.max(0, ...sample.map((i) => String(d[i]).length));
    return (i) => String(d[i]).padStart(width);
  }
  if (isComplex(x.dtype)) {
    const re = floatFormatter(sample.map((i) => d[2 * i]), false);
    const im = floatFormatter(sample.map((i) => d[2 * i + 1]), false, "+");
    return (i) => {
      const s = im(d[2 * i + 1]);
      const sp = s.trimEnd().length;
      return re(d[2 * i]) + s.slice(0, sp) + "j" + s.slice(sp);
    };
  }
  const f = floatFormatter(sample.map((i) => Number(d[i])), x.dtype === "float32");
  return (i) => f(Number(d[i]));
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

// ---- layout (numpy's _formatArray) -------------------------------------------------------------------------

function extendLine(s: string, line: string, word: string, width: number, nextPrefix: string): [string, string] {
  const needsWrap = line.length + word.length > width && line.length > nextPrefix.length;
  if (needsWrap) {
    s += line.trimEnd() + "\n";
    line = nextPrefix;
  }
  return [s, line + word];
}

/**
 * The array2string body as numpy prints it after a prefix of `indent` characters (6 for "array("), wrapping at
 * `lineWidth` (numpy's 75, minus the closing suffix).
 */
export function formatBody(x: NDArray, indent = 0, lineWidth = LINEWIDTH - 1): string {
  const shape = x.shape;
  if (x.size === 0) return "[]";
  const elide = x.size > THRESHOLD;
  const fmt = elementFormatter(x, visibleIndices(shape, elide));
  if (shape.length === 0) return fmt(0);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((p, v) => p * v, 1));
  const sep = ", ";
  const recurse = (dim: number, base: number, hanging: string, width: number): string => {
    if (dim === shape.length) return fmt(base);
    const nextHanging = hanging + " ";
    const nextWidth = width - 1;
    const n = shape[dim];
    const summary = elide && 2 * EDGE < n;
    const lead = summary ? EDGE : 0, trail = summary ? EDGE : n;
    const child = (j: number) => recurse(dim + 1, base + j * strides[dim], nextHanging, nextWidth);
    let s = "";
    if (dim === shape.length - 1) {
      const elemWidth = width - 1; // max(len(", ".rstrip()), len("]"))
      let line = hanging;
      for (let j = 0; j < lead; j++) {
        [s, line] = extendLine(s, line, child(j), elemWidth, hanging);
        line += sep;
      }
      if (summary) {
        [s, line] = extendLine(s, line, "...", elemWidth, hanging);
        line += sep;
      }
      for (let j = n - trail; j < n - 1; j++) {
        [s, line] = extendLine(s, line, child(j), elemWidth, hanging);
        line += sep;
      }
      [s, line] = extendLine(s, line, child(n - 1), elemWidth, hanging);
      s += line;
    } else {
      const lineSep = "," + "\n".repeat(shape.length - dim - 1);
      for (let j = 0; j < lead; j++) s += hanging + child(j) + lineSep;
      if (summary) s += hanging + "..." + lineSep;
      for (let j = n - trail; j < n - 1; j++) s += hanging + child(j) + lineSep;
      s += hanging + child(n - 1);
    }
    return "[" + s.slice(hanging.length) + "]";
  };
  return recurse(0, 0, " ".repeat(indent + 1), lineWidth);
}

const fmtShape = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/**
 * `array([...])`, as numpy's repr: `shape=` for elided and empty multi-dimensional arrays, `dtype=` when the
 * dtype is not implied by the text (float32, and every empty array). int32 is gradlab's default integer dtype
 * (numpy's int64), so it prints without a dtype, like numpy's default integers.
 */
export function formatArray(x: NDArray): string {
  const prefix = "array(";
  const body = formatBody(x, prefix.length);
  const extras: string[] = [];
  if ((x.size === 0 && !(x.ndim === 1 && x.shape[0] === 0)) || x.size > THRESHOLD) extras.push(`shape=${fmtShape(x.shape)}`);
  if (x.dtype === "float32" || x.size === 0) extras.push(`dtype=${x.dtype}`);
  if (!extras.length) return `${prefix}${body})`;
  const arrStr = `${prefix}${body},`;
  const extra = extras.join(", ") + ")";
  const lastLine = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = lastLine + extra.length + 1 > LINEWIDTH ? "\n" + " ".repeat(prefix.length) : " ";
  return arrStr + spacer + extra;
}
