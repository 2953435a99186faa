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

export function createOperatorsRuntime(lib: LibraryExports): OperatorsRuntime {
  const np = lib.np as Record<string, unknown>;
  const NDArray = lib.NDArray;
  const isArray = (v: unknown): boolean => v instanceof NDArray;
  const fn = (name: string): Fn2 => {
    const f = np[name] as Fn2;
    if (typeof f !== "function") throw new Error(`gradlab kernel: np.${name} is missing (needed by the ${name} operator)`);
    return f;
  };
  const add = fn("add"), sub = fn("subtract"), mul = fn("multiply"), div = fn("divide"), pow = fn("power"), mod = fn("mod");
  const lt = fn("less"), le = fn("less_equal"), gt = fn("greater"), ge = fn("greater_equal");
  const neg = fn("negative") as unknown as Fn1, pos = fn("positive") as unknown as Fn1;
  // One small function per operator (not one closure shape for all): each call site stays monomorphic, and
  // two numbers take the first test only.
  type A = any;
  const num = (a: unknown, b: unknown) => typeof a === "number" && typeof b === "number";
  const arr = (a: unknown, b: unknown) => isArray(a) || isArray(b);
  const dyn: Record<string, Fn1 | Fn2> = {
    add: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a + b : add(a, b)),
    subtract: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a - b : sub(a, b)),
    multiply: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a * b : mul(a, b)),
    divide: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a / b : div(a, b)),
    power: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a ** b : pow(a, b)),
    mod: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a % b : mod(a, b)),
    less: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a < b : lt(a, b)),
    less_equal: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a <= b : le(a, b)),
    greater: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a > b : gt(a, b)),
    greater_equal: (a: A, b: A) => (num(a, b) || !arr(a, b) ? a >= b : ge(a, b)),
    negative: (a: A) => (typeof a === "number" || !isArray(a) ? -a : neg(a)),
    positive: (a: A) => (typeof a === "number" || !isArray(a) ? +a : pos(a)),
  };
  const ValueError = lib.ValueError ?? Error;

  /** numpy's bool(x): a size-1 array is its element's truth (a traced one: its primal value); larger is an error. */
  function truth(value: unknown): boolean {
    if (typeof value === "boolean") return value;
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
