// The operator rewrite of notebook cells (kernel/operators.ts), through the kernel's real cell compiler (tslab's
// converter on its TypeScript 5.0.4, with the generated globals), in this process: what text each cell becomes,
// which diagnostics remain and where, and what the runtime helper does. The kernel-level behaviour (seed programs
// through Jupyter) is in operators-kernel.test.ts.
import { createRequire } from "module";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const req = createRequire(path.join(ROOT, "dist", "kernel", "main.js"));
type Compiler = import("../../kernel/compiler").CellCompiler;
const { applyEdits, MapChain } = req("./textedit.js") as typeof import("../../kernel/textedit");
const { createOperatorsRuntime } = req("./operatorsRuntime.js") as typeof import("../../kernel/operatorsRuntime");
const lib = req("../lib/index.js") as typeof import("../../lib/index");

let compiler: Compiler;
beforeAll(() => {
  const Module = req("module") as typeof import("module");
  const { loadTypeScript } = req("./tsload.js") as typeof import("../../kernel/tsload");
  const tslab = req("./tslab.js") as typeof import("../../kernel/tslab");
  const paths = req("./paths.js") as typeof import("../../kernel/paths");
  const globals = req("./globals.js") as typeof import("../../kernel/globals");
  const { createCellCompiler } = req("./compiler.js") as typeof import("../../kernel/compiler");
  const file = tslab.typescriptFile();
  const ts = loadTypeScript(file, Module.createRequire(file));
  const libDts = paths.libDeclarations();
  if (globals.globalsStale(libDts, paths.typesDir(), null)) globals.writeGlobals(ts, libDts, paths.typesDir(), Object.keys(lib));
  compiler = createCellCompiler(
    ts,
    { typeRoots: [paths.typesDir(), paths.nodeTypesRoot()], types: ["node", globals.GLOBALS_PACKAGE], paths: { gradlab: [libDts.replace(/\.d\.ts$/, "")] } },
    path.join(ROOT, "notebooks"),
  );
}, 60_000);

const DECLS = "declare const x: NDArray; declare const y: NDArray; declare const n: number; declare let a: any;\n";
const O = "__gradlabOps";
/** The rewritten text of a cell that starts with DECLS (which is stripped from the result). */
const rw = (src: string, prev = "") => {
  const r = compiler.rewrite(prev, DECLS + src);
  expect(r.text.startsWith(DECLS)).toBe(true);
  return r.text.slice(DECLS.length);
};
const diags = (src: string) => compiler.compile("", src).diagnostics;

