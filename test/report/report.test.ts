/// <reference lib="dom" />
// `gradlab report`: notebooks executed through the real gradlab kernel (this checkout's, registered in a temporary
// prefix), exported to one HTML file each, then opened in headless Chromium with every request that is not
// file:/data:/about: aborted. Saves test/.artifacts/report.png (look at it when changing the report or the renderers).
// The last block reports every tutorial in notebooks/ that exists at test time, two at a time.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { countPlotlyLibraries, externalReferences, inlinePlotly, outputPath, parseArgs } from "../../cli/report";
import { launchChromium, offlinePage } from "../browser";
import { isolatedKernelEnv, jupyterPython } from "../kernel/session";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "gradlab.js");
const ARTIFACTS = path.join(ROOT, "test", ".artifacts");
const NOTEBOOK_LIMIT_MS = 120_000;
const hasPandoc = spawnSync("pandoc", ["--version"], { stdio: "ignore" }).status === 0;

const python = jupyterPython();
if (!python && process.env.CI) throw new Error("Jupyter (nbclient) is not installed: `npm run setup` should have installed it");

// ---- helpers ---------------------------------------------------------------------------------------------------

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** `gradlab report ...args` (the built CLI), killed after `limitMs`. */
function report(args: string[], env: NodeJS.ProcessEnv, cwd: string, limitMs = NOTEBOOK_LIMIT_MS): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, "report", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    // SIGTERM first: gradlab report passes it on, and its executors shut their kernels down.
    const soft = setTimeout(() => proc.kill("SIGTERM"), limitMs);
    const hard = setTimeout(() => proc.kill("SIGKILL"), limitMs + 20_000);
    proc.on("close", (code) => {
      clearTimeout(soft);
      clearTimeout(hard);
      resolve({ code, stdout, stderr, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

type Cell = { cell_type: "markdown" | "code"; source: string; tags?: string[] };
function writeNotebook(file: string, cells: Cell[]): void {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: cells.map((c, i) => ({
      id: `cell-${i}`,
      cell_type: c.cell_type,
      metadata: c.tags ? { tags: c.tags } : {},
      source: c.source,
      ...(c.cell_type === "code" ? { outputs: [], execution_count: null } : {}),
    })),
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1));
}
const md = (source: string): Cell => ({ cell_type: "markdown", source });
const code = (source: string): Cell => ({ cell_type: "code", source });

interface FigureInfo {
  title: string;
  mainSvg: number;
  traces: number;
  lines: number;
  contours: number;
  points: number;
  notes: string[];
}
interface GraphInfo {
  nodes: number;
  boxes: number;
  edges: number;
  width: number;
  height: number;
  /** The output node's box lies inside the graph's box (nothing clipped by a scroll box) and inside the page width. */
  outputVisible: boolean | null;
}
interface PageInfo {
  title: string;
  figures: FigureInfo[];
  graphs: GraphInfo[];
  blocked: string[];
  errors: string[];
  /** plotly toolbars that are displayed (reports: none). */
  modebars: number;
  /** The same checks of the graphs in print (`emulateMedia({ media: "print" })`). */
  printGraphs: GraphInfo[];
}

/** Opens a report offline, waits until every figure is drawn, and describes what is on the page. */
async function inspectPage(browser: Browser, file: string, screenshot?: string): Promise<PageInfo> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const page = await context.newPage();
    const { blocked, errors } = await offlinePage(page, ["file", "data", "about"]);
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    await page.goto("file://" + file);
    await page
      .waitForFunction(
        () => [...document.querySelectorAll(".gradlab-figure")].every((f) => f.querySelector(".main-svg") && f.querySelector(".trace, .heatmaplayer .hm, .contourlayer .contour")),
        null,
        { timeout: 20_000 },
      )
      .catch(() => undefined); // the assertions below say which figure is missing
    const info = await page.evaluate(() => ({
      title: document.title,
      figures: [...document.querySelectorAll(".gradlab-figure")].map((f) => ({
        title: f.querySelector(".gtitle")?.textContent ?? "",
        mainSvg: f.querySelectorAll(".main-svg").length,
        traces: f.querySelectorAll(".trace, .heatmaplayer .hm, .contourlayer .contour").length,
        lines: f.querySelectorAll("path.js-line").length,
        contours: f.querySelectorAll(".contourlayer path").length,
        points: ((f.querySelector(".js-plotly-plot") as any)?.data ?? []).reduce((n: number, t: any) => n + (t.x?.length ?? 0), 0),
        notes: [...f.querySelectorAll(".annotation-text")].map((t) => t.textContent ?? ""),
      })),
      modebars: [...document.querySelectorAll(".modebar")].filter((m) => (m as HTMLElement).offsetParent !== null).length,
    }));
    const graphs = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".gradlab-graph")].map((g) => {
          const svg = g.querySelector("svg.gradlab-graph-svg");
          const out = svg?.querySelector(".gl-output rect");
          const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
          const box = g.getBoundingClientRect();
          const r = out?.getBoundingClientRect();
          return {
            nodes: svg?.querySelectorAll(".gl-node").length ?? 0,
            boxes: svg?.querySelectorAll(".gl-node rect").length ?? 0,
            edges: svg?.querySelectorAll(".gl-edge").length ?? 0,
            width: svg?.getBoundingClientRect().width ?? 0,
            height: svg?.getBoundingClientRect().height ?? 0,
            outputVisible: r ? inside(r, box) && r.right <= document.documentElement.clientWidth + 1 && r.width > 10 : null,
          };
        }),
      );
    const screenGraphs = await graphs();
    await page.emulateMedia({ media: "print" });
    const printGraphs = await graphs();
    await page.emulateMedia({ media: "screen" });
    if (screenshot) {
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    return { ...info, graphs: screenGraphs, printGraphs, blocked, errors };
  } finally {
    await context.close();
  }
}

