// numpy-like formatting of array elements, shared by the HTML table and the text fallback.
//
// numpy chooses one notation per array (positional or scientific) from the values it prints, then prints each
// value with the fewest digits that round-trip, capped at 8 fractional digits: `1.`, `0.5`, `0.33333333`,
// `1.e-05`. We follow that, computing the choice from the displayed elements only (as numpy does when it
// summarises a large array).

export type ElementKind = "float" | "int" | "bool" | "complex";

/** Reads the i-th element (in row-major order) of typed storage as a number or a `[re, im]` pair. */
export function readElement(data: ArrayLike<number>, i: number, kind: ElementKind): number | [number, number] {
  return kind === "complex" ? [data[2 * i], data[2 * i + 1]] : data[i];
}

export function kindOfDtype(dtype: string): ElementKind {
  if (dtype === "complex128" || dtype === "complex64") return "complex";
  if (dtype === "bool") return "bool";
  if (dtype === "int32" || dtype === "int64" || dtype === "uint8") return "int";
  return "float";
}

const PRECISION = 8;

/**
 * A formatter for a set of float values, as numpy's FloatingFormat does it: positional or scientific
 * notation chosen from the magnitudes; positional values padded with spaces to a common number of fractional
 * digits (`0. `, `0.5`), scientific mantissas zero-padded to a common precision (`1.0e-05`, `2.5e+00`).
 */
export function floatFormatter(values: Iterable<number>): (v: number) => string {
  let maxAbs = 0;
  let minAbs = Infinity;
  const finite: number[] = [];
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    finite.push(v);
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
  }
  const scientific = maxAbs > 0 && (maxAbs >= 1e16 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  if (scientific) {
    let precision = 0;
    for (const v of finite) {
      const mant = formatScientific(v).split("e")[0];
      precision = Math.max(precision, mant.length - mant.indexOf(".") - 1);
    }
    return (v) => {
      const sp = special(v);
      if (sp !== null) return sp;
      const [mant, exp] = v.toExponential(precision).split("e");
      const sign = exp.startsWith("-") ? "-" : "+";
      return `${mant.includes(".") ? mant : mant + "."}e${sign}${exp.replace(/^[+-]/, "").padStart(2, "0")}`;
    };
  }
  let padRight = 0;
  for (const v of finite) {
    const t = formatPositional(v);
    padRight = Math.max(padRight, t.length - t.indexOf(".") - 1);
  }
  return (v) => {
    const sp = special(v);
    if (sp !== null) return sp;
    const t = formatPositional(v);
    return t + " ".repeat(Math.max(0, padRight - (t.length - t.indexOf(".") - 1)));
  };
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return null;
}

/** `1.`, `0.5`, `-2.25`, `0.33333333` (numpy's positional notation, unique digits, precision 8). */
export function formatPositional(v: number): string {
  const s = special(v);
  if (s !== null) return s;
  if (Math.abs(v) >= 1e16) return formatScientific(v);
  let out = v.toFixed(PRECISION);
  // Prefer the shortest round-trip representation when it has no more fractional digits than the cap.
  const shortest = String(v);
  if (!/e/i.test(shortest)) {
    const frac = shortest.includes(".") ? shortest.length - shortest.indexOf(".") - 1 : 0;
    if (frac <= PRECISION) out = shortest;
  }
  if (!out.includes(".")) out += ".";
  else out = out.replace(/0+$/, "");
  if (Object.is(v, -0)) return "-0.";
  return out;
}

/** `1.e-05`, `1.5e+20` (numpy's scientific notation, unique digits, precision 8, two-digit exponent). */
export function formatScientific(v: number): string {
  const s = special(v);
  if (s !== null) return s;
  let [mant, exp] = v.toExponential().split("e");
  const frac = mant.includes(".") ? mant.length - mant.indexOf(".") - 1 : 0;
  if (frac > PRECISION) [mant, exp] = v.toExponential(PRECISION).split("e");
  if (!mant.includes(".")) mant += ".";
  else mant = mant.replace(/0+$/, "");
  const sign = exp.startsWith("-") ? "-" : "+";
  const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
  return `${mant}e${sign}${digits}`;
}

export function formatInt(v: number): string {
  return String(v);
}

export function formatBool(v: number): string {
  return v ? "True" : "False";
}

/** numpy's complex element: `1.+2.j`, `0.-0.5j`, `nan+nanj`. */
export function complexFormatter(values: Iterable<[number, number]>): (v: [number, number]) => string {
  const res: number[] = [];
  const ims: number[] = [];
  for (const [re, im] of values) {
    res.push(re);
    ims.push(im);
  }
  const fre = floatFormatter(res);
  const fim = floatFormatter(ims);
  return ([re, im]) => {
    const imText = fim(Math.abs(im));
    const sign = im < 0 || Object.is(im, -0) ? "-" : "+";
    const trimmed = imText.trimEnd();
    return `${fre(re)}${sign}${trimmed}j${" ".repeat(imText.length - trimmed.length)}`;
  };
}

/** A formatter for all the given elements of one array. */
export function elementFormatter(
  kind: ElementKind,
  shown: Array<number | [number, number]>,
): (v: number | [number, number]) => string {
  switch (kind) {
    case "bool":
      return (v) => formatBool(v as number);
    case "int":
      return (v) => formatInt(v as number);
    case "complex": {
      const f = complexFormatter(shown as Array<[number, number]>);
      return (v) => f(v as [number, number]);
    }
    default: {
      const f = floatFormatter(shown as number[]);
      return (v) => f(v as number);
    }
  }
}

/** `(3, 4)`, `(5,)`, `()`: a shape as Python prints a tuple. */
export function shapeTuple(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

export function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}
