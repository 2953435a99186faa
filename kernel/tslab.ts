// The one place that touches tslab's and its TypeScript's internals. Everything here depends on the pinned
// versions (tslab 1.0.22, which bundles TypeScript 5.0.4 as @tslab/typescript-for-tslab); each patch checks
// that it applied and throws a PatchError naming itself and the versions if it did not, so an upgrade fails
// loudly at kernel start instead of silently losing a feature. The patches:
//
//   1. "declaration-file cache": one line of typescript.js is replaced so that the compiler host consults
//      globalThis.__gradlabSourceFiles (parsed, bound lib/.d.ts files from the startup snapshot) before parsing.
//   2. "typescript-instance": tslab's converter gets our TypeScript (with the cache, gradlab's type roots and
//      inline source maps) through a module placed in require.cache under tslab's TypeScript module id; the
//      converter's watch program is captured, so the operator rewrite can ask its type checker.
//   3. "no-watch": ts.sys.watchFile/watchDirectory (process-wide) watch only the notebook folder's own files.
//   4. "tslab-display": tslab's public display API (`tslab.display.html(...)`) writes through
//      dist/jupyter.js's exported `lastWriteDisplayData`, which is replaced by the kernel's display sender.
//   5. "snapshot-cwd": TypeScript memoizes process.cwd(); a kernel started from a snapshot gets the live one.
//
// This module may only import Node built-ins at top level: the snapshot builder evaluates it by hand (tsload).
import * as fs from "fs";
import * as path from "path";
import Module = require("module");
import type * as TSNS from "typescript";

type TS = typeof import("typescript");

export const PINNED = { tslab: "1.0.22", typescript: "5.0.4" } as const;
/** The module id tslab's files require TypeScript by. */
export const TS_MODULE_ID = "@tslab/typescript-for-tslab";

export class PatchError extends Error {
  constructor(readonly patch: string, detail: string, found?: { tslab?: string; typescript?: string }) {
    const f = found ?? installedVersions();
    super(
      `gradlab kernel: patch "${patch}" of tslab's internals did not apply: ${detail}. ` +
        `It was written for tslab ${PINNED.tslab} (TypeScript ${PINNED.typescript}); installed: tslab ${f.tslab ?? "?"}` +
        ` (TypeScript ${f.typescript ?? "?"}). Reinstall the pinned tslab (package.json pins "tslab": "${PINNED.tslab}") ` +
        "or update kernel/tslab.ts for the new version.",
    );
    this.name = "PatchError";
  }
}

export function tslabDir(): string {
  return path.dirname(require.resolve("tslab/package.json"));
}

/** typescript.js of the TypeScript tslab bundles. */
export function typescriptFile(): string {
  const req = Module.createRequire(path.join(tslabDir(), "dist", "converter.js"));
  return req.resolve(TS_MODULE_ID);
}

function readVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function installedVersions(): { tslab?: string; typescript?: string } {
  let tslab: string | undefined, typescript: string | undefined;
  try {
    tslab = readVersion(path.join(tslabDir(), "package.json"));
    typescript = readVersion(path.join(path.dirname(typescriptFile()), "..", "package.json"));
  } catch {
    // not resolvable (inside the snapshot builder the module resolver is unavailable)
  }
  return { tslab, typescript };
}

// ---- 1. declaration-file cache (a line of typescript.js) ----------------------------------------------------

export const SOURCE_CACHE_PATCH = {
  name: "declaration-file cache",
  from: "return text !== void 0 ? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes) : void 0;",
  to:
    "if (text !== void 0 && globalThis.__gradlabSourceFiles) {" +
    " const hit = globalThis.__gradlabSourceFiles.get(fileName);" +
    " const lv = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.languageVersion : languageVersionOrOptions;" +
    " if (hit && hit.text === text && hit.languageVersion === lv) return hit;" +
    " if (globalThis.__gradlabSourceFileMisses) globalThis.__gradlabSourceFileMisses.push([fileName, !!hit, hit && hit.text === text, hit && hit.languageVersion, lv]); }" +
    " return text !== void 0 ? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes) : void 0;",
  marker: "globalThis.__gradlabSourceFiles.get(fileName)",
};

