// Kernel process entry. Order matters for start-up latency:
//   1. TypeScript (already loaded when started from the startup snapshot), the stack hook, the display module;
//   2. the library's exports as lazy globals (names from the generated declaration), then bind the sockets, so
//      Jupyter's client gets its kernel_info reply at once;
//   3. then, in slices that let requests through: the cell compiler, the library itself, a warm-up compile.
//      An execute request waits for this to finish.
import * as fs from "fs";
import Module = require("module");
import { inspect } from "util";
import { createCellCompiler } from "./compiler";
import { installStackHook } from "./errors";
import { Executor } from "./executor";
import { GLOBALS_PACKAGE, globalsFile, globalsStale, recordedValueNames, writeGlobals } from "./globals";
import { Kernel } from "./kernel";
import { OPS } from "./operators";
import { createOperatorsRuntime } from "./operatorsRuntime";
import * as paths from "./paths";
import { readConnectionFile } from "./protocol";
import { answerLostRequests, restartNote, supervisor, takeRestartInfo } from "./recovery";
import { routeTslabDisplay, typescriptFile, useLiveCwd, verifySourceCachePatch } from "./tslab";
import { type TS, loadTypeScript, saveCodeCache } from "./tsload";

export interface Timings {
  [step: string]: number;
}

function parseArgs(argv: string[]): { connectionFile: string } {
  let connectionFile = "";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-f" || a === "--connection-file" || a === "--config-path") connectionFile = argv[++i];
    else if (a.startsWith("--connection-file=")) connectionFile = a.slice("--connection-file=".length);
    else if (!a.startsWith("-")) connectionFile = a;
  }
  if (!connectionFile) throw new Error("usage: gradlab kernel start -f <connection file>");
  return { connectionFile };
}

/** Loads the TypeScript compiler: the snapshot's instance when running from one, else from disk (code-cached). */
export function obtainTypeScript(): TS {
  let ts: TS;
  if (globalThis.__gradlabSnapshot) {
    ts = globalThis.__gradlabSnapshot.ts;
    // TypeScript memoizes process.cwd(); the snapshot holds the builder's.
    useLiveCwd(ts);
  } else {
    const file = typescriptFile();
    ts = loadTypeScript(file, Module.createRequire(file), paths.codeCacheFile());
  }
  return ts;
}

/** The library, loaded once on first use. A failure is remembered and rethrown to every user. */
class LibraryLoader {
  private lib: Record<string, unknown> | null = null;
  private error: Error | null = null;

  constructor(readonly entry: string) {}

  get(): Record<string, unknown> {
    if (this.lib) return this.lib;
    if (this.error) throw this.error;
    try {
      this.lib = require(this.entry) as Record<string, unknown>;
      return this.lib;
    } catch (e) {
      const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
      this.error = new Error(`gradlab could not be loaded from ${this.entry}: ${msg}`);
      throw this.error;
    }
  }

  valueNames(): string[] {
    return Object.keys(this.get()).filter((k) => k !== "default" && k !== "__esModule");
  }
}

/** `__gradlabOps`, what cells with operators on arrays call (kernel/operators.ts): built on first use. */
function defineOperatorsGlobal(loader: LibraryLoader): void {
  Object.defineProperty(globalThis, OPS, {
    configurable: true,
    enumerable: false,
    get() {
      const value = createOperatorsRuntime(loader.get() as unknown as Parameters<typeof createOperatorsRuntime>[0]);
      Object.defineProperty(globalThis, OPS, { value, writable: false, configurable: true, enumerable: false });
      return value;
    },
  });
}