/** Every figure has plotly's SVG with drawn traces; every graph has node boxes; nothing loaded, nothing failed. */
function expectDrawn(info: PageInfo, where: string): void {
  info.figures.forEach((f, i) => {
    expect(f.mainSvg, `${where}: figure ${i + 1} "${f.title}" has plotly's SVG`).toBeGreaterThan(0);
    expect(f.traces, `${where}: figure ${i + 1} "${f.title}" has drawn traces`).toBeGreaterThan(0);
  });
  info.graphs.forEach((g, i) => {
    expect(g.nodes, `${where}: graph ${i + 1} has nodes`).toBeGreaterThan(0);
    expect(g.boxes, `${where}: graph ${i + 1} has node boxes`).toBe(g.nodes);
    expect(g.width, `${where}: graph ${i + 1} is laid out`).toBeGreaterThan(50);
  });
  [...info.graphs, ...info.printGraphs].forEach((g, i) => {
    if (g.outputVisible !== null) expect(g.outputVisible, `${where}: the output node of graph ${(i % info.graphs.length) + 1} is in view (not clipped)`).toBe(true);
  });
  expect(info.modebars, `${where}: plotly toolbars shown in the report`).toBe(0);
  expect(info.blocked, `${where}: requests to outside the page`).toEqual([]);
  expect(info.errors, `${where}: page errors`).toEqual([]);
}

/** A report with a few charts stays small: the gzipped cartesian plotly.js (~0.66 MB) plus the page. */
const REPORT_LIMIT = 2_000_000;

// ---- the page, without a kernel --------------------------------------------------------------------------------

