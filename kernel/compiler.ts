// The cell compiler: tslab's converter (type-checks a cell against the declarations of previous cells, emits
// CommonJS), run on a TypeScript instance that we hand to it through require.cache, with three changes:
//   - the type roots are gradlab's: @types/node plus the generated `gradlab-globals` declaration, so every
//     export of the library is a typed global in a notebook in any folder (and `import ... from "gradlab"`
//     resolves to this library);
//   - cells compile with an inline source map, composed through tslab's ES module → CommonJS step, so a
//     runtime error can name the cell's line;
//   - files outside the notebook's folder (node_modules, the library's .d.ts) are not watched.
import * as path from "path";
import Module = require("module");
import type * as TSNS from "typescript";
import type { TS } from "./tsload";
import { type LineMap, compose, decodeMappings, extractInlineMap, stripMapComment } from "./sourcemap";

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
}

interface TslabConverter {
  convert(prevDecl: string, src: string): Converted;
  inspect(prevDecl: string, src: string, position: number): unknown;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  close(): void;
}

export interface CellCompiler {
  readonly ts: TS;
  compile(prevDecl: string, src: string): CompiledCell;
  inspect(prevDecl: string, src: string, position: number): string | null;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  isComplete(src: string): { completed: boolean; indent?: string };
  close(): void;
}

/** Module ids tslab's files require TypeScript by. */
const TS_MODULE_ID = "@tslab/typescript-for-tslab";

export function tslabDir(): string {
  return path.dirname(require.resolve("tslab/package.json"));
}

export function typescriptFile(): string {
  const req = Module.createRequire(path.join(tslabDir(), "dist", "converter.js"));
  return req.resolve(TS_MODULE_ID);
}

/**
 * Makes `require("@tslab/typescript-for-tslab")` from tslab's files return `ts` with gradlab's overrides.
 * Must run before tslab's converter module is first required.
 */
function installTypeScript(ts: TS, settings: CompilerSettings, maps: Map<string, LineMap>, cwd: string): void {
  const file = typescriptFile();
  // A plain object with writable properties (the bundle's exports are non-configurable getters), so that
  // tslab's `__importStar` copy reads our overrides.
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(ts)) wrapped[key] = (ts as unknown as Record<string, unknown>)[key];

  const realCreateHost = ts.createWatchCompilerHost as (...args: unknown[]) => unknown;
  wrapped.createWatchCompilerHost = (rootFiles: unknown, options: TSNS.CompilerOptions, ...rest: unknown[]) => {
    const merged: TSNS.CompilerOptions = {
      ...options,
      typeRoots: settings.typeRoots,
      types: settings.types,
      inlineSourceMap: true,
    };
    if (settings.paths) merged.paths = settings.paths;
    return realCreateHost(rootFiles, merged, ...rest);
  };

  const realTranspile = ts.transpileModule;
  wrapped.transpileModule = (input: string, opts: TSNS.TranspileOptions) => {
    const { code, map } = extractInlineMap(input);
    if (!map) return realTranspile(input, opts);
    const r = realTranspile(code, { ...opts, compilerOptions: { ...opts.compilerOptions, sourceMap: true } });
    const outputText = stripMapComment(r.outputText);
    if (r.sourceMapText) {
      const outer = decodeMappings((JSON.parse(r.sourceMapText) as { mappings: string }).mappings);
      maps.set(outputText, compose(map, outer));
    }
    return { ...r, outputText, sourceMapText: undefined };
  };

  // Watch only the notebook folder's own files (local modules a cell imports); not node_modules, not lib .d.ts.
  const sys = ts.sys as TSNS.System & Record<string, unknown>;
  if (!sys.__gradlabWatchPatched) {
    const realWatchFile = sys.watchFile?.bind(sys);
    const noWatch = { close() {} };
    sys.watchFile = (p: string, cb: TSNS.FileWatcherCallback, interval?: number, options?: TSNS.WatchOptions) => {
      const rel = path.relative(cwd, p);
      if (!realWatchFile || rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) {
        return noWatch;
      }
      return realWatchFile(p, cb, interval, options);
    };
    sys.watchDirectory = () => noWatch;
    sys.__gradlabWatchPatched = true;
  }

  const mod = new Module(file);
  mod.filename = file;
  mod.loaded = true;
  mod.exports = wrapped;
  // require.cache, not Module._cache: in a process started from a startup snapshot they differ.
  require.cache[file] = mod;
}

/**
 * `{ q }` → `{ q: q }`. tslab rewrites references to earlier cells' variables as `exports.q`, which a shorthand
 * property cannot hold (the cell would throw "q is not defined"). The text is inserted on the same line, so line
 * numbers in errors stay right.
 */
export function expandShorthandProperties(ts: TS, src: string): string {
  if (!src.includes("{")) return src;
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, true);
  const inserts: { at: number; text: string }[] = [];
  const visit = (node: import("typescript").Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = src;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

export function createCellCompiler(ts: TS, settings: CompilerSettings, cwd = process.cwd()): CellCompiler {
  const maps = new Map<string, LineMap>();
  installTypeScript(ts, settings, maps, cwd);
  const converterModule = require(path.join(tslabDir(), "dist", "converter.js")) as {
    createConverter(opts: { isJS: boolean; isBrowser: boolean }): TslabConverter;
    isCompleteCode(src: string): { completed: boolean; indent?: string };
  };
  const inspectModule = require(path.join(tslabDir(), "dist", "inspect.js")) as {
    printQuickInfo(info: unknown): string;
  };
  const conv = converterModule.createConverter({ isJS: false, isBrowser: false });

  return {
    ts,
    compile(prevDecl, src) {
      maps.clear();
      const converted = conv.convert(prevDecl, expandShorthandProperties(ts, src));
      const map = converted.output !== undefined ? maps.get(converted.output) ?? null : null;
      maps.clear();
      // The cell's file starts with tslab's one-line `export {};` prefix: TypeScript line n is cell line n-1.
      const cellMap = map ? map.map((segs) => segs.map(([c, l, col]) => [c, l - 1, col] as [number, number, number])) : null;
      return { ...converted, map: cellMap };
    },
    inspect(prevDecl, src, position) {
      const info = conv.inspect(prevDecl, src, position);
      return info ? inspectModule.printQuickInfo(info) : null;
    },
    complete(prevDecl, src, position) {
      return conv.complete(prevDecl, src, position);
    },
    isComplete(src) {
      return converterModule.isCompleteCode(src);
    },
    close() {
      conv.close();
    },
  };
}
