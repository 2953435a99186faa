// What the rewritten cells call (see kernel/operators.ts): `__gradlabOps.np` (the np namespace, under a name a
// cell cannot shadow), `__gradlabOps.dyn` (operators on operands typed `any`: plain JS arithmetic unless an
// operand is an NDArray, traced or not) and `__gradlabOps.truth` (numpy's bool(arr) in if/while/!/&&/||/?:).
// Built from the library's public exports only (np, NDArray, ValueError).

type Fn2 = (a: unknown, b: unknown) => unknown;
type Fn1 = (a: unknown) => unknown;

export interface OperatorsRuntime {
  np: Record<string, unknown>;
  dyn: Record<string, Fn1 | Fn2>;
  truth(value: unknown): boolean;
}

interface LibraryExports {
  np: unknown;
  NDArray: abstract new (...args: never[]) => unknown;
  ValueError?: new (message: string) => Error;
}

/** The JS meaning of each operator, for operands that are not arrays. */
const JS2: Record<string, (a: any, b: any) => unknown> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  power: (a, b) => a ** b,
  mod: (a, b) => a % b,
  less: (a, b) => a < b,
  less_equal: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greater_equal: (a, b) => a >= b,
};

export function createOperatorsRuntime(lib: LibraryExports): OperatorsRuntime {
  const np = lib.np as Record<string, unknown>;
  const NDArray = lib.NDArray;
  const isArray = (v: unknown): boolean => v instanceof NDArray;
  const dyn: Record<string, Fn1 | Fn2> = {};
  for (const [name, js] of Object.entries(JS2)) {
    const f = np[name] as Fn2;
    if (typeof f !== "function") throw new Error(`gradlab kernel: np.${name} is missing (needed by the ${name} operator)`);
    dyn[name] = (a: unknown, b: unknown) => (isArray(a) || isArray(b) ? f(a, b) : js(a, b));
  }
  const neg = np.negative as Fn1, pos = np.positive as Fn1;
  dyn.negative = (a: unknown) => (isArray(a) ? neg(a) : -(a as number));
  dyn.positive = (a: unknown) => (isArray(a) ? pos(a) : +(a as number));
  const ValueError = lib.ValueError ?? Error;

  /** numpy's bool(x): a size-1 array is its element's truth (a traced one: its primal value); larger is an error. */
  function truth(value: unknown): boolean {
    if (!isArray(value)) return Boolean(value);
    const a = value as { size: number; shape: number[]; item(): unknown };
    if (a.size !== 1) {
      throw new ValueError(
        a.size === 0
          ? "The truth value of an empty array is ambiguous (in an if / while / ! / && / || / ?: condition); " +
            "use np.any(x) or np.all(x), or check x.size"
          : `The truth value of an array with more than one element is ambiguous (shape [${a.shape.join(", ")}], in an ` +
            "if / while / ! / && / || / ?: condition); use np.any(x) or np.all(x)",
      );
    }
    const v = a.item();
    if (typeof v === "object" && v !== null) {
      const c = v as { re: number; im: number };
      return c.re !== 0 || c.im !== 0;
    }
    // numpy: NaN is true
    return typeof v === "number" ? v !== 0 : Boolean(v);
  }

  return { np, dyn, truth };
}