describe("report page checks", () => {
  const page = (body: string, head = "") => `<!DOCTYPE html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;

  it("finds everything a browser would load from outside the page", () => {
    const html = page(
      [
        '<script src="https://cdn.plot.ly/plotly-2.0.min.js"></script>',
        '<img alt="x" src="figure.png">',
        '<img src="data:image/png;base64,AAAA">',
        '<div style="background: url(\'http://example.com/bg.png\')"></div>',
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"#a\"/><image href='//cdn.example.com/i.png'/></svg>",
        '<a href="https://en.wikipedia.org/wiki/Iris_flower_data_set">a link to click</a>',
        '<script>var u = "https://example.org/data.json"; var ns = "http://www.w3.org/2000/svg";</script>',
        "<p>Output file: results.csv, profile: fast</p>",
      ].join("\n"),
      '<link rel="stylesheet" href="file:///usr/share/javascript/mathjax/x.css"><style>@import "theme.css"; .a { background: url(data:image/svg+xml,abc) }</style>',
    );
    const found = externalReferences(html).map((r) => `${r.where} ${r.url}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "<script src> https://cdn.plot.ly/plotly-2.0.min.js",
        "<img src> figure.png",
        "<div style> url() http://example.com/bg.png",
        "<image href> //cdn.example.com/i.png",
        "script https://example.org/data.json",
        "<link href> file:///usr/share/javascript/mathjax/x.css",
        "file: URL file:///usr/share/javascript/mathjax/x.css",
        "<style> @import theme.css",
      ]),
    );
    expect(found.join("\n")).not.toMatch(/wikipedia|w3\.org|data:|results\.csv|#a/);
    expect(externalReferences(page("<p>clean</p>"))).toEqual([]);
  });

  it("inlines plotly.js once, in <head>, when the page has figures; drops stray copies", async () => {
    const { plotlyScriptTag } = await import("../../lib/plot");
    const lib = plotlyScriptTag();
    const fig = '<div class="gradlab-figure"><div id="f"></div></div><script>/* draw */</script>';
    const twice = page(`<div>${lib}</div>${fig}<div>${lib}</div>`);
    expect(countPlotlyLibraries(twice)).toBe(2);
    const once = inlinePlotly(twice);
    expect(once.figures).toBe(1);
    expect(once.removed).toBe(2);
    expect(countPlotlyLibraries(once.html)).toBe(1);
    expect(once.html.indexOf("data-gradlab-plotly")).toBeLessThan(once.html.indexOf("</head>"));
    const none = inlinePlotly(page(`<div>${lib}</div><p>no figures</p>`));
    expect(countPlotlyLibraries(none.html)).toBe(0);
    expect(externalReferences(once.html)).toEqual([]); // the library's own URL strings are not loads
  });

  it("inlines the cartesian bundle when every trace type is in it, else the full one; drops figure loaders", async () => {
    const { plot } = await import("../../lib/plot");
    const DISPLAY = Symbol.for("Jupyter.display");
    const figHtml = (f: unknown) => (f as any)[DISPLAY]()["text/html"] as string;
    const cartesian = page(figHtml(plot.line([1, 2, 3], { logy: true })) + figHtml(plot.heatmap([[1, 2], [3, 4]])) + figHtml(plot.figure({ type: "bar", x: ["a"], y: [1] })));
    expect(cartesian).toContain("data-gradlab-plotly-loader");
    const a = inlinePlotly(cartesian);
    expect(a.bundle).toBe("cartesian");
    expect(a.html).not.toContain("data-gradlab-plotly-loader");
    expect(a.html.length).toBeLessThan(800_000);
    const full = inlinePlotly(page(figHtml(plot.figure({ type: "scatter3d", x: [1], y: [1], z: [1] })) + figHtml(plot.line([1, 2]))));
    expect(full.bundle).toBe("full");
    expect(countPlotlyLibraries(full.html)).toBe(1);
  });

  it("parses its arguments and picks output paths", () => {
    expect(parseArgs(["--help"])).toBe("help");
    expect(() => parseArgs([])).toThrow(/no notebook/);
    expect(() => parseArgs(["a.ipynb", "--all"])).toThrow(/not both/);
    expect(() => parseArgs(["a.ipynb", "b.ipynb", "-o", "x.html"])).toThrow(/one notebook/);
    expect(() => parseArgs(["a.ipynb", "--bogus"])).toThrow(/unknown option/);
    const one = parseArgs(["nb/a.ipynb"]);
    expect(one).toMatchObject({ notebooks: ["nb/a.ipynb"], jobs: 2, kernel: "gradlab", timeout: 600 });
    expect(outputPath("nb/a.ipynb", one as any)).toBe(path.resolve("nb/a.html"));
    expect(outputPath("nb/a.ipynb", parseArgs(["nb/a.ipynb", "-o", "out/r.html"]) as any)).toBe(path.resolve("out/r.html"));
    const all = parseArgs(["--all", "-j", "3", "--timeout=30"]);
    expect(all).toMatchObject({ all: true, jobs: 3, timeout: 30 });
    expect(outputPath("/x/notebooks/b.ipynb", all as any)).toBe(path.resolve("reports/b.html"));
    expect(outputPath("b.ipynb", parseArgs(["--all", "--out-dir", "site"]) as any)).toBe(path.resolve("site/b.html"));
  });
});

// ---- reports through the kernel --------------------------------------------------------------------------------

let browser: Browser | undefined;
let env: NodeJS.ProcessEnv = process.env;
let tmp = "";

