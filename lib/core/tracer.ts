// The tracer: boxes, traces, primitives and the two passes (reverse and forward).
//
// How it works, in one paragraph. Differentiating `f` at `x` opens a *trace* with a fresh id (ids grow with
// nesting, so `grad(grad(f))` has two). The input is wrapped in a *box*: an NDArray sharing the value's storage
// plus `_box = { value, trace, node }`. Every primitive call looks at its arguments; if any is boxed, it unboxes
// the arguments of the newest trace, computes on the unboxed values (recursively, so outer traces are served
// next), and boxes the answer. In reverse mode the box's node remembers the primitive, its arguments and its
// parents, and the backward pass walks those nodes from the output in reverse topological order, applying each
// primitive's VJP. In forward mode the box carries a tangent instead, pushed through each primitive's JVP at
// once. VJP and JVP rules are written with differentiable functions, so derivatives of derivatives just work.
// A third mode, "lin", records the graph as reverse mode does but checks for JVP rules: `linearization` then
// pushes any number of tangents through the recorded graph without recomputing a primal value (forward-mode
// Jacobians: one evaluation of f, then one JVP pass per column).
import type { BoxInfo } from "../array/ndarray";
import { NDArray, RELEASED_BOX, releasedError } from "../array/ndarray";
import { GradientError } from "../array/errors";
import { beginAllocScope, endAllocScope, enterTracedImpl, leaveTracedImpl, recycle, resetAllocScopes } from "../array/dtype";
import { addInPlace } from "../array/kernels";
import { vspace } from "./vspace";

export type Mode = "rev" | "fwd" | "lin";

export class Trace {
  static counter = 0;
  readonly id = ++Trace.counter;
  constructor(readonly mode: Mode) {}
}

/** Traces opened so far (the id of the newest). */
export const traceCount = (): number => Trace.counter;

/** A node of the reverse-mode graph: one primitive application (or a start node for an input). */
export class RevNode {
  /** Cotangent accumulated during the backward pass. */
  g: NDArray | undefined = undefined;
  /** Scratch for toposort: the sort that last saw this node, and its children not yet ordered. */
  stamp = 0;
  pending = 0;
  /** The box bind returned for this node's answer (lib/core/release.ts marks it released). */
  box: NDArray | undefined = undefined;
  constructor(
    readonly prim: Primitive | null,
    readonly args: unknown[],
    readonly ans: NDArray,
    readonly parents: RevNode[],
    readonly argnums: number[],
  ) {}
}

/** `g` is the output cotangent; returns the cotangent of one argument (null for zero). */
export type VjpRule = (g: NDArray, ans: NDArray, ...args: any[]) => NDArray | null;
/** `t` is one argument's tangent; returns its contribution to the output tangent (null for zero). */
export type JvpRule = (t: NDArray, ans: NDArray, ...args: any[]) => NDArray | null;

export interface PrimitiveDef {
  /** Forward computation on plain (unboxed) values. */
  impl: (...args: any[]) => NDArray;
  /** One VJP rule per differentiable argument position (or a function of the position, for variadic primitives). */
  vjp?: (VjpRule | undefined)[] | ((argnum: number) => VjpRule | undefined);
  /** One JVP rule per differentiable argument position (or a function of the position). */
  jvp?: (JvpRule | undefined)[] | ((argnum: number) => JvpRule | undefined);
  /** Names of the array-operand positions (the leading arguments), for error messages and linear JVPs. */
  argNames?: string[];
  /** Non-differentiable (comparisons, argmax, floor, ...): boxes are dropped, the result is a constant. */
  nondiff?: boolean;
  /**
   * Linear in all its array arguments (add, subtract, reshape, sum, concatenate, ...): the JVP is the
   * primitive applied to the tangents, so no JVP rules are needed.
   */
  linear?: boolean;
  /**
   * Its rules or implementation run user code (primitive/defvjp, checkpoint), which may keep references to the
   * arrays it sees: a backward pass through it recycles no storage.
   */
  opaque?: boolean;
}

export interface Primitive {
  (...args: any[]): NDArray;
  readonly primName: string;
  readonly def: PrimitiveDef;
}

/** Called once per primitive application in reverse mode, when a graph recorder is listening (traceGraph). */
export type NodeListener = (node: RevNode) => void;
let nodeListener: NodeListener | null = null;
export function setNodeListener(l: NodeListener | null): NodeListener | null {
  const prev = nodeListener;
  nodeListener = l;
  return prev;
}

