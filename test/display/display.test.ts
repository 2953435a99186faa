// lib/display without a kernel: NDArray tables and text, mime bundles, display() and its sink.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type DisplayRequest,
  type MimeBundle,
  display,
  html,
  markdown,
  mimeBundle,
  ndarrayFallbackRepr,
  ndarrayMimeBundle,
  ndarrayToHTML,
  setDisplaySink,
  textRepr,
} from "../../lib/display";

const arr = (values: number[], shape: number[], dtype = "float64") => ({
  data: dtype === "int32" ? Int32Array.from(values) : dtype === "bool" ? Uint8Array.from(values) : Float64Array.from(values),
  shape,
  dtype,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("NDArray HTML table", () => {
  it("has a caption with shape and dtype, and index headers", () => {
    const h = ndarrayToHTML(arr([0, 0.5, 1, 1.5, 2, 2.5], [2, 3]));
    expect(h).toContain("<table");
    expect(h).toMatch(/shape \(2, 3\) · float64/);
    expect(h).toContain(">0.5<");
    expect(h).toContain(">1. <"); // numpy pads to a common number of decimals
    expect((h.match(/<tr>/g) ?? []).length).toBe(3);
  });

  it("elides rows and columns of large arrays, numpy-like", () => {
    const h = ndarrayToHTML(arr(range(100 * 30), [100, 30]));
    expect(h).toContain("(100, 30)");
    expect((h.match(/<tr>/g) ?? []).length).toBe(1 + 7); // header + 3 + … + 3
    expect(h).toContain(">…<");
    expect(h).toContain(">99<"); // last row index
    expect(h).toContain(">29<"); // last column index
    expect(h).not.toContain(">50<");
  });

  it("renders 0-d, 1-d, 3-d, empty, bool, int and complex arrays", () => {
    expect(ndarrayToHTML(arr([3.5], []))).toContain(">3.5<");
    const one = ndarrayToHTML(arr([1, 2, 3], [3]));
    expect(one).toContain("(3,)");
    expect((one.match(/<tr>/g) ?? []).length).toBe(2);
    const three = ndarrayToHTML(arr(range(24), [2, 3, 4], "int32"));
    expect(three).toContain("[0, :, :]");
    expect(three).toContain("[1, :, :]");
    expect(three).toContain(">23<");
    expect(ndarrayToHTML(arr([], [0, 3]))).toContain("(empty)");
    expect(ndarrayToHTML(arr([1, 0], [2], "bool"))).toContain(">True<");
    const c = { data: Float64Array.from([1, 2, 3, -0.5]), shape: [2], dtype: "complex128" };
    expect(ndarrayToHTML(c)).toContain("1.+2.j");
  });

  it("escapes nothing it should not, and marks traced values", () => {
    const h = ndarrayToHTML({ ...arr([1], [1]), _box: {} });
    expect(h).toContain("traced");
  });
});

describe("NDArray text", () => {
  it("follows numpy's repr", () => {
    expect(ndarrayFallbackRepr(arr([0, 0.5, 1, 1.5], [2, 2]))).toBe("array([[0. , 0.5],\n       [1. , 1.5]])");
    expect(ndarrayFallbackRepr(arr([1e-5, 1, 2.5], [3]))).toBe("array([1.0e-05, 1.0e+00, 2.5e+00])");
    expect(ndarrayFallbackRepr(arr([1, 2], [2], "int32"))).toBe("array([1, 2], dtype=int32)");
    expect(ndarrayFallbackRepr(arr([NaN, -Infinity], [2]))).toBe("array([ nan, -inf])");
    expect(ndarrayFallbackRepr(arr(range(2000), [2000]))).toContain("...");
  });

  it("prefers the array's own toString", () => {
    const x = { ...arr([1], [1]), toString: () => "array([1.])!" };
    expect(ndarrayMimeBundle(x)["text/plain"]).toBe("array([1.])!");
  });
});

describe("mimeBundle", () => {
  it("uses Symbol.for('Jupyter.display') and always adds text/plain", async () => {
    const fancy = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>" }) };
    const b = mimeBundle(fancy) as MimeBundle;
    expect(b["text/html"]).toBe("<b>x</b>");
    expect(typeof b["text/plain"]).toBe("string");
    const later = { [Symbol.for("Jupyter.display")]: async () => ({ "text/markdown": "*x*" }) };
    const p = await mimeBundle(later);
    expect(p["text/markdown"]).toBe("*x*");
    expect(typeof p["text/plain"]).toBe("string");
  });

  it("gives text/plain for numbers, strings and containers (arrays inside shown as repr)", () => {
    expect(mimeBundle(3)).toEqual({ "text/plain": "3" });
    expect(mimeBundle("s")).toEqual({ "text/plain": "'s'" });
    expect(textRepr({ a: [1, 2], x: arr([1, 2], [2]) })).toContain("x: array([1., 2.])");
  });

  it("gives an NDArray its table", () => {
    const b = mimeBundle(arr([1, 2], [2])) as MimeBundle;
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
  });
});

describe("display()", () => {
  afterEach(() => {
    setDisplaySink(null);
  });

  it("sends bundles to the sink and updates in place under the same id", () => {
    const sent: Array<[MimeBundle, DisplayRequest]> = [];
    setDisplaySink({ send: (b, r) => sent.push([b, r]) });
    const h = display(html("<p>a</p>"));
    h.update(markdown("b"));
    h.update(5);
    expect(sent.map(([, r]) => r.update)).toEqual([false, true, true]);
    expect(new Set(sent.map(([, r]) => r.displayId)).size).toBe(1);
    expect(sent[0][1].displayId).toBe(h.displayId);
    expect(sent[1][0]).toEqual({ "text/markdown": "b", "text/plain": "b" });
    expect(sent[2][0]).toEqual({ "text/plain": "5" });
  });

  it("calls the sink's beforeNew hook before each new output, never for updates", () => {
    const events: string[] = [];
    setDisplaySink({
      send: (b, r) => events.push(`${r.update ? "update" : "display"} ${b["text/plain"]}`),
      beforeNew: (obj) => events.push(`before ${String(obj)}`),
    });
    const h = display("a");
    h.update("b");
    h.display("c");
    expect(events).toEqual(["before a", "display 'a'", "update 'b'", "before c", "display 'c'"]);
  });

  it("keeps the order of asynchronous bundles", async () => {
    const sent: string[] = [];
    setDisplaySink({ send: (b) => sent.push(b["text/plain"]) });
    const slow = { [Symbol.for("Jupyter.display")]: () => new Promise((r) => setTimeout(() => r({ "text/plain": "slow" }), 20)) };
    const h = display(slow);
    h.update("fast");
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual(["slow", "'fast'"]);
  });

  it("prints text/plain outside a kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    display(arr([1, 2], [2]));
    expect(log).toHaveBeenCalledWith("array([1., 2.])");
    log.mockRestore();
  });
});
