import { beforeEach, describe, expect, test } from "vitest";
import {
  Figure,
  hasPlotlyLibrary,
  isPlotlyInlined,
  needsPlotlyLibrary,
  plot,
  plotlyLibraryBundle,
  plotlyLoaderTag,
  plotlyReportTag,
  plotlyScriptTag,
  plotlyVersion,
  resetPlotlyInlining,
} from "../../lib/plot";

const DISPLAY = Symbol.for("Jupyter.display");
type Bundle = { "text/plain": string; "text/html": string };
const bundle = (x: unknown): Bundle => (x as any)[DISPLAY]();

/** A minimal NDArray stand-in (same duck type as lib/array's NDArray: data, shape, dtype). */
function nd(values: number[], shape: number[] = [values.length], dtype = "float64") {
  return { data: Float64Array.from(values), shape, dtype, size: values.length, _box: undefined as unknown };
}

const libCount = (html: string) => html.split('data-gradlab-plotly="').length - 1;

beforeEach(() => resetPlotlyInlining());

describe("figure bundles", () => {
  test("line figure: text/plain summary, static picture + newPlot script in text/html, plotly JSON, SVG", () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const fig = plot.line(x, x.map((v) => Math.exp(-v / 30)), { title: "loss" });
    const b = bundle(fig) as Bundle & Record<string, any>;
    expect(b["text/plain"]).toBe('Figure(line: 100 points, "loss")');
    expect(b["text/html"]).toMatch(/<div id="gl-fig-[\w-]+" style="width:100%;height:380px;"><svg [^>]*class="gradlab-static-figure"/);
    expect(b["text/html"]).toContain("Plotly.newPlot");
    expect(b["text/html"]).toContain("window.Plotly");
    expect(String(fig)).toBe('Figure(line: 100 points, "loss")');
    // the plotly mime type carries an object (front ends with a plotly renderer draw it), not a string
    const json = b["application/vnd.plotly.v1+json"];
    expect(typeof json).toBe("object");
    expect(json.data[0].y).toHaveLength(100);
    expect(json.layout.title.text).toBe("loss");
    expect(json.config.displayModeBar).toBe("hover");
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    // the static fallback: an SVG with the curve, the title and tick labels
    const svg: string = b["image/svg+xml"];
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toContain("<path d=\"M");
    expect(svg).toContain(">loss</text>");
    expect(svg).not.toMatch(/[µμ]/);
  });

  test("figures never carry plotly.js: each has a small loader instead, whatever the session did", () => {
    expect(isPlotlyInlined()).toBe(false);
    const a = bundle(plot.line([1, 2, 3], [1, 4, 9]))["text/html"];
    const b = bundle(plot.scatter([1, 2, 3], [3, 2, 1]))["text/html"];
    const c = bundle(plot.figure([{ type: "bar", x: ["a", "b"], y: [1, 2] }]))["text/html"];
    for (const h of [a, b, c]) {
      expect(libCount(h)).toBe(0);
      expect(hasPlotlyLibrary(h)).toBe(false);
      expect(h.length).toBeLessThan(20_000);
      expect(h).toContain('data-gradlab-plotly-loader="kernelspecs/gradlab/plotly.min.js"');
    }
    expect(isPlotlyInlined()).toBe(true); // the first figure's loader counts as sent
    resetPlotlyInlining();
    expect(isPlotlyInlined()).toBe(false);
  });

  test("the loader asks Jupyter for the kernelspec's copy of plotly.js, at the page's base URL, once", () => {
    const tag = plotlyLoaderTag();
    expect(tag).toContain('s.src = base + "kernelspecs/gradlab/plotly.min.js"');
    expect(tag).toContain('getAttribute("data-base-url")'); // Notebook 6
    expect(tag).toContain('getElementById("jupyter-config-data")'); // JupyterLab / Notebook 7
    expect(tag).toContain("window.__gradlabPlotlyLoading"); // one <script src> per page
    expect(tag).toMatch(/https\?/); // only on pages served over http(s)
    expect(tag.length).toBeLessThan(1500);
    const saved = process.env.GRADLAB_KERNEL_NAME;
    process.env.GRADLAB_KERNEL_NAME = "gradlab-test";
    try {
      expect(plotlyLoaderTag()).toContain('"kernelspecs/gradlab-test/plotly.min.js"');
      process.env.GRADLAB_KERNEL_NAME = "../evil";
      expect(plotlyLoaderTag()).toContain('"kernelspecs/gradlab/plotly.min.js"');
    } finally {
      if (saved === undefined) delete process.env.GRADLAB_KERNEL_NAME;
      else process.env.GRADLAB_KERNEL_NAME = saved;
    }
  });

  test("the library script is guarded, safe to inline, and flushes waiting figures", () => {
    const tag = plotlyScriptTag();
    expect(plotlyVersion()).toMatch(/^4\./);
    expect(tag.startsWith(`<script type="text/javascript" data-gradlab-plotly="${plotlyVersion()}">`)).toBe(true);
    expect(tag).toContain("if (!window.Plotly) {");
    expect(tag).toContain("__gradlabPlotlyQueue");
    // Nothing inside may close the script element early or open an HTML comment.
    const body = tag.slice(tag.indexOf(">") + 1, tag.lastIndexOf("</script>"));
    expect(/<\/script/i.test(body)).toBe(false);
    expect(body.includes("<!--")).toBe(false);
    // plotlyScriptTag does not touch the session state.
    expect(isPlotlyInlined()).toBe(false);
  });

  test("the report's plotly.js: gzipped + base64, cartesian bundle ~0.66 MB, full ~2 MB, marks the page as a report", () => {
    const cart = plotlyReportTag({ cartesian: true });
    const full = plotlyReportTag({ cartesian: false });
    expect(cart.length).toBeLessThan(700_000);
    expect(full.length).toBeGreaterThan(1_500_000);
    expect(full.length).toBeLessThan(2_100_000);
    for (const tag of [cart, full]) {
      expect(libCount(tag)).toBe(1);
      expect(tag).toContain('new DecompressionStream("gzip")');
      expect(tag).toContain("window.__gradlabReport = true;");
      const body = tag.slice(tag.indexOf(">") + 1, tag.lastIndexOf("</script>"));
      expect(/<\/script|<!--/i.test(body)).toBe(false);
    }
    expect(cart).toMatch(/data-gradlab-plotly="4\.[\w.]+-cartesian-gzip"/);
  });

  test("live figure: updates stay small and never carry the library", () => {
    const fig = plot.live({ title: "loss", names: ["train", "val"] });
    expect(needsPlotlyLibrary(fig)).toBe(true);
    const first = bundle(fig)["text/html"];
    expect(libCount(first)).toBe(0);
    for (let epoch = 0; epoch < 5; epoch++) {
      const upd = bundle(fig.extend(epoch, [1 / (epoch + 1), 1.2 / (epoch + 1)]))["text/html"];
      expect(libCount(upd)).toBe(0);
      expect(upd.length).toBeLessThan(20_000);
    }
    expect(fig.data[0].y).toEqual([1, 0.5, 1 / 3, 0.25, 0.2]);
    expect(fig.data[1].x).toEqual([0, 1, 2, 3, 4]);
  });

  test("a dedicated loader output (kernel hook / plot.library()) is small and marked as the library", () => {
    const lib = plotlyLibraryBundle();
    expect(libCount(lib["text/html"] as string)).toBe(1);
    expect((lib["text/html"] as string).length).toBeLessThan(1500);
    expect(lib["text/plain"]).toMatch(/^plotly\.js 4\./);
    const fig = plot.live();
    expect(needsPlotlyLibrary(fig)).toBe(false);
    expect(libCount(bundle(fig)["text/html"])).toBe(0);
    expect(isPlotlyInlined()).toBe(true);
    expect(libCount(bundle(plot.library())["text/html"])).toBe(1);
  });

  test("each render has its own element id; the spec is JSON with NaN as null and no raw '<'", () => {
    const fig = plot.line([0, 1, 2], [1, NaN, 3], { title: "a </script> <b>" });
    const h1 = fig.toHTML();
    const h2 = fig.toHTML();
    const id = (h: string) => /id="(gl-fig-[^"]+)"/.exec(h)![1];
    expect(id(h1)).not.toBe(id(h2));
    const script = h1.slice(h1.lastIndexOf("<script"), h1.lastIndexOf("</script>"));
    expect(script).not.toContain("</script");
    expect(script).toContain('"y":[1,null,3]');
  });
});

