import { describe, expect, test } from "vitest";
import {
  GraphFigure,
  type GraphNodeRecord,
  type GraphRecord,
  collapseGraph,
  formatNumber,
  layoutGraph,
  renderGraphSvg,
  summarize,
} from "../../lib/graph";

const DISPLAY = Symbol.for("Jupyter.display");

function nd(values: number[], shape: number[] = [values.length], dtype = "float64") {
  return { data: Float64Array.from(values), shape, dtype };
}

const s = (v: number) => summarize(v);

/** f(x, y) = sin(x * y) + x * 2, at x = 0.5, y = [1, 2, 3], with gradients. */
export function smallRecord(): GraphRecord {
  const nodes: GraphNodeRecord[] = [
    { id: 0, op: "input", kind: "input", label: "x", value: s(0.5), grad: s(2.9), parents: [] },
    { id: 1, op: "input", kind: "input", label: "y", value: summarize(nd([1, 2, 3])), grad: summarize(nd([0.44, 0.27, 0.035])), parents: [] },
    { id: 2, op: "multiply", kind: "op", value: summarize(nd([0.5, 1, 1.5])), grad: summarize(nd([0.878, 0.54, 0.0707])), parents: [0, 1] },
    { id: 3, op: "sin", kind: "op", value: summarize(nd([0.479, 0.841, 0.997])), grad: summarize(nd([1, 1, 1])), parents: [2] },
    { id: 4, op: "sum", kind: "op", value: s(2.317), grad: s(1), parents: [3] },
    { id: 5, op: "constant", kind: "constant", label: "2", value: s(2), parents: [] },
    { id: 6, op: "multiply", kind: "op", value: s(1), grad: s(1), parents: [0, 5] },
    { id: 7, op: "add", kind: "output", value: s(3.317), grad: s(1), parents: [4, 6] },
  ];
  return { nodes, outputId: 7 };
}

/** x → n unary ops (tanh, multiply by a constant, ...) → sum. */
function chainRecord(n: number): GraphRecord {
  const nodes: GraphNodeRecord[] = [{ id: 0, op: "input", kind: "input", label: "x", value: s(1), grad: s(0.1), parents: [] }];
  for (let i = 1; i <= n; i++) {
    nodes.push({ id: i, op: i % 2 ? "tanh" : "multiply", kind: i === n ? "output" : "op", value: s(1 / i), grad: s(0.5), parents: [i - 1] });
  }
  return { nodes, outputId: n };
}

const rectOf = (svg: string, id: number) => {
  const m = new RegExp(`data-node-id="${id}"[^>]*>(?:<title>[^<]*</title>)?<rect x="([\\d.-]+)" y="([\\d.-]+)" width="([\\d.]+)" height="([\\d.]+)"`).exec(svg);
  if (!m) throw new Error(`node ${id} not found`);
  return { x: +m[1], y: +m[2], width: +m[3], height: +m[4] };
};
const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe("summarize", () => {
  test("scalars, arrays, shapes and dtypes", () => {
    expect(summarize(Math.PI)).toEqual({ shape: [], dtype: "float64", preview: "3.1416" });
    expect(summarize(nd([Math.PI], []))).toEqual({ shape: [], dtype: "float64", preview: "3.1416" });
    expect(summarize(nd([0.1, 0.2, 0.3]))).toEqual({ shape: [3], dtype: "float64", preview: "[0.1, 0.2, 0.3]" });
    const long = summarize(nd(Array.from({ length: 100 }, (_, i) => i / 10)));
    expect(long.shape).toEqual([100]);
    expect(long.preview).toBe("[0, 0.1, 0.2, 0.3, 0.4, 0.5, …]");
    const m = summarize(nd([1.5, 2.25, 3, 4, 5, 6], [2, 3]));
    expect(m.preview).toBe("[[1.5, 2.25, 3], [4, 5, 6]]");
    const big = summarize(nd(Array.from({ length: 400 }, (_, i) => i * 1.001), [20, 20]));
    expect(big.preview.length).toBeLessThanOrEqual(36);
    expect(big.preview.startsWith("[[0, 1.001")).toBe(true);
    expect(summarize({ data: new Int32Array([1, 2]), shape: [2], dtype: "int32" }).dtype).toBe("int32");
    expect(summarize({ data: new Uint8Array([1, 0]), shape: [2], dtype: "bool" }).preview).toBe("[true, false]");
    expect(summarize({ data: new Float64Array([1, -2]), shape: [], dtype: "complex128" }).preview).toBe("1-2j");
    expect(summarize([[1, 2], [3, 4]])).toEqual({ shape: [2, 2], dtype: "float64", preview: "[[1, 2], [3, 4]]" });
    expect(summarize({ w: nd([1, 2, 3, 4], [2, 2]), b: nd([0, 0]) }).preview).toBe("{w: (2, 2), b: (2,)}");
    expect(summarize(nd([], [0])).preview).toBe("[]");
  });

  test("number formatting", () => {
    expect([0.1, 42, -0, NaN, Infinity, -Infinity, 1e-7, 123456789.5, 1e8, 0.000123456, 2.5e-5].map(formatNumber)).toEqual([
      "0.1", "42", "-0", "nan", "inf", "-inf", "1e-7", "1.235e+8", "1e+8", "0.00012346", "2.5e-5",
    ]);
  });
});

