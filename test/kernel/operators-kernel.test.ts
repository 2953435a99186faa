// Operators on arrays in cells, through the real kernel (Jupyter's client, nbclient): the seed's two programs
// written exactly as autograd's README writes them, with their pinned values (test/core/seed.test.ts), and what
// a learner sees when something is wrong.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { type CellRun, jupyterPython, streamText, useKernelSession } from "./session";

const python = jupyterPython();

describe.skipIf(!python)("operators on arrays in kernel cells", () => {
  const kernel = useKernelSession(python!);

  const result = (r: CellRun) => r.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"];
  const ok = (r: CellRun) => {
    expect(r.reply.status, JSON.stringify(r.reply.traceback ?? r.reply)).toBe("ok");
    expect(streamText(r, "stderr")).toBe("");
  };

  it("the seed's Taylor-series sine, written with operators, gives the pinned gradient", async () => {
    const def = await kernel.session.execute(
      [
        "function taylorSine(x) {  // Taylor approximation to sine function",
        "  let ans = x;",
        "  let currterm = x;",
        "  let i = 0;",
        "  while (np.abs(currterm) > 0.001) {",
        "    currterm = -currterm * x ** 2 / ((2 * i + 3) * (2 * i + 2));",
        "    ans = ans + currterm;",
        "    i += 1;",
        "  }",
        "  return ans;",
        "}",
        "const gradTaylorSine = grad(taylorSine);",
        'console.log("Gradient of sin(pi) is", gradTaylorSine(Math.PI));',
      ].join("\n"),
    );
    ok(def);
    const printed = streamText(def, "stdout").trim();
    expect(printed.startsWith("Gradient of sin(pi) is ")).toBe(true);
    expect(Number(printed.split(" ").pop())).toBeCloseTo(-0.9998995297042174, 14);
    // plain numbers go through the same function unchanged (number op number stays JS arithmetic)
    const plain = await kernel.session.execute("taylorSine(Math.PI / 2)");
    ok(plain);
    expect(Number(result(plain))).toBeCloseTo(1, 3);
  });

  it("the seed's logistic regression, written with operators, trains to the pinned loss", async () => {
    const r = await kernel.session.execute(
      [
        "function sigmoid(x) {",
        "  return 0.5 * (np.tanh(x / 2.) + 1);",
        "}",
        "function logisticPredictions(weights, inputs) {",
        "  // Outputs probability of a label being true according to logistic model.",
        "  return sigmoid(np.dot(inputs, weights));",
        "}",
        "function trainingLoss(weights) {",
        "  // Training loss is the negative log-likelihood of the training labels.",
        "  const preds = logisticPredictions(weights, inputs);",
        "  const labelProbabilities = preds * targets + (1 - preds) * (1 - targets);",
        "  return -np.sum(np.log(labelProbabilities));",
        "}",
        "// Build a toy dataset.",
        "const inputs = np.array([[0.52, 1.12,  0.77],",
        "                         [0.88, -1.08, 0.15],",
        "                         [0.52, 0.06, -1.3],",
        "                         [0.74, -2.49, 1.39]]);",
        "const targets = np.array([true, true, false, true]);",
        "// Define a function that returns gradients of training loss using autograd.",
        "const trainingGradientFun = grad(trainingLoss);",
        "// Optimize weights using gradient descent.",
        "let weights = np.array([0.0, 0.0, 0.0]);",
        'console.log("Initial loss:", trainingLoss(weights).item());',
        "for (let i = 0; i < 100; i++) {",
        "  weights -= trainingGradientFun(weights) * 0.01;",
        "}",
        'console.log("Trained loss:", trainingLoss(weights).item());',
      ].join("\n"),
    );
    ok(r);
    const lines = streamText(r, "stdout").trim().split("\n");
    expect(lines[0]).toMatch(/^Initial loss: /);
    expect(Number(lines[0].split(" ").pop())).toBeCloseTo(2.772588722239781, 14);
    expect(Number(lines[1].split(" ").pop())).toBeCloseTo(1.0672706757870163, 12);
    // names defined with operators keep their array types in later cells
    const later = await kernel.session.execute("(weights * 2).shape");
    ok(later);
    expect(result(later)).toBe("[ 3 ]");
  });

  it("the README's examples run as written (the opening cell and the operators section)", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    const opening = blocks[0];
    expect(opening).toContain("w -= g(w) * 0.01;");
    const a = await kernel.session.execute(opening);
    ok(a);
    expect(result(a)).toBe("array(1.06727068)");
    const section = readme.slice(readme.indexOf("### Operators on arrays in cells"));
    const ops = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const b = await kernel.session.execute(ops.replace(/\bfunction taylorSine\b/, "function taylorSine2").replace(/grad\(taylorSine\)/, "grad(taylorSine2)"));
    ok(b);
    expect(Number(streamText(b, "stdout").trim())).toBeCloseTo(-0.9998995297042174, 14);
    expect(result(b)).toBe("array([False,  True,  True])");
  });

  it("typed cells: results are NDArrays to the checker, comparisons give bool arrays", async () => {
    const r = await kernel.session.execute("const a = np.array([1, 2, 3]);\nconst b = (a * a - 1) / 2;\n[b.tolist(), (a >= 2).tolist(), (a % 2).dtype, (-a).sum().item()]");
    ok(r);
    expect(result(r)).toBe("[ [ 0, 1.5, 4 ], [ false, true, true ], 'float64', -6 ]");
  });

  it("a condition on an array with more than one element is numpy's ambiguity error, at the user's line", async () => {
    const r = await kernel.session.execute("const v = np.array([1, 2]);\nif (v > 0) {\n  console.log('never');\n}");
    expect(r.reply.status).toBe("error");
    expect(r.reply.ename).toBe("ValueError");
    expect(r.reply.evalue).toMatch(/truth value of an array with more than one element is ambiguous.*np\.any\(x\) or np\.all\(x\)/);
    expect(r.reply.traceback!.join("\n")).toMatch(/----> 2 if \(v > 0\) \{/);
    const fine = await kernel.session.execute("let steps = 0;\nwhile (np.sum(v) > steps) steps += 1;\nsteps");
    ok(fine);
    expect(result(fine)).toBe("3");
  });

  it("type errors stay precise: string * NDArray names the user's line and column", async () => {
    const r = await kernel.session.execute("const m = np.ones(2);\nconst k = m * 2 + m * 3; const bad = 'a' * m;");
    expect(r.reply.status).toBe("error");
    expect(r.reply.ename).toBe("TSError");
    expect(r.reply.evalue).toMatch(/^line 2: The left-hand side of an arithmetic operation must be of type/);
    const tb = r.reply.traceback!.join("\n");
    expect(tb).toContain("----> 2 const k = m * 2 + m * 3; const bad = 'a' * m;");
    // the caret sits under 'a' in the user's text
    const lines = tb.split("\n");
    const at = lines.findIndex((l) => l.startsWith("----> 2"));
    expect(lines[at + 1].indexOf("^")).toBe(lines[at].indexOf("'a'"));
    expect(tb).not.toContain("__gradlabOps");
  });

  it("a runtime error inside an operator expression points at the user's line", async () => {
    const r = await kernel.session.execute("const p = np.ones(2);\nconst q = np.ones(3);\nconst s = p * q;");
    expect(r.reply.status).toBe("error");
    expect(r.reply.evalue).toMatch(/multiply/);
    expect(r.reply.traceback!.join("\n")).toMatch(/Cell In\[\d+\], line 3[\s\S]*----> 3 const s = p \* q;/);
  });
});