describe("inputs", () => {
  test("NDArrays (also traced ones), typed arrays and plain arrays", () => {
    const traced = nd([1, 2, 3]);
    traced._box = { value: nd([1, 2, 3]), trace: { id: 1 }, node: null };
    const fig = plot.line(nd([0, 1, 2]), traced);
    fig.addLine(new Float32Array([0, 1, 2]), [3, 2, 1]);
    fig.addScatter([0, 1, 2], [nd([5], []), nd([6], []), 7]); // size-1 arrays inside a plain array (losses)
    expect(fig.data.map((t) => t.y)).toEqual([[1, 2, 3], [3, 2, 1], [5, 6, 7]]);
    expect(fig.data[0].x).toEqual([0, 1, 2]);
    // column vector shape (n, 1) is accepted as 1-d
    expect(plot.line(nd([4, 5], [2, 1])).data[0].y).toEqual([4, 5]);
  });

  test("y alone: x defaults to 0..n-1", () => {
    const fig = plot.line([3, 1, 2], { title: "t" });
    expect(fig.data[0].x).toEqual([0, 1, 2]);
    expect(fig.layout.title.text).toBe("t");
  });

  test("multiple series with names, or a 2-d NDArray's columns", () => {
    const fig = plot.line([0, 1, 2], [[1, 2, 3], nd([3, 2, 1])], { names: ["train", "val"], logy: true, xlabel: "epoch", ylabel: "loss" });
    expect(fig.data).toHaveLength(2);
    expect(fig.data.map((t) => t.name)).toEqual(["train", "val"]);
    expect(fig.layout.yaxis.type).toBe("log");
    expect(fig.layout.xaxis.title.text).toBe("epoch");
    expect(fig.spec().layout.showlegend).toBe(true);
    expect(String(fig)).toBe("Figure(line: 3 points, line: 3 points)");
    const cols = plot.line([0, 1, 2], nd([1, 10, 2, 20, 3, 30], [3, 2]));
    expect(cols.data.map((t) => t.y)).toEqual([[1, 2, 3], [10, 20, 30]]);
  });

  test("log axis ranges are given in data units", () => {
    const fig = plot.line([1, 10, 100], [1, 2, 3], { logx: true, xrange: [1, 1000] });
    expect(fig.layout.xaxis.type).toBe("log");
    expect(fig.layout.xaxis.range).toEqual([0, 3]);
  });

  test("mismatched x/y lengths: an error naming both lengths", () => {
    expect(() => plot.line([1, 2, 3, 4, 5], [1, 2, 3, 4])).toThrow(/x has 5 values but y has 4/);
    expect(() => plot.scatter(nd([1, 2, 3]), nd([1, 2]))).toThrow(/plot\.scatter: x has 3 values but y has 2/);
    expect(() => plot.line([1, 2, 3], [[1, 2, 3], [1, 2]], { names: ["a", "b"] })).toThrow(/y\[1\] \("b"\) has 2/);
    expect(() => plot.line([1, 2], [1, 2], { names: ["a", "b"] })).toThrow(/names has 2 entries but y holds 1 series/);
    const fig = plot.live();
    expect(() => fig.extend([1, 2, 3], [1, 2])).toThrow(/x has 3 values but y has 2/);
  });

  test("bad values: 2-d where 1-d is needed, complex, strings of garbage", () => {
    expect(() => plot.line(nd([1, 2, 3, 4], [2, 2]), [1, 2, 3, 4])).toThrow(/x must be 1-d, got an NDArray of shape \(2, 2\)/);
    expect(() => plot.line(nd([1, 0, 2, 0], [2], "complex128"))).toThrow(/complex.*np\.real/);
    expect(() => plot.line([1, 2], [1, { a: 1 }])).toThrow(/y\[1\] is an object/);
  });

  test("contour and heatmap: z as 2-d NDArray or nested array, x/y grids (also meshgrid)", () => {
    const xs = [0, 1, 2, 3];
    const ys = [0, 1, 2];
    const Z = nd(Array.from({ length: 12 }, (_, i) => i), [3, 4]);
    const c = plot.contour(xs, ys, Z, { title: "surface", levels: [2, 4, 6] });
    expect(c.data[0]).toMatchObject({ type: "contour", x: xs, y: ys, autocontour: false });
    expect(c.data[0].z).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(c.data[0].contours).toMatchObject({ start: 2, end: 6, size: 2 });
    expect(String(c)).toBe('Figure(contour: 3×4, "surface")');
    const X = nd([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [3, 4]);
    const Y = nd([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], [3, 4]);
    const h = plot.heatmap(X, Y, [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
    expect(h.data[0]).toMatchObject({ type: "heatmap", x: xs, y: ys });
    expect(plot.contour([[1, 2], [3, 4]]).data[0].x).toEqual([0, 1]);
    expect(() => plot.contour([0, 1, 2], ys, Z)).toThrow(/z has 4 columns but x has 3 values/);
    expect(() => plot.heatmap(xs, [0, 1], Z)).toThrow(/z has 3 rows but y has 2 values/);
    const logz = plot.contour([[1, 10], [100, 0]], { logz: true });
    expect(logz.data[0].z).toEqual([[0, 1], [2, null]]);
    expect(logz.notes().map((n) => n.text)).toEqual(["⚠ 1 z value ≤ 0 left blank (log z)"]);
  });

  test("a decision boundary: contour plus colored scatter", () => {
    const fig = plot
      .contour([0, 1], [0, 1], [[0.1, 0.6], [0.4, 0.9]], { levels: [0.5], lines: true })
      .addScatter([0.2, 0.8], [0.3, 0.7], { color: [0, 1], name: "data" });
    expect(fig.data[0].contours).toMatchObject({ coloring: "lines", start: 0.5, end: 0.5 });
    expect(fig.data[1].marker.color).toEqual([0, 1]);
    expect(() => plot.scatter([1, 2], [1, 2], { color: [1] })).toThrow(/color has 1 values but there are 2 points/);
  });
});

describe("notes: NaN and empty series are visible", () => {
  const noteTexts = (f: Figure) => (f.spec().layout.annotations as any[]).map((a) => a.text);

  test("NaN values are gaps, with a note counting them", () => {
    const fig = plot.line([0, 1, 2, 3, 4], [1, NaN, 3, NaN, 5], { title: "loss" });
    expect(noteTexts(fig)).toEqual(["⚠ 2 of 5 points are NaN (drawn as gaps)"]);
    expect(fig.data[0].connectgaps).toBe(false);
    expect(fig.toHTML()).toContain('"y":[1,null,3,null,5]');
    const inf = plot.line([0, 1], nd([Infinity, 1]));
    expect(noteTexts(inf)).toEqual(["⚠ 1 of 2 points is NaN/Inf (drawn as gaps)"]);
    const all = plot.scatter([0, 1], [NaN, NaN], { name: "acc" });
    expect(noteTexts(all)).toEqual(['⚠ all 2 points of "acc" are NaN: nothing drawn']);
  });

  test("empty series: a visible note, which disappears once points arrive", () => {
    const fig = plot.line([], [], { title: "loss" });
    expect(String(fig)).toBe('Figure(line: 0 points, "loss")');
    expect(noteTexts(fig)).toEqual(["empty series: no points yet"]);
    expect(fig.toHTML()).toContain("empty series: no points yet");
    fig.extend(0, 1.5);
    expect(noteTexts(fig)).toEqual([]);
    expect(noteTexts(plot.figure([]))).toEqual(["empty plot: no data"]);
    const two = plot.live({ names: ["train", "val"] }).extend(0, 1, { trace: "train" });
    expect(noteTexts(two)).toEqual(['⚠ "val": empty series']);
  });

  test("values hidden by a log axis are counted", () => {
    const fig = plot.line([1, 2, 3], [0, -1, 2], { logy: true });
    expect(noteTexts(fig)).toEqual(["⚠ 2 points ≤ 0 hidden by the log axis"]);
  });
});

describe("extend", () => {
  test("scalars, arrays, 0-d NDArrays, per-series, auto x, by name", () => {
    const fig = plot.live({ names: ["train", "val"] });
    fig.extend(0, [nd([1], []), nd([2], [])]);
    fig.extend([1, 2], [[0.5, 0.25], [1, 0.5]]);
    fig.extend(3, 0.1, { trace: "train" });
    fig.extend(0.4, { trace: "val" }); // auto x
    expect(fig.data[0].x).toEqual([0, 1, 2, 3]);
    expect(fig.data[0].y).toEqual([1, 0.5, 0.25, 0.1]);
    expect(fig.data[1].x).toEqual([0, 1, 2, 3]);
    expect(fig.data[1].y).toEqual([2, 1, 0.5, 0.4]);
    expect(() => fig.extend(4, [1, 2, 3])).toThrow(/values for 3 series but the figure has 2/);
    expect(() => fig.extend(4, 1, { trace: "test" })).toThrow(/no series "test"; the figure has series "train", "val"/);
    const raw = plot.figure([]).extend(0, 1).extend(1, 2);
    expect(raw.data[0]).toMatchObject({ x: [0, 1], y: [1, 2] });
  });
});

describe("subplots", () => {
  test("grid cells get their own axes, titles and scales", () => {
    const fig = plot.subplots(1, 2, { titles: ["loss", "accuracy"], title: "training" });
    fig.addLine([0, 1, 2], [3, 2, 1], { row: 1, col: 1, logy: true, xlabel: "epoch" });
    fig.addLine([0, 1, 2], [0.5, 0.7, 0.9], { row: 1, col: 2, ylabel: "acc" });
    expect(fig.data[0].xaxis).toBeUndefined();
    expect(fig.data[1]).toMatchObject({ xaxis: "x2", yaxis: "y2" });
    expect(fig.layout.yaxis.type).toBe("log");
    expect(fig.layout.yaxis2.title.text).toBe("acc");
    expect(fig.layout.xaxis2.domain[0]).toBeGreaterThan(fig.layout.xaxis.domain[1]);
    const ann = fig.spec().layout.annotations as any[];
    expect(ann.map((a) => a.text)).toEqual(["<b>loss</b>", "<b>accuracy</b>"]);
    expect(String(fig)).toBe('Figure(1×2 subplots, line: 3 points, line: 3 points, "training")');
    expect(() => fig.addLine([1], [1], { row: 2, col: 1 })).toThrow(/outside the 1×2 grid/);
    expect(() => plot.line([1], [1], { row: 1, col: 2 })).toThrow(/has no subplots/);
  });

  test("plot.grid lays existing figures out; empty cells get a note", () => {
    const a = plot.line([0, 1], [1, 0.5], { title: "a", logy: true });
    const b = plot.scatter([0, 1], [0, 1], { title: "b" });
    const g = plot.grid([a, b, plot.line([], [])], { cols: 2 });
    expect(g.subplots).toEqual({ rows: 2, cols: 2 });
    expect(g.data.map((t) => t.xaxis)).toEqual([undefined, "x2", "x3"]);
    expect(g.layout.yaxis.type).toBe("log");
    const texts = (g.spec().layout.annotations as any[]).map((x) => `${x.xref}:${x.text}`);
    expect(texts).toEqual(["x domain:<b>a</b>", "x2 domain:<b>b</b>", "x3 domain:empty series: no points yet", "x4 domain:empty plot: no data"]);
  });
});

test("console.log shows the summary", async () => {
  const { inspect } = await import("util");
  expect(inspect(plot.line([1, 2], [3, 4], { title: "t" }))).toBe('Figure(line: 2 points, "t")');
});

describe("print-friendly defaults", () => {
  test("log axes: a tick per decade (every k decades past ten), 1e-4 labels; short spans keep plotly's ticks", () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const wide = plot.line(x, x.map((i) => Math.pow(10, -i / 10)), { logy: true }).spec().layout.yaxis; // 4.9 decades
    expect(wide).toMatchObject({ type: "log", dtick: 1, exponentformat: "e" });
    const huge = plot.line(x, x.map((i) => Math.pow(10, -i / 2)), { logy: true }).spec().layout.yaxis; // 24.5 decades
    expect(huge.dtick).toBe(3);
    const short = plot.line(x, x.map((i) => 0.3 + i / 100), { logy: true }).spec().layout.yaxis;
    expect(short.dtick).toBeUndefined();
    const ranged = plot.line(x, x, { logx: true, xrange: [1e-3, 1e2] }).spec().layout.xaxis;
    expect(ranged.dtick).toBe(1);
    // linear axes: never SI prefixes
    expect(plot.line([1e-5, 2e-5]).spec().layout.yaxis.exponentformat).toBe("e");
  });

  test("legend outside the data area: beside the plot, or above it when a color bar takes that side", () => {
    const two = plot.line([0, 1], [[0, 1], [1, 0]], { names: ["a", "b"] }).spec().layout.legend;
    expect(two).toMatchObject({ x: 1.02, xanchor: "left", y: 1, yanchor: "top" });
    const regions = plot.contour([[0, 1], [1, 0]]).addScatter([0], [0], { name: "a" }).addScatter([1], [1], { name: "b" }).spec().layout;
    expect(regions.legend).toMatchObject({ orientation: "h", y: 1, yanchor: "bottom" });
    expect(regions.margin.t).toBeGreaterThanOrEqual(24 + 26);
    // a legend the layout places is left where it is
    const placed = plot.line([0, 1], [[0, 1], [1, 0]], { names: ["a", "b"] }).relayout({ legend: { x: 0.1, y: 0.9 } }).spec().layout.legend;
    expect(placed).toMatchObject({ x: 0.1, y: 0.9 });
    expect(placed.xanchor).toBeUndefined();
  });
});
