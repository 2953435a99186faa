// np.fft: values against numpy (when python3 with numpy is on PATH), closed forms, gradients in both modes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NDArray, ValueError, checkGrads, grad, makeJvp, makeVjp, np } from "../../lib/index";
import { type PyArray, pyEval, pythonHas, relErr, toPy } from "./python";

const hasNumpy = pythonHas("python3", ["numpy"]);
if (!hasNumpy) console.log("test/fft: skipping numpy comparisons: `python3 -c 'import numpy'` failed (python3 with numpy not on PATH)");

/** Deterministic pseudo-random arrays. */
function rand(shape: number[], seed: number, complex = false): NDArray {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(complex ? 2 * n : n).map(() => next());
  return new NDArray(data, shape, complex ? "complex128" : "float64");
}

const check2 = (f: (...a: any[]) => any, ...args: any[]) => checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args);

describe("np.fft values against numpy", () => {
  it.skipIf(!hasNumpy)("1-d transforms, every length 1..40 and some large/prime lengths, all norms", () => {
    const cases: [string, Record<string, unknown>][] = [];
    const ours: NDArray[] = [];
    const lengths = [...Array.from({ length: 40 }, (_, i) => i + 1), 64, 67, 97, 100, 127, 128, 210, 243, 1000, 1009, 2048, 4099];
    for (const n of lengths) {
      const xr = rand([n], n), xc = rand([n], 1000 + n, true);
      for (const norm of ["backward", "ortho", "forward"] as const) {
        ours.push(np.fft.fft(xr, null, -1, norm)); cases.push([`np.fft.fft(x, norm='${norm}')`, { x: toPy(xr) }]);
        ours.push(np.fft.fft(xc, { norm })); cases.push([`np.fft.fft(x, norm='${norm}')`, { x: toPy(xc) }]);
        ours.push(np.fft.ifft(xc, { norm })); cases.push([`np.fft.ifft(x, norm='${norm}')`, { x: toPy(xc) }]);
        ours.push(np.fft.rfft(xr, { norm })); cases.push([`np.fft.rfft(x, norm='${norm}')`, { x: toPy(xr) }]);
        if (n > 1) { ours.push(np.fft.irfft(xc, { norm })); cases.push([`np.fft.irfft(x, norm='${norm}')`, { x: toPy(xc) }]); }
        ours.push(np.fft.irfft(xc, 2 * n - 1, -1, norm)); cases.push([`np.fft.irfft(x, ${2 * n - 1}, norm='${norm}')`, { x: toPy(xc) }]);
        if (n > 1) { ours.push(np.fft.hfft(xc, { norm })); cases.push([`np.fft.hfft(x, norm='${norm}')`, { x: toPy(xc) }]); }
        ours.push(np.fft.ihfft(xr, { norm })); cases.push([`np.fft.ihfft(x, norm='${norm}')`, { x: toPy(xr) }]);
      }
    }
    const refs = pyEval("python3", cases);
    let worst = 0;
    refs.forEach((r, i) => {
      if ("error" in r) throw new Error(`${cases[i][0]}: numpy raised ${r.error}`);
      const e = relErr(ours[i], r as PyArray);
      if (e > 1e-12) throw new Error(`${cases[i][0]} (n=${(cases[i][1].x as PyArray).shape}): relative error ${e}`);
      worst = Math.max(worst, e);
    });
    expect(worst).toBeLessThan(1e-12);
  });

  it.skipIf(!hasNumpy)("n padding/truncation, axis, multi-axis transforms, s/axes, shifts, frequencies", () => {
    const x3 = rand([3, 4, 5], 7), c3 = rand([3, 4, 5], 8, true), c6 = rand([4, 6], 9, true);
    const list: [NDArray, string, Record<string, unknown>][] = [
      [np.fft.fft(x3, 7, 1), "np.fft.fft(x, 7, 1)", { x: toPy(x3) }],
      [np.fft.fft(c3, 3, 0, "ortho"), "np.fft.fft(x, 3, 0, 'ortho')", { x: toPy(c3) }],
      [np.fft.ifft(c3, { n: 2, axis: -2 }), "np.fft.ifft(x, 2, -2)", { x: toPy(c3) }],
      [np.fft.rfft(x3, 8, 0), "np.fft.rfft(x, 8, 0)", { x: toPy(x3) }],
      [np.fft.rfft(x3, 3), "np.fft.rfft(x, 3)", { x: toPy(x3) }],
      [np.fft.irfft(c3, 4, 1, "forward"), "np.fft.irfft(x, 4, 1, 'forward')", { x: toPy(c3) }],
      [np.fft.irfft(c3, 11), "np.fft.irfft(x, 11)", { x: toPy(c3) }],
      [np.fft.fft2(c3), "np.fft.fft2(x)", { x: toPy(c3) }],
      [np.fft.ifft2(c3, [5, 3]), "np.fft.ifft2(x, (5, 3))", { x: toPy(c3) }],
      [np.fft.fftn(x3), "np.fft.fftn(x)", { x: toPy(x3) }],
      [np.fft.fftn(c3, [2, 6], [2, 0], "ortho"), "np.fft.fftn(x, (2, 6), (2, 0), 'ortho')", { x: toPy(c3) }],
      [np.fft.fftn(c3, { axes: [1, 1] }), "np.fft.fftn(x, axes=(1, 1))", { x: toPy(c3) }],
      [np.fft.fftn(c3, { s: [-1, 7], axes: [0, 2] }), "np.fft.fftn(x, s=(-1, 7), axes=(0, 2))", { x: toPy(c3) }],
      [np.fft.ifftn(c3, null, [0, 2], "forward"), "np.fft.ifftn(x, None, (0, 2), 'forward')", { x: toPy(c3) }],
      [np.fft.rfftn(x3), "np.fft.rfftn(x)", { x: toPy(x3) }],
      [np.fft.rfftn(x3, [4, 4], [0, 2]), "np.fft.rfftn(x, (4, 4), (0, 2))", { x: toPy(x3) }],
      [np.fft.rfft2(x3, null, [2, 1]), "np.fft.rfft2(x, None, (2, 1))", { x: toPy(x3) }],
      [np.fft.irfftn(c3), "np.fft.irfftn(x)", { x: toPy(c3) }],
      [np.fft.irfftn(c3, [3, 5, 9]), "np.fft.irfftn(x, (3, 5, 9))", { x: toPy(c3) }],
      [np.fft.irfft2(c6, { s: [5, 7], norm: "ortho" }), "np.fft.irfft2(x, s=(5, 7), norm='ortho')", { x: toPy(c6) }],
      [np.fft.irfft2(c6), "np.fft.irfft2(x)", { x: toPy(c6) }],
      [np.fft.fftshift(x3), "np.fft.fftshift(x)", { x: toPy(x3) }],
      [np.fft.fftshift(c3, 1), "np.fft.fftshift(x, 1)", { x: toPy(c3) }],
      [np.fft.ifftshift(x3, [0, 2]), "np.fft.ifftshift(x, (0, 2))", { x: toPy(x3) }],
      [np.fft.ifftshift(np.fft.fftshift(x3)), "x", { x: toPy(x3) }],
      [np.fft.fftfreq(9, 0.25), "np.fft.fftfreq(9, 0.25)", {}],
      [np.fft.fftfreq(10), "np.fft.fftfreq(10)", {}],
      [np.fft.rfftfreq(9, 0.5), "np.fft.rfftfreq(9, 0.5)", {}],
      [np.fft.rfftfreq(10), "np.fft.rfftfreq(10)", {}],
      [np.fft.fft(np.array([[1, 2, 3]], "int32")), "np.fft.fft(np.array([[1, 2, 3]]))", {}],
    ];
    const refs = pyEval("python3", list.map(([, e, env]) => [e, env]));
    refs.forEach((r, i) => {
      if ("error" in r) throw new Error(`${list[i][1]}: numpy raised ${r.error}`);
      const e = relErr(list[i][0], r as PyArray);
      if (!(e < 1e-13)) throw new Error(`${list[i][1]}: relative error ${e}`);
    });
  });
});

