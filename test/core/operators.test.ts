// Differential operators: structure of gradients, higher order, forward mode, Jacobians, Hessians, errors.
import { describe, expect, it, vi } from "vitest";
import {
  NDArray, checkpoint, deriv, elementwiseGrad, grad, gradAndAux, hessian, hessianVectorProduct, holomorphicGrad,
  defjvp, defvjp, jacobian, makeGgnvp, primitive, makeHvp, makeJvp, makeVjp, np, tensorJacobianProduct, valueAndGrad,
} from "../../lib/index";
import { setNodeListener } from "../../lib/core/tracer";
import { close } from "../helpers";

describe("grad", () => {
  it("numbers in, numbers out; arrays keep shape and dtype", () => {
    expect(grad((x: NDArray) => x.mul(x))(3)).toBe(6);
    const g = grad((x: NDArray) => np.sum(np.square(x)))(np.array([1, 2, 3]));
    expect(g).toBeInstanceOf(NDArray);
    expect(g.tolist()).toEqual([2, 4, 6]);
    const g32 = grad((x: NDArray) => np.sum(np.square(x)))(np.array([1, 2], "float32"));
    expect(g32.dtype).toBe("float32");
  });

  it("containers: nested arrays and objects, unused entries get zeros", () => {
    const f = (p: { w: NDArray; b: number; extra: NDArray[] }) => np.sum(np.add(np.multiply(p.w, 2), p.b));
    const g = grad(f)({ w: np.array([1, 2]), b: 3, extra: [np.array([5, 6, 7])] });
    expect(g.w.tolist()).toEqual([2, 2]);
    expect(g.b).toBe(2);
    expect(g.extra[0].tolist()).toEqual([0, 0, 0]);
  });

  it("argnum as number and array", () => {
    const f = (x: NDArray, y: NDArray) => np.sum(np.multiply(x, np.square(y)));
    expect(grad(f, 1)(2, 3)).toBe(12);
    const [gx, gy] = grad(f, [0, 1])(2, 3);
    expect([gx, gy]).toEqual([9, 12]);
  });

  it("higher order: grad of grad of grad", () => {
    const f = (x: NDArray) => np.sin(x);
    expect(grad(grad(grad(f)))(0.5)).toBeCloseTo(-Math.cos(0.5), 14);
    const f4 = (x: NDArray) => x.pow(4);
    expect(grad(grad(grad(grad(f4))))(1.3)).toBeCloseTo(24, 12);
  });

  it("closures over outer traced values", () => {
    // d/dx [ d/dy (x*y^2) at y=3 ] = d/dx (6x) = 6
    const outer = (x: NDArray) => grad((y: NDArray) => np.multiply(x, np.square(y)))(3);
    expect(grad(outer)(2)).toBeCloseTo(6, 14);
  });

  it("control flow with item()", () => {
    const f = (x: NDArray) => (x.item() > 0 ? np.sin(x) : np.cos(x));
    expect(grad(f)(1)).toBeCloseTo(Math.cos(1), 14);
    expect(grad(f)(-1)).toBeCloseTo(Math.sin(1), 14);
  });

  it("constant output: zeros and a one-time warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const f = (_x: NDArray) => np.array(3.0);
    expect(grad(f)(np.array([1, 2])).tolist()).toEqual([0, 0]);
    grad(f)(np.array([1, 2]));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe("Output seems independent of input.");
    warn.mockRestore();
  });

  it("valueAndGrad, gradAndAux, elementwiseGrad", () => {
    const [v, g] = valueAndGrad((x: NDArray) => np.sum(np.exp(x)))(np.array([0, 1]));
    expect(v).toBeInstanceOf(NDArray); // what f returned
    expect(v.item()).toBeCloseTo(1 + Math.E, 14);
    close(g, [1, Math.E], 1e-9);
    const [g2, aux] = gradAndAux((x: NDArray) => [np.square(x), { note: "hi" }])(3);
    expect(g2).toBe(6);
    expect(aux).toEqual({ note: "hi" });
    close(elementwiseGrad(np.tanh)(np.array([0, 1])), [1, 1 - Math.tanh(1) ** 2], 1e-9);
  });

  it("makeVjp and tensorJacobianProduct", () => {
    const f = (x: NDArray) => np.multiply(x, np.array([1, 2, 3]));
    const [vjp, value] = makeVjp(f)(np.array([1, 1, 1]));
    close(value, [1, 2, 3], 1e-9);
    close(vjp(np.array([1, 0, 2])), [1, 0, 6], 1e-9);
    close(tensorJacobianProduct(f)(np.array([1, 1, 1]), np.array([1, 1, 1])), [1, 2, 3], 1e-9);
  });
});