describe("operator rewrite: which operators, which operands", () => {
  it("every binary operator on two NDArrays becomes its np function", () => {
    const table: Array<[string, string]> = [
      ["+", "add"], ["-", "subtract"], ["*", "multiply"], ["/", "divide"], ["**", "power"], ["%", "mod"],
      ["<", "less"], ["<=", "less_equal"], [">", "greater"], [">=", "greater_equal"],
    ];
    for (const [op, fn] of table) expect(rw(`x ${op} y;`)).toBe(`${O}.np.${fn}(x , y);`);
  });

  it("either side may be a number; number op number is never touched", () => {
    expect(rw("2 * x;")).toBe(`${O}.np.multiply(2 , x);`);
    expect(rw("x / 2;")).toBe(`${O}.np.divide(x , 2);`);
    expect(rw("n * x;")).toBe(`${O}.np.multiply(n , x);`);
    const plain = "const k = 2 * 3 + n ** 2 % 5 - -n / 4; const b = n < 4 && n >= 1; let m = 1; m += 2; m **= 2; if (n > 1) m++;";
    expect(rw(plain)).toBe(plain);
  });

  it("unary minus and plus on arrays", () => {
    expect(rw("-x;")).toBe(`${O}.np.negative(x);`);
    expect(rw("+x;")).toBe(`${O}.np.positive(x);`);
    expect(rw("-n;")).toBe("-n;");
    // the operator token is replaced in place: the space after it stays, columns stay close to the user's
    expect(rw("- -x;")).toBe(`${O}.np.negative( ${O}.np.negative(x));`);
  });

  it("compound assignments on arrays", () => {
    const table: Array<[string, string]> = [["+=", "add"], ["-=", "subtract"], ["*=", "multiply"], ["/=", "divide"], ["**=", "power"], ["%=", "mod"]];
    for (const [op, fn] of table) {
      expect(rw(`let w = np.ones(3); w ${op} y;`)).toBe(`let w = np.ones(3); w = ${O}.np.${fn}(w, y);`);
    }
    expect(rw("let w = np.ones(3); w -= y * 0.01;")).toBe(`let w = np.ones(3); w = ${O}.np.subtract(w, ${O}.np.multiply(y , 0.01));`);
    expect(rw("const o = { w: np.ones(2) }; o.w *= 2;")).toBe(`const o = { w: np.ones(2) }; o.w = ${O}.np.multiply(o.w, 2);`);
    expect(rw("const ws = [np.ones(2)]; ws[0] += x;")).toBe(`const ws = [np.ones(2)]; ws[0] = ${O}.np.add(ws[0], x);`);
    // a target written over two lines is rebuilt on one: the rewrite never adds a line
    expect(rw("const o = { w: np.ones(2) }; o\n  .w -= x;")).toBe(`const o = { w: np.ones(2) }; o\n  .w = ${O}.np.subtract(o.w, x);`);
  });

  it("keeps precedence and parentheses exactly as TypeScript parsed them", () => {
    expect(rw("x + y * 2;")).toBe(`${O}.np.add(x , ${O}.np.multiply(y , 2));`);
    expect(rw("(x + y) * 2;")).toBe(`${O}.np.multiply((${O}.np.add(x , y)) , 2);`);
    expect(rw("x * y + 1;")).toBe(`${O}.np.add(${O}.np.multiply(x , y) , 1);`);
    expect(rw("1 - x - y;")).toBe(`${O}.np.subtract(${O}.np.subtract(1 , x) , y);`);
    expect(rw("x ** 2 ** n;")).toBe(`${O}.np.power(x , 2 ** n);`);
    expect(rw("(-x) ** 2;")).toBe(`${O}.np.power((${O}.np.negative(x)) , 2);`);
    expect(rw("x*y+1;")).toBe(`${O}.np.add(${O}.np.multiply(x,y),1);`);
  });

  it("the result is an NDArray to TypeScript: methods and further operators type-check", () => {
    expect(rw("(x * y).sum();")).toBe(`(${O}.np.multiply(x , y)).sum();`);
    // `z` is typed from the rewritten initializer only on the second check: the rewrite iterates to a fixpoint.
    const r = compiler.rewrite("", "const x = np.ones(3); const z = x * 2; const w = z + 1; w.sum()");
    expect(r.text).toBe(`const x = np.ones(3); const z = ${O}.np.multiply(x , 2); const w = ${O}.np.add(z , 1); w.sum()`);
    expect(r.checks).toBe(3);
    expect(diags("const x = np.ones(3); const z = x * 2; const w = z + 1; w.sum()")).toEqual([]);
  });

  it("functions whose inferred return type changes are followed through the fixpoint", () => {
    const src = "function sq(v: NDArray) { return v * v; }\nconst t = sq(np.ones(2)) / 2;\nt.shape";
    expect(compiler.rewrite("", src).text).toBe(`function sq(v: NDArray) { return ${O}.np.multiply(v , v); }\nconst t = ${O}.np.divide(sq(np.ones(2)) , 2);\nt.shape`);
    expect(diags(src)).toEqual([]);
  });

  it("operands typed `any` go through the runtime dispatch, with or without an array", () => {
    expect(rw("a * 2;")).toBe(`${O}.dyn.multiply(a , 2);`);
    expect(rw("a + x;")).toBe(`${O}.np.add(a , x);`);
    expect(rw("-a;")).toBe(`${O}.dyn.negative(a);`);
    expect(rw("a += 1;")).toBe(`a = ${O}.dyn.add(a, 1);`);
    expect(rw("function f(v) { return v ** 2 / 2; }")).toBe(`function f(v) { return ${O}.dyn.divide(${O}.dyn.power(v , 2) , 2); }`);
  });

  it("NDArray | number operands and subclasses/generics bounded by NDArray count as arrays", () => {
    expect(rw("function f(v: NDArray | number) { return v * 2; }")).toBe(`function f(v: NDArray | number) { return ${O}.np.multiply(v , 2); }`);
    expect(rw("function g<T extends NDArray>(v: T) { return v - 1; }")).toBe(`function g<T extends NDArray>(v: T) { return ${O}.np.subtract(v , 1); }`);
  });

  it("strings, booleans and other objects are left alone (string concatenation stays)", () => {
    expect(rw('"x = " + x;')).toBe('"x = " + x;');
    expect(rw('x + "!";')).toBe('x + "!";');
    expect(rw('a + "!";')).toBe('a + "!";');
    expect(rw("[1, 2].length * 2;")).toBe("[1, 2].length * 2;");
    expect(rw("x === y; x == y; x !== y;")).toBe("x === y; x == y; x !== y;");
  });

  it("template strings and comments are untouched (operators inside ${} are rewritten)", () => {
    expect(rw("`x * y = ${x * y}`;")).toBe(`\`x * y = \${${O}.np.multiply(x , y)}\`;`);
    expect(rw("// x * y\nx /* times */ * y; /* x - y */")).toBe(`// x * y\n${O}.np.multiply(x /* times */ , y); /* x - y */`);
    expect(rw("'x * y';")).toBe("'x * y';");
  });

  it("comparisons in boolean contexts go through truth()", () => {
    expect(rw("while (np.abs(x) > 0.001) {}")).toBe(`while (${O}.truth(${O}.np.greater(np.abs(x) , 0.001))) {}`);
    expect(rw("if (x < 1) {}")).toBe(`if (${O}.truth(${O}.np.less(x , 1))) {}`);
    expect(rw("for (let i = 0; n > i && x >= 0; i++) {}")).toBe(`for (let i = 0; n > i && ${O}.truth(${O}.np.greater_equal(x , 0)); i++) {}`);
    // x.sum() is a 0-d NDArray: its comparison is an array too
    expect(rw("for (let i = 0; x.sum() > i; i++) {}")).toBe(`for (let i = 0; ${O}.truth(${O}.np.greater(x.sum() , i)); i++) {}`);
    expect(rw("const c = x > 0 ? 1 : 2;")).toBe(`const c = ${O}.truth(${O}.np.greater(x , 0)) ? 1 : 2;`);
    expect(rw("!(x > y);")).toBe(`!${O}.truth((${O}.np.greater(x , y)));`);
    expect(rw("do {} while (a > 1);")).toBe(`do {} while (${O}.truth(${O}.dyn.greater(a , 1)));`);
    expect(rw("if (x) {}")).toBe(`if (${O}.truth(x)) {}`);
    // a comparison kept as a value stays an array
    expect(rw("const m = x > 0;")).toBe(`const m = ${O}.np.greater(x , 0);`);
    // plain `any` values in conditions are not touched (only rewritten operators are)
    expect(rw("if (a) {}")).toBe("if (a) {}");
  });

  it("a cell with no operator or condition is not type-checked twice (no rewrite pass at all)", () => {
    expect(compiler.rewrite("", "const xs = np.linspace(0, 1, 5);\nplot.line(xs, np.sin(xs))").checks).toBe(0);
    expect(compiler.rewrite("", "const k = -1; const s = `a-b`; // x * y").checks).toBe(0);
    expect(compiler.rewrite("", "const v = np.ones(2); -v").checks).toBe(2);
  });

  it("leaves a compound assignment with a side-effecting target alone (TypeScript's error stays)", () => {
    const src = "const ws = [np.ones(2)]; let k = 0; ws[k++] += x;";
    expect(compiler.rewrite("", "declare const x: NDArray;\n" + src).text).toBe("declare const x: NDArray;\n" + src);
  });
});

