// `gradlab report <notebook.ipynb> [-o out.html]` and `gradlab report --all [--out-dir reports/]`: executes notebooks
// through the gradlab kernel (nbclient, kernel/report-template/execute.py) and writes one self-contained HTML file per
// notebook (nbconvert's lab page through kernel/report-template/gradlab-report, plotly.js inlined once, checked for
// external references).
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findJupyterPython, quietPythonEnv } from "../kernel/install";
import { ROOT, packageVersion } from "../kernel/paths";
import { CARTESIAN_TRACE_TYPES, PLOTLY_LOADER_MARKER, PLOTLY_MARKER, plotlyReportTag } from "../lib/plot";

export const summary = "execute a notebook and write a self-contained HTML report";

const EXECUTE_PY = path.join(ROOT, "kernel", "report-template", "execute.py");
const DEFAULT_JOBS = 2;

export const HELP = `usage:
  gradlab report NOTEBOOK.ipynb [-o OUT.html] [options]
  gradlab report NOTEBOOK.ipynb NOTEBOOK2.ipynb ... [--out-dir DIR] [options]
  gradlab report --all [--out-dir DIR] [options]

Runs each notebook top to bottom in a fresh gradlab kernel (Jupyter's nbclient) and writes ONE self-contained
HTML file per notebook: code, text, outputs, plotly figures (plotly.js inlined once per page) and computational
graphs (inline SVG). The page loads nothing from the network or the disk: no CDN, no file:// paths; this is
checked before the file is written, and a report that would still reference anything external is not written.
Formulas in Markdown cells ($...$, $$...$$, \\[...\\], \\begin{align}...) become MathML, which browsers draw
without MathJax (needs pandoc; without it they stay TeX source). The title is the notebook's first heading.

Output:
  NOTEBOOK.ipynb          -> NOTEBOOK.html next to it, or -o OUT.html
  --all, or several       -> DIR/NAME.html (--out-dir, default: reports/)

When a cell fails, execution stops there and gradlab report prints the cell's number, a source excerpt and the
error (name, message, traceback), and exits with status 1. It still writes the partial report: the cells up to
and including the failing one with their outputs (the error at the end), later cells not run, and a red banner
at the top that says so. Saved outputs in the notebook are never used, and the notebook file is not modified.

Options:
  -o, --output FILE       output file (one notebook only)
  --all                   every *.ipynb in ./notebooks (sorted)
  --out-dir DIR           output folder for --all or several notebooks (default: reports)
  -j, --jobs N            notebooks run at the same time (default: ${DEFAULT_JOBS})
  --kernel NAME           kernelspec to run (default: gradlab)
  --timeout SECONDS       per-cell limit (default: 600; 0: none)
  --no-input              hide the code cells' source (outputs and text only)
  --python PYTHON         the Python with Jupyter (default: $GRADLAB_PYTHON, else the one that runs \`jupyter\`)
  -v, --verbose           print each cell as it starts
  -q, --quiet             print only errors
  -h, --help              this text

Exit status: 0 when every notebook ran and its report was written; 1 when a cell failed, a report was not
self-contained, or execution broke down; 2 on a usage error.`;

// ---- arguments ----------------------------------------------------------------------------------------------

export interface ReportOptions {
  notebooks: string[];
  output?: string;
  all: boolean;
  outDir?: string;
  jobs: number;
  kernel: string;
  timeout: number;
  noInput: boolean;
  python?: string;
  verbose: boolean;
  quiet: boolean;
}

class UsageError extends Error {}

export function parseArgs(args: string[]): ReportOptions | "help" {
  const o: ReportOptions = { notebooks: [], all: false, jobs: DEFAULT_JOBS, kernel: "gradlab", timeout: 600, noInput: false, verbose: false, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const number = (min: number) => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
      return n;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "-o":
      case "--output":
        o.output = value();
        break;
      case "--all":
        o.all = true;
        break;
      case "--out-dir":
        o.outDir = value();
        break;
      case "-j":
      case "--jobs":
        o.jobs = Math.floor(number(1));
        break;
      case "--kernel":
        o.kernel = value();
        break;
      case "--timeout":
        o.timeout = number(0);
        break;
      case "--no-input":
        o.noInput = true;
        break;
      case "--python":
        o.python = value();
        break;
      case "-v":
      case "--verbose":
        o.verbose = true;
        break;
      case "-q":
      case "--quiet":
        o.quiet = true;
        break;
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
        o.notebooks.push(a);
    }
  }
  if (o.all && o.notebooks.length > 0) throw new UsageError("give notebooks or --all, not both");
  if (!o.all && o.notebooks.length === 0) throw new UsageError("no notebook given (or use --all)");
  if (o.output && (o.all || o.notebooks.length > 1)) throw new UsageError("-o is for one notebook; use --out-dir for several");
  if (o.output && o.outDir) throw new UsageError("use -o or --out-dir, not both");
  return o;
}