describe("forward mode", () => {
  it("deriv and makeJvp", () => {
    expect(deriv(np.sin)(0.3)).toBeCloseTo(Math.cos(0.3), 14);
    const [val, jv] = makeJvp((x: NDArray) => np.multiply(x, x))(np.array([1, 2]))(np.array([1, 1]));
    close(val, [1, 4], 1e-9);
    close(jv, [2, 4], 1e-9);
  });

  it("jacobian of x -> [x, x^2, x^3] at 2 is [1, 4, 12], in both modes", () => {
    const f = (x: NDArray) => np.stack([x, np.square(x), x.pow(3)]);
    for (const mode of ["fwd", "rev"] as const) close(jacobian(f, 0, { mode })(2), [1, 4, 12], 1e-9);
    close(jacobian(f)(2), [1, 4, 12], 1e-9);
  });

  it("jacobian shape is out.shape + in.shape", () => {
    const A = np.array([[1, 2], [3, 4], [5, 6]]);
    const J = jacobian((x: NDArray) => np.dot(A, x))(np.array([1, 1]));
    expect(J.shape).toEqual([3, 2]);
    close(J, A, 1e-9);
    const J2 = jacobian((x: NDArray) => np.dot(A, x), 0, { mode: "fwd" })(np.array([1, 1]));
    close(J2, A, 1e-9);
  });

  it("forward-mode jacobian evaluates f once and replays the JVP rules per column", () => {
    const A = np.array([[0.5, -1, 2], [1.5, 0.25, -0.75]]);
    let calls = 0;
    const f = (x: NDArray) => {
      calls++;
      return np.tanh(np.dot(A, np.sin(x)));
    };
    const x = np.array([0.3, -0.7, 1.1]);
    // closed form: diag(1 - tanh²(A sin x)) · A · diag(cos x)
    const y = np.tanh(np.dot(A, np.sin(x)));
    const expected = np.multiply(np.multiply(np.reshape(np.subtract(1, np.square(y)), [2, 1]), A), np.cos(x));
    for (const mode of ["fwd", undefined] as const) {
      calls = 0;
      const J = mode ? jacobian(f, 0, { mode })(x) : jacobian((v: NDArray) => np.concatenate([f(v), f(v)]))(x);
      if (mode) {
        expect(calls).toBe(1);
        close(J, expected, 1e-12);
      } else {
        expect(calls).toBe(2); // undecided: one recorded evaluation (f twice inside), 4 outputs > 3 inputs so 3 forward columns
        expect(J.shape).toEqual([4, 3]);
        close(J, np.concatenate([expected, expected]), 1e-12);
      }
    }
    close(jacobian(f, 0, { mode: "rev" })(x), expected, 1e-12);
  });

  it("forward-mode jacobian needs JVP rules only, and names a missing one", () => {
    const cube = primitive((x: NDArray) => np.power(x, 3), "cube");
    defjvp(cube, (t, _ans, x) => np.multiply(t, np.multiply(3, np.square(x))));
    const x = np.array([1, 2]);
    close(jacobian((v: NDArray) => np.sum(cube(v)), 0, { mode: "fwd" })(x), [3, 12], 1e-12);
    expect(() => jacobian((v: NDArray) => cube(v), 0, { mode: "rev" })(x)).toThrow(/cube: no VJP \(reverse mode\) gradient/);
    const sq = primitive((v: NDArray) => np.square(v), "sq");
    defvjp(sq, (_ans, v) => (g) => np.multiply(g, np.multiply(2, v)));
    close(jacobian((v: NDArray) => sq(v), 0, { mode: "rev" })(x), [[2, 0], [0, 4]], 1e-12);
    expect(() => jacobian((v: NDArray) => sq(v), 0, { mode: "fwd" })(x)).toThrow(/sq: no JVP \(forward mode\) gradient is defined with respect to argument 0/);
    // undecided mode prefers columns here (4 outputs > 2 inputs) but falls back to rows when a JVP rule is missing
    const sq2 = (v: NDArray) => np.concatenate([sq(v), sq(v)]);
    close(jacobian(sq2)(x), [[2, 0], [0, 4], [2, 0], [0, 4]], 1e-12);
  });

  it("Hessian of Rosenbrock at (1, 1) is [[802, -400], [-400, 200]]", () => {
    const rosen = (x: NDArray) =>
      np.add(np.multiply(100, np.square(np.subtract(x.get(1), np.square(x.get(0))))), np.square(np.subtract(1, x.get(0))));
    close(hessian(rosen)(np.array([1, 1])), [[802, -400], [-400, 200]], 1e-9);
  });

  it("Hessian of x'Hx is H + H'", () => {
    const H = np.array([[1, 2, 0], [3, 4, 5], [0, 1, 2]]);
    const f = (x: NDArray) => np.dot(x, np.dot(H, x));
    close(hessian(f)(np.array([0.3, -1, 2])), np.add(H, H.T), 1e-9);
  });

  it("hessianVectorProduct equals hessian·v; makeHvp reuses the pass", () => {
    const f = (x: NDArray) => np.sum(np.multiply(np.sin(x), np.square(x)));
    const x = np.array([0.1, 0.5, -0.7]);
    const v = np.array([1, -2, 0.5]);
    const expected = np.dot(hessian(f)(x), v);
    close(hessianVectorProduct(f)(x, v), expected, 1e-9);
    const [hvp, g] = makeHvp(f)(x);
    close(hvp(v), expected, 1e-9);
    close(g, grad(f)(x), 1e-9);
  });

  it("makeGgnvp defaults to J'J v", () => {
    const A = np.array([[1, 2], [3, 4]]);
    const f = (x: NDArray) => np.dot(A, x);
    const out = makeGgnvp(f)(np.array([1, 1]))(np.array([1, 0]));
    close(out, np.dot(A.T, np.dot(A, np.array([1, 0]))), 1e-9);
  });
});

