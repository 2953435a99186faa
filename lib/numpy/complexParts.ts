// Real and imaginary parts, conjugate, angle: the non-holomorphic functions of complex arrays.
// VJPs follow autograd's convention (the gradient of a real loss L at z = x + iy is ∂L/∂x − i ∂L/∂y).
import { isComplex, toInexact } from "../array/dtype";
import { map1 } from "../array/kernels";
import { type ArrayLike, NDArray, castArray, complexScalar } from "../array/ndarray";
import { definePrimitive } from "../core/tracer";
import { arr } from "./args";
import { add, divide, multiply } from "./binary";
import { abs, square, asFloat } from "./elementwise";
import { equal } from "./binary";

/** Casts a cotangent back to the input's kind: complex inputs get complex cotangents, real inputs real ones. */
export function matchComplex(x: NDArray, g: NDArray): NDArray {
  if (isComplex(x.dtype) && !isComplex(g.dtype)) return astypeComplex(g);
  if (!isComplex(x.dtype) && isComplex(g.dtype)) return real(g);
  return g;
}

const I = complexScalar(0, 1);
const MINUS_I = complexScalar(0, -1);

const toComplex = definePrimitive("to_complex", {
  impl: (x: NDArray) => castArray(x, "complex128"),
  linear: true,
  vjp: [(g, _ans, x) => matchComplex(x, g)],
});
const astypeComplex = (x: NDArray) => toComplex(x);

const realPrim = definePrimitive("real", {
  impl: (x: NDArray) => (isComplex(x.dtype) ? map1(x, "float64", (v) => v, (r, _i, o, k) => { o[k] = r; }) : x),
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, x) => matchComplex(x, g)],
});
const imagPrim = definePrimitive("imag", {
  impl: (x: NDArray) => map1(x, isComplex(x.dtype) ? "float64" : x.dtype, () => 0, (_r, i, o, k) => { o[k] = i; }),
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, x) => matchComplex(x, multiply(MINUS_I, g))],
});
const conjPrim = definePrimitive("conjugate", {
  impl: (x: NDArray) => (isComplex(x.dtype) ? map1(x, "complex128", (v) => v, (r, i, o, k) => { o[k] = r; o[k + 1] = -i; }) : x),
  linear: true,
  argNames: ["x"],
  vjp: [(g) => conjPrim(g)],
});
const anglePrim = definePrimitive("angle", {
  impl: (x: NDArray) =>
    map1(x, isComplex(x.dtype) ? "float64" : toInexact(x.dtype), (v) => (v < 0 ? Math.PI : 0), (r, i, o, k) => { o[k] = Math.atan2(i, r); }),
  argNames: ["z"],
  vjp: [(g, _ans, x) => {
    if (!isComplex(x.dtype)) return multiply(g, 0);
    const abs2 = add(square(absOf(x)), asFloat(equal(x, 0)));
    return matchComplex(x, divide(multiply(g, conj(multiply(x, I))), abs2));
  }],
  jvp: [(t, _ans, x) => {
    if (!isComplex(x.dtype)) return multiply(t, 0);
    // d angle = Im(conj(z) dz) / |z|^2
    const abs2 = add(square(absOf(x)), asFloat(equal(x, 0)));
    return divide(imag(multiply(conj(x), t)), abs2);
  }],
});
function absOf(x: NDArray): NDArray {
  return abs(x);
}

export const real = (x: ArrayLike): NDArray => realPrim(arr(x, "np.real"));
export const imag = (x: ArrayLike): NDArray => imagPrim(arr(x, "np.imag"));
export const conj = (x: ArrayLike): NDArray => conjPrim(arr(x, "np.conj"));
export const conjugate = conj;
export const angle = (x: ArrayLike): NDArray => anglePrim(arr(x, "np.angle"));

/** A complex scalar re + i·im (differentiable in both parts). */
export function complex(re: ArrayLike, im: ArrayLike = 0): NDArray {
  const r = arr(re, "np.complex");
  const i = arr(im, "np.complex");
  if (r._box === undefined && i._box === undefined && r.size === 1 && i.size === 1 && r.ndim === 0 && i.ndim === 0) {
    return complexScalar(Number(r.data[0]), Number(i.data[0]));
  }
  return add(toComplex(r), multiply(I, i));
}
export { toComplex };
