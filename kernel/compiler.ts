// The cell compiler: tslab's converter (type-checks a cell against the declarations of previous cells, emits
// CommonJS), run on a TypeScript instance that we hand to it (kernel/tslab.ts), with these changes:
//   - before the compile, operators on arrays are rewritten to np calls (kernel/operators.ts), and shorthand
//     properties expanded; diagnostics and source maps are mapped back to the user's text;
//   - the type roots are gradlab's: @types/node plus the generated `gradlab-globals` declaration, so every
//     export of the library is a typed global in a notebook in any folder (and `import ... from "gradlab"`
//     resolves to this library);
//   - cells compile with an inline source map, composed through tslab's ES module → CommonJS step, so a
//     runtime error can name the cell's line;
//   - files outside the notebook's folder (node_modules, the library's .d.ts) are not watched.
import type * as TSNS from "typescript";
import { OPS, rewriteOperators, shorthandEdits } from "./operators";
import { type LineMap, compose, decodeMappings, extractInlineMap, stripMapComment } from "./sourcemap";
import { MapChain, applyEdits, lineAndCharacter, lineStarts } from "./textedit";
import { PatchError, loadConverter, restrictWatching } from "./tslab";
import type { TS } from "./tsload";

export { tslabDir, typescriptFile } from "./tslab";

export interface Diagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

export interface Converted {
  output?: string;
  declOutput?: string;
  diagnostics: Diagnostic[];
  hasToplevelAwait?: boolean;
  sideOutputs?: Array<{ path: string; data: string }>;
  lastExpressionVar?: string;
}

export interface CompiledCell extends Converted {
  /** Maps the lines of `output` (0-based) to the cell's lines (0-based, the cell's first line is 0). */
  map: LineMap | null;
}

export interface CompilerSettings {
  /** Directories holding `@types`-style packages: gradlab-globals and node. */
  typeRoots: string[];
  /** Packages from the type roots included in every cell. */
  types: string[];
  /** Module name → declaration file, e.g. { gradlab: ["/…/dist/lib/index.d.ts"] }. */
  paths?: Record<string, string[]>;
  /** Rewrite operators on arrays to np calls (default true; GRADLAB_OPERATORS=0 turns it off in the kernel). */
  operators?: boolean;
}

export interface CellCompiler {
  readonly ts: TS;
  compile(prevDecl: string, src: string): CompiledCell;
  /** The cell as compiled (operators on arrays rewritten, shorthand properties expanded), and its offset map. */
  rewrite(prevDecl: string, src: string): { text: string; map: MapChain; checks: number; rewrites: number };
  inspect(prevDecl: string, src: string, position: number): string | null;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  isComplete(src: string): { completed: boolean; indent?: string };
  close(): void;
}

/** tslab's transpileModule step, with the cell's inline source map composed through it (kept in `maps`). */
function transpileWithMap(maps: Map<string, LineMap>) {
  return (real: TS["transpileModule"], input: string, opts: TSNS.TranspileOptions): TSNS.TranspileOutput => {
    const { code, map } = extractInlineMap(input);
    if (!map) return real(input, opts);
    const r = real(code, { ...opts, compilerOptions: { ...opts.compilerOptions, sourceMap: true } });
    const outputText = stripMapComment(r.outputText);
    if (r.sourceMapText) {
      const outer = decodeMappings((JSON.parse(r.sourceMapText) as { mappings: string }).mappings);
      maps.set(outputText, compose(map, outer));
    }
    return { ...r, outputText, sourceMapText: undefined };
  };
}

/**
 * `{ q }` → `{ q: q }`. tslab rewrites references to earlier cells' variables as `exports.q`, which a shorthand
 * property cannot hold (the cell would throw "q is not defined"). The text is inserted on the same line.
 */
export function expandShorthandProperties(ts: TS, src: string): string {
  return applyEdits(src, shorthandEdits(ts, src)).text;
}

