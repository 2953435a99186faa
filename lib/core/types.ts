// Types that make differentiated functions pleasant to call from TypeScript: a function written for NDArray
// parameters accepts JS numbers (and nested arrays) too, and its gradient has the type of what was passed.
import type { NDArray } from "../array/ndarray";

export type Fn = (...args: any[]) => any;

/** What a parameter typed T accepts when called through a differential operator. */
export type Liftable<T> = 0 extends 1 & T
  ? any
  : [T] extends [NDArray]
  ? NDArray | number
  : NDArray extends T
  ? T // already accepts arrays (ArrayLike and other unions): leave it alone
  : T extends NDArray
  ? NDArray | number
  : T extends number
    ? number | NDArray
    : T extends readonly any[]
      ? { [K in keyof T]: Liftable<T[K]> }
      : T extends Fn
        ? T
        : T extends object
          ? { [K in keyof T]: Liftable<T[K]> }
          : T;

export type LiftArgs<P extends readonly any[]> = { [K in keyof P]: Liftable<P[K]> };

/** The gradient's type for an argument value of type T: same structure, numbers stay numbers. */
export type GradOf<T> = T extends number
  ? number
  : T extends NDArray
    ? NDArray
    : T extends readonly any[]
      ? { [K in keyof T]: GradOf<T[K]> }
      : T extends object
        ? { [K in keyof T]: GradOf<T[K]> }
        : T;

/** A differentiated function whose result has the structure of its first argument. */
export type GradFn<F extends Fn> = <A extends LiftArgs<Parameters<F>>>(...args: A) => GradOf<A[0]>;
