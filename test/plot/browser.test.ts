/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Figures and a graph rendered in headless Chromium, offline: the page is a file:// URL and every other
// request is aborted. Saves test/.artifacts/plot-browser.png (look at it when changing the renderers).
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { GraphFigure, type GraphRecord, summarize } from "../../lib/graph";
import { plot, plotlyReportTag, plotlyScriptTag, resetPlotlyInlining } from "../../lib/plot";
import { launchChromium, offlinePage } from "../browser";

const DISPLAY = Symbol.for("Jupyter.display");
const html = (x: unknown): string => (x as any)[DISPLAY]()["text/html"];
const ARTIFACTS = path.resolve(__dirname, "../.artifacts");

let browser: Browser | undefined;

beforeAll(async () => {
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

function graphRecord(): GraphRecord {
  const s = summarize;
  const v = (a: number[]) => summarize({ data: Float64Array.from(a), shape: [a.length], dtype: "float64" });
  return {
    nodes: [
      { id: 0, op: "input", kind: "input", label: "w", value: v([0.5, -1, 2]), grad: v([0.21, -0.4, 0.12]), parents: [] },
      { id: 1, op: "input", kind: "input", label: "x", value: v([1, 2, 3]), grad: v([0.5, -1, 2]), parents: [] },
      { id: 2, op: "multiply", kind: "op", value: v([0.5, -2, 6]), grad: v([1, 1, 1]), parents: [0, 1] },
      { id: 3, op: "sum", kind: "op", value: s(4.5), grad: s(0.011), parents: [2] },
      { id: 4, op: "tanh", kind: "op", value: s(0.99975), grad: s(1), parents: [3] },
      { id: 5, op: "constant", kind: "constant", label: "0.1", value: s(0.1), parents: [] },
      { id: 6, op: "power", kind: "op", value: s(0.25), grad: s(0.1), parents: [0] },
      { id: 7, op: "multiply", kind: "op", value: s(0.025), grad: s(1), parents: [5, 6] },
      { id: 8, op: "add", kind: "output", value: s(1.02475), grad: s(1), parents: [4, 7] },
    ],
    outputId: 8,
  };
}

test("figures and a graph render offline in headless Chromium", async (ctx) => {
  if (!browser) ctx.skip();
  resetPlotlyInlining();
  const epochs = Array.from({ length: 60 }, (_, i) => i);
  const train = epochs.map((e) => 2 * Math.exp(-e / 12) + 0.05);
  const val = epochs.map((e, i) => (i === 20 || i === 21 ? NaN : 2.1 * Math.exp(-e / 14) + 0.12));

  // Figures never carry plotly.js (each has a small loader, which does nothing on a file: page): the library
  // comes at the very end of this page, to check that figures wait for it wherever it is.
  const lossFig = plot.line(epochs, [train, val], { names: ["train", "val"], title: "loss", xlabel: "epoch", ylabel: "loss", logy: true });
  const carrier = html(lossFig);
  const n = 41;
  const grid = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
  const Z = grid.map((y) => grid.map((x) => (1 - x) ** 2 + 5 * (y - x * x) ** 2));
  const pts = Array.from({ length: 40 }, (_, i) => [Math.cos(i) * 1.5, Math.sin(i * 1.3) * 1.5]);
  const surface = plot
    .contour(grid, grid, Z, { title: "loss surface", logz: true, xlabel: "w0", ylabel: "w1" })
    .addScatter(pts.map((p) => p[0]), pts.map((p) => p[1]), { color: pts.map((p) => (p[0] * p[1] > 0 ? 1 : 0)), colorscale: "RdBu", name: "points" });
  const before = html(surface);
  const sub = plot.subplots(1, 2, { titles: ["accuracy", "empty"], height: 300 });
  sub.addLine(epochs, epochs.map((e) => 1 - Math.exp(-e / 10)), { row: 1, col: 1, ylabel: "acc" });
  sub.addLine([], [], { row: 1, col: 2 });
  const subHtml = html(sub);
  const live = plot.live({ title: "live loss", names: ["loss"], markers: true });
  const liveFirst = html(live);
  for (let e = 0; e < 15; e++) live.extend(e, 1 / (e + 1));
  const liveUpdate = html(live);
  const graph = html(new GraphFigure(graphRecord()));

  for (const h of [carrier, before, subHtml, liveFirst, liveUpdate]) expect(h.length).toBeLessThan(60_000);

  const cell = (title: string, body: string) => `<section><h3>${title}</h3><div class="output">${body}</div></section>`;
  const page =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>gradlab plots</title>` +
    `<style>body{font-family:sans-serif;margin:16px;width:960px} h3{margin:10px 0 4px;font-size:13px;color:#555}</style></head><body>` +
    cell("contour + scatter (no library in this output; library comes later)", before) +
    cell("loss", carrier) +
    cell("subplots", subHtml) +
    cell("live figure", `<div id="live-output">${liveFirst}</div>`) +
    cell("graph", graph) +
    plotlyScriptTag() +
    `</body></html>`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, "plot-browser.html");
  fs.writeFileSync(file, page);

  const context = await browser!.newContext({ viewport: { width: 1000, height: 900 } });
  const pageObj = await context.newPage();
  const { blocked, errors } = await offlinePage(pageObj, ["file", "data", "blob"]);
  await pageObj.goto("file://" + file);
  await pageObj.waitForFunction(() => document.querySelectorAll(".gradlab-figure .main-svg").length >= 4 * 2, null, { timeout: 15_000 });

  const info = await pageObj.evaluate(() =>
    [...document.querySelectorAll(".gradlab-figure > div")].map((d) => ({
      mainSvg: d.querySelectorAll(".main-svg").length,
      traces: d.querySelectorAll(".scatterlayer .trace").length,
      lines: d.querySelectorAll(".scatterlayer .trace .js-line").length,
      markers: d.querySelectorAll(".scatterlayer .trace .point").length,
      contours: d.querySelectorAll(".contourlayer .contour").length,
      notes: [...d.querySelectorAll(".annotation-text")].map((t) => t.textContent),
    })),
  );
  expect(info).toHaveLength(4);
  const [surf, loss, subs, liveInfo] = info;
  expect(surf.contours).toBeGreaterThan(0);
  expect(surf.markers).toBe(40);
  expect(loss.traces).toBe(2);
  expect(loss.lines).toBe(3); // the NaN gap splits "val" in two segments
  expect(loss.notes).toContain('⚠ 2 of 60 points of "val" are NaN (drawn as gaps)');
  expect(subs.lines).toBe(1);
  expect(subs.notes).toEqual(expect.arrayContaining(["accuracy", "empty", "empty series: no points yet"]));
  expect(liveInfo.notes).toContain("empty series: no points yet");

  // A display update replaces the output's HTML (as Jupyter does): the new figure draws, without the library.
  await pageObj.evaluate((h) => {
    const out = document.getElementById("live-output")!;
    out.innerHTML = h;
    for (const old of [...out.querySelectorAll("script")]) {
      const s = document.createElement("script");
      s.textContent = old.textContent;
      old.replaceWith(s);
    }
  }, liveUpdate);
  await pageObj.waitForFunction(() => document.querySelectorAll("#live-output .scatterlayer .trace .point").length === 15, null, { timeout: 5000 });
  const liveNotes = await pageObj.evaluate(() => [...document.querySelectorAll("#live-output .annotation-text")].map((t) => t.textContent));
  expect(liveNotes).toEqual([]);

  const g = await pageObj.evaluate(() => {
    const svg = document.querySelector(".gradlab-graph svg.gradlab-graph-svg") as SVGSVGElement | null;
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const nodes = [...svg.querySelectorAll(".gl-node")];
    // text must fit in its box (the width estimate for the monospace font holds)
    const overflow = nodes.filter((n) => {
      const r = n.querySelector("rect")!.getBBox();
      return [...n.querySelectorAll("text")].some((t) => (t as SVGTextElement).getBBox().width > r.width - 8);
    }).length;
    return { nodes: nodes.length, edges: svg.querySelectorAll(".gl-edge").length, width: box.width, height: box.height, overflow };
  });
  expect(g).not.toBeNull();
  expect(g!.nodes).toBe(9);
  expect(g!.edges).toBe(9);
  expect(g!.width).toBeGreaterThan(200);
  expect(g!.overflow).toBe(0);

  expect(errors).toEqual([]);
  expect(blocked).toEqual([]);
  await pageObj.screenshot({ path: path.join(ARTIFACTS, "plot-browser.png"), fullPage: true });
  await context.close();
}, 40_000);

// ---- charts that print well -------------------------------------------------------------------------------------

type Rect = { x: number; y: number; width: number; height: number };
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** The figures a tutorial draws: ROC curve with legend and title, log-axis loss, subplots, decision regions. */
function tutorialFigures() {
  const fpr = Array.from({ length: 50 }, (_, i) => i / 49);
  const roc = plot
    .line(fpr, fpr.map((f) => Math.sqrt(f) * (2 - Math.sqrt(f)) * 0.98 + 0.02 * f), { name: "logistic regression (AUC 0.93)", title: "ROC curve on the test set", xlabel: "false positive rate", ylabel: "true positive rate" })
    .addLine([0, 1], [0, 1], { name: "chance", dash: "dash", color: "#9ca3af" });
  const epochs = Array.from({ length: 300 }, (_, i) => i);
  const loss = plot.line(epochs, [epochs.map((e) => 0.7 * Math.exp(-e / 20) + 3e-5), epochs.map((e) => 0.8 * Math.exp(-e / 22) + 8e-5)], {
    names: ["train", "test"], title: "cross-entropy loss", xlabel: "epoch", ylabel: "loss", logy: true,
  });
  const small = plot.line(epochs, epochs.map((e) => 4e-4 * Math.exp(-e / 50) + 1e-5), { title: "a small loss on a linear axis", ylabel: "loss" });
  const sub = plot.subplots(1, 2, { titles: ["loss", "accuracy"], height: 340 });
  sub.addLine(epochs, [epochs.map((e) => Math.exp(-e / 40)), epochs.map((e) => 1.1 * Math.exp(-e / 45))], { row: 1, col: 1, names: ["train", "val"], logy: true });
  sub.addLine(epochs, epochs.map((e) => 1 - 0.5 * Math.exp(-e / 30)), { row: 1, col: 2, name: "val accuracy" });
  const g = Array.from({ length: 60 }, (_, i) => -3 + (6 * i) / 59);
  const P = g.map((y) => g.map((x) => 1 / (1 + Math.exp(-(1.5 * x - y)))));
  const pts = Array.from({ length: 60 }, (_, i) => [Math.cos(i * 2.1) * 2.5, Math.sin(i * 1.7) * 2.5]);
  const regions = plot
    .contour(g, g, P, { colorscale: "RdBu", zmin: 0, zmax: 1, opacity: 0.6, title: "decision regions", xlabel: "petal length", ylabel: "petal width", zlabel: "p(class 1)" })
    .addScatter(pts.filter((p) => 1.5 * p[0] > p[1]).map((p) => p[0]), pts.filter((p) => 1.5 * p[0] > p[1]).map((p) => p[1]), { name: "class 1", color: "#b91c1c" })
    .addScatter(pts.filter((p) => 1.5 * p[0] <= p[1]).map((p) => p[0]), pts.filter((p) => 1.5 * p[0] <= p[1]).map((p) => p[1]), { name: "class 0", color: "#1d4ed8" });
  return { roc, loss, small, sub, regions };
}

test("chart defaults print well: title, legend and plot area apart; decade ticks; no toolbar in reports or prints", async (ctx) => {
  if (!browser) ctx.skip();
  const figs = tutorialFigures();
  const body = Object.entries(figs).map(([k, f]) => `<section id="${k}">${html(f)}</section>`).join("\n");
  const pageFor = (head: string) =>
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>defaults</title>${head}</head>` +
    `<body style="font-family:sans-serif;margin:16px;width:1000px">${body}</body></html>`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const reportFile = path.join(ARTIFACTS, "plot-defaults-report.html");
  const notebookFile = path.join(ARTIFACTS, "plot-defaults.html");
  fs.writeFileSync(reportFile, pageFor(plotlyReportTag({ cartesian: true }))); // as gradlab report does: gzipped, in <head>
  fs.writeFileSync(notebookFile, pageFor("").replace("</body>", () => `${plotlyScriptTag()}</body>`)); // as a notebook page
  const context = await browser!.newContext({ viewport: { width: 1040, height: 900 } });
  try {
    for (const [file, report] of [[reportFile, true], [notebookFile, false]] as const) {
      const page = await context.newPage();
      const { blocked, errors } = await offlinePage(page, ["file", "data", "blob"]);
      await page.goto("file://" + file);
      await page.waitForFunction(() => document.querySelectorAll(".gradlab-figure .main-svg").length >= 5 * 2, null, { timeout: 15_000 });
      await page.waitForTimeout(300);
      const boxes = await page.evaluate(() => {
        const r = (e: Element | null) => {
          if (!e) return null;
          const b = e.getBoundingClientRect();
          return { x: b.x, y: b.y, width: b.width, height: b.height };
        };
        return [...document.querySelectorAll("section")].map((s) => ({
          id: s.id,
          title: r(s.querySelector(".gtitle")),
          legend: r(s.querySelector(".legend")),
          plots: [...s.querySelectorAll(".draglayer .nsewdrag")].map(r),
          subtitles: [...s.querySelectorAll(".annotation")].map(r),
          colorbar: r(s.querySelector(".colorbar")),
          yticks: [...s.querySelectorAll(".yaxislayer-above .ytick text, .yaxislayer-above text")].map((t) => t.textContent ?? ""),
          modebar: [...s.querySelectorAll(".modebar")].filter((m) => getComputedStyle(m.parentElement!).display !== "none").length,
          staticLeft: s.querySelectorAll(".gradlab-static-figure").length,
        }));
      });
      const where = report ? "report" : "notebook page";
      for (const b of boxes) {
        const w = `${where}, ${b.id}`;
        expect(b.plots.length, w).toBeGreaterThan(0);
        expect(b.staticLeft, `${w}: plotly replaced the static picture`).toBe(0);
        const things: [string, Rect | null][] = [["title", b.title], ["legend", b.legend], ["colorbar", b.colorbar]];
        for (const p of b.plots) for (const [name, t] of things) if (t && p) expect(overlaps(t, p), `${w}: ${name} covers a plot area`).toBe(false);
        for (let i = 0; i < things.length; i++) {
          for (let j = i + 1; j < things.length; j++) {
            const [n1, a] = things[i];
            const [n2, c] = things[j];
            if (a && c) expect(overlaps(a, c), `${w}: ${n1} and ${n2} overlap`).toBe(false);
          }
        }
        if (b.title) for (const sub of b.subtitles) if (sub) expect(overlaps(b.title, sub), `${w}: title and a subplot title`).toBe(false);
      }
      const byId = Object.fromEntries(boxes.map((b) => [b.id, b]));
      expect(byId.roc.legend, "ROC has a legend").not.toBeNull();
      expect(byId.regions.legend, "decision regions have a legend").not.toBeNull();
      expect(byId.regions.colorbar, "decision regions have a color bar").not.toBeNull();
      // log axes: decades only ("1e−4", "0.001", ...: a 1 followed or preceded by zeros), several of them
      const decade = /^(1e[−-]?\d+|0\.0*1|10*)$/;
      const logTicks = byId.loss.yticks.filter((t) => t !== "");
      expect(logTicks.length, logTicks.join(" ")).toBeGreaterThanOrEqual(3);
      for (const t of logTicks) expect(t, logTicks.join(" ")).toMatch(decade);
      // linear axis of a small loss: no SI prefixes
      expect(byId.small.yticks.join(" ")).not.toMatch(/[µμmnp]$|[µμ]/);
      expect(byId.small.yticks.join(" ")).toMatch(/e−4/);
      if (report) {
        for (const b of boxes) expect(b.modebar, `${where}, ${b.id}: toolbar`).toBe(0);
      } else {
        // notebook: the toolbar appears while the pointer is over a chart, and never in print
        await page.hover("#roc .nsewdrag");
        await page.waitForTimeout(600); // plotly fades the toolbar in
        const hovered = await page.evaluate(() => getComputedStyle(document.querySelector("#roc .modebar-group")!).opacity);
        expect(Number(hovered)).toBeGreaterThan(0.5);
        await page.emulateMedia({ media: "print" });
        const printed = await page.evaluate(() => [...document.querySelectorAll(".modebar-container")].filter((m) => getComputedStyle(m).display !== "none").length);
        expect(printed).toBe(0);
        await page.emulateMedia({ media: "screen" });
      }
      expect(errors, where).toEqual([]);
      expect(blocked, where).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, report ? "plot-defaults-report.png" : "plot-defaults.png"), fullPage: true });
      await page.close();
    }
  } finally {
    await context.close();
  }
}, 60_000);

test("without plotly.js, each figure shows its static picture (lines, markers, grid image, legend, decade ticks)", async (ctx) => {
  if (!browser) ctx.skip();
  const figs = tutorialFigures();
  const body = Object.entries(figs).map(([k, f]) => `<section id="${k}">${html(f)}</section>`).join("\n");
  const file = path.join(ARTIFACTS, "plot-static.html");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(file, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:16px;width:1000px"><script>window.Plotly = undefined;</script>${body}</body></html>`);
  const context = await browser!.newContext({ viewport: { width: 1040, height: 900 }, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await offlinePage(page, ["file", "data"]); // (scripts are off: nothing to load)
    await page.goto("file://" + file);
    const info = await page.evaluate(() =>
      [...document.querySelectorAll("section")].map((s) => {
        const svg = s.querySelector("svg.gradlab-static-figure");
        const b = svg?.getBoundingClientRect();
        return {
          id: s.id,
          width: b?.width ?? 0,
          height: b?.height ?? 0,
          paths: svg?.querySelectorAll("path").length ?? 0,
          circles: svg?.querySelectorAll("circle").length ?? 0,
          images: svg?.querySelectorAll("image").length ?? 0,
          texts: [...(svg?.querySelectorAll("text") ?? [])].map((t) => t.textContent ?? ""),
        };
      }),
    );
    const byId = Object.fromEntries(info.map((i) => [i.id, i]));
    for (const i of info) {
      expect(i.width, i.id).toBeGreaterThan(300);
      expect(i.height, i.id).toBeGreaterThan(200);
    }
    expect(byId.roc.paths).toBe(2);
    expect(byId.roc.texts).toEqual(expect.arrayContaining(["ROC curve on the test set", "chance", "logistic regression (AUC 0.93)", "false positive rate"]));
    expect(byId.loss.texts).toEqual(expect.arrayContaining(["1e−4", "0.001", "0.01", "0.1"]));
    expect(byId.small.texts.join(" ")).not.toMatch(/[µμ]/);
    expect(byId.sub.paths).toBe(3);
    expect(byId.sub.texts).toEqual(expect.arrayContaining(["loss", "accuracy"]));
    expect(byId.regions.images).toBe(1);
    expect(byId.regions.circles).toBe(60 + 2); // the points and two legend swatches
    await page.screenshot({ path: path.join(ARTIFACTS, "plot-static.png"), fullPage: true });
  } finally {
    await context.close();
  }
}, 30_000);