/** typescript.js's source with the declaration-file cache; throws a PatchError if its target line is missing. */
export function patchTypeScriptSource(source: string, found?: { tslab?: string; typescript?: string }): string {
  const p = SOURCE_CACHE_PATCH;
  const at = source.indexOf(p.from);
  if (at < 0) {
    throw new PatchError(p.name, `typescript.js no longer contains the line \`${p.from}\` (in createCompilerHost's getSourceFile)`, found ?? { typescript: /versionMajorMinor = "([\d.]+)"/.exec(source)?.[1] });
  }
  if (source.indexOf(p.from, at + 1) >= 0) throw new PatchError(p.name, "typescript.js contains the target line more than once", found);
  return source.slice(0, at) + p.to + source.slice(at + p.from.length);
}

/** Checks a loaded TypeScript carries patch 1 (its host's getSourceFile consults the cache). */
export function verifySourceCachePatch(ts: TS): void {
  const host = ts.createCompilerHost({});
  const src = String(host.getSourceFile);
  // createCompilerHost delegates to createGetSourceFile, which holds the patched line.
  const holder = String((ts as unknown as Record<string, unknown>).createGetSourceFile ?? "");
  if (!src.includes(SOURCE_CACHE_PATCH.marker) && !holder.includes(SOURCE_CACHE_PATCH.marker)) {
    throw new PatchError(SOURCE_CACHE_PATCH.name, "the loaded compiler's getSourceFile does not consult the cache");
  }
  if (ts.version !== PINNED.typescript) {
    throw new PatchError(SOURCE_CACHE_PATCH.name, `the loaded compiler is TypeScript ${ts.version}`, { ...installedVersions(), typescript: ts.version });
  }
}

/**
 * The options tslab's converter compiles cells with (hard-coded in tslab/dist/converter.js), plus gradlab's type
 * roots: the snapshot parses and binds the declaration files under exactly these, so the converter finds them.
 */
export function converterCompilerOptions(ts: TS, extra: { typeRoots: string[]; types: string[]; paths?: Record<string, string[]> }) {
  return {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    newLine: ts.NewLineKind.LineFeed,
    noImplicitUseStrict: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    typeRoots: extra.typeRoots,
    types: extra.types,
    ...(extra.paths ? { paths: extra.paths } : {}),
  };
}

// ---- 2. our TypeScript for tslab's converter ---------------------------------------------------------------

export interface CellTypeScriptHooks {
  /** Edits the options tslab passes to createWatchCompilerHost (type roots, source maps). */
  compilerOptions(options: TSNS.CompilerOptions): TSNS.CompilerOptions;
  /** Replaces ts.transpileModule (tslab's ES module → CommonJS step). */
  transpileModule?(real: TS["transpileModule"], input: string, options: TSNS.TranspileOptions): TSNS.TranspileOutput;
}

/** What the converter's compile needs from tslab's internals, after installTypeScriptForTslab + loadConverter. */
export interface TslabConverter {
  convert(prevDecl: string, src: string): {
    output?: string;
    declOutput?: string;
    diagnostics: Array<{ start: { offset: number; line: number; character: number }; end: { offset: number; line: number; character: number }; messageText: string; category: number; code: number; fileName?: string }>;
    hasToplevelAwait?: boolean;
    sideOutputs?: Array<{ path: string; data: string }>;
    lastExpressionVar?: string;
  };
  inspect(prevDecl: string, src: string, position: number): unknown;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  close(): void;
}

