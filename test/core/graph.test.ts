import { describe, expect, it } from "vitest";
import { type NDArray, np, traceGraph } from "../../lib/index";

describe("traceGraph", () => {
  it("records primitives, forward values and gradients", () => {
    const f = (x: NDArray) => np.multiply(np.sin(x), 2);
    const fig = traceGraph(f)(0.5);
    const { nodes, outputId } = fig.record;
    const ops = nodes.map((n) => n.op);
    expect(ops).toEqual(["input", "sin", "constant", "multiply"]);
    const out = nodes.find((n) => n.id === outputId)!;
    expect(out.kind).toBe("output");
    expect(Number(out.value.preview)).toBeCloseTo(2 * Math.sin(0.5), 3);
    const input = nodes[0];
    expect(Number(input.grad!.preview)).toBeCloseTo(2 * Math.cos(0.5), 3);
    expect(out.parents).toEqual([1, 2]);
    const bundle = (fig as any)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/html"]).toContain("<svg");
    expect(bundle["text/plain"]).toMatch(/^Graph\(/);
  });
  it("a function that throws shows the error", () => {
    const fig = traceGraph((x: NDArray) => np.add(x, np.ones([3])))(np.ones([2]));
    expect(fig.record.error!.message).toMatch(/ShapeError: np\.add.*\(2,\).*\(3,\)/);
    expect(fig.toHTML()).toContain("ShapeError");
    expect(fig.record.error!.line).toMatch(/graph\.test\.ts/);
    // what was recorded before the error is still drawn
    const partial = traceGraph((x: NDArray) => np.add(np.sin(x), np.ones([3])))(np.ones([2]));
    expect(partial.record.nodes.map((n) => n.op)).toEqual(["input", "sin"]);
  });
  it("containers as inputs get their paths as labels", () => {
    const fig = traceGraph((p: { w: NDArray; b: NDArray }) => np.sum(np.add(p.w, p.b)))({ w: np.ones([2]), b: np.zeros([2]) });
    expect(fig.record.nodes.filter((n) => n.kind === "input").map((n) => n.label)).toEqual(["p.b", "p.w"]);
    const two = traceGraph(function loss(weights: NDArray, bias: NDArray) { return np.sum(np.add(weights, bias)); })(np.ones([2]), 1);
    expect(two.record.nodes.filter((n) => n.kind === "input").map((n) => n.label)).toEqual(["weights", "bias"]);
  });
});