/** Every reverse node made while this is set is pushed to it (lib/core/release.ts). */
let nodeLog: RevNode[] | null = null;
export function setNodeLog(log: RevNode[] | null): void {
  nodeLog = log;
}

export function box(value: NDArray, trace: Trace, node: unknown): NDArray {
  const b = new NDArray(value.data, value.shape, value.dtype);
  b._box = { value, trace, node } as BoxInfo;
  return b;
}

export const isBoxed = (x: unknown): x is NDArray => x instanceof NDArray && x._box !== undefined;

/** The value with every box removed (the primal value). */
export function getValue(x: NDArray): NDArray {
  while (x._box) x = x._box.value;
  return x;
}

/** Every primitive defined so far, in definition order (the fuzz tests enumerate them). */
const registry: Primitive[] = [];
export const registeredPrimitives = (): readonly Primitive[] => registry.slice();

/** Defines a primitive: a function on arrays whose derivatives are given by rules rather than traced. */
export function definePrimitive(name: string, def: PrimitiveDef): Primitive {
  const prim = ((...args: any[]) => bind(prim, args)) as Primitive;
  registry.push(prim);
  Object.defineProperty(prim, "primName", { value: name });
  Object.defineProperty(prim, "name", { value: name });
  Object.defineProperty(prim, "def", { value: def });
  def.vjp ??= [];
  def.jvp ??= [];
  return prim;
}

export function vjpRule(def: PrimitiveDef, argnum: number): VjpRule | undefined {
  const v = def.vjp!;
  return typeof v === "function" ? v(argnum) : v[argnum];
}

export function jvpRule(def: PrimitiveDef, argnum: number): JvpRule | undefined {
  const v = def.jvp!;
  return typeof v === "function" ? v(argnum) : v[argnum];
}

function argLabel(prim: Primitive, i: number): string {
  const n = prim.def.argNames?.[i];
  return n ? `argument ${i} (${n})` : `argument ${i}`;
}

function missingRule(prim: Primitive, i: number, mode: Mode): GradientError {
  const kind = mode === "rev" ? "VJP (reverse mode)" : "JVP (forward mode)";
  return new GradientError(
    `${prim.primName}: no ${kind} gradient is defined with respect to ${argLabel(prim, i)}. ` +
      `Treat it as a constant, or register one with ${mode === "rev" ? "defvjp" : "defjvp"}(${prim.primName}, ...).`,
  );
}

/** Applies a primitive to possibly boxed arguments. The hot path of every traced computation. */
export function bind(prim: Primitive, args: any[]): NDArray {
  let top: Trace | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof NDArray && a._box !== undefined) {
      const t = a._box.trace as Trace;
      if (top === null || t.id > top.id) top = t;
    }
  }
  const def = prim.def;
  if (top === null) return def.impl(...args);
  if (top === RELEASED_BOX.trace) throw releasedError(prim.primName);
  if (def.nondiff) return def.impl(...args.map((a) => (a instanceof NDArray ? getValue(a) : a)));

  const argvals = args.slice();
  const boxed: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof NDArray && a._box !== undefined && a._box.trace === top) {
      argvals[i] = a._box.value;
      boxed.push(i);
    }
  }
  const prevTraced = enterTracedImpl(); // storage made from here to the answer belongs to a traced value
  let ans: NDArray;
  try {
    ans = bind(prim, argvals);
  } finally {
    leaveTracedImpl(prevTraced);
  }

  if (top.mode !== "fwd") {
    const rev = top.mode === "rev";
    const parents = new Array<RevNode>(boxed.length);
    for (let k = 0; k < boxed.length; k++) {
      if (rev ? !vjpRule(def, boxed[k]) : !def.linear && !jvpRule(def, boxed[k])) throw missingRule(prim, boxed[k], top.mode);
      parents[k] = (args[boxed[k]] as NDArray)._box!.node as RevNode;
    }
    const node = new RevNode(prim, argvals, ans, parents, boxed);
    if (nodeListener && rev) nodeListener(node);
    if (nodeLog) nodeLog.push(node);
    return (node.box = box(ans, top, node));
  }

  // forward mode: push tangents through at once
  const tangents = new Array<NDArray>(boxed.length);
  for (let k = 0; k < boxed.length; k++) tangents[k] = (args[boxed[k]] as NDArray)._box!.node as NDArray;
  return box(ans, top, pushTangent(prim, argvals, ans, boxed, tangents));
}