/** Defines each name as a global that loads the library on first access (then becomes a plain value). */
function defineLazyGlobals(names: string[], loader: LibraryLoader): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of names) {
    if (name in g && !Object.getOwnPropertyDescriptor(g, name)?.configurable) continue;
    Object.defineProperty(g, name, {
      configurable: true,
      enumerable: false,
      get() {
        const value = loader.get()[name];
        Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
        return value;
      },
      set(value: unknown) {
        Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
      },
    });
  }
}

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startKernel(argv: string[]): Promise<void> {
  const t0 = Date.now();
  const timings: Timings = {};
  const mark = (k: string) => (timings[k] = Date.now() - t0);
  const stderr = process.stderr.write.bind(process.stderr); // before the kernel captures it for cells
  const warn = (s: string) => stderr(`[gradlab kernel] ${s}\n`);
  const { connectionFile } = parseArgs(argv);
  const connection = readConnectionFile(connectionFile);

  // Supervised by launch.js (snapshot mode): exit with it.
  if (process.env.GRADLAB_SUPERVISED && process.send) process.on("disconnect", () => process.exit(0));
  // Until the executor exists, an interrupt must not kill the process.
  let executor: Executor | null = null;
  process.on("SIGINT", () => executor?.interrupt());

  if (process.env.GRADLAB_KERNEL_TIMINGS) globalThis.__gradlabSourceFileMisses = [];
  const ts = obtainTypeScript();
  mark("typescript");
  // A startup snapshot drops Error.stackTraceLimit (TypeScript sets it while loading): without it, no stacks.
  if (typeof Error.stackTraceLimit !== "number" || Error.stackTraceLimit < 10) Error.stackTraceLimit = 10;
  installStackHook();

  // Globals: names recorded in the generated declaration; regenerate it (loading the library) if out of date.
  const loader = new LibraryLoader(paths.libEntry());
  const libDts = paths.libDeclarations();
  const typesDir = paths.typesDir();
  let valueNames = recordedValueNames(typesDir);
  if (fs.existsSync(libDts) && (globalsStale(libDts, typesDir, null) || valueNames.length === 0)) {
    try {
      valueNames = loader.valueNames();
      writeGlobals(ts, libDts, typesDir, valueNames);
    } catch (e) {
      warn(`could not generate ${globalsFile(typesDir)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  defineLazyGlobals(valueNames, loader);
  defineOperatorsGlobal(loader);
  mark("globals");

  let resolveReady!: (e: Executor) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<Executor>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);

  // plotly.js goes out as its own display_data (no display id: never updated) before the first figure shown,
  // so the saved notebook keeps it even when that figure is later updated in place (lib/plot/library.ts).
  const sendPlotlyFirst = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    const plot = loader.get().plot as Pick<typeof import("../lib/plot"), "needsPlotlyLibrary" | "plotlyLibraryBundle"> | undefined;
    if (plot?.needsPlotlyLibrary(value)) kernel.sendDisplay(plot.plotlyLibraryBundle(), undefined, false);
  };
  // lib's public kernel hooks (lib/display/kernel.ts); until the library loads, values show as inspected text.
  let hooks: typeof import("../lib/index").kernelHooks | null = null;
  const kernel = new Kernel({
    connection,
    executor: () => ready,
    interrupt: () => executor?.interrupt(),
    mimeBundle: (value) => (hooks ? hooks.mimeBundle(value) : { "text/plain": inspect(value) }),
    isDisplayHandle: (value) => hooks?.isDisplayHandle(value) ?? false,
    beforeResult: sendPlotlyFirst,
    languageVersion: ts.version,
    implementationVersion: paths.packageVersion(),
  });
  process.on("uncaughtException", (err) => kernel.reportBackgroundError(err));
  process.on("unhandledRejection", (reason) => kernel.reportBackgroundError(reason));

  const restart = takeRestartInfo(); // started again by launch.ts after the previous kernel process died
  if (restart) {
    kernel.nextExecutionCount = restart.executionCount + 1;
    kernel.restartNote = restartNote(restart);
  }
  const firstServed = kernel.firstRequestServed(process.env.GRADLAB_EXIT_AFTER_WARM ? 0 : 400);
  await kernel.start();
  mark("sockets");
  if (restart) void answerLostRequests(kernel, restart);

  try {
    // Let the client's kernel_info through before the long synchronous steps (it connects within ~100 ms).
    await firstServed;
    mark("first-request");
    // The patches of tslab's internals check themselves (kernel/tslab.ts); a failure is every cell's error.
    verifySourceCachePatch(ts);
    const compiler = createCellCompiler(ts, {
      typeRoots: [typesDir, paths.nodeTypesRoot()],
      types: ["node", GLOBALS_PACKAGE],
      paths: { gradlab: [libDts.replace(/\.d\.ts$/, "")] },
      operators: process.env.GRADLAB_OPERATORS !== "0",
    });
    mark("compiler");
    // tslab's own display API (`import * as tslab from "tslab"; tslab.display.html(...)`) keeps working.
    // (Only after the compiler: tslab's modules must get the TypeScript instance the compiler installed.)
    routeTslabDisplay((bundle, displayId, update) => kernel.sendDisplay(bundle, displayId, update));
    await tick();
    try {
      hooks = (loader.get() as unknown as typeof import("../lib/index")).kernelHooks;
      hooks.setDisplaySink({
        send: (bundle, req) => kernel.sendDisplay(bundle, req.displayId, req.update, req.metadata),
        sendUpdate: (render, req) => kernel.sendDisplayUpdate(render, req.displayId, req.metadata),
        beforeNew: sendPlotlyFirst,
      });
    } catch (e) {
      warn(e instanceof Error ? e.message : String(e));
    }
    mark("library");
    await tick();
    compiler.compile("", "1"); // warms the type checker and emitter
    mark("warm");
    executor = new Executor(compiler, {
      cwd: process.cwd(),
      builtinModules: { gradlab: () => loader.get() },
      afterInterrupt: () => hooks?.resetTracing(),
    });
    resolveReady(executor);
    supervisor.send({ type: "ready" });
  } catch (e) {
    warn(`start-up failed: ${e instanceof Error ? e.stack : String(e)}`);
    rejectReady(e);
  }
  if (process.env.GRADLAB_KERNEL_TIMINGS) {
    warn(`process start ${(Date.now() - process.uptime() * 1000) / 1000}, main start ${t0 / 1000}`);
    warn(`start-up ${JSON.stringify(timings)} (snapshot: ${Boolean(globalThis.__gradlabSnapshot)}, cached declaration files: ${globalThis.__gradlabSourceFiles?.size ?? 0})`);
  }
  if (process.env.GRADLAB_KERNEL_TIMINGS) {
    const misses = globalThis.__gradlabSourceFileMisses ?? [];
    warn(`declaration files parsed at start-up: ${misses.length}${misses.length ? ` (${JSON.stringify(misses.slice(0, 5))} ...)` : ""}`);
  }
  if (process.env.GRADLAB_EXIT_AFTER_WARM) {
    kernel.shutdown();
    process.exit(executor ? 0 : 1);
  }
  setTimeout(saveCodeCache, 1000).unref();
}