describe("np.fft closed forms and errors", () => {
  it("known transforms without numpy", () => {
    expect(np.fft.fft([1, 0, 0, 0]).tolist()).toEqual([1, 1, 1, 1].map((re) => ({ re, im: 0 })));
    const y = np.fft.fft([0, 1, 0]).tolist() as { re: number; im: number }[];
    expect(y[1].re).toBeCloseTo(-0.5, 15);
    expect(y[1].im).toBeCloseTo(-Math.sqrt(3) / 2, 15);
    expect(np.fft.rfft([1, 2, 3, 4]).tolist()).toEqual([{ re: 10, im: 0 }, { re: -2, im: 2 }, { re: -2, im: 0 }]);
    expect(np.fft.irfft([10, { re: -2, im: 2 }, -2]).tolist()).toEqual([1, 2, 3, 4]);
    expect(np.fft.fftfreq(4).tolist()).toEqual([0, 0.25, -0.5, -0.25]);
    expect(np.fft.fftshift([0, 1, 2, 3, 4]).tolist()).toEqual([3, 4, 0, 1, 2]);
    expect(np.fft.ifftshift([3, 4, 0, 1, 2]).tolist()).toEqual([0, 1, 2, 3, 4]);
    // round trips for assorted lengths (radix-2, mixed radix, Bluestein)
    for (const n of [1, 6, 16, 45, 97, 131, 1024]) {
      const x = rand([n], n, true);
      expect(relErr(np.fft.ifft(np.fft.fft(x)), toPy(x) as PyArray)).toBeLessThan(1e-13);
      const r = rand([2, n], n);
      expect(relErr(np.fft.irfft(np.fft.rfft(r), n), toPy(r) as PyArray)).toBeLessThan(1e-13);
    }
  });

  it("errors name the function and the argument", () => {
    expect(() => np.fft.fft([1, 2], 0)).toThrow(ValueError);
    expect(() => np.fft.fft([1, 2], 0)).toThrow(/np\.fft\.fft: Invalid number of FFT data points \(0\)/);
    expect(() => np.fft.fft([1, 2], null, 1)).toThrow(/np\.fft\.fft: axis 1 is out of bounds for array of dimension 1/);
    expect(() => np.fft.fft([1, 2], { norm: "none" as any })).toThrow(/Invalid norm value "none"; should be "backward", "ortho" or "forward"/);
    expect(() => np.fft.fft([1, 2], { n: 2, bad: 1 } as any)).toThrow(/np\.fft\.fft: unknown option 'bad'/);
    expect(() => np.fft.fft(3)).toThrow(/np\.fft\.fft: expected an array with at least one dimension/);
    expect(() => np.fft.irfft([1])).toThrow(/np\.fft\.irfft: Invalid number of FFT data points \(0\)/);
    expect(() => np.fft.rfft([{ re: 1, im: 1 }])).toThrow(/np\.fft\.rfft: the input must be real/);
    expect(() => np.fft.fftn(np.ones([2, 3]), [2, 3], [0])).toThrow(/np\.fft\.fftn: Shape and axes have different lengths/);
    expect(() => np.fft.fftn(np.ones([2, 3]), [2, 3, 4])).toThrow(/axis -3 is out of bounds/);
    expect(() => np.fft.fftfreq(-1)).toThrow(/np\.fft\.fftfreq: n should be a non-negative integer/);
  });
});