describe("operator rewrite: errors keep the user's positions", () => {
  it("string * NDArray is still TS2362/TS2363, at the right line and column after rewrites on the same line", () => {
    const src = "const x = np.ones(2);\nconst q = x * 2 + x * 3; const s = 'a' * x;";
    const d = diags(src);
    expect(d.map((e) => e.code)).toEqual([2362, 2363]);
    const line = src.split("\n")[1];
    expect(d[0].start.line).toBe(1);
    expect(d[0].start.character).toBe(line.indexOf("'a'"));
    expect(d[0].end.character).toBe(line.indexOf("'a'") + 3);
    expect(d[0].start.offset).toBe(src.indexOf("'a'"));
    expect(d[1].start.line).toBe(1);
    expect(d[1].start.character).toBe(line.lastIndexOf("x"));
  });

  it("an error inside a rewritten expression points at the user's operand", () => {
    const src = "const x = np.ones(2);\nconst r = (x * 2).nosuch();";
    const [d] = diags(src);
    expect(d.code).toBe(2339);
    expect(d.messageText).toMatch(/nosuch/);
    expect(d.start.line).toBe(1);
    expect(d.start.character).toBe(src.split("\n")[1].indexOf("nosuch"));
  });

  it("assigning an array result to a number variable is a type error at the variable", () => {
    const src = "const x = np.ones(2);\nlet total = 0;\ntotal += x;";
    const [d] = diags(src);
    expect(d.code).toBe(2322);
    expect(d.messageText).toMatch(/NDArray.*number/);
    expect(d.start.line).toBe(2);
    expect(d.start.character).toBe(0);
  });

  it("runtime source maps point at the user's line and column", () => {
    const src = "const x = np.ones(2);\nconst q = x * 2 + x * 3; const s = q.sum();";
    const c = compiler.compile("", src);
    expect(c.map).not.toBeNull();
    const cols = c.map!.flat().filter(([, l]) => l === 1).map(([, , col]) => col);
    // every mapped column exists in the user's line (none points past it, as columns of the rewritten text would)
    expect(Math.max(...cols)).toBeLessThanOrEqual(src.split("\n")[1].length);
    expect(cols).toContain(src.split("\n")[1].indexOf("q.sum"));
  });

  it("completion sees the rewritten types, at the user's positions, without the helper's name", () => {
    const src = "const x = np.ones(2);\nconst q = (x * 2).su";
    const r = compiler.complete("", src, src.length);
    expect(r.candidates).toContain("sum");
    expect(r.start).toBe(src.length - 2);
    expect(r.end).toBe(src.length);
    const all = compiler.complete("", "const x = np.ones(2);\n__gra", "const x = np.ones(2);\n__gra".length);
    expect(all.candidates).not.toContain("__gradlabOps");
  });

  it("inspect sees the rewritten types", () => {
    const src = "const x = np.ones(2);\nconst q = x * 2;\nq";
    expect(compiler.inspect("", src, src.lastIndexOf("q"))).toMatch(/NDArray/);
  });
});