/**
 * The answer's tangent for one application of `prim` to `argvals` (unboxed) with answer `ans`, when the
 * arguments at positions `boxed` move along `tangents` (the others are constants).
 */
function pushTangent(prim: Primitive, argvals: unknown[], ans: NDArray, boxed: number[], tangents: NDArray[]): NDArray {
  const def = prim.def;
  if (def.linear) {
    // A linear primitive's JVP is the primitive itself, applied to the tangents (constants become zeros).
    // Constant operands become zeros: arrays, and numbers in the named operand positions (argNames).
    const nOperands = def.argNames?.length ?? 0;
    const linArgs = argvals.map((a, j) => {
      const k = boxed.indexOf(j);
      return k >= 0 ? tangents[k]
        : a instanceof NDArray ? vspace().zerosLike(a)
        : typeof a === "number" && j < nOperands ? 0
        : a;
    });
    return prim(...linArgs);
  }
  let tangent: NDArray | null = null;
  for (let k = 0; k < boxed.length; k++) {
    const rule = jvpRule(def, boxed[k]);
    if (!rule) throw missingRule(prim, boxed[k], "fwd");
    const contribution = rule(tangents[k], ans, ...argvals);
    if (contribution) tangent = tangent ? vspace().add(tangent, contribution) : contribution;
  }
  return tangent ?? vspace().zerosLike(ans);
}

/**
 * Forward mode on a recorded graph (from a "lin" or "rev" trace): a function from the start nodes' tangents to
 * the tangent of `end`, running only the JVP rules on the recorded arguments and answers.
 */
export function linearization(end: RevNode, starts: RevNode[]): (tangents: NDArray[]) => NDArray {
  const order = toposort(end).reverse(); // parents before children
  return (tangents) => {
    const tangentOf = new Map<RevNode, NDArray>();
    starts.forEach((s, i) => tangentOf.set(s, tangents[i]));
    for (const node of order) {
      if (node.prim === null) continue;
      const ts = node.parents.map((p) => tangentOf.get(p)!);
      tangentOf.set(node, pushTangent(node.prim, node.args, node.ans, node.argnums, ts));
    }
    return tangentOf.get(end)!;
  };
}

// ---- reverse pass ------------------------------------------------------------------------------------------

/** Nodes reachable from `end`, children before parents (Kahn's algorithm on child counts, no recursion). */
function toposort(end: RevNode): RevNode[] {
  // first pass: count each node's children in `pending` (nodes seen in this sort carry its stamp)
  const stamp = ++sortStamp;
  const stack = [end];
  end.stamp = stamp;
  end.pending = 0;
  while (stack.length) {
    const parents = stack.pop()!.parents;
    for (let k = 0; k < parents.length; k++) {
      const p = parents[k];
      if (p.stamp !== stamp) {
        p.stamp = stamp;
        p.pending = 0;
        stack.push(p);
      }
      p.pending++;
    }
  }
  const order: RevNode[] = [];
  const ready = [end];
  while (ready.length) {
    const node = ready.pop()!;
    order.push(node);
    const parents = node.parents;
    for (let k = 0; k < parents.length; k++) if (--parents[k].pending === 0) ready.push(parents[k]);
  }
  return order;
}
let sortStamp = 0;

/** Number of traces whose function is running: while one is, any array may be recorded by it. */
let openTraces = 0;

/** No trace is open and no graph recorder listens: a trace opened now is the only one that sees its arrays. */
export const tracingIdle = (): boolean => openTraces === 0 && nodeListener === null;

/**
 * Puts the tracer's and the allocator's global state back to idle: no trace open, no recorder, no allocation
 * scope. For a computation that was terminated without running its `finally` blocks (a notebook interrupt:
 * V8's TerminateExecution, like a vm timeout, skips them), which would otherwise leave a trace counted as open
 * (no storage recycled again) and a node log or scope collecting every later array (memory growing without
 * bound). Only while no traced computation runs.
 */
export function resetTracing(): void {
  openTraces = 0;
  nodeListener = null;
  nodeLog = null;
  resetAllocScopes();
}

