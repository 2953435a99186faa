// Runs cells: compile (type-check against earlier cells' declarations), evaluate, and report the value of the
// last expression or the error. State lives in one `exports` object shared by all cells, as in tslab.
import * as path from "path";
import * as vm from "vm";
import Module = require("module");
import { ROOT } from "./paths";

const gradlabRequire = Module.createRequire(path.join(ROOT, "package.json"));
import type { CellCompiler } from "./compiler";
import {
  type CellFrame,
  type ErrorContent,
  cellFileName,
  compileError,
  interruptError,
  registerCell,
  runtimeError,
} from "./errors";

export type CellResult =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; error: ErrorContent };

export interface ExecutorOptions {
  cwd: string;
  /** Modules a cell's require() serves directly (e.g. "gradlab" → the loaded library). */
  builtinModules?: Record<string, () => unknown>;
  /** Called after a cell was interrupted: a stopped computation ran none of its `finally` blocks. */
  afterInterrupt?: () => void;
}

const INTERRUPTED = Symbol("gradlab.interrupted");

function isInterruptError(e: unknown): boolean {
  return (
    e === INTERRUPTED ||
    (typeof e === "object" && e !== null && (e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
  );
}

declare global {
  // eslint-disable-next-line no-var
  var __gradlabCell: { exports: Record<string, unknown>; require: NodeJS.Require; module: unknown } | undefined;
}

export class Executor {
  private prevDecl = "";
  private readonly sources = new Map<number, string>();
  private readonly exports: Record<string, unknown>;
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private rejectInterrupt: ((e: unknown) => void) | null = null;
  private interruptPromise!: Promise<never>;

  constructor(private readonly compiler: CellCompiler, private readonly opts: ExecutorOptions) {
    this.exports = this.createExports();
    const cellModule = { exports: this.exports, id: "<cell>" };
    globalThis.__gradlabCell = {
      exports: this.exports,
      require: this.createRequire(Module.createRequire(path.join(opts.cwd, "__cell__.js")), opts.cwd),
      module: cellModule,
    };
    this.resetInterrupt();
  }

  /** The exports proxy: TypeScript's `export` of a cell's locals becomes plain (re)assignable properties. */
  private createExports(): Record<string, unknown> {
    const target: Record<string, unknown> = {};
    return new Proxy(target, {
      defineProperty: (_t, prop, attrs) => {
        if (prop === "__esModule") return true;
        target[prop as string] = attrs.get ? attrs.get() : attrs.value;
        return true;
      },
    });
  }

  private createRequire(base: NodeJS.Require, dirname: string): NodeJS.Require {
    const self = this;
    const fromSideOutputs = (id: string): unknown => {
      let filename = path.resolve(dirname, id);
      if (path.extname(filename) === "") filename += ".js";
      const cached = self.sideModules.get(filename);
      if (cached) return cached.exports;
      const code = self.sideOutputs.get(filename);
      if (code === undefined) return undefined;
      const mod = new Module(filename, module);
      mod.filename = filename;
      mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(path.dirname(filename));
      (mod as unknown as { require: NodeJS.Require }).require = self.createRequire(mod.require.bind(mod) as NodeJS.Require, path.dirname(filename));
      (mod as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
      self.sideModules.set(filename, mod);
      return mod.exports;
    };
    return new Proxy(base, {
      apply: (_t, thisArg, args: unknown[]) => {
        const id = args[0];
        if (args.length === 1 && typeof id === "string") {
          const builtin = self.opts.builtinModules?.[id];
          if (builtin) return builtin();
          if (id.startsWith(".") || path.isAbsolute(id)) {
            const m = fromSideOutputs(id);
            if (m !== undefined) return m;
          }
        }
        try {
          return Reflect.apply(base, thisArg, args);
        } catch (e) {
          // A package the notebook's folder doesn't have: fall back to gradlab's own dependencies (the data sets
          // and libraries the tutorials use), so a notebook copied anywhere still runs.
          const bare = typeof id === "string" && !id.startsWith(".") && !path.isAbsolute(id);
          if (!bare || (e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
          try {
            return gradlabRequire(id as string);
          } catch {
            throw e;
          }
        }
      },
    });
  }

  private resetInterrupt(): void {
    this.interruptPromise = new Promise<never>((_, reject) => {
      this.rejectInterrupt = reject;
    });
    this.interruptPromise.catch(() => undefined);
  }

  /** Stops an awaiting cell (a synchronous one is stopped by SIGINT through `breakOnSigint`). */
  interrupt(): void {
    const reject = this.rejectInterrupt;
    this.resetInterrupt();
    reject?.(INTERRUPTED);
  }

  sourceOf = (count: number): string | undefined => this.sources.get(count);

  /** True when the cell's last statement is an assignment (`x = 1`): Python shows nothing for those. */
  private endsWithAssignment(src: string): boolean {
    const ts = this.compiler.ts;
    const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, false);
    const last = sf.statements[sf.statements.length - 1];
    if (!last || !ts.isExpressionStatement(last)) return false;
    let e: import("typescript").Expression = last.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
    }
    return ts.isVoidExpression(e);
  }

  async execute(src: string, count: number): Promise<CellResult> {
    const converted = this.compiler.compile(this.prevDecl, src);
    if (converted.sideOutputs) {
      for (const out of converted.sideOutputs) {
        this.sideModules.delete(out.path);
        this.sideOutputs.set(out.path, out.data);
      }
    }
    if (converted.diagnostics.length > 0) {
      return { status: "error", error: compileError(converted.diagnostics, src, count) };
    }
    if (!converted.output) {
      this.prevDecl = converted.declOutput ?? "";
      return { status: "ok", hasValue: false };
    }
    this.sources.set(count, src);
    const params = "exports, require, module, __filename, __dirname";
    const prefix = converted.hasToplevelAwait ? `(async function (${params}) { ` : `(function (${params}) { `;
    registerCell({ count, source: src, map: converted.map, firstLineOffset: prefix.length });
    const c = "globalThis.__gradlabCell";
    const dir = JSON.stringify(this.opts.cwd);
    const file = JSON.stringify(path.join(this.opts.cwd, cellFileName(count)));
    const wrapped = `${prefix}${converted.output}\n})(${c}.exports, ${c}.require, ${c}.module, ${file}, ${dir})`;
    try {
      const ret = vm.runInThisContext(wrapped, { filename: cellFileName(count), breakOnSigint: true });
      if (converted.hasToplevelAwait) await Promise.race([ret, this.interruptPromise]);
    } catch (e) {
      // Declarations made before the failure stay usable (as in Python), so keep the cell's declarations.
      this.prevDecl = converted.declOutput ?? this.prevDecl;
      if (isInterruptError(e)) {
        this.opts.afterInterrupt?.();
        return { status: "error", error: interruptError(count, framesOf(e)) };
      }
      return { status: "error", error: runtimeError(e, this.sourceOf) };
    }
    this.prevDecl = converted.declOutput ?? "";
    const name = converted.lastExpressionVar;
    if (!name || !(name in this.exports)) return { status: "ok", hasValue: false };
    const value = this.exports[name];
    delete this.exports[name];
    if (value === undefined || this.endsWithAssignment(src)) return { status: "ok", hasValue: false };
    return { status: "ok", hasValue: true, value };
  }

  /** The Jupyter error content of any thrown value. */
  errorContent(e: unknown): ErrorContent {
    return isInterruptError(e) ? interruptError(0) : runtimeError(e, this.sourceOf);
  }

  inspect(src: string, position: number): string | null {
    return this.compiler.inspect(this.prevDecl, src, position);
  }

  complete(src: string, position: number) {
    return this.compiler.complete(this.prevDecl, src, position);
  }

  isComplete(src: string) {
    return this.compiler.isComplete(src);
  }

  /** The names defined by cells so far. */
  get locals(): Record<string, unknown> {
    return this.exports;
  }
}

function framesOf(_e: unknown): CellFrame[] {
  return [];
}
