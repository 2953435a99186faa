// The tutorial notebooks (notebooks/*.ipynb), executed top to bottom through the real gradlab kernel with Jupyter's
// own client (`jupyter nbconvert --execute`, i.e. nbclient), two at a time, each within 120 s. Checks what a reader
// sees: no errors, execution counts, figures and graphs (with their plotly JSON and static SVG, and no plotly.js stored),
// and each notebook's key results. Those are printed as `FINAL name=value ...` lines by test cells: code cells tagged
// "test", hidden in the front end (jupyter.source_hidden / outputs_hidden, collapsed) and removed from reports.
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedKernelEnv, jupyterPython } from "../kernel/session";

const ROOT = path.resolve(__dirname, "..", "..");
const NB_DIR = path.join(ROOT, "notebooks");
const NOTEBOOK_TIMEOUT_MS = 120_000;
const PARALLEL = 2;

interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number | null;
}
interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  metadata: Record<string, any>;
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}
interface Run {
  nb: Notebook | null;
  wallMs: number;
  /** Sum of the cells' execution times (nbclient's timing metadata): the notebook's runtime without kernel start. */
  cellsMs: number;
  exitCode: number | null;
  timedOut: boolean;
  log: string;
}

const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : s ?? "");
const codeCells = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code");
const isTestCell = (c: Cell) => (c.metadata.tags ?? []).includes("test");
/** The code a reader sees (test cells are hidden). */
const readerCells = (nb: Notebook) => codeCells(nb).filter((c) => !isTestCell(c));
const outputs = (nb: Notebook) => codeCells(nb).flatMap((c) => c.outputs ?? []);
const rich = (nb: Notebook) => outputs(nb).filter((o) => o.output_type === "execute_result" || o.output_type === "display_data");
const figures = (nb: Notebook) =>
  rich(nb).filter((o) => text(o.data?.["text/plain"]).startsWith("Figure(") && text(o.data?.["text/html"]).includes("Plotly.newPlot"));
const graphs = (nb: Notebook) =>
  rich(nb).filter((o) => text(o.data?.["text/plain"]).startsWith("Graph(") && text(o.data?.["text/html"]).includes("<svg"));
const stdout = (nb: Notebook) =>
  outputs(nb)
    .filter((o) => o.output_type === "stream" && o.name === "stdout")
    .map((o) => text(o.text))
    .join("");

/** Every `FINAL a=1 b=2` line of the notebook's stdout, merged into one record. */
function finals(nb: Notebook): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout(nb).split("\n")) {
    if (!line.startsWith("FINAL ")) continue;
    for (const m of line.slice(6).matchAll(/(\S+?)=(\S+)/g)) out[m[1]] = m[2];
  }
  return out;
}
const str = (r: Record<string, string>, key: string): string => {
  expect(r, `a FINAL line with ${key}=...`).toHaveProperty(key);
  return r[key];
};
const num = (r: Record<string, string>, key: string): number => Number(str(r, key));

