// Imaginary part, angle, complex(re, im): the non-holomorphic functions of complex arrays that are written with
// multiplication (real, conj and the cast to complex, whose rules use only each other, are in ./basis).
// VJPs follow autograd's convention (the gradient of a real loss L at z = x + iy is ∂L/∂x − i ∂L/∂y).
import { isComplex, toInexact } from "../array/dtype";
import { map1 } from "../array/kernels";
import { type ArrayLike, NDArray, complexScalar } from "../array/ndarray";
import { definePrimitive } from "../core/tracer";
import { arr } from "./args";
import { asFloat, conj, matchComplex, toComplex } from "./basis";
import { add, divide, equal, multiply } from "./binary";
import { abs, square } from "./elementwise";

const I = complexScalar(0, 1);
const MINUS_I = complexScalar(0, -1);

const imagPrim = definePrimitive("imag", {
  impl: (x: NDArray) => map1(x, isComplex(x.dtype) ? "float64" : x.dtype, () => 0, (_r, i, o, k) => { o[k] = i; }),
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, x) => matchComplex(x, multiply(MINUS_I, g))],
});
const anglePrim = definePrimitive("angle", {
  impl: (x: NDArray) =>
    map1(x, isComplex(x.dtype) ? "float64" : toInexact(x.dtype), (v) => (v < 0 ? Math.PI : 0), (r, i, o, k) => { o[k] = Math.atan2(i, r); }),
  argNames: ["z"],
  vjp: [(g, _ans, x) => {
    if (!isComplex(x.dtype)) return multiply(g, 0);
    const abs2 = add(square(abs(x)), asFloat(equal(x, 0)));
    return matchComplex(x, divide(multiply(g, conj(multiply(x, I))), abs2));
  }],
  jvp: [(t, _ans, x) => {
    if (!isComplex(x.dtype)) return multiply(t, 0);
    // d angle = Im(conj(z) dz) / |z|^2
    const abs2 = add(square(abs(x)), asFloat(equal(x, 0)));
    return divide(imag(multiply(conj(x), t)), abs2);
  }],
});

export const imag = (x: ArrayLike): NDArray => imagPrim(arr(x, "np.imag"));
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