describe("complex", () => {
  it("holomorphicGrad of z^2 is 2z", () => {
    const z = np.complex(1, 2);
    const g = holomorphicGrad((x: NDArray) => np.square(x))(z);
    expect(g.item()).toEqual({ re: 2, im: 4 });
  });
  it("grad of |z|^2 follows autograd's convention (2x - 2iy)... conj", () => {
    const g = grad((z: NDArray) => np.square(np.abs(z)))(np.complex(3, 4));
    const v = g.item();
    expect(v.re).toBeCloseTo(6, 12);
    expect(v.im).toBeCloseTo(-8, 12);
  });
});

describe("checkpoint", () => {
  it("same gradient, fewer retained nodes", () => {
    const block = (x: NDArray) => {
      let y = x;
      for (let i = 0; i < 20; i++) y = np.sin(np.add(y, 0.1));
      return y;
    };
    const f = (x: NDArray) => np.sum(block(x));
    const fc = (x: NDArray) => np.sum(checkpoint(block)(x));
    const count = (fn: (x: NDArray) => NDArray) => {
      let n = 0;
      const prev = setNodeListener(() => n++);
      const [vjp] = makeVjp(fn)(np.array([0.1, 0.2]));
      setNodeListener(prev);
      return { n, vjp };
    };
    const plain = count(f);
    const ck = count(fc);
    expect(ck.n).toBeLessThan(plain.n / 5);
    close(grad(fc)(np.array([0.1, 0.2])), grad(f)(np.array([0.1, 0.2])), 1e-9);
  });
});

