// Just enough of source maps (v3) to map a position in a cell's compiled JavaScript back to the cell's line:
// decode the VLQ mappings, compose two maps (TypeScript → ES module JS → CommonJS JS), look a position up.

/** Per generated line: segments [generatedColumn, sourceLine, sourceColumn], sorted by column (0-based). */
export type LineMap = Array<Array<[number, number, number]>>;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function decodeVLQ(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`bad base64 VLQ digit ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Decodes a v3 `mappings` string (single source assumed, as in a cell's map). */
export function decodeMappings(mappings: string): LineMap {
  const lines: LineMap = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const lineText of mappings.split(";")) {
    const segs: Array<[number, number, number]> = [];
    let genCol = 0;
    if (lineText) {
      for (const segText of lineText.split(",")) {
        if (!segText) continue;
        const f = decodeVLQ(segText);
        genCol += f[0];
        if (f.length >= 4) {
          srcLine += f[2];
          srcCol += f[3];
          segs.push([genCol, srcLine, srcCol]);
        }
      }
    }
    segs.sort((a, b) => a[0] - b[0]);
    lines.push(segs);
  }
  return lines;
}

/** The source position of a generated position (0-based), or null when the line has no mapping. */
export function lookup(map: LineMap, line: number, column: number): { line: number; column: number } | null {
  const segs = map[line];
  if (!segs || segs.length === 0) return null;
  let best = segs[0];
  for (const s of segs) {
    if (s[0] <= column) best = s;
    else break;
  }
  return { line: best[1], column: best[2] };
}

/** Composes `outer` (B → C, generated C) after `inner` (A → B): the result maps C positions to A. */
export function compose(inner: LineMap, outer: LineMap): LineMap {
  return outer.map((segs) => {
    const out: Array<[number, number, number]> = [];
    for (const [genCol, bLine, bCol] of segs) {
      const a = lookup(inner, bLine, bCol);
      if (a) out.push([genCol, a.line, a.column]);
    }
    return out;
  });
}

const INLINE_MAP_RE = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Splits off an inline source map comment: the code without it, and the decoded map (or null). */
export function extractInlineMap(code: string): { code: string; map: LineMap | null } {
  const m = INLINE_MAP_RE.exec(code);
  if (!m) return { code, map: null };
  const json = JSON.parse(Buffer.from(m[1], "base64").toString("utf8")) as { mappings: string };
  return { code: code.slice(0, m.index) + "\n", map: decodeMappings(json.mappings) };
}

/** Removes a trailing `//# sourceMappingURL=...` comment. */
export function stripMapComment(code: string): string {
  return code.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
}