/** Notebook → report path: -o, else --out-dir/NAME.html (--all, several), else NAME.html next to the notebook. */
export function outputPath(notebook: string, o: Pick<ReportOptions, "output" | "outDir" | "all" | "notebooks">): string {
  const name = path.basename(notebook).replace(/\.ipynb$/i, "") + ".html";
  if (o.output) return path.resolve(o.output);
  if (o.outDir || o.all || o.notebooks.length > 1) return path.resolve(o.outDir ?? "reports", name);
  return path.join(path.dirname(path.resolve(notebook)), name);
}

// ---- the page: plotly.js once, nothing external ------------------------------------------------------------

const LIBRARY_TAG = new RegExp(`<script\\b[^>]*\\b${PLOTLY_MARKER}="[^"]*"[^>]*>[\\s\\S]*?</script>`, "gi");
const LOADER_TAG = new RegExp(`<script\\b[^>]*\\b${PLOTLY_LOADER_MARKER}="[^"]*"[^>]*>[\\s\\S]*?</script>`, "gi");
const FIGURE_MARK = 'class="gradlab-figure"';
/** Values of "type" in a plotly spec that are axis types, not trace types. */
const AXIS_TYPES = new Set(["linear", "log", "date", "category", "multicategory", "-"]);

/** Number of plotly.js library copies in a page. */
export function countPlotlyLibraries(html: string): number {
  return (html.match(LIBRARY_TAG) ?? []).length;
}

/** The trace types that the figures of a page use (read from their specs' `"type":"..."` entries). */
export function traceTypes(html: string): Set<string> {
  const types = new Set<string>();
  for (const script of html.matchAll(/var id = "gl-fig-[^"]*", key = "[^"]*", spec = (.*);\n/g)) {
    for (const m of script[1].matchAll(/"type":"([a-z0-9]+)"/g)) if (!AXIS_TYPES.has(m[1])) types.add(m[1]);
    if (!/"type":"/.test(script[1])) types.add("scatter");
  }
  return types;
}

/**
 * Exactly one plotly.js in the page when it has figures, none otherwise: removes the copies and loaders that
 * outputs carry (the kernel's loader output, `plot.library()`, each figure's loader) and inlines one gzipped
 * bundle at the end of <head>: the cartesian one when every trace type of the page is in it, else the full one.
 */
export function inlinePlotly(html: string): { html: string; figures: number; removed: number; bundle: "cartesian" | "full" | null } {
  let removed = 0;
  const stripped = html
    .replace(LIBRARY_TAG, () => {
      removed++;
      return "<!-- plotly.js: inlined once in <head> by gradlab report -->";
    })
    .replace(LOADER_TAG, "");
  const figures = stripped.split(FIGURE_MARK).length - 1;
  if (figures === 0) return { html: stripped, figures, removed, bundle: null };
  const head = stripped.search(/<\/head\s*>/i);
  if (head < 0) throw new Error("the exported page has no </head>");
  const cartesian = [...traceTypes(stripped)].every((t) => CARTESIAN_TRACE_TYPES.has(t));
  const tag = plotlyReportTag({ cartesian });
  return { html: stripped.slice(0, head) + tag + "\n" + stripped.slice(head), figures, removed, bundle: cartesian ? "cartesian" : "full" };
}

export interface ExternalReference {
  /** Where it was found: an attribute (`img src`), `css url()`, `css @import`, `script`, `file: URL`. */
  where: string;
  url: string;
  context: string;
}

/** Attributes whose URL the browser loads (href too, except on <a>/<area>, where it is a link to click). */
const RESOURCE_ATTRS = new Set(["src", "srcset", "href", "xlink:href", "poster", "data", "action", "formaction", "background", "manifest", "codebase", "archive", "longdesc", "lowsrc", "dynsrc", "icon"]);
const LINK_TAGS = new Set(["a", "area"]);
/** XML namespace names: identifiers that are never fetched. */
const NAMESPACE_URL = /^https?:\/\/www\.w3\.org\/(?:2000\/svg|1999\/xhtml|1999\/xlink|2000\/xmlns\/?|1998\/Math\/MathML|XML\/1998\/namespace)\/?$/;

function isInlineUrl(url: string): boolean {
  const u = url.trim().toLowerCase();
  return u === "" || u.startsWith("#") || u.startsWith("data:") || u.startsWith("about:") || u.startsWith("blob:") || u.startsWith("javascript:");
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ":")
    .replace(/&sol;/gi, "/")
    .replace(/&quot;/gi, '"')
    .replace(/&apos;/gi, "'")
    .replace(/&amp;/gi, "&");
}