/** Positions of the rewritten cell → the user's cell (diagnostics, source maps). */
function mapBack(
  map: MapChain,
  src: string,
  text: string,
): { offset(n: number): { offset: number; line: number; character: number }; lineCol(line: number, col: number): [number, number] } {
  const srcStarts = lineStarts(src);
  const textStarts = lineStarts(text);
  const at = (n: number) => {
    const o = map.toOriginal(n);
    const lc = lineAndCharacter(srcStarts, o);
    return { offset: o, line: lc.line, character: lc.character };
  };
  return {
    offset: at,
    lineCol(line, col) {
      const start = textStarts[line];
      if (start === undefined) return [line, col];
      const p = at(start + col);
      return [p.line, p.character];
    },
  };
}

export function createCellCompiler(ts: TS, settings: CompilerSettings, cwd = process.cwd()): CellCompiler {
  const maps = new Map<string, LineMap>();
  restrictWatching(ts, cwd);
  const loaded = loadConverter(ts, {
    compilerOptions: (options) => ({
      ...options,
      typeRoots: settings.typeRoots,
      types: settings.types,
      inlineSourceMap: true,
      ...(settings.paths ? { paths: settings.paths } : {}),
    }),
    transpileModule: transpileWithMap(maps),
  });
  const conv = loaded.converter;

  const rewrite = (prevDecl: string, src: string) => {
    const chain = new MapChain();
    const shorthand = applyEdits(src, shorthandEdits(ts, src));
    chain.push(shorthand.map);
    if (settings.operators === false) return { text: shorthand.text, map: chain, checks: 0, rewrites: 0 };
    const r = rewriteOperators(ts, shorthand.text, (text) => loaded.check(prevDecl, text));
    for (const m of r.map.maps) chain.push(m);
    return { text: r.text, map: chain, checks: r.checks, rewrites: r.rewrites };
  };

  return {
    ts,
    rewrite,
    compile(prevDecl, src) {
      let r: { text: string; map: MapChain };
      try {
        r = rewrite(prevDecl, src);
      } catch (e) {
        if (e instanceof PatchError) throw e;
        // A bug in the rewrite must not cost the user the cell: compile it as written (operators on arrays then
        // get TypeScript's own errors), and say so on the kernel's log.
        process.stderr.write(`[gradlab kernel] operator rewrite failed, the cell compiles as written: ${e instanceof Error ? e.stack : String(e)}\n`);
        const shorthand = applyEdits(src, shorthandEdits(ts, src));
        r = { text: shorthand.text, map: new MapChain() };
        r.map.push(shorthand.map);
      }
      const { text, map: chain } = r;
      maps.clear();
      const converted = conv.convert(prevDecl, text);
      const map = converted.output !== undefined ? maps.get(converted.output) ?? null : null;
      maps.clear();
      const back = mapBack(chain, src, text);
      // One mapped object per position object: errors.ts groups a message chain by the identity of its spans.
      const memo = new Map<object, Diagnostic["start"]>();
      const mapPos = (p: Diagnostic["start"]) => {
        let m = memo.get(p);
        if (!m) memo.set(p, (m = back.offset(p.offset)));
        return m;
      };
      const diagnostics = converted.diagnostics.map((d) => (d.fileName ? d : { ...d, start: mapPos(d.start), end: mapPos(d.end) }));
      // The cell's file starts with tslab's one-line `export {};` prefix: TypeScript line n is cell line n-1.
      const cellMap = map
        ? map.map((segs) =>
            segs.map(([c, l, col]) => {
              const [line, character] = back.lineCol(l - 1, col);
              return [c, line, character] as [number, number, number];
            }),
          )
        : null;
      return { ...converted, diagnostics, map: cellMap };
    },
    inspect(prevDecl, src, position) {
      const { text, map } = rewrite(prevDecl, src);
      const info = conv.inspect(prevDecl, text, map.toRewritten(position));
      return info ? loaded.printQuickInfo(info) : null;
    },
    complete(prevDecl, src, position) {
      let r: { text: string; map: MapChain };
      try {
        r = rewrite(prevDecl, src);
      } catch {
        r = { text: src, map: new MapChain() };
      }
      const out = conv.complete(prevDecl, r.text, r.map.toRewritten(position));
      const candidates = out.candidates.filter((c) => c !== OPS);
      return { ...out, candidates, start: r.map.toOriginal(out.start), end: r.map.toOriginal(out.end) };
    },
    isComplete(src) {
      return loaded.isCompleteCode(src);
    },
    close() {
      conv.close();
    },
  };
}