/** What each notebook must show and compute. */
const EXPECTED: Record<string, { figures: number; graphs?: number; results: (r: Record<string, string>, nb: Notebook) => void }> = {
  "01-the-derivative": {
    figures: 4,
    results: (r) => {
      expect(num(r, "autodiffError")).toBeLessThan(1e-15);
      // forward differences bottom out near h = sqrt(eps), central ones near eps^(1/3)
      expect(num(r, "forwardBestH")).toBeGreaterThan(1e-10);
      expect(num(r, "forwardBestH")).toBeLessThan(1e-6);
      expect(num(r, "centralBestH")).toBeGreaterThan(1e-8);
      expect(num(r, "centralBestH")).toBeLessThan(1e-3);
      expect(num(r, "forwardBestError")).toBeLessThan(1e-6);
      expect(num(r, "centralBestError")).toBeLessThan(num(r, "forwardBestError"));
    },
  },
  "02-the-chain-rule": {
    figures: 2,
    graphs: 1,
    results: (r) => {
      expect(num(r, "x")).toBe(0.5);
      expect(num(r, "grad")).toBeCloseTo(num(r, "byHand"), 12);
      expect(num(r, "byHand")).toBeCloseTo(-13.477478216364936, 10);
      expect(num(r, "maxAbsDiff")).toBeLessThan(1e-12);
      expect(num(r, "points")).toBe(501);
    },
  },
  "03-automatic-differentiation": {
    figures: 2,
    graphs: 1,
    results: (r) => {
      expect(num(r, "gradAtPi")).toBeCloseTo(-0.9998995297042174, 14);
      expect(num(r, "termsAtPi")).toBe(7);
    },
  },
  "04-logistic-regression": {
    figures: 6,
    results: (r, nb) => {
      expect(num(r, "toyInitialLoss")).toBeCloseTo(2.772588722239781, 14);
      expect(num(r, "toyTrainedLoss")).toBeCloseTo(1.0672706757870163, 12);
      expect(num(r, "irisTestAccuracy")).toBeGreaterThanOrEqual(0.85);
      expect(num(r, "irisTestAUC")).toBeGreaterThanOrEqual(0.9);
      // the live loss curve ended with every 10th epoch of 300 plus the last one, in both series
      const live = figures(nb).find((o) => text(o.data?.["text/plain"]).includes("Mean loss while training"));
      expect(text(live?.data?.["text/plain"])).toContain("line: 31 points, line: 31 points");
    },
  },
  "05-behind-the-scenes": {
    figures: 2,
    graphs: 4,
    results: (r) => {
      expect(num(r, "customPrimitiveGrad")).toBeCloseTo(num(r, "tracedPiecesGrad"), 12);
    },
  },
  "06-reverse-vs-forward-mode": {
    figures: 3,
    results: (r) => {
      // n = 256 forward passes vs 1 backward pass (and the mirror case): timing-based, so generous margins
      expect(num(r, "gradientSpeedup")).toBeGreaterThan(3);
      expect(num(r, "curveSpeedup")).toBeGreaterThan(3);
      expect(num(r, "maxModeDifference")).toBeLessThan(1e-12);
    },
  },
  "07-what-can-be-differentiated": {
    figures: 5,
    results: (r) => {
      expect(JSON.parse(str(r, "rosenbrockHessian"))).toEqual([[802, -400], [-400, 200]]);
      expect(str(r, "checkGradsLogsumexp")).toBe("passed");
      expect(num(r, "gradAbsSquaredRe")).toBeCloseTo(2, 12);
      expect(num(r, "gradAbsSquaredIm")).toBeCloseTo(-4, 12);
    },
  },
  "08-tanh-derivatives": {
    figures: 3,
    results: (r, nb) => {
      expect(str(r, "tanhDerivativesAtZero").split(",").map(Number)).toEqual([1, 0, -2, 0, 16, 0]);
      const main = figures(nb).find((o) => text(o.data?.["text/plain"]).includes("tanh and its first six derivatives"));
      expect(text(main?.data?.["text/plain"])).toContain("7 traces: line ×7");
    },
  },
  "09-neural-network": {
    figures: 3,
    results: (r) => {
      expect(num(r, "mlpTrainLoss")).toBeLessThan(0.2);
      expect(num(r, "mlpTestAccuracy")).toBeGreaterThanOrEqual(0.9);
      expect(num(r, "petalTestAccuracy")).toBeGreaterThanOrEqual(0.85);
    },
  },
};

