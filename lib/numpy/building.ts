// Building arrays from others: triangles (tril, triu) and coordinate grids (meshgrid).
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { arr, intArg, isOptionsObject, options } from "./args";
import { broadcast_to, reshape } from "./basis";
import { ravel } from "./shape";
import { wherePrim } from "./where";

// ---- triangles ----------------------------------------------------------------------------------------------------

function triangle(where: string, m: ArrayLike, k: number | { k?: number } | undefined, lower: boolean): NDArray {
  const x = arr(m, where);
  const kk = intArg(typeof k === "object" ? options(where, k, ["k"]).k : k, where, "k", 0);
  if (x.ndim === 0) throw new ValueError(`${where}: input must be at least 1-d, got a 0-d array`);
  const [M, N] = x.ndim === 1 ? [x.shape[0], x.shape[0]] : x.shape.slice(-2);
  const mask = new Uint8Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) mask[i * N + j] = (lower ? j - i <= kk : j - i >= kk) ? 1 : 0;
  return wherePrim(x, 0, { mask: new NDArray(mask, [M, N], "bool") });
}

/** np.tril(m, k = 0): zeros above the k-th diagonal (of the last two axes; a 1-d input gives a square matrix). */
export function tril(m: ArrayLike, k?: number | { k?: number }): NDArray {
  return triangle("np.tril", m, k, true);
}

/** np.triu(m, k = 0): zeros below the k-th diagonal. */
export function triu(m: ArrayLike, k?: number | { k?: number }): NDArray {
  return triangle("np.triu", m, k, false);
}

// ---- meshgrid ------------------------------------------------------------------------------------------------------

type MeshOpts = { indexing?: "xy" | "ij"; sparse?: boolean; copy?: boolean };

/**
 * np.meshgrid(...xi, { indexing = "xy", sparse = false }): coordinate matrices from coordinate vectors
 * (each input is flattened). "xy" swaps the first two output dimensions, as numpy. Differentiable.
 */
export function meshgrid(...args: (ArrayLike | MeshOpts)[]): NDArray[] {
  const where = "np.meshgrid";
  const last = args[args.length - 1];
  const o = args.length && isOptionsObject(last) ? options(where, last, ["indexing", "sparse", "copy"]) : {};
  const xs = (args.length && isOptionsObject(last) ? args.slice(0, -1) : args).map((v) => ravel(arr(v as ArrayLike, where)));
  const indexing = o.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new ValueError(`${where}: valid values for \`indexing\` are 'xy' and 'ij', got ${JSON.stringify(indexing)}`);
  }
  const nd = xs.length;
  const sizes = xs.map((x) => x.size);
  const swap = indexing === "xy" && nd > 1;
  const outShape = sizes.slice();
  if (swap) [outShape[0], outShape[1]] = [outShape[1], outShape[0]];
  return xs.map((x, i) => {
    // the output axis that carries input i
    const dim = swap && i < 2 ? 1 - i : i;
    const s = new Array<number>(nd).fill(1);
    s[dim] = x.size;
    const r = reshape(x, s);
    return o.sparse ? r : broadcast_to(r, outShape);
  });
}