const excerpt = (s: string, i: number, n = 70) => s.slice(Math.max(0, i - n), i + n).replace(/\s+/g, " ").trim();

function cssReferences(css: string, where: string, out: ExternalReference[]): void {
  for (const m of css.matchAll(/url\(\s*(['"]?)([\s\S]*?)\1\s*\)/gi)) {
    if (!isInlineUrl(m[2])) out.push({ where: `${where} url()`, url: m[2], context: excerpt(css, m.index!) });
  }
  for (const m of css.matchAll(/@import\s+(?:url\()?\s*['"]?([^'")\s;]+)/gi)) {
    out.push({ where: `${where} @import`, url: m[1], context: excerpt(css, m.index!) });
  }
}

/**
 * Everything in a page that the browser would load from outside the page: resource attributes (src, link href,
 * ...), CSS url()/@import, absolute or protocol-relative URLs in scripts, and any file: URL anywhere. Links to
 * click (<a href="https://...">) and XML namespace names are not loads. The bundled plotly.js is skipped (its
 * source holds URLs for map tiles and docs that figures here never use).
 */
export function externalReferences(page: string): ExternalReference[] {
  const out: ExternalReference[] = [];
  const html = page.replace(LIBRARY_TAG, "");
  for (const m of html.matchAll(/\bfile:\/\/[^\s"'<>)]*/gi)) {
    out.push({ where: "file: URL", url: m[0], context: excerpt(html, m.index!) });
  }
  // Split scripts and styles from the markup.
  let markup = "";
  let last = 0;
  for (const m of html.matchAll(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi)) {
    const [whole, tag, attrs, body] = m;
    markup += html.slice(last, m.index!) + `<${tag}${attrs}></${tag}>`;
    last = m.index! + whole.length;
    if (tag.toLowerCase() === "style") cssReferences(body, "<style>", out);
    else {
      for (const u of body.matchAll(/\b(?:https?|ftp|wss?):\/\/[^\s"'`<>)\\]+/gi)) {
        if (!NAMESPACE_URL.test(u[0])) out.push({ where: "script", url: u[0], context: excerpt(body, u.index!) });
      }
      for (const u of body.matchAll(/(["'`(])(\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/:?#][^\s"'`<>)]*)?)\1?/gi)) {
        out.push({ where: "script", url: u[2], context: excerpt(body, u.index!) });
      }
    }
  }
  markup += html.slice(last);
  for (const t of markup.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g)) {
    const tag = t[1].toLowerCase();
    for (const a of t[2].matchAll(/([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
      const name = a[1].toLowerCase();
      const raw = a[2] ?? "";
      const value = decodeEntities(raw.replace(/^["']|["']$/g, ""));
      if (name === "style") cssReferences(value, `<${tag} style>`, out);
      if (!RESOURCE_ATTRS.has(name) || ((name === "href" || name === "xlink:href") && LINK_TAGS.has(tag))) continue;
      const urls = name === "srcset" ? value.split(",").map((s) => s.trim().split(/\s+/)[0]) : [value];
      for (const u of urls) if (!isInlineUrl(u)) out.push({ where: `<${tag} ${name}>`, url: u, context: excerpt(markup, t.index!) });
    }
  }
  return out;
}

// ---- running one notebook ------------------------------------------------------------------------------------

export interface CellFailure {
  index: number;
  number: number;
  total: number;
  execution_count: number | null;
  source: string;
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface NotebookResult {
  notebook: string;
  output: string;
  status: "ok" | "failed" | "error";
  /** The report file was written (also for a failed cell: a partial report). */
  written: boolean;
  title?: string;
  failure?: CellFailure;
  message?: string;
  figures: number;
  bytes: number;
  seconds: number;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** The failing cell as printed: number, source excerpt around the error line, the error and its traceback. */
export function formatFailure(notebook: string, f: CellFailure, written: string | null): string {
  const lines: string[] = [];
  const count = f.execution_count !== null && f.execution_count !== undefined ? `, In [${f.execution_count}]` : "";
  lines.push(`gradlab report: ${notebook}: cell ${f.number} of ${f.total} failed (index ${f.index}${count})`);
  const src = f.source.replace(/\n$/, "").split("\n");
  const tb = f.traceback.map((l) => l.replace(ANSI, "")).join("\n");
  const at = f.execution_count !== null ? new RegExp(`In ?\\[?${f.execution_count}\\]?, line (\\d+)`).exec(tb) : null;
  const errLine = at ? Number(at[1]) : 0;
  let from = 1;
  let to = src.length;
  if (src.length > 12) {
    const center = errLine || 1;
    from = Math.max(1, center - 5);
    to = Math.min(src.length, from + 9);
  }
  const width = String(to).length;
  if (from > 1) lines.push("    ...");
  for (let n = from; n <= to; n++) lines.push(`  ${n === errLine ? ">" : " "} ${String(n).padStart(width)} | ${src[n - 1]}`);
  if (to < src.length) lines.push(`    ... (${src.length - to} more lines)`);
  lines.push(`${f.ename}: ${f.evalue}`);
  if (tb.trim()) {
    const tbLines = tb.split("\n");
    const shown = tbLines.length > 60 ? [...tbLines.slice(0, 30), `... (${tbLines.length - 50} lines)`, ...tbLines.slice(-20)] : tbLines;
    lines.push("traceback:", ...shown.map((l) => "  " + l));
  }
  lines.push(
    written
      ? `partial report written to ${written} (up to the failing cell; later cells were not run)`
      : "no report written",
  );
  return lines.join("\n");
}

function pythonFor(o: ReportOptions): string {
  const candidates = [o.python, process.env.GRADLAB_PYTHON, findJupyterPython() ?? undefined, "/usr/bin/python3"].filter((p): p is string => !!p);
  for (const py of [...new Set(candidates)]) {
    const r = spawnSync(py, ["-c", "import nbclient, nbconvert, nbformat"], { stdio: "ignore", env: quietPythonEnv() });
    if (r.status === 0) return py;
    if (py === o.python) throw new Error(`${py} cannot import nbclient, nbconvert and nbformat`);
  }
  throw new Error(
    "no Python with nbclient and nbconvert found (Debian: apt-get install -y jupyter-nbconvert python3-nbclient; or pass --python)",
  );
}

/** Live child processes, so that an interrupt of `gradlab report` stops them (they shut their kernels down). */
const children = new Set<ChildProcess>();

function runExecutor(python: string, notebook: string, htmlOut: string, o: ReportOptions, log: (s: string) => void): Promise<{
  done: { status: "ok" | "failed" | "interrupted"; title: string; elapsed_s: number; failure: CellFailure | null } | null;
  error: string | null;
  stderr: string;
  code: number | null;
}> {
  return new Promise((resolve) => {
    const args = [EXECUTE_PY, "--notebook", notebook, "--html", htmlOut, "--kernel", o.kernel, "--timeout", String(o.timeout), "--version", packageVersion(), "--watch-stdin"];
    if (o.noInput) args.push("--no-input");
    // stdin stays open: the executor shuts its kernel down when it closes (this process died).
    const proc = spawn(python, args, { cwd: path.dirname(notebook), env: quietPythonEnv(), stdio: ["pipe", "pipe", "pipe"] });
    children.add(proc);
    let buffer = "";
    let stderr = "";
    let done: any = null;
    let error: string | null = null;
    proc.stdout!.setEncoding("utf8");
    proc.stdout!.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let ev: any;
        try {
          ev = JSON.parse(line);
        } catch {
          log(line);
          continue;
        }
        if (ev.event === "done") done = ev;
        else if (ev.event === "error") error = ev.message;
        else if (ev.event === "kernel" && o.verbose) log(`  kernel ready (${ev.startup_s} s)`);
        else if (ev.event === "cell" && o.verbose) log(`  cell ${ev.number}/${ev.total}`);
      }
    });
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    proc.stdin!.on("error", () => undefined);
    proc.on("close", (code) => {
      children.delete(proc);
      resolve({ done, error, stderr, code });
    });
    proc.on("error", (e) => {
      children.delete(proc);
      resolve({ done: null, error: String(e), stderr, code: null });
    });
  });
}

export async function reportNotebook(notebook: string, output: string, o: ReportOptions, python: string, log: (s: string) => void): Promise<NotebookResult> {
  const t0 = Date.now();
  const result: NotebookResult = { notebook, output, status: "error", written: false, figures: 0, bytes: 0, seconds: 0 };
  const finish = (r: Partial<NotebookResult>): NotebookResult => Object.assign(result, r, { seconds: (Date.now() - t0) / 1000 });
  if (!fs.existsSync(notebook)) return finish({ message: `no such notebook: ${notebook}` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-report-"));
  try {
    const raw = path.join(tmp, "nbconvert.html");
    const run = await runExecutor(python, path.resolve(notebook), raw, o, log);
    if (!run.done) {
      if (/NoSuchKernel/.test(run.error ?? "")) {
        return finish({ message: `no kernelspec named "${o.kernel}": run \`npx gradlab kernel install\` (or \`npm run setup\`), or pass --kernel` });
      }
      // The kernel's own messages (e.g. why it died) and the executor's traceback.
      const tail = run.stderr.trim().split("\n").slice(-30).join("\n");
      return finish({ message: `${run.error ?? `the executor exited with status ${run.code}`}${tail ? `\n${tail}` : ""}` });
    }
    if (run.done.status === "interrupted") return finish({ message: "interrupted (the kernel was shut down)" });
    const exported = fs.readFileSync(raw, "utf8");
    const { html, figures } = inlinePlotly(exported);
    const bad = externalReferences(html);
    const libraries = countPlotlyLibraries(html);
    if (libraries !== (figures > 0 ? 1 : 0)) {
      return finish({ message: `internal error: ${libraries} copies of plotly.js in a page with ${figures} figures` });
    }
    if (bad.length > 0) {
      const list = bad.slice(0, 20).map((b) => `  ${b.where}: ${b.url}\n      … ${b.context} …`);
      if (bad.length > 20) list.push(`  ... and ${bad.length - 20} more`);
      return finish({
        title: run.done.title,
        failure: run.done.failure ?? undefined,
        message: `the report would reference ${bad.length} external resource(s); not written:\n${list.join("\n")}`,
      });
    }
    fs.mkdirSync(path.dirname(output), { recursive: true });
    const part = `${output}.${process.pid}.part`;
    fs.writeFileSync(part, html);
    fs.renameSync(part, output);
    return finish({
      status: run.done.status === "ok" ? "ok" : "failed",
      written: true,
      title: run.done.title,
      failure: run.done.failure ?? undefined,
      figures,
      bytes: Buffer.byteLength(html),
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs `fn` over `items`, at most `jobs` at a time, keeping the order of results. */
async function pool<T, R>(items: T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith("..") && !path.isAbsolute(r) ? r : p;
};

export async function run(args: string[]): Promise<number> {
  let o: ReportOptions | "help";
  try {
    o = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`gradlab report: ${e.message}\n\n${HELP}`);
      return 2;
    }
    throw e;
  }
  if (o === "help") {
    console.log(HELP);
    return 0;
  }
  const opts = o;
  let notebooks = opts.notebooks;
  if (opts.all) {
    const dir = path.resolve("notebooks");
    if (!fs.existsSync(dir)) {
      console.error(`gradlab report --all: no notebooks/ folder in ${process.cwd()}`);
      return 2;
    }
    notebooks = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ipynb"))
      .sort()
      .map((f) => path.join(dir, f));
    if (notebooks.length === 0) {
      console.error(`gradlab report --all: no .ipynb files in ${rel(dir)}`);
      return 2;
    }
  }
  let python: string;
  try {
    python = pythonFor(opts);
  } catch (e) {
    console.error(`gradlab report: ${(e as Error).message}`);
    return 1;
  }
  const log = (s: string) => {
    if (!opts.quiet) console.error(s);
  };
  // Ctrl-C reaches the executors too (same process group); they shut their kernels down. Wait for them.
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = true;
    for (const c of children) c.kill(sig === "SIGINT" ? "SIGINT" : "SIGTERM");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const t0 = Date.now();
    const results = await pool(notebooks, opts.jobs, async (nb) => {
      const out = outputPath(nb, opts);
      if (fs.existsSync(nb)) log(`gradlab report: running ${rel(nb)}`);
      const r = await reportNotebook(nb, out, opts, python, (s) => log(`[${path.basename(nb)}] ${s}`));
      if (r.failure) console.error(formatFailure(rel(nb), r.failure, r.written ? rel(out) : null));
      if (r.status === "error") console.error(`gradlab report: ${rel(nb)}: ${r.message}`);
      if (r.written) {
        const what = `${(r.bytes / 1e6).toFixed(1)} MB, ${r.figures} figure${r.figures === 1 ? "" : "s"}, ${r.seconds.toFixed(1)} s`;
        log(`gradlab report: ${r.status === "ok" ? "wrote" : "wrote PARTIAL"} ${rel(out)} (${what})`);
      }
      return r;
    });
    const failed = results.filter((r) => r.status !== "ok");
    if (results.length > 1) {
      log(
        `gradlab report: ${results.length - failed.length} of ${results.length} notebooks reported in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
          (failed.length ? `; failed: ${failed.map((r) => path.basename(r.notebook)).join(", ")}` : ""),
      );
    }
    return failed.length > 0 || interrupted ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