export interface LoadedConverter {
  converter: TslabConverter;
  printQuickInfo(info: unknown): string;
  isCompleteCode(src: string): { completed: boolean; indent?: string };
  /**
   * Type-checks `text` as the cell after `prevDecl` in the converter's own program (as convert() would), and
   * returns the cell's SourceFile, whose text is tslab's one-line prefix followed by `text`, and the checker.
   */
  check(prevDecl: string, text: string): { sourceFile: TSNS.SourceFile; checker: TSNS.TypeChecker; offset: number };
}

/**
 * Installs `ts` (with the hooks) as the TypeScript tslab's converter requires, loads the converter and checks
 * that it took our instance. Must run before tslab's converter module is first required in this process.
 */
export function loadConverter(ts: TS, hooks: CellTypeScriptHooks): LoadedConverter {
  const file = typescriptFile();
  // A plain object with writable properties (the bundle's exports are non-configurable getters), so that
  // tslab's `__importStar` copy reads our overrides.
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(ts)) wrapped[key] = (ts as unknown as Record<string, unknown>)[key];
  let hostCreated = 0;
  let builder: TSNS.BuilderProgram | null = null;
  const realCreateHost = ts.createWatchCompilerHost as (...args: unknown[]) => unknown;
  wrapped.createWatchCompilerHost = (rootFiles: unknown, options: TSNS.CompilerOptions, ...rest: unknown[]) => {
    hostCreated++;
    return realCreateHost(rootFiles, hooks.compilerOptions(options), ...rest);
  };
  const realCreateWatch = ts.createWatchProgram as (host: { afterProgramCreate?: (b: TSNS.BuilderProgram) => void }) => unknown;
  wrapped.createWatchProgram = (host: { afterProgramCreate?: (b: TSNS.BuilderProgram) => void }) => {
    const after = host.afterProgramCreate;
    host.afterProgramCreate = (b) => {
      builder = b;
      after?.call(host, b);
    };
    return realCreateWatch(host);
  };
  if (hooks.transpileModule) {
    const real = ts.transpileModule;
    const hook = hooks.transpileModule;
    wrapped.transpileModule = (input: string, opts: TSNS.TranspileOptions) => hook(real, input, opts);
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.loaded = true;
  mod.exports = wrapped;
  // require.cache, not Module._cache: in a process started from a startup snapshot they differ.
  require.cache[file] = mod;

  const dist = path.join(tslabDir(), "dist");
  const converterModule = require(path.join(dist, "converter.js")) as {
    createConverter?(opts: { isJS: boolean; isBrowser: boolean }): TslabConverter;
    isCompleteCode?(src: string): { completed: boolean; indent?: string };
  };
  const inspectModule = require(path.join(dist, "inspect.js")) as { printQuickInfo?(info: unknown): string };
  const P = "typescript-instance";
  if (typeof converterModule.createConverter !== "function" || typeof converterModule.isCompleteCode !== "function") {
    throw new PatchError(P, "tslab/dist/converter.js does not export createConverter and isCompleteCode");
  }
  if (typeof inspectModule.printQuickInfo !== "function") throw new PatchError(P, "tslab/dist/inspect.js does not export printQuickInfo");
  const converter = converterModule.createConverter({ isJS: false, isBrowser: false });
  if (hostCreated === 0) {
    throw new PatchError(P, `tslab's converter did not take the TypeScript placed in require.cache under ${TS_MODULE_ID} (it was loaded before, or resolves elsewhere)`);
  }
  if (!builder) throw new PatchError(P, "the converter's watch program reported no program (afterProgramCreate was not called)");

  const srcName = "__tslab__.ts";
  const declName = "__prev__.d.ts";
  const PREFIX = "export {};\n"; // tslab's srcPrefix (ts.sys.newLine is "\n" on Linux/macOS)
  const findFile = (program: TSNS.Program, base: string): TSNS.SourceFile | undefined =>
    program.getSourceFiles().find((f) => path.basename(f.fileName) === base && !f.fileName.includes("node_modules"));
  return {
    converter,
    printQuickInfo: inspectModule.printQuickInfo,
    isCompleteCode: converterModule.isCompleteCode,
    check(prevDecl, text) {
      // inspect() updates the converter's program with the cell and links the cell to the previous cells'
      // declarations (sourceFile.parent = the declarations file), as convert() does before checking.
      converter.inspect(prevDecl, text, 0);
      const program = builder!.getProgram();
      const sf = findFile(program, srcName);
      const decls = findFile(program, declName);
      if (!sf || !decls) throw new PatchError(P, `the converter's program has no ${srcName} / ${declName}`);
      if (!sf.text.startsWith(PREFIX) || sf.text.slice(PREFIX.length) !== text) {
        throw new PatchError(P, `the converter's ${srcName} is not tslab's prefix followed by the cell`);
      }
      if ((sf as unknown as { parent?: unknown }).parent !== decls) (sf as unknown as { parent?: unknown }).parent = decls;
      return { sourceFile: sf, checker: program.getTypeChecker(), offset: PREFIX.length };
    },
  };
}