describe("text edits", () => {
  it("maps offsets both ways around insertions and replacements", () => {
    const src = "ab*cd";
    const r = applyEdits(src, [
      { pos: 0, end: 0, text: "f(", order: 1 },
      { pos: 2, end: 3, text: ",", order: 0 },
      { pos: 5, end: 5, text: ")", order: -1 },
    ]);
    expect(r.text).toBe("f(ab,cd)");
    expect(r.map.toOriginal(2)).toBe(0); // a
    expect(r.map.toOriginal(5)).toBe(3); // c
    expect(r.map.toOriginal(0)).toBe(0); // inside the inserted "f("
    expect(r.map.toRewritten(3)).toBe(5);
    const chain = new MapChain();
    chain.push(r.map);
    const r2 = applyEdits(r.text, [{ pos: 0, end: 0, text: "g(", order: 0 }, { pos: 8, end: 8, text: ")", order: 0 }]);
    chain.push(r2.map);
    expect(r2.text).toBe("g(f(ab,cd))");
    expect(chain.toOriginal(r2.text.indexOf("c"))).toBe(3);
    expect(chain.toRewritten(3)).toBe(r2.text.indexOf("c"));
    expect(() => applyEdits("abc", [{ pos: 0, end: 2, text: "", order: 0 }, { pos: 1, end: 3, text: "", order: 0 }])).toThrow(/overlapping/);
  });
});

describe("operators runtime", () => {
  const ops = createOperatorsRuntime(lib as never);
  const dyn = ops.dyn as Record<string, (...a: unknown[]) => unknown>;

  it("numbers and strings get plain JS semantics; arrays (traced or not) the np function", () => {
    expect(dyn.add(1, 2)).toBe(3);
    expect(dyn.add("a", 1)).toBe("a1");
    expect(dyn.mod(-1, 3)).toBe(-1); // JS % on numbers
    expect(dyn.less(1, 2)).toBe(true);
    expect(dyn.negative(2)).toBe(-2);
    expect(dyn.positive("3")).toBe(3);
    const v = dyn.mod(lib.np.array([-1, 4]), 3) as import("../../lib/index").NDArray;
    expect(v.tolist()).toEqual([2, 1]); // numpy's % on arrays
    expect((dyn.greater(lib.np.array([1, 3]), 2) as import("../../lib/index").NDArray).tolist()).toEqual([false, true]);
    const g = lib.grad((t: any) => dyn.multiply(dyn.power(t, 3), 2) as never)(2);
    expect(g).toBeCloseTo(24, 12);
  });

  it("truth() is numpy's bool(): size-1 arrays by value, larger ones refuse", () => {
    expect(ops.truth(lib.np.array(0))).toBe(false);
    expect(ops.truth(lib.np.array([2]))).toBe(true);
    expect(ops.truth(lib.np.array(NaN))).toBe(true);
    expect(ops.truth(lib.np.greater(lib.np.array(1), 0))).toBe(true);
    expect(ops.truth(0)).toBe(false);
    expect(ops.truth("x")).toBe(true);
    expect(() => ops.truth(lib.np.array([1, 2]))).toThrow(/truth value of an array with more than one element is ambiguous.*np\.any\(x\) or np\.all\(x\)/);
    expect(() => ops.truth(lib.np.zeros([0]))).toThrow(/empty array is ambiguous/);
    // on a traced value: its primal, as autograd does
    let seen: boolean | null = null;
    lib.grad((t: any) => {
      seen = ops.truth(lib.np.greater(t, 1));
      return lib.np.multiply(t, t);
    })(3);
    expect(seen).toBe(true);
  });
});