describe("errors", () => {
  it("grad of a non-scalar output names jacobian, elementwiseGrad and holomorphicGrad", () => {
    expect(() => grad((x: NDArray) => np.multiply(x, 2))(np.array([1, 2]))).toThrow(/jacobian.*elementwiseGrad.*holomorphicGrad/s);
  });
  it("grad of a complex output names holomorphicGrad", () => {
    expect(() => grad((x: NDArray) => np.multiply(x, np.complex(0, 1)))(1)).toThrow(TypeError);
    expect(() => grad((x: NDArray) => np.multiply(x, np.complex(0, 1)))(1)).toThrow(/holomorphicGrad/);
  });
  it("out-of-range argnum", () => {
    expect(() => grad((x: NDArray) => x, 2)(1)).toThrow(/argnum 2 is out of range.*1 argument/);
  });
  it("non-numeric input", () => {
    expect(() => grad((x: any) => x)("hello" as any)).toThrow(/cannot differentiate with respect to the string "hello"/);
  });
  it("integer input is differentiated as float64 (autograd's rule; see test/regressions/int-array-inputs)", () => {
    const g = grad((x: NDArray) => np.sum(x))(np.array([1, 2], "int32"));
    expect(g.dtype).toBe("float64");
    expect(g.tolist()).toEqual([1, 1]);
  });
  it("shape mismatch names the operation and both shapes", () => {
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(/np\.add.*\(2, 3\).*\(4,\)/);
    expect(() => np.dot(np.ones([2, 3]), np.ones([2, 3]))).toThrow(/np\.dot.*\(2, 3\).*\(2, 3\)/);
  });
  it("unknown option", () => {
    expect(() => np.sum(np.ones([2]), { axes: 0 } as any)).toThrow(/np\.sum: unknown option 'axes'.*'axis'/);
  });
  it("index out of bounds", () => {
    expect(() => np.ones([3]).get(5)).toThrow(/index 5 is out of bounds for axis 0 with size 3/);
  });
  it("primitive without a gradient names itself and the argument", async () => {
    const { primitive } = await import("../../lib/index");
    const p = primitive((x: NDArray) => np.multiply(x, 2), "double_it");
    expect(() => grad((x: NDArray) => np.sum(p(x)))(np.array([1]))).toThrow(/double_it.*argument 0/);
  });
  it("tangent of the wrong shape", () => {
    expect(() => makeJvp(np.sin)(np.array([1, 2]))(np.array([1, 2, 3]))).toThrow(/tangent.*\(3,\).*expected \(2,\)/);
  });
  it("hessianVectorProduct vector must match the input", () => {
    expect(() => hessianVectorProduct((x: NDArray) => np.sum(x))(np.array([1, 2]), np.array([1]))).toThrow(/\(1,\).*\(2,\)/);
  });
});

describe("plain JS arithmetic on traced values", () => {
  it("throws instead of silently cutting the gradient", () => {
    expect(() => grad((t: any) => t * t)(3)).toThrow(/plain JS arithmetic.*x\.mul\(y\).*item\(\)/s);
  });
  it("untraced size-1 arrays still convert", () => {
    expect(+np.array(2.5)).toBe(2.5);
  });
});

describe("checkGrads", () => {
  it("passes a correct function and names the primitive of a wrong rule", async () => {
    const { checkGrads, primitive, defvjp, defjvp } = await import("../../lib/index");
    expect(checkGrads((x: NDArray) => np.sum(np.tanh(np.multiply(x, x))))(np.array([0.3, -0.7]))).toBe(true);
    const cube = primitive((x: NDArray) => np.power(x, 3), "cube");
    defvjp(cube, (_ans, x) => (g) => np.multiply(g, np.multiply(2, np.square(x)))); // wrong: should be 3x²
    defjvp(cube, (t, _ans, x) => np.multiply(t, np.multiply(3, np.square(x))));
    expect(() => checkGrads((x: NDArray) => np.sum(cube(x)), { modes: ["rev"] })(np.array([0.5, 1.5]))).toThrow(/reverse-mode.*cube/s);
    expect(checkGrads((x: NDArray) => np.sum(cube(x)), { modes: ["fwd"], order: 1 })(np.array([0.5, 1.5]))).toBe(true);
  });
});

describe("np.array of traced values", () => {
  it("stacks them differentiably, as autograd does", () => {
    const f = (x: NDArray) => np.sum(np.multiply(np.array([x.get(0), np.multiply(2, x.get(1)), 3]), np.array([1, 10, 100])));
    expect(grad(f)(np.array([5, 7])).tolist()).toEqual([1, 20]);
    expect(grad((x: NDArray) => np.sum(np.array([[x, x], [x, 1]], "float64")))(2)).toBe(3);
  });
});

describe("nested lists of traced values as arguments", () => {
  it("np.add([x, 1], 2) is differentiable in x", () => {
    expect(grad((x: NDArray) => np.sum(np.multiply([x, 1], [3, 4])))(2)).toBe(3);
  });
});