const notebookNames = fs
  .readdirSync(NB_DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .map((f) => f.replace(/\.ipynb$/, ""))
  .sort();
const readNotebook = (file: string): Notebook => JSON.parse(fs.readFileSync(file, "utf8"));

describe("notebooks as stored", () => {
  it("are the nine tutorials, each with an expectation here", () => {
    expect(notebookNames).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of notebookNames) {
    it(`${name}: nbformat 4.5, gradlab kernelspec, outputs cleared, ends with a summary`, () => {
      const nb = readNotebook(path.join(NB_DIR, `${name}.ipynb`));
      expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
      expect(nb.metadata.kernelspec).toEqual({ name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" });
      expect(nb.metadata.language_info?.name).toBe("typescript");
      const ids = nb.cells.map((c) => c.id);
      expect(ids.every((id) => typeof id === "string" && /^[a-zA-Z0-9-_]{1,64}$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of codeCells(nb)) {
        expect(c.outputs).toEqual([]);
        expect(c.execution_count).toBeNull();
      }
      expect(nb.cells[0].cell_type).toBe("markdown");
      const last = nb.cells[nb.cells.length - 1];
      expect(last.cell_type).toBe("markdown");
      expect(text(last.source)).toContain("What you learned");
      expect(text(last.source)).toContain("Try this");
      // teaching, not walls of code: short cells, with prose between them
      for (const c of codeCells(nb)) expect(text(c.source).split("\n").length, text(c.source).slice(0, 80)).toBeLessThanOrEqual(30);
      expect(nb.cells.filter((c) => c.cell_type === "markdown").length).toBeGreaterThanOrEqual(0.6 * readerCells(nb).length);
    });

    it(`${name}: what the tests need sits in hidden test cells, not in the code a reader sees`, () => {
      const nb = readNotebook(path.join(NB_DIR, `${name}.ipynb`));
      for (const c of readerCells(nb)) expect(text(c.source), `a reader's cell prints a FINAL line:\n${text(c.source)}`).not.toMatch(/FINAL /);
      const tests = codeCells(nb).filter(isTestCell);
      expect(tests.length, "at least one test cell").toBeGreaterThan(0);
      for (const c of tests) {
        expect(text(c.source)).toMatch(/^\/\/ test: /);
        expect(text(c.source)).toContain("FINAL ");
        expect(c.metadata.jupyter).toEqual({ source_hidden: true, outputs_hidden: true }); // JupyterLab, Notebook 7
        expect(c.metadata.collapsed).toBe(true); // Notebook 6 collapses the output
      }
    });
  }

  it.skipIf(!jupyterPython())("pass Jupyter's own nbformat validation", () => {
    const check = "import nbformat, sys\nfor f in sys.argv[1:]: nbformat.validate(nbformat.read(f, as_version=4))";
    const files = notebookNames.map((n) => path.join(NB_DIR, `${n}.ipynb`));
    const r = spawnSync(jupyterPython()!, ["-c", check, ...files], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });
});

// ---- execution ------------------------------------------------------------------------------------------------------

/** Runs one notebook with nbconvert; on timeout, SIGINT lets nbclient shut the kernel down, then SIGKILL. */
function execute(python: string, env: NodeJS.ProcessEnv, name: string, outDir: string): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve) => {
    const args = [
      "-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
      "--ExecutePreprocessor.kernel_name=gradlab", `--ExecutePreprocessor.timeout=${NOTEBOOK_TIMEOUT_MS / 1000}`,
      // nbclient waits only 4 s (default) for a cell's outputs after its reply and then drops them silently
      "--ExecutePreprocessor.iopub_timeout=60", "--ExecutePreprocessor.raise_on_iopub_timeout=True",
      "--output-dir", outDir, "--output", `${name}.ipynb`, path.join(NB_DIR, `${name}.ipynb`),
    ];
    const proc: ChildProcess = spawn(python, args, { cwd: NB_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    proc.stdout!.on("data", (d) => (log += d));
    proc.stderr!.on("data", (d) => (log += d));
    let timedOut = false;
    const soft = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGINT");
    }, NOTEBOOK_TIMEOUT_MS);
    const hard = setTimeout(() => proc.kill("SIGKILL"), NOTEBOOK_TIMEOUT_MS + 15_000);
    proc.on("close", (code) => {
      clearTimeout(soft);
      clearTimeout(hard);
      const file = path.join(outDir, `${name}.ipynb`);
      const nb = fs.existsSync(file) ? readNotebook(file) : null;
      let cellsMs = 0;
      for (const c of nb ? codeCells(nb) : []) {
        const t = c.metadata.execution ?? {};
        const a = Date.parse(t["iopub.execute_input"]), b = Date.parse(t["shell.execute_reply"]);
        if (Number.isFinite(a) && Number.isFinite(b)) cellsMs += b - a;
      }
      resolve({ nb, wallMs: Date.now() - start, cellsMs, exitCode: code, timedOut, log });
    });
  });
}

/** Starts every notebook, at most `parallel` at a time; returns one promise per notebook. */
function runAll(names: string[], parallel: number, run: (name: string) => Promise<Run>): Map<string, Promise<Run>> {
  const results = new Map<string, Promise<Run>>();
  const resolvers = new Map<string, (r: Run) => void>();
  for (const n of names) results.set(n, new Promise((res) => resolvers.set(n, res)));
  const queue = names.slice();
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) resolvers.get(n)!(await run(n));
  };
  for (let i = 0; i < Math.min(parallel, names.length); i++) void worker();
  return results;
}

const python = jupyterPython();
if (!python && process.env.CI) throw new Error("Jupyter (nbclient) is not installed: `npm run setup` should have installed it");

describe.skipIf(!python)("notebooks executed through the gradlab kernel", () => {
  let results: Map<string, Promise<Run>>;
  let tmp = "";
  const WAIT_MS = Math.ceil(notebookNames.length / PARALLEL + 1) * (NOTEBOOK_TIMEOUT_MS + 20_000);

  beforeAll(() => {
    const iso = isolatedKernelEnv(python!);
    tmp = iso.dir;
    const outDir = path.join(tmp, "executed");
    fs.mkdirSync(outDir);
    results = runAll(notebookNames, PARALLEL, (name) => execute(python!, iso.env, name, outDir));
  });

  afterAll(async () => {
    if (!results) return;
    const rows = await Promise.all(
      notebookNames.map(async (name) => {
        const r = await results.get(name)!;
        const kB = r.nb ? Math.round(JSON.stringify(r.nb).length / 1000) : 0;
        return { name, wall_s: +(r.wallMs / 1000).toFixed(1), cells_s: +(r.cellsMs / 1000).toFixed(1), saved_kB: kB, ...(r.nb ? finals(r.nb) : {}) };
      }),
    );
    console.log(rows.map((r) => JSON.stringify(r)).join("\n"));
    if (tmp && !process.env.GRADLAB_KEEP_EXECUTED) fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.log(`executed notebooks kept in ${tmp}`);
  }, WAIT_MS);

  for (const name of notebookNames) {
    describe(name, () => {
      const get = async (): Promise<Run & { nb: Notebook }> => {
        const r = await results.get(name)!;
        expect(r.timedOut, `${name} did not finish within ${NOTEBOOK_TIMEOUT_MS / 1000} s`).toBe(false);
        expect(r.nb, `nbconvert wrote no notebook:\n${r.log}`).not.toBeNull();
        return r as Run & { nb: Notebook };
      };

      it("runs top to bottom without errors, every cell executed in order", async () => {
        const r = await get();
        expect(r.exitCode, r.log).toBe(0);
        for (const c of codeCells(r.nb)) {
          const errors = (c.outputs ?? []).filter((o) => o.output_type === "error");
          const stderr = (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => text(o.text)).join("");
          const where = `cell:\n${text(c.source)}\n`;
          expect(errors.map((e) => `${e.ename}: ${e.evalue}`), where).toEqual([]);
          expect(stderr, where).toBe("");
        }
        const counts = codeCells(r.nb).map((c) => c.execution_count);
        expect(counts).toEqual(counts.map((_, i) => i + 1));
        for (const o of outputs(r.nb)) if (o.output_type === "execute_result") expect(typeof o.execution_count).toBe("number");
      }, WAIT_MS);

      it("shows its figures and graphs: plotly JSON and a static SVG in every figure, plotly.js not stored", async () => {
        const { nb } = await get();
        const want = EXPECTED[name];
        expect(figures(nb).length).toBeGreaterThanOrEqual(want.figures);
        expect(graphs(nb).length).toBeGreaterThanOrEqual(want.graphs ?? 0);
        for (const f of figures(nb)) {
          const json = f.data?.["application/vnd.plotly.v1+json"] as unknown as { data: unknown[]; layout: Record<string, unknown> };
          expect(typeof json, "the plotly mime type holds an object").toBe("object");
          expect(Array.isArray(json.data) && json.data.length > 0).toBe(true);
          expect(text(f.data?.["image/svg+xml"])).toMatch(/^<svg [^>]*class="gradlab-static-figure"/);
          expect(text(f.data?.["text/html"])).toContain('data-gradlab-plotly-loader="kernelspecs/');
        }
        for (const o of rich(nb)) {
          const html = text(o.data?.["text/html"]);
          expect(html.length, "no output holds plotly.js").toBeLessThan(1_500_000);
          expect(html).not.toContain("Copyright 2012-2026, Plotly");
        }
      }, WAIT_MS);

      it("computes its key results", async () => {
        const { nb } = await get();
        EXPECTED[name].results(finals(nb), nb);
      }, WAIT_MS);
    });
  }
});