/**
 * Runs the backward pass from `end` with output cotangent `g`; cotangents land on the nodes' `g`.
 *
 * Storage: the pass owns what it allocates. Cotangents summed from several children accumulate in place in a
 * buffer the pass itself created (until the node is processed, only `node.g` can see it). And when no trace is
 * open (nothing can have recorded an intermediate), no primitive on the way runs user code (`opaque`) and the
 * cotangents are not kept, every buffer allocated during the pass goes back to the storage pool at the end,
 * except the storage of the gradients it returns (the start nodes' `g`).
 */
export function backwardPass(g: NDArray, end: RevNode, keepCotangents = false): void {
  let recyclable = openTraces === 0 && !keepCotangents;
  const outer = beginAllocScope();
  const accumulators = new Set<NDArray>();
  let finished = false;
  const results: NDArray[] = [];
  try {
    end.g = g;
    for (const node of toposort(end)) {
      const prim = node.prim;
      const gOut = node.g;
      if (gOut === undefined) continue;
      if (prim === null) {
        results.push(gOut);
        continue;
      }
      accumulators.delete(gOut);
      if (prim.def.opaque) recyclable = false;
      if (!keepCotangents) node.g = undefined; // free intermediate cotangents as we go
      for (let k = 0; k < node.parents.length; k++) {
        const parent = node.parents[k];
        const gArg = vjpRule(prim.def, node.argnums[k])!(gOut, node.ans, ...node.args);
        if (gArg === null) continue;
        const prev = parent.g;
        if (prev === undefined) parent.g = gArg;
        else if (accumulators.has(prev) && addInto(prev, gArg)) continue;
        else {
          const sum = vspace().add(prev, gArg);
          parent.g = sum;
          if (sum._box === undefined) accumulators.add(sum);
        }
      }
    }
    finished = true;
  } finally {
    const allocated = endAllocScope(outer);
    if (finished && recyclable && outer.list === null) {
      const live = new Set<unknown>();
      for (const r of results) live.add(r.data);
      for (const d of allocated) if (!live.has(d)) recycle(d);
    }
  }
}

/** acc += x in place when both are plain float64 arrays of one shape (acc: an accumulator of this pass). */
function addInto(acc: NDArray, x: NDArray): boolean {
  if (x._box !== undefined || acc.dtype !== "float64" || x.dtype !== "float64" || acc.size !== x.size) return false;
  const a = acc.shape, b = x.shape;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  addInPlace(acc.data as Float64Array, x.data as Float64Array);
  return true;
}

// ---- entry points used by the differential operators ------------------------------------------------------

/** Opens a reverse trace: boxes `x`, runs `fn`, returns the output and a function mapping cotangents to gradients. */
export function traceReverse(
  fn: (boxed: NDArray[]) => unknown,
  inputs: NDArray[],
  onStarts?: (starts: RevNode[]) => void,
  mode: "rev" | "lin" = "rev",
): { out: unknown; trace: Trace; starts: RevNode[] } {
  const trace = new Trace(mode);
  const starts = inputs.map((x) => new RevNode(null, [], x, [], []));
  onStarts?.(starts);
  const boxedInputs = inputs.map((x, i) => box(x, trace, starts[i]));
  openTraces++;
  try {
    return { out: fn(boxedInputs), trace, starts };
  } finally {
    openTraces--;
  }
}

/** The node of `y` on `trace`, or null when `y` does not depend on the trace's inputs. */
export function nodeOn(y: unknown, trace: Trace): RevNode | null {
  if (y instanceof NDArray && y._box !== undefined && y._box.trace === trace) return y._box.node as RevNode;
  return null;
}

/** The unboxed value of `y` at `trace` (its value for enclosing traces). */
export function valueOn(y: NDArray, trace: Trace): NDArray {
  return y._box !== undefined && y._box.trace === trace ? y._box.value : y;
}

export function traceForward(
  fn: (boxed: NDArray[]) => unknown,
  inputs: NDArray[],
  tangents: NDArray[],
): { out: unknown; trace: Trace } {
  const trace = new Trace("fwd");
  const boxedInputs = inputs.map((x, i) => box(x, trace, tangents[i]));
  openTraces++;
  try {
    return { out: fn(boxedInputs), trace };
  } finally {
    openTraces--;
  }
}

/** Tangent of `y` on a forward trace (null when independent of the inputs). */
export function tangentOn(y: unknown, trace: Trace): NDArray | null {
  if (y instanceof NDArray && y._box !== undefined && y._box.trace === trace) return y._box.node as NDArray;
  return null;
}