beforeAll(async () => {
  if (!python) return;
  const iso = isolatedKernelEnv(python);
  env = iso.env;
  tmp = iso.dir;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A notebook of `cells` written to a new folder of the temporary directory: the folder and the file. */
function notebookIn(folder: string, file: string, cells: Cell[]): { dir: string; nb: string } {
  const dir = path.join(tmp, folder);
  fs.mkdirSync(dir, { recursive: true });
  const nb = path.join(dir, file);
  writeNotebook(nb, cells);
  return { dir, nb };
}

describe.skipIf(!python)("gradlab report", () => {
  it("writes one self-contained page: line plot, live curve, contour and graph all drawn offline", async (ctx) => {
    const { dir, nb } = notebookIn("demo", "demo.ipynb", [
      md("# Loss curves and *graphs*\n\nA report made by the test."),
      code('const xs = np.linspace(0, 2 * Math.PI, 60);\nplot.line(xs, np.sin(xs), { title: "sine", xlabel: "x" })'),
      md("## A live curve\n\nThe only output of this cell is updated in place 30 times; $\\frac{d}{dx}\\tanh x = 1 - \\tanh^2 x$ and\n$$L(w) = \\sum_i (y_i - w x_i)^2.$$"),
      code(
        [
          'const live = plot.live({ names: ["train"], title: "live loss", logy: true });',
          "const handle = display(live);",
          "for (let epoch = 0; epoch < 30; epoch++) handle.update(live.extend(epoch, [Math.exp(-epoch / 8) + 0.01]));",
        ].join("\n"),
      ),
      code(
        [
          "const g = np.linspace(-2, 2, 41);",
          "const [X, Y] = np.meshgrid(g, g);",
          "const Z = np.add(np.square(np.subtract(1, X)), np.multiply(5, np.square(np.subtract(Y, np.square(X)))));",
          'plot.contour(g, g, Z, { title: "rosenbrock", logz: true })',
        ].join("\n"),
      ),
      code("traceGraph((w: NDArray) => np.sum(np.tanh(w).mul(w)))(np.array([0.5, -1, 2]))"),
      code('console.log("done")'),
      { ...code('console.log("FINAL secret=42")'), tags: ["test"] },
    ]);
    const out = path.join(dir, "out", "demo report.html");
    const r = await report([nb, "-o", out], env, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("wrote out/demo report.html");
    expect(r.stderr).toContain("3 figures");

    const html = fs.readFileSync(out, "utf8");
    expect(countPlotlyLibraries(html)).toBe(1);
    expect(html.indexOf("data-gradlab-plotly")).toBeLessThan(html.indexOf("</head>"));
    expect(externalReferences(html)).toEqual([]);
    const withoutPlotly = html.replace(/<script[^>]*data-gradlab-plotly[^>]*>[\s\S]*?<\/script>/, "");
    expect(withoutPlotly).not.toMatch(/file:\/\/|require(\.min)?\.js|MathJax\.js|cdn\./i);
    expect(html).toContain("<title>Loss curves and graphs</title>");
    expect(html).toContain("<svg"); // the graph, inline
    expect(html).toMatch(/<pre>done\n<\/pre>/);
    expect(html, "a cell tagged test is not in the report").not.toContain("FINAL secret");
    expect(html).not.toContain("data-gradlab-plotly-loader");
    expect(html).toContain('-cartesian-gzip"');
    expect(html.length, "report size").toBeLessThan(REPORT_LIMIT);
    if (hasPandoc) {
      expect(html.match(/<math display="(inline|block)"/g)).toHaveLength(2); // formulas as MathML, no MathJax
      expect(html).not.toContain("$\\frac");
    }

    if (!browser) return ctx.skip();
    const info = await inspectPage(browser, out, path.join(ARTIFACTS, "report.png"));
    expect(info.title).toBe("Loss curves and graphs");
    expect(info.figures.map((f) => f.title)).toEqual(["sine", "live loss", "rosenbrock"]);
    expectDrawn(info, "demo");
    const [sine, live, surface] = info.figures;
    expect(sine.lines).toBeGreaterThan(0);
    expect(sine.points).toBe(60);
    expect(live.lines).toBeGreaterThan(0);
    expect(live.points).toBe(30); // the last update, as nbclient applied it
    expect(live.notes).toEqual([]);
    expect(surface.contours).toBeGreaterThan(0);
    expect(info.graphs).toHaveLength(1);
    expect(info.graphs[0].nodes).toBe(4); // w, tanh, multiply, sum
    expect(info.graphs[0].edges).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it("exits non-zero on a failing cell, prints the cell and the error, and writes a partial report", async () => {
    const { dir, nb } = notebookIn("failing", "broken.ipynb", [
      md("# Broken"),
      code("const ok = np.ones([2, 3]);"),
      code('console.log("before the error");\nconst bad = np.ones([2, 3]);\nconst product = np.matmul(ok, bad);'),
      code('console.log("never printed")'),
    ]);
    const r = await report([nb], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken.ipynb: cell 3 of 4 failed (index 2, In [2])");
    expect(r.stderr).toMatch(/> +3 \| const product = np\.matmul\(ok, bad\);/);
    expect(r.stderr).toContain("ShapeError: np.matmul: shapes (2, 3) and (2, 3) not aligned");
    expect(r.stderr).toContain("traceback:");
    expect(r.stderr).toContain("Cell In[2], line 3");
    expect(r.stderr).toContain("partial report written to broken.html");
    const html = fs.readFileSync(path.join(dir, "broken.html"), "utf8");
    expect(html).toContain("Incomplete report");
    expect(html).toContain("before the error");
    expect(html).not.toMatch(/<pre>never printed/);
    expect(externalReferences(html)).toEqual([]);
  }, 120_000);

  it("refuses to write a page that would load something from outside", async () => {
    const { dir, nb } = notebookIn("external", "cdn.ipynb", [code('html(\'<script src="https://cdn.example.com/lib.js"></script><img src="chart.png">\')')]);
    const r = await report([nb], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("external resource(s); not written");
    expect(r.stderr).toContain("https://cdn.example.com/lib.js");
    expect(r.stderr).toContain("chart.png");
    expect(fs.existsSync(path.join(dir, "cdn.html"))).toBe(false);
  }, 120_000);
});

// ---- the tutorials ---------------------------------------------------------------------------------------------

const NB_DIR = path.join(ROOT, "notebooks");
const tutorials = fs.existsSync(NB_DIR) ? fs.readdirSync(NB_DIR).filter((f) => f.endsWith(".ipynb")).sort() : [];

describe.skipIf(!python || tutorials.length === 0)("tutorial notebooks as reports", () => {
  const runs = new Map<string, Promise<CliRun & { out: string }>>();
  const outDir = () => path.join(tmp, "tutorials");

  beforeAll(() => {
    fs.mkdirSync(outDir(), { recursive: true });
    // Two at a time, each in its own `gradlab report` (so each failure is reported with its own cell and error).
    const queue = tutorials.slice();
    const resolvers = new Map<string, (r: CliRun & { out: string }) => void>();
    for (const t of tutorials) runs.set(t, new Promise((res) => resolvers.set(t, res)));
    const worker = async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const out = path.join(outDir(), t.replace(/\.ipynb$/, ".html"));
        const r = await report([path.join(NB_DIR, t), "-o", out, "--timeout", "120"], env, ROOT);
        resolvers.get(t)!({ ...r, out });
      }
    };
    void worker();
    void worker();
  });

  afterAll(async () => {
    const rows = await Promise.all(tutorials.map(async (t) => `${t}: ${(await runs.get(t)!).seconds.toFixed(1)} s`));
    console.log(`gradlab report, tutorials (2 at a time):\n  ${rows.join("\n  ")}`);
  }, tutorials.length * (NOTEBOOK_LIMIT_MS + 30_000));

  for (const t of tutorials) {
    it(
      `${t}: executes, and every figure and graph of its report draws offline`,
      async (ctx) => {
        const r = await runs.get(t)!;
        expect(r.code, `gradlab report ${t} failed:\n${r.stderr}`).toBe(0);
        const html = fs.readFileSync(r.out, "utf8");
        expect(externalReferences(html)).toEqual([]);
        expect(html, "test cells stay out of the report").not.toMatch(/FINAL |\/\/ test: /);
        expect(html.length, "report size").toBeLessThan(REPORT_LIMIT);
        if (hasPandoc && t.startsWith("09")) expect(html).toMatch(/<math display="block"[^]*?softmax[^]*?<\/math>/);
        const source = fs.readFileSync(path.join(NB_DIR, t), "utf8");
        if (!browser) return ctx.skip();
        const info = await inspectPage(browser, r.out);
        expect(info.figures.length + info.graphs.length, `${t} shows figures or graphs`).toBeGreaterThan(0);
        expect(countPlotlyLibraries(html)).toBe(info.figures.length > 0 ? 1 : 0);
        if (source.includes("traceGraph(")) expect(info.graphs.length, `${t} draws its computational graphs`).toBeGreaterThan(0);
        if (t.startsWith("05")) {
          // the large graph (taller than the notebook's 640 px scroll box) is whole: its output node is in view,
          // on screen and in print
          const large = info.graphs.findIndex((g) => g.height > 640);
          expect(large, `05 has a large graph (heights ${info.graphs.map((g) => Math.round(g.height))})`).toBeGreaterThanOrEqual(0);
          expect(info.graphs[large].outputVisible).toBe(true);
          expect(info.printGraphs[large].outputVisible).toBe(true);
        }
        expectDrawn(info, t);
      },
      tutorials.length * (NOTEBOOK_LIMIT_MS + 30_000),
    );
  }
});
