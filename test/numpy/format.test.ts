// Array repr: numpy's exact text (numpy 2.4 defaults), for floats (positional and scientific), ints, bools,
// complex, nan/inf, float32, 0-d, empty, wrapping at 75 columns and elision of large arrays.
import { describe, expect, it } from "vitest";
import { NDArray, grad, np } from "../../lib/index";

// [gradlab expression, thunk, repr(numpy equivalent) from numpy 2.4]
const cases: [string, () => NDArray, string][] = [
  ["np.array([[1, 2.5], [3, 4]])", () => np.array([[1, 2.5], [3, 4]]), "array([[1. , 2.5],\n       [3. , 4. ]])"],
  ["np.array([1, 2, 3], 'int32')", () => np.array([1, 2, 3], "int32"), "array([1, 2, 3])"],
  ["np.array([-1, 20, 300], 'int32')", () => np.array([-1, 20, 300], "int32"), "array([ -1,  20, 300])"],
  ["np.array([true, false, true])", () => np.array([true, false, true]), "array([ True, False,  True])"],
  ["np.array([true, true])", () => np.array([true, true]), "array([ True,  True])"],
  ["np.array([-1, 2.5])", () => np.array([-1, 2.5]), "array([-1. ,  2.5])"],
  ["np.array([1e-5, 1])", () => np.array([1e-5, 1]), "array([1.e-05, 1.e+00])"],
  ["np.array([1, 1001])", () => np.array([1, 1001]), "array([1.000e+00, 1.001e+03])"],
  ["np.array([1, 1000])", () => np.array([1, 1000]), "array([   1., 1000.])"],
  ["np.array([1e8, 1])", () => np.array([1e8, 1]), "array([1.e+08, 1.e+00])"],
  ["np.array([1e7, 1])", () => np.array([1e7, 1]), "array([1.e+07, 1.e+00])"],
  ["np.array([123456789.0])", () => np.array([123456789.0]), "array([1.23456789e+08])"],
  ["np.array([0.1, 0.25, 1/3])", () => np.array([0.1, 0.25, 1/3]), "array([0.1       , 0.25      , 0.33333333])"],
  ["np.array([2/3, -1e-3])", () => np.array([2/3, -1e-3]), "array([ 0.66666667, -0.001     ])"],
  ["np.array([1.5e-10, -2.25e20])", () => np.array([1.5e-10, -2.25e20]), "array([ 1.50e-10, -2.25e+20])"],
  ["np.array([1e-100, 1])", () => np.array([1e-100, 1]), "array([1.e-100, 1.e+000])"],
  ["np.array([0, 0])", () => np.array([0, 0]), "array([0., 0.])"],
  ["np.array([0, 1e-5])", () => np.array([0, 1e-5]), "array([0.e+00, 1.e-05])"],
  ["np.array([NaN, 1, -Infinity])", () => np.array([NaN, 1, -Infinity]), "array([ nan,   1., -inf])"],
  ["np.array([NaN, 1.5])", () => np.array([NaN, 1.5]), "array([nan, 1.5])"],
  ["np.array([Infinity, -Infinity])", () => np.array([Infinity, -Infinity]), "array([ inf, -inf])"],
  ["np.array([NaN, 1e-6])", () => np.array([NaN, 1e-6]), "array([   nan, 1.e-06])"],
  ["np.array(3.5)", () => np.array(3.5), "array(3.5)"],
  ["np.array(3, 'int32')", () => np.array(3, "int32"), "array(3)"],
  ["np.array(-0.0)", () => np.array(-0.0), "array(-0.)"],
  ["np.array([-0.0, 1])", () => np.array([-0.0, 1]), "array([-0.,  1.])"],
  ["np.array(true)", () => np.array(true), "array(True)"],
  ["np.array([0.1, 0.3], 'float32')", () => np.array([0.1, 0.3], "float32"), "array([0.1, 0.3], dtype=float32)"],
  ["np.array([1/3, 1e-6], 'float32')", () => np.array([1/3, 1e-6], "float32"), "array([3.3333334e-01, 1.0000000e-06], dtype=float32)"],
  ["np.array([16777217, 0.5], 'float32')", () => np.array([16777217, 0.5], "float32"), "array([1.6777216e+07, 5.0000000e-01], dtype=float32)"],
  ["np.array([])", () => np.array([]), "array([], dtype=float64)"],
  ["np.zeros([0, 3])", () => np.zeros([0, 3]), "array([], shape=(0, 3), dtype=float64)"],
  ["np.array([], 'int32')", () => np.array([], "int32"), "array([], dtype=int32)"],
  ["np.arange(2000)", () => np.arange(2000), "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))"],
  ["np.arange(2000).astype('float64')", () => np.arange(2000).astype("float64"), "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03], shape=(2000,))"],
  ["np.arange(1001).astype('float64').div(1000)", () => np.arange(1001).astype("float64").div(1000), "array([0.   , 0.001, 0.002, ..., 0.998, 0.999, 1.   ], shape=(1001,))"],
  ["np.arange(30).astype('float64').div(7)", () => np.arange(30).astype("float64").div(7), "array([0.        , 0.14285714, 0.28571429, 0.42857143, 0.57142857,\n       0.71428571, 0.85714286, 1.        , 1.14285714, 1.28571429,\n       1.42857143, 1.57142857, 1.71428571, 1.85714286, 2.        ,\n       2.14285714, 2.28571429, 2.42857143, 2.57142857, 2.71428571,\n       2.85714286, 3.        , 3.14285714, 3.28571429, 3.42857143,\n       3.57142857, 3.71428571, 3.85714286, 4.        , 4.14285714])"],
  ["np.arange(40)", () => np.arange(40), "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,\n       34, 35, 36, 37, 38, 39])"],
  ["np.arange(24).reshape(2, 3, 4)", () => np.arange(24).reshape(2, 3, 4), "array([[[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]],\n\n       [[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]]])"],
  ["np.arange(3000).reshape(30, 100)", () => np.arange(3000).reshape(30, 100), "array([[   0,    1,    2, ...,   97,   98,   99],\n       [ 100,  101,  102, ...,  197,  198,  199],\n       [ 200,  201,  202, ...,  297,  298,  299],\n       ...,\n       [2700, 2701, 2702, ..., 2797, 2798, 2799],\n       [2800, 2801, 2802, ..., 2897, 2898, 2899],\n       [2900, 2901, 2902, ..., 2997, 2998, 2999]], shape=(30, 100))"],
  ["np.arange(2000).reshape(2, 10, 100).astype('float64')", () => np.arange(2000).reshape(2, 10, 100).astype("float64"), "array([[[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.700e+01, 9.800e+01,\n         9.900e+01],\n        [1.000e+02, 1.010e+02, 1.020e+02, ..., 1.970e+02, 1.980e+02,\n         1.990e+02],\n        [2.000e+02, 2.010e+02, 2.020e+02, ..., 2.970e+02, 2.980e+02,\n         2.990e+02],\n        ...,\n        [7.000e+02, 7.010e+02, 7.020e+02, ..., 7.970e+02, 7.980e+02,\n         7.990e+02],\n        [8.000e+02, 8.010e+02, 8.020e+02, ..., 8.970e+02, 8.980e+02,\n         8.990e+02],\n        [9.000e+02, 9.010e+02, 9.020e+02, ..., 9.970e+02, 9.980e+02,\n         9.990e+02]],\n\n       [[1.000e+03, 1.001e+03, 1.002e+03, ..., 1.097e+03, 1.098e+03,\n         1.099e+03],\n        [1.100e+03, 1.101e+03, 1.102e+03, ..., 1.197e+03, 1.198e+03,\n         1.199e+03],\n        [1.200e+03, 1.201e+03, 1.202e+03, ..., 1.297e+03, 1.298e+03,\n         1.299e+03],\n        ...,\n        [1.700e+03, 1.701e+03, 1.702e+03, ..., 1.797e+03, 1.798e+03,\n         1.799e+03],\n        [1.800e+03, 1.801e+03, 1.802e+03, ..., 1.897e+03, 1.898e+03,\n         1.899e+03],\n        [1.900e+03, 1.901e+03, 1.902e+03, ..., 1.997e+03, 1.998e+03,\n         1.999e+03]]], shape=(2, 10, 100))"],
  ["np.array([{re: 1, im: 2}, {re: 3, im: -4}])", () => np.array([{re: 1, im: 2}, {re: 3, im: -4}]), "array([1.+2.j, 3.-4.j])"],
  ["np.array([{re: 1, im: 2}, {re: 1, im: -10}])", () => np.array([{re: 1, im: 2}, {re: 1, im: -10}]), "array([1. +2.j, 1.-10.j])"],
  ["np.array([{re: 1.5, im: 0}, {re: -2, im: 0.25}])", () => np.array([{re: 1.5, im: 0}, {re: -2, im: 0.25}]), "array([ 1.5+0.j  , -2. +0.25j])"],
  ["np.array([{re: 1e-5, im: 1}, {re: 0, im: 0}])", () => np.array([{re: 1e-5, im: 1}, {re: 0, im: 0}]), "array([1.e-05+1.j, 0.e+00+0.j])"],
  ["np.array([{re: NaN, im: 1}, {re: 1, im: Infinity}])", () => np.array([{re: NaN, im: 1}, {re: 1, im: Infinity}]), "array([nan +1.j,  1.+infj])"],
  ["np.complex(1, 2)", () => np.complex(1, 2), "array(1.+2.j)"],
  ["np.array([[1, -1], [0.5, 100]])", () => np.array([[1, -1], [0.5, 100]]), "array([[  1. ,  -1. ],\n       [  0.5, 100. ]])"],
  ["np.array([1.23456789012, 2])", () => np.array([1.23456789012, 2]), "array([1.23456789, 2.        ])"],
  ["np.array([0.000123, 0.5])", () => np.array([0.000123, 0.5]), "array([1.23e-04, 5.00e-01])"],
  ["np.array([99999999.0, 0.5])", () => np.array([99999999.0, 0.5]), "array([9.9999999e+07, 5.0000000e-01])"],
  ["np.array([[true, false], [false, true]])", () => np.array([[true, false], [false, true]]), "array([[ True, False],\n       [False,  True]])"],
  ["np.linspace(0, 1, 25)", () => np.linspace(0, 1, 25), "array([0.        , 0.04166667, 0.08333333, 0.125     , 0.16666667,\n       0.20833333, 0.25      , 0.29166667, 0.33333333, 0.375     ,\n       0.41666667, 0.45833333, 0.5       , 0.54166667, 0.58333333,\n       0.625     , 0.66666667, 0.70833333, 0.75      , 0.79166667,\n       0.83333333, 0.875     , 0.91666667, 0.95833333, 1.        ])"],
  ["np.ones([2, 1, 2])", () => np.ones([2, 1, 2]), "array([[[1., 1.]],\n\n       [[1., 1.]]])"],
  ["np.array([[[1]]], 'int32')", () => np.array([[[1]]], "int32"), "array([[[1]]])"],
  ["np.array([1e16, 1])", () => np.array([1e16, 1]), "array([1.e+16, 1.e+00])"],
  ["np.array([-1e-5, 1])", () => np.array([-1e-5, 1]), "array([-1.e-05,  1.e+00])"],
  ["np.array([0.999999999, 2])", () => np.array([0.999999999, 2]), "array([1., 2.])"],
  ["np.array([1e-4, 1])", () => np.array([1e-4, 1]), "array([1.e-04, 1.e+00])"],
  ["np.array([12345678.9, 1])", () => np.array([12345678.9, 1]), "array([1.23456789e+07, 1.00000000e+00])"],
  ["np.array([12345.678901234, 1])", () => np.array([12345.678901234, 1]), "array([1.23456789e+04, 1.00000000e+00])"],
  ["np.array([9.9999999999, 0.5])", () => np.array([9.9999999999, 0.5]), "array([10. ,  0.5])"],
  ["np.array([1.5, 2.5, 3.5], 'float32').mul(1000)", () => np.array([1.5, 2.5, 3.5], "float32").mul(1000), "array([1500., 2500., 3500.], dtype=float32)"],
  ["np.array([[1, -2], [3, 4]], 'int32').mul(1000000)", () => np.array([[1, -2], [3, 4]], "int32").mul(1000000), "array([[ 1000000, -2000000],\n       [ 3000000,  4000000]])"],
  ["np.complex(np.array([[1, 2], [3, 4]]), np.array([[0.5, -1], [2, 0]]))", () => np.complex(np.array([[1, 2], [3, 4]]), np.array([[0.5, -1], [2, 0]])), "array([[1.+0.5j, 2.-1.j ],\n       [3.+2.j , 4.+0.j ]])"],
  ["np.arange(1200).reshape(3, 400).astype('bool')", () => np.arange(1200).reshape(3, 400).astype("bool"), "array([[False,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True]], shape=(3, 400))"],
  ["np.arange(25).reshape(5, 5).mul(0.01)", () => np.arange(25).reshape(5, 5).mul(0.01), "array([[0.  , 0.01, 0.02, 0.03, 0.04],\n       [0.05, 0.06, 0.07, 0.08, 0.09],\n       [0.1 , 0.11, 0.12, 0.13, 0.14],\n       [0.15, 0.16, 0.17, 0.18, 0.19],\n       [0.2 , 0.21, 0.22, 0.23, 0.24]])"],
  ["np.arange(60).reshape(3, 20).astype('float64').sub(30).div(7)", () => np.arange(60).reshape(3, 20).astype("float64").sub(30).div(7), "array([[-4.28571429, -4.14285714, -4.        , -3.85714286, -3.71428571,\n        -3.57142857, -3.42857143, -3.28571429, -3.14285714, -3.        ,\n        -2.85714286, -2.71428571, -2.57142857, -2.42857143, -2.28571429,\n        -2.14285714, -2.        , -1.85714286, -1.71428571, -1.57142857],\n       [-1.42857143, -1.28571429, -1.14285714, -1.        , -0.85714286,\n        -0.71428571, -0.57142857, -0.42857143, -0.28571429, -0.14285714,\n         0.        ,  0.14285714,  0.28571429,  0.42857143,  0.57142857,\n         0.71428571,  0.85714286,  1.        ,  1.14285714,  1.28571429],\n       [ 1.42857143,  1.57142857,  1.71428571,  1.85714286,  2.        ,\n         2.14285714,  2.28571429,  2.42857143,  2.57142857,  2.71428571,\n         2.85714286,  3.        ,  3.14285714,  3.28571429,  3.42857143,\n         3.57142857,  3.71428571,  3.85714286,  4.        ,  4.14285714]])"],
  ["np.array([Infinity, 1.5, NaN])", () => np.array([Infinity, 1.5, NaN]), "array([inf, 1.5, nan])"],
  ["np.array([-Infinity, 1e-7])", () => np.array([-Infinity, 1e-7]), "array([  -inf, 1.e-07])"],
  ["np.array([[NaN]])", () => np.array([[NaN]]), "array([[nan]])"],
  ["np.array(NaN)", () => np.array(NaN), "array(nan)"],
  ["np.array(-Infinity)", () => np.array(-Infinity), "array(-inf)"],
  ["np.array(1e-20)", () => np.array(1e-20), "array(1.e-20)"],
  ["np.array(123456789)", () => np.array(123456789), "array(1.23456789e+08)"],
  ["np.array([0.1], 'float32').mul(3)", () => np.array([0.1], "float32").mul(3), "array([0.3], dtype=float32)"],
  ["np.zeros([2, 0, 3], 'int32')", () => np.zeros([2, 0, 3], "int32"), "array([], shape=(2, 0, 3), dtype=int32)"],
  ["np.zeros([0], 'bool')", () => np.zeros([0], "bool"), "array([], dtype=bool)"],
  ["np.zeros([0], 'float32')", () => np.zeros([0], "float32"), "array([], dtype=float32)"],
  ["np.arange(1500).astype('float32')", () => np.arange(1500).astype("float32"), "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.497e+03, 1.498e+03,\n       1.499e+03], shape=(1500,), dtype=float32)"],
  ["np.arange(2002).reshape(2, 1001).astype('float64').div(1000)", () => np.arange(2002).reshape(2, 1001).astype("float64").div(1000), "array([[0.000e+00, 1.000e-03, 2.000e-03, ..., 9.980e-01, 9.990e-01,\n        1.000e+00],\n       [1.001e+00, 1.002e+00, 1.003e+00, ..., 1.999e+00, 2.000e+00,\n        2.001e+00]], shape=(2, 1001))"],
];

describe("toString matches numpy's repr", () => {
  for (const [expr, make, want] of cases) {
    it(expr, () => expect(make().toString()).toBe(want));
  }

  it("the headline example", () => {
    expect(np.array([[1, 2.5], [3, 4]]).toString()).toBe("array([[1. , 2.5],\n       [3. , 4. ]])");
  });

  it("traced values print their primal value; String() and template literals use it", () => {
    let seen = "";
    grad((x: NDArray) => {
      seen = `${np.multiply(x, 2)}`;
      return np.sum(x);
    })(np.array([1, 2.5]));
    expect(seen).toBe("array([2., 5.])");
    expect(String(np.array([1, 2], "int32"))).toBe("array([1, 2])");
  });

  it("wraps a long row at 75 columns, aligning continuation lines", () => {
    const lines = np.arange(40).astype("float64").div(3).toString().split("\n");
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(75);
    for (const l of lines.slice(1)) expect(l.startsWith("       ")).toBe(true);
  });
});
