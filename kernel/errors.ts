// Errors as a Python user sees them in Jupyter: `ename`, `evalue`, and a traceback that points at the cell's
// lines (never at compiled JavaScript). Runtime errors get their cell frames from a stack-trace hook that maps
// compiled positions back through each cell's source map; type errors come from the compiler's diagnostics.
import { inspect } from "util";
import type { Diagnostic } from "./compiler";
import { type LineMap, lookup } from "./sourcemap";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What the stack hook knows about a compiled cell. */
export interface CellRecord {
  count: number;
  source: string;
  map: LineMap | null;
  /** Characters before the compiled code on its first line (the function wrapper). */
  firstLineOffset: number;
}

export interface CellFrame {
  count: number;
  /** 1-based line and column in the cell. */
  line: number;
  column: number;
  functionName: string | null;
}

const CELL_FILE_RE = /^In\[(\d+)\]$/;
export const cellFileName = (count: number): string => `In[${count}]`;

const cells = new Map<string, CellRecord>();
const FRAMES = Symbol("gradlab.cellFrames");

export function registerCell(record: CellRecord): void {
  cells.set(cellFileName(record.count), record);
}

function mapCellPosition(file: string, line: number, column: number): { count: number; line: number; column: number } | null {
  const cell = cells.get(file);
  if (!cell) return null;
  const genLine = line - 1;
  const genCol = genLine === 0 ? column - 1 - cell.firstLineOffset : column - 1;
  const pos = cell.map ? lookup(cell.map, genLine, Math.max(0, genCol)) : null;
  if (!pos) return null;
  return { count: cell.count, line: pos.line + 1, column: pos.column + 1 };
}

/**
 * Installs the stack-trace hook: frames in cells show `In[n]:line:col` with the cell's own line, and the error
 * keeps a structured list of its cell frames for the traceback.
 */
export function installStackHook(): void {
  Error.prepareStackTrace = (err: Error, callsites: NodeJS.CallSite[]) => {
    const frames: CellFrame[] = [];
    const lines: string[] = [];
    for (const cs of callsites) {
      let text: string;
      try {
        text = cs.toString();
      } catch {
        text = "<error formatting frame>";
      }
      const file = cs.getFileName?.() ?? cs.getScriptNameOrSourceURL?.();
      if (file && CELL_FILE_RE.test(file)) {
        const pos = mapCellPosition(file, cs.getLineNumber() ?? 0, cs.getColumnNumber() ?? 0);
        if (pos) {
          const fn = cs.getFunctionName();
          frames.push({ count: pos.count, line: pos.line, column: pos.column, functionName: fn && fn !== "eval" ? fn : null });
          text = text.replace(`${file}:${cs.getLineNumber()}:${cs.getColumnNumber()}`, `${file}:${pos.line}:${pos.column}`);
        }
      }
      lines.push(`    at ${text}`);
    }
    if (typeof err === "object" && err !== null && Object.isExtensible(err)) {
      try {
        Object.defineProperty(err, FRAMES, { value: frames, enumerable: false, configurable: true });
      } catch {
        // frozen or exotic error object
      }
    }
    let head: string;
    try {
      head = errorHeadline(err);
    } catch {
      head = "Error";
    }
    return [head, ...lines].join("\n");
  };
}

function errorHeadline(err: unknown): string {
  if (err instanceof Error || (typeof err === "object" && err !== null && "message" in err)) {
    const e = err as Error;
    const name = e.name || "Error";
    return e.message ? `${name}: ${e.message}` : name;
  }
  return String(err);
}

const RULE = "-".repeat(75);

function header(ename: string): string {
  const right = "Traceback (most recent call last)";
  return `${ename.padEnd(Math.max(ename.length + 1, 42))}${right}`;
}

/** The lines around `line` (1-based) with IPython's arrow on it. */
function context(source: string, line: number, column?: number, endColumn?: number): string[] {
  const lines = source.split("\n");
  const out: string[] = [];
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 1);
  for (let n = from; n <= to; n++) {
    const text = lines[n - 1] ?? "";
    const gutter = n === line ? `----> ${n}` : `${String(n).padStart(7)}`;
    out.push(`${gutter} ${text}`.replace(/\s+$/, ""));
    if (n === line && column !== undefined) {
      const width = Math.max(1, (endColumn ?? column + 1) - column);
      const pad = " ".repeat(gutter.length + 1 + column - 1);
      out.push(pad + "^".repeat(Math.min(width, Math.max(1, text.length - column + 1))));
    }
  }
  return out;
}

function cellFramesOf(err: unknown): CellFrame[] {
  if (typeof err !== "object" || err === null) return [];
  // Reading .stack formats it (through the hook) if it has not been formatted yet.
  void (err as { stack?: unknown }).stack;
  return ((err as Record<symbol, unknown>)[FRAMES] as CellFrame[] | undefined) ?? [];
}

