// Text edits on a cell's source that keep its line structure, and the map of offsets between the edited text
// and the original (both ways). Used by the cell rewrites (kernel/operators.ts, shorthand properties) so that a
// type error or a runtime frame in the rewritten cell is reported at the user's own line and column.

/** Replaces [pos, end) of the original text (pos === end: an insertion). */
export interface Edit {
  pos: number;
  end: number;
  text: string;
  /** Orders insertions at the same position (smaller first). Insertions come before a replacement there. */
  order: number;
}

interface Piece {
  /** Original range [o, oEnd) became [n, nEnd) in the rewritten text. */
  o: number;
  oEnd: number;
  n: number;
  nEnd: number;
  copied: boolean;
}

/** Offsets between a rewritten text and the text it was made from. */
export class OffsetMap {
  constructor(private readonly pieces: Piece[]) {}

  static identity(length: number): OffsetMap {
    return new OffsetMap([{ o: 0, oEnd: length, n: 0, nEnd: length, copied: true }]);
  }

  /** The original offset of a rewritten offset (inside inserted text: where the insertion was made). */
  toOriginal(n: number): number {
    for (const p of this.pieces) {
      if (n >= p.n && n < p.nEnd) return p.copied ? p.o + (n - p.n) : p.o;
    }
    const last = this.pieces[this.pieces.length - 1];
    return last ? last.oEnd + Math.max(0, n - last.nEnd) : n;
  }

  /** The rewritten offset of an original offset (inside replaced text: the start of its replacement). */
  toRewritten(o: number): number {
    for (const p of this.pieces) {
      if (p.copied && o >= p.o && o <= p.oEnd) return p.n + (o - p.o);
      if (!p.copied && o >= p.o && o < p.oEnd) return p.n;
    }
    const last = this.pieces[this.pieces.length - 1];
    return last ? last.nEnd + (o - last.oEnd) : o;
  }
}

/** A chain of maps, first edit first: original → ... → final. */
export class MapChain {
  readonly maps: OffsetMap[] = [];
  push(m: OffsetMap): void {
    this.maps.push(m);
  }
  toOriginal(n: number): number {
    for (let i = this.maps.length - 1; i >= 0; i--) n = this.maps[i].toOriginal(n);
    return n;
  }
  toRewritten(o: number): number {
    for (const m of this.maps) o = m.toRewritten(o);
    return o;
  }
}

/** Applies non-overlapping edits; throws if two replacements overlap (a bug in the caller). */
export function applyEdits(text: string, edits: Edit[]): { text: string; map: OffsetMap } {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      if (a.e.pos !== b.e.pos) return a.e.pos - b.e.pos;
      const ai = a.e.pos === a.e.end, bi = b.e.pos === b.e.end;
      if (ai !== bi) return ai ? -1 : 1;
      return a.e.order - b.e.order || a.i - b.i;
    })
    .map((x) => x.e);
  const pieces: Piece[] = [];
  let out = "";
  let at = 0;
  const copy = (to: number) => {
    if (to > at) {
      pieces.push({ o: at, oEnd: to, n: out.length, nEnd: out.length + (to - at), copied: true });
      out += text.slice(at, to);
      at = to;
    }
  };
  for (const e of sorted) {
    if (e.pos < at) throw new Error(`overlapping edits at ${e.pos}`);
    copy(e.pos);
    pieces.push({ o: e.pos, oEnd: e.end, n: out.length, nEnd: out.length + e.text.length, copied: false });
    out += e.text;
    at = e.end;
  }
  copy(text.length);
  if (pieces.length === 0) pieces.push({ o: 0, oEnd: 0, n: 0, nEnd: 0, copied: true });
  return { text: out, map: new OffsetMap(pieces) };
}

/** Line starts of a text (0-based offsets). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 0-based line and character of an offset. */
export function lineAndCharacter(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}