describe("np.fft gradients", () => {
  // second-order checks of linear maps have constant first derivatives: silence the one-time warning
  beforeAll(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));
  afterAll(() => vi.restoreAllMocks());

  it("Parseval: grad of Σ|fft(z)|² is 2n·conj(z) under autograd's convention (2n·x for real x)", () => {
    const n = 6;
    const xr = rand([n], 3);
    const gr = grad((x: NDArray) => np.sum(np.square(np.abs(np.fft.fft(x)))))(xr);
    expect(relErr(gr, toPy(np.multiply(xr, 2 * n)) as PyArray)).toBeLessThan(1e-13);
    const xc = rand([n], 4, true);
    const gc = grad((x: NDArray) => np.sum(np.square(np.abs(np.fft.fft(x)))))(xc);
    expect(relErr(gc, toPy(np.multiply(np.conj(xc), 2 * n)) as PyArray)).toBeLessThan(1e-13);
  });

  it("VJP of fft is the same transform of the cotangent (no conjugation); JVP is the transform of the tangent", () => {
    const x = rand([5], 11, true), g = rand([5], 12, true);
    const [vjp] = makeVjp((z: NDArray) => np.fft.fft(z))(x);
    expect(relErr(vjp(g), toPy(np.fft.fft(g)) as PyArray)).toBeLessThan(1e-14);
    const [, jv] = makeJvp((z: NDArray) => np.fft.fft(z, 8, -1, "ortho"))(x)(g);
    expect(relErr(jv, toPy(np.fft.fft(g, 8, -1, "ortho")) as PyArray)).toBeLessThan(1e-14);
  });

  const xr = rand([2, 6], 21), xo = rand([2, 7], 22), xc = rand([2, 5], 23, true), x3 = rand([2, 3, 4], 24);
  const nonlin = (y: NDArray) => np.sum(np.square(np.abs(np.multiply(y, y))));

  it("fft / ifft: real and complex inputs, padding, truncation, axes, norms", () => {
    for (const x of [xr, xc]) {
      check2((z: NDArray) => np.fft.fft(z), x);
      check2((z: NDArray) => np.fft.ifft(z, 9, 1, "ortho"), x);
      check2((z: NDArray) => np.fft.fft(z, 3, 1, "forward"), x);
      check2((z: NDArray) => np.fft.fft(z, { axis: 0, n: 3 }), x);
      check2((z: NDArray) => nonlin(np.fft.fft(np.multiply(z, z), 8)), x);
      check2((z: NDArray) => nonlin(np.fft.ifft(np.sin(z), 4)), x);
    }
  });

  it("rfft / irfft: Hermitian packing with even and odd lengths, padding and truncation", () => {
    for (const x of [xr, xo]) {
      check2((z: NDArray) => np.fft.rfft(z), x);
      check2((z: NDArray) => np.fft.rfft(z, 9, 1, "ortho"), x);
      check2((z: NDArray) => np.fft.rfft(z, 4, -1, "forward"), x);
      check2((z: NDArray) => np.fft.rfft(z, { axis: 0 }), x);
      check2((z: NDArray) => nonlin(np.fft.rfft(np.multiply(z, z))), x);
    }
    for (const c of [xc, rand([2, 4], 31, true)]) {
      check2((z: NDArray) => np.fft.irfft(z), c);
      check2((z: NDArray) => np.fft.irfft(z, 7), c);
      check2((z: NDArray) => np.fft.irfft(z, 12, 1, "ortho"), c);
      check2((z: NDArray) => np.fft.irfft(z, 4, -1, "forward"), c);
      check2((z: NDArray) => np.fft.irfft(z, { n: 3, axis: 0 }), c);
      check2((z: NDArray) => nonlin(np.fft.irfft(np.multiply(z, z), 9)), c);
    }
    // a real input to irfft gets a real gradient
    check2((z: NDArray) => np.fft.irfft(z, 6), xr);
    check2((z: NDArray) => np.fft.hfft(z, 7), xc);
    check2((z: NDArray) => np.fft.ihfft(z), xo);
  });

  it("multi-axis transforms and shifts", () => {
    check2((z: NDArray) => np.fft.fft2(z), xc);
    check2((z: NDArray) => np.fft.ifftn(z, [3, 4, 5]), x3);
    check2((z: NDArray) => np.fft.fftn(z, { axes: [0, 0] }), xc);
    check2((z: NDArray) => nonlin(np.fft.rfftn(np.multiply(z, z))), x3);
    check2((z: NDArray) => np.fft.rfft2(z, [3, 5]), x3);
    check2((z: NDArray) => np.fft.irfftn(z, [3, 4, 5]), np.fft.rfftn(x3));
    check2((z: NDArray) => nonlin(np.fft.irfft2(z)), np.fft.fft(x3));
    check2((z: NDArray) => np.fft.fftshift(np.fft.fft(z)), xc);
    check2((z: NDArray) => np.fft.ifftshift(np.multiply(z, z), 1), xo);
  });

  it("round trip ifft(fft(x)) has identity Jacobian", () => {
    const x = rand([7], 41, true), v = rand([7], 42, true);
    const [, jv] = makeJvp((z: NDArray) => np.fft.ifft(np.fft.fft(z)))(x)(v);
    expect(relErr(jv, toPy(v) as PyArray)).toBeLessThan(1e-14);
    const r = rand([8], 43), w = rand([8], 44);
    const [vjp] = makeVjp((z: NDArray) => np.fft.irfft(np.fft.rfft(z), 8))(r);
    expect(relErr(vjp(w), toPy(w) as PyArray)).toBeLessThan(1e-14);
  });
});