function nameAndMessage(err: unknown): { ename: string; evalue: string } {
  if (err instanceof Error || (typeof err === "object" && err !== null && "message" in err && "name" in err)) {
    const e = err as Error;
    let ename = typeof e.name === "string" && e.name ? e.name : "Error";
    if (ename === "Error" && e.constructor && e.constructor.name && e.constructor.name !== "Error") ename = e.constructor.name;
    return { ename, evalue: String(e.message ?? "") };
  }
  return { ename: "Error", evalue: `Uncaught ${inspect(err)}` };
}

/** The Jupyter error content of a value thrown by a cell. */
export function runtimeError(err: unknown, sourceOf: (count: number) => string | undefined): ErrorContent {
  const { ename, evalue } = nameAndMessage(err);
  const frames = cellFramesOf(err);
  const tb: string[] = [RULE, header(ename)];
  // JavaScript stacks list the innermost call first; Python tracebacks end with it.
  for (const f of [...frames].reverse()) {
    const src = sourceOf(f.count);
    tb.push(`Cell In[${f.count}], line ${f.line}${f.functionName ? `, in ${f.functionName}` : ""}`);
    if (src !== undefined) tb.push(...context(src, f.line));
    tb.push("");
  }
  if (frames.length === 0) {
    // Not raised in a cell (e.g. a library callback): keep the JavaScript stack, minus Node's internals.
    const stack = typeof err === "object" && err !== null ? String((err as Error).stack ?? "") : "";
    const at = stack
      .split("\n")
      .filter((l) => /^\s+at /.test(l) && !/node:internal|\/kernel\/|tslab\/dist/.test(l))
      .slice(0, 8);
    if (at.length) tb.push(...at, "");
  }
  tb.push(evalue ? `${ename}: ${evalue}` : ename);
  return { ename, evalue, traceback: tb };
}

/** The error content of an interrupted cell (Python's KeyboardInterrupt). */
export function interruptError(count: number, frames: CellFrame[] = []): ErrorContent {
  const tb = [RULE, header("KeyboardInterrupt")];
  for (const f of frames) tb.push(`Cell In[${f.count}], line ${f.line}`, "");
  if (frames.length === 0) tb.push(`Cell In[${count}]`, "");
  tb.push("KeyboardInterrupt: execution interrupted");
  return { ename: "KeyboardInterrupt", evalue: "execution interrupted", traceback: tb };
}

/** Groups tslab's flattened diagnostics (a message chain becomes several entries with the same span). */
function groupDiagnostics(diags: Diagnostic[]): Array<{ first: Diagnostic; messages: string[] }> {
  const groups: Array<{ first: Diagnostic; messages: string[] }> = [];
  for (const d of diags) {
    const last = groups[groups.length - 1];
    // tslab passes the same position objects to every entry of one message chain.
    if (last && d.start === last.first.start && d.end === last.first.end) {
      last.messages.push(d.messageText);
    } else {
      groups.push({ first: d, messages: [d.messageText] });
    }
  }
  return groups;
}

/** Shortens the huge inline types TypeScript quotes for object literals (`'{ a: ...; ... 135 more ...; }'`). */
export function shortenTypes(message: string, max = 120): string {
  return message.replace(/'(\{[^']*\})'/g, (whole, type: string) => {
    if (type.length <= max) return whole;
    const names = [...type.matchAll(/(?:^\{|;)\s*(\w+)[?]?:/g)].map((m) => m[1]);
    const shown = names.slice(0, 6).join(", ");
    return `'{ ${shown}${names.length > 6 ? ", ..." : ""} }'`;
  });
}

/** The error content of a cell that does not compile (a TypeScript type or syntax error). */
export function compileError(diags: Diagnostic[], source: string, count: number): ErrorContent {
  const groups = groupDiagnostics(diags).map((g) => ({ first: g.first, messages: g.messages.map((m) => shortenTypes(m)) }));
  const ename = "TSError";
  const describe = (g: { first: Diagnostic; messages: string[] }) => {
    const where = g.first.fileName ? `${g.first.fileName} line ${g.first.start.line + 1}` : `line ${g.first.start.line + 1}`;
    return `${where}: ${g.messages[0]} (TS${g.first.code})`;
  };
  const evalue = groups.length ? describe(groups[0]) + (groups.length > 1 ? ` (and ${groups.length - 1} more error${groups.length > 2 ? "s" : ""})` : "") : "compilation failed";
  const tb: string[] = [RULE, `${ename.padEnd(42)}Type check failed, the cell did not run`];
  for (const g of groups) {
    const d = g.first;
    if (d.fileName) {
      tb.push(`File ${d.fileName}, line ${d.start.line + 1}`);
    } else {
      tb.push(`Cell In[${count}], line ${d.start.line + 1}`);
      const endCol = d.end.line === d.start.line ? d.end.character + 1 : undefined;
      tb.push(...context(source, d.start.line + 1, d.start.character + 1, endCol));
    }
    tb.push(`error TS${d.code}: ${g.messages[0]}`);
    for (const m of g.messages.slice(1)) tb.push(`  ${m}`);
    tb.push("");
  }
  tb.push(`${ename}: ${evalue}`);
  return { ename, evalue, traceback: tb };
}
