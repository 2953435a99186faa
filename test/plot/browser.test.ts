/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Figures and a graph rendered in headless Chromium, offline: the page is a file:// URL and every other
// request is aborted. Saves test/.artifacts/plot-browser.png (look at it when changing the renderers).
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { GraphFigure, type GraphRecord, summarize } from "../../lib/graph";
import { plot, resetPlotlyInlining } from "../../lib/plot";

const DISPLAY = Symbol.for("Jupyter.display");
const html = (x: unknown): string => (x as any)[DISPLAY]()["text/html"];
const ARTIFACTS = path.resolve(__dirname, "../.artifacts");
const CHROMIUM = "/usr/bin/chromium";

let browser: Browser | undefined;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
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

  // 1st display of the session: carries plotly.js. Put a library-less figure BEFORE it on the page, to check
  // that figures wait for the library wherever it is.
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

  expect(carrier.length).toBeGreaterThan(4e6);
  for (const h of [before, subHtml, liveFirst, liveUpdate]) expect(h.length).toBeLessThan(60_000);

  const cell = (title: string, body: string) => `<section><h3>${title}</h3><div class="output">${body}</div></section>`;
  const page =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>gradlab plots</title>` +
    `<style>body{font-family:sans-serif;margin:16px;width:960px} h3{margin:10px 0 4px;font-size:13px;color:#555}</style></head><body>` +
    cell("contour + scatter (no library in this output; library comes later)", before) +
    cell("first figure (carries plotly.js)", carrier) +
    cell("subplots", subHtml) +
    cell("live figure", `<div id="live-output">${liveFirst}</div>`) +
    cell("graph", graph) +
    `</body></html>`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, "plot-browser.html");
  fs.writeFileSync(file, page);

  const context = await browser!.newContext({ viewport: { width: 1000, height: 900 } });
  const pageObj = await context.newPage();
  const blocked: string[] = [];
  await pageObj.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const errors: string[] = [];
  pageObj.on("pageerror", (e) => errors.push(String(e)));
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