describe("graph SVG", () => {
  test("standalone svg: viewBox, size, one box per node, edges with arrowheads, no external refs", () => {
    const rec = smallRecord();
    const svg = renderGraphSvg(rec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+" width="\d+" height="\d+"/);
    expect(count(svg, /<g class="gl-node /g)).toBe(rec.nodes.length);
    expect(count(svg, /class="gl-edge"/g)).toBe(8);
    expect(count(svg, /marker-end="url\(#gl-graph-[\w-]+-arrow\)"/g)).toBe(8);
    expect(svg).toContain("<style>");
    expect(svg).not.toMatch(/href=|url\((?!#)|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    // inputs and output are marked, constants too
    expect(count(svg, /class="gl-node gl-input"/g)).toBe(2);
    expect(count(svg, /class="gl-node gl-output"/g)).toBe(1);
    expect(count(svg, /class="gl-node gl-constant"/g)).toBe(1);
    // op name bold, value line, grad line in another color
    expect(svg).toContain('<tspan font-weight="bold">multiply</tspan>');
    expect(svg).toContain("<tspan>[0.5, 1, 1.5]</tspan>");
    expect(svg).toMatch(/<tspan fill="#c2410c" font-weight="bold">\[0\.878, 0\.54, 0\.0707\]<\/tspan>/);
    expect(svg).toContain("→ output");
  });

  test("dagre lays it out top to bottom: every child below its parents", () => {
    const rec = smallRecord();
    const svg = renderGraphSvg(rec);
    for (const n of rec.nodes) {
      for (const p of n.parents) {
        const child = rectOf(svg, n.id);
        const parent = rectOf(svg, p);
        expect(child.y).toBeGreaterThan(parent.y + parent.height);
      }
    }
    const L = layoutGraph(rec);
    expect(L.boxes.get("n7")!.y).toBeGreaterThan(L.boxes.get("n4")!.y);
    // boxes are wide enough for their text (monospace estimate)
    expect(L.boxes.get("n2")!.width).toBeGreaterThan("value [0.5, 1, 1.5] (3,)".length * 7);
  });

  test("x * x: a repeated argument is one edge labelled ×2", () => {
    const rec: GraphRecord = {
      nodes: [
        { id: 1, op: "input", kind: "input", label: "x", value: s(3), grad: s(6), parents: [] },
        { id: 2, op: "multiply", kind: "output", value: s(9), grad: s(1), parents: [1, 1] },
      ],
      outputId: 2,
    };
    const svg = renderGraphSvg(rec);
    expect(count(svg, /class="gl-edge"/g)).toBe(1);
    expect(svg).toContain(">×2</text>");
    expect(svg).toContain("<title>argument 0, 1</title>");
  });

  test("an error record renders a box with the message and the line", () => {
    const rec = smallRecord();
    rec.nodes = rec.nodes.slice(0, 3);
    rec.error = { message: "ShapeError: multiply: shapes (3,) and (4,) cannot be broadcast", line: "  const z = np.multiply(x, w);" };
    const svg = renderGraphSvg(rec);
    expect(svg).toContain('<g class="gl-error">');
    expect(svg).toContain("✖ Error: ShapeError: multiply: shapes (3,) and (4,) cannot be broadcast");
    expect(svg).toContain("at: const z = np.multiply(x, w);");
    expect(count(svg, /<g class="gl-node /g)).toBe(3);
    const only = renderGraphSvg({ nodes: [], outputId: -1, error: { message: "boom" } });
    expect(only).toContain("✖ Error: boom");
    expect(renderGraphSvg({ nodes: [], outputId: -1 })).toContain("empty graph: no operations were recorded");
  });

  test("text is escaped", () => {
    const rec: GraphRecord = {
      nodes: [{ id: 0, op: "<script>", kind: "output", label: 'a&"b', value: { shape: [], dtype: "float64", preview: "<1>" }, parents: [] }],
      outputId: 0,
    };
    const svg = renderGraphSvg(rec);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("a&amp;&quot;b");
  });

  test("two renders have distinct ids (several graphs on one page)", () => {
    const a = renderGraphSvg(smallRecord());
    const b = renderGraphSvg(smallRecord());
    const id = (x: string) => /id="(gl-graph-[^"]+)"/.exec(x)![1];
    expect(id(a)).not.toBe(id(b));
  });
});

describe("elision of large graphs", () => {
  test("below the threshold everything is drawn", () => {
    const svg = renderGraphSvg(chainRecord(120));
    expect(count(svg, /<g class="gl-node /g)).toBe(121);
    expect(svg).not.toContain("elided");
  });

  test("a 300-node chain keeps inputs, output and their neighbourhoods, and elides the middle", () => {
    const rec = chainRecord(299);
    const view = collapseGraph(rec);
    expect(rec.nodes).toHaveLength(300);
    const kept = view.nodes.filter((v) => v.node).map((v) => v.node!.id);
    expect(kept).toHaveLength(50);
    expect(kept).toContain(0);
    expect(kept).toContain(299);
    expect(kept).toContain(1);
    expect(kept).toContain(298);
    const ell = view.nodes.filter((v) => v.elided);
    expect(ell).toHaveLength(1);
    expect(ell[0].elided!.count).toBe(250);
    expect(view.elided).toBe(250);
    // edges go into and out of the ellipsis
    expect(view.edges.filter((e) => e.to === ell[0].key)).toHaveLength(1);
    expect(view.edges.filter((e) => e.from === ell[0].key)).toHaveLength(1);
    const svg = renderGraphSvg(rec);
    expect(count(svg, /<g class="gl-node /g)).toBe(51);
    expect(svg).toContain("… 250 nodes elided …");
    expect(svg).toMatch(/(tanh|multiply) ×125, (tanh|multiply) ×125/);
    const L = layoutGraph(rec);
    expect(L.height).toBeLessThan(51 * 95);
  });

  test("many parallel branches: elided branches merge into one ellipsis", () => {
    const nodes: GraphNodeRecord[] = [{ id: 0, op: "input", kind: "input", label: "x", value: s(1), parents: [] }];
    const branches: number[] = [];
    for (let i = 1; i <= 200; i++) {
      nodes.push({ id: 2 * i - 1, op: "constant", kind: "constant", value: s(i), parents: [] });
      nodes.push({ id: 2 * i, op: "multiply", kind: "op", value: s(i), parents: [0, 2 * i - 1] });
      branches.push(2 * i);
    }
    nodes.push({ id: 1000, op: "add_n", kind: "output", value: s(20100), parents: branches });
    const view = collapseGraph({ nodes, outputId: 1000 }, { maxNodes: 100 });
    const ell = view.nodes.filter((v) => v.elided);
    expect(ell.length).toBeGreaterThanOrEqual(1);
    expect(ell.length).toBeLessThanOrEqual(8);
    expect(view.nodes.length).toBeLessThan(130);
    const svg = renderGraphSvg({ nodes, outputId: 1000 }, { maxNodes: 100 });
    expect(svg).toContain("nodes elided");
  });

  test("thresholds are options", () => {
    const view = collapseGraph(chainRecord(60), { maxNodes: 40, keepNodes: 10 });
    expect(view.nodes.filter((v) => v.node)).toHaveLength(10);
    expect(view.elided).toBe(51);
  });
});

describe("GraphFigure", () => {
  test("display bundle: scrollable div with the svg (whole and page-wide in print), the svg alone, text/plain summary", () => {
    const fig = new GraphFigure(smallRecord());
    const b = (fig as any)[DISPLAY]();
    expect(b["text/html"]).toMatch(/<div class="gradlab-graph" style="overflow:auto;max-height:640px;/);
    expect(b["text/html"]).toMatch(/@media print \{ \.gradlab-graph \{ max-height: none !important; overflow: visible !important; \}/);
    expect(b["image/svg+xml"]).toMatch(/^<svg [^>]*class="gradlab-graph-svg"[\s\S]*class="gl-node[\s\S]*<\/svg>$/);
    expect(b["text/html"]).toContain("<svg ");
    expect(b["text/plain"]).toBe("Graph(8 nodes: 2 inputs, 5 ops, 1 constant; output add = 3.317; grads on 7 nodes)");
    const big = new GraphFigure(chainRecord(299));
    expect(String(big)).toContain("250 elided in the drawing");
    const err = new GraphFigure({ nodes: [], outputId: 0, error: { message: "boom" } });
    expect(String(err)).toBe("Graph(0 nodes; error: boom)");
  });
});
