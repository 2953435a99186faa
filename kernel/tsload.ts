// Loads the TypeScript compiler that tslab bundles (@tslab/typescript-for-tslab, TypeScript 5.0.4) with one
// small patch (patch 1 of kernel/tslab.ts, the adapter for tslab's internals), and keeps a cache of parsed, bound declaration files (lib.*.d.ts, @types/node, gradlab's .d.ts).
//
// Why: creating tslab's compiler costs seconds, almost all of it parsing and binding ~3 MB of declaration files.
// `kernel/snapshot.ts` runs this module inside a V8 startup snapshot builder (node --build-snapshot), so a kernel
// started from the snapshot finds the compiler loaded and those files already parsed and bound. The patch makes
// the compiler host consult `globalThis.__gradlabSourceFiles` before parsing: a cached SourceFile is used only
// when its text equals the file's current text, so a changed file is simply parsed again.
//
// This file may only import Node built-ins (the snapshot builder cannot load other modules; tslab.ts, which
// follows the same rule, is evaluated by hand there).
import * as fs from "fs";
import * as path from "path";

export type TS = typeof import("typescript");

/** What setup passes to the snapshot builder (kernel/snapshot.ts) in GRADLAB_SNAPSHOT_CONFIG. */
export interface SnapshotConfig {
  /** dist/kernel/tsload.js */
  tsloadFile: string;
  /** dist/kernel/main.js: started when the blob is deserialized. */
  mainFile: string;
  /** typescript.js of @tslab/typescript-for-tslab. */
  typescriptFile: string;
  typeRoots: string[];
  types: string[];
  paths: Record<string, string[]>;
  /** A path for a sample cell (never written; only its folder matters). */
  sampleCell: string;
  /** Where to write the list of cached files (for the staleness check). */
  manifestFile: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __gradlabSnapshot: { ts: TS; builtAt: number } | undefined;
  // eslint-disable-next-line no-var
  var __gradlabSourceFiles: Map<string, { text: string; languageVersion: number }> | undefined;
  // eslint-disable-next-line no-var
  var __gradlabSourceFileMisses: unknown[][] | undefined;
}

/** kernel/tslab.ts (the adapter that holds the patch). The snapshot builder's require() loads only built-ins, so
 * there the file is evaluated by hand. */
function adapter(): typeof import("./tslab") {
  try {
    return require("./tslab") as typeof import("./tslab");
  } catch {
    const file = path.join(__dirname, "tslab.js");
    const mod = { exports: {} as typeof import("./tslab") };
    new Function("exports", "require", "module", "__filename", "__dirname", fs.readFileSync(file, "utf8"))(mod.exports, require, mod, file, __dirname);
    return mod.exports;
  }
}

/** typescript.js with the declaration-file cache patch (kernel/tslab.ts); throws if the patch does not apply. */
function patchedSource(tsFile: string): string {
  return adapter().patchTypeScriptSource(fs.readFileSync(tsFile, "utf8"));
}

/** In the snapshot builder: evaluates typescript.js (patched) without `vm`. */
export function loadTypeScriptForSnapshot(tsFile: string, req: (id: string) => unknown): TS {
  const mod = { exports: {} as Record<string, unknown> };
  const fn = new Function("exports", "require", "module", "__filename", "__dirname", patchedSource(tsFile));
  fn(mod.exports, req, mod, tsFile, path.dirname(tsFile));
  return mod.exports as unknown as TS;
}

/** Evaluates typescript.js with the SourceFile-cache patch; `req` serves TypeScript's own require() calls. */
export function loadTypeScript(tsFile: string, req: (id: string) => unknown, codeCacheFile?: string): TS {
  const source = patchedSource(tsFile);
  const wrapper = "(function (exports, require, module, __filename, __dirname) {" + source + "\n})";
  let cachedData: Buffer | undefined;
  if (codeCacheFile) {
    try {
      cachedData = fs.readFileSync(codeCacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // Required here, not at the top: the snapshot builder warns about `vm`, and does not need it.
  const vm = require("vm") as typeof import("vm");
  const script = new vm.Script(wrapper, { filename: tsFile, cachedData });
  const mod = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(mod.exports, req, mod, tsFile, path.dirname(tsFile));
  const ts = mod.exports as unknown as TS;
  if (codeCacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // Written later (see saveCodeCache): the cache is worth more once the compiler's functions have run.
    pendingCodeCache = { script, file: codeCacheFile };
  }
  return ts;
}

let pendingCodeCache: { script: import("vm").Script; file: string } | null = null;

/** Saves V8's code cache for typescript.js (after use, so that lazily compiled functions are included). */
export function saveCodeCache(): void {
  if (!pendingCodeCache) return;
  const { script, file } = pendingCodeCache;
  pendingCodeCache = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
  } catch {
    // a cache is optional
  }
}

/** The cell compiler's options (tslab's converter's, plus gradlab's type roots): see kernel/tslab.ts. */
export function cellCompilerOptions(ts: TS, extra: { typeRoots: string[]; types: string[]; paths?: Record<string, string[]> }) {
  return adapter().converterCompilerOptions(ts, extra);
}

/**
 * Parses and binds every declaration file a notebook cell's program loads (the program of one sample cell),
 * and installs them as the process-wide SourceFile cache. Returns the number of cached files.
 */
export function warmSourceFiles(
  ts: TS,
  options: Record<string, unknown>,
  sampleCell: { fileName: string; text: string },
): number {
  const host = ts.createCompilerHost(options as import("typescript").CompilerOptions);
  const readFile = host.readFile.bind(host);
  host.readFile = (f: string) => (f === sampleCell.fileName ? sampleCell.text : readFile(f));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f: string) => f === sampleCell.fileName || fileExists(f);
  const program = ts.createProgram([sampleCell.fileName], options as import("typescript").CompilerOptions, host);
  // Binding happens when the checker is created; the bound state lives on the SourceFile objects.
  program.getTypeChecker();
  const cache = new Map<string, { text: string; languageVersion: number }>();
  for (const sf of program.getSourceFiles()) {
    if (sf.fileName === sampleCell.fileName || !sf.isDeclarationFile) continue;
    cache.set(sf.fileName, sf as unknown as { text: string; languageVersion: number });
  }
  globalThis.__gradlabSourceFiles = cache;
  return cache.size;
}