// ---- 3. no-watch --------------------------------------------------------------------------------------------

const WATCH_MARK = "__gradlabWatchPatched";

/** Watch only the notebook folder's own files (local modules a cell imports); not node_modules, not lib .d.ts. */
export function restrictWatching(ts: TS, cwd: string): void {
  const sys = ts.sys as TSNS.System & Record<string, unknown>;
  if (sys[WATCH_MARK]) return;
  if (typeof sys.watchFile !== "function") throw new PatchError("no-watch", "ts.sys.watchFile is not a function");
  const realWatchFile = sys.watchFile.bind(sys);
  const noWatch = { close() {} };
  const watchFile = (p: string, cb: TSNS.FileWatcherCallback, interval?: number, options?: TSNS.WatchOptions) => {
    const rel = path.relative(cwd, p);
    if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) return noWatch;
    return realWatchFile(p, cb, interval, options);
  };
  sys.watchFile = watchFile;
  sys.watchDirectory = () => noWatch;
  if (sys.watchFile !== watchFile) throw new PatchError("no-watch", "ts.sys.watchFile cannot be replaced");
  sys[WATCH_MARK] = true;
}

// ---- 4. tslab's display API ---------------------------------------------------------------------------------

export type DisplaySender = (bundle: Record<string, unknown>, displayId: string | undefined, update: boolean) => void;

/** Routes `tslab.display.*` (tslab's public display API, as a cell imports it) to the kernel's display sender. */
export function routeTslabDisplay(send: DisplaySender): void {
  const jupyter = require(path.join(tslabDir(), "dist", "jupyter.js")) as Record<string, unknown>;
  const P = "tslab-display";
  if (!("lastWriteDisplayData" in jupyter)) throw new PatchError(P, "tslab/dist/jupyter.js no longer exports lastWriteDisplayData");
  const writer = (data: { data: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) =>
    send(data.data, data.transient?.display_id, Boolean(update));
  jupyter.lastWriteDisplayData = writer;
  if (jupyter.lastWriteDisplayData !== writer) throw new PatchError(P, "jupyter.js's lastWriteDisplayData cannot be replaced");
  const pub = require(path.join(tslabDir(), "dist", "public.js")) as { display?: { html?: unknown } };
  if (typeof pub.display?.html !== "function") throw new PatchError(P, "tslab/dist/public.js has no display.html");
}

// ---- 5. the cwd of a compiler restored from a snapshot -------------------------------------------------------

export function useLiveCwd(ts: TS): void {
  const sys = ts.sys as { getCurrentDirectory: () => string };
  sys.getCurrentDirectory = () => process.cwd();
  if (ts.sys.getCurrentDirectory() !== process.cwd()) throw new PatchError("snapshot-cwd", "ts.sys.getCurrentDirectory cannot be replaced");
}
