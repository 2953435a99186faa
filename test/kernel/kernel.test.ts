// The gradlab kernel, driven through nbclient (Jupyter's own client): one kernel for the whole file, started in a
// temporary folder (a notebook outside the repository), always shut down in afterAll.
import * as path from "path";
import { describe, expect, it } from "vitest";
import { type CellRun, jupyterPython, streamText, useKernelSession } from "./session";

const python = jupyterPython();
if (!python && process.env.CI) throw new Error("Jupyter (nbclient) is not installed: `npm run setup` should have installed it");

describe.skipIf(!python)("gradlab kernel through nbclient", () => {
  // Every display update reaches the client here (the kernel coalesces them by default: test/kernel/faults.test.ts).
  const kernel = useKernelSession(python!, { env: { GRADLAB_DISPLAY_UPDATE_MS: "0" }, cwd: (dir) => path.join(dir, "some notebooks") });

  const run = (code: string, opts?: { interruptAfter?: number; interruptOnOutput?: string }) => kernel.session.execute(code, opts);
  const only = (r: CellRun, type: string) => r.outputs.filter((o) => o.output_type === type);
  const noStderr = (r: CellRun) => expect(streamText(r, "stderr")).toBe("");

  it("shows an NDArray as an execute_result with an HTML table and numpy-like text", async () => {
    const r = await run("const x = np.ones([2, 3]);\nx");
    expect(r.reply.status).toBe("ok");
    const [res] = only(r, "execute_result");
    expect(res.execution_count).toBe(r.reply.execution_count);
    expect(r.execution_count).toBe(r.reply.execution_count);
    expect(res.data!["text/plain"]).toMatch(/^array\(\[\[1\., 1\., 1\.\],/);
    expect(res.data!["text/html"]).toContain("<table");
    expect(res.data!["text/html"]).toContain("(2, 3)");
    expect(res.data!["text/html"]).toContain("float64");
    noStderr(r);
  });

  it("elides large arrays in the table", async () => {
    const r = await run("np.reshape(np.arange(2500), [50, 50])");
    const html = only(r, "execute_result")[0].data!["text/html"];
    expect(html).toContain("…");
    expect(html).toContain("(50, 50)");
    expect(html.match(/<tr>/g)!.length).toBeLessThan(10);
  });

  it("shows numbers, strings and plain objects as text/plain", async () => {
    const n = await run("1 + 2");
    expect(only(n, "execute_result")[0].data).toEqual({ "text/plain": "3" });
    const s = await run('"hello"');
    expect(only(s, "execute_result")[0].data).toEqual({ "text/plain": "'hello'" });
    const o = await run("({ a: 1, b: [1, 2], c: np.zeros([2]) })");
    const text = only(o, "execute_result")[0].data!["text/plain"];
    expect(text).toContain("a: 1");
    expect(text).toContain("array([0., 0.])");
    const none = await run("let unused = 1;");
    expect(none.outputs).toEqual([]);
    const assign = await run("unused = 2");
    expect(assign.outputs).toEqual([]);
  });

  it("renders any object with Symbol.for('Jupyter.display'), adding text/plain", async () => {
    const r = await run(
      'class Fancy { [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>fancy</b>" }; } }\nnew Fancy()',
    );
    const data = only(r, "execute_result")[0].data!;
    expect(data["text/html"]).toBe("<b>fancy</b>");
    expect(typeof data["text/plain"]).toBe("string");
    const a = await run('({ [Symbol.for("Jupyter.display")]: async () => ({ "text/markdown": "# hi", "text/plain": "hi" }) })');
    expect(only(a, "execute_result")[0].data).toEqual({ "text/markdown": "# hi", "text/plain": "hi" });
  });

  it("sends display_data mid-cell and redraws it in place with update()", async () => {
    const r = await run(
      [
        "const h = display(np.zeros([2, 2]));",
        'console.log("after first display");',
        "for (let epoch = 1; epoch <= 3; epoch++) h.update(np.full([2, 2], epoch));",
        "h.displayId",
      ].join("\n"),
    );
    expect(r.reply.status).toBe("ok");
    const types = r.messages.map((m) => m.msg_type);
    expect(types.indexOf("display_data")).toBeLessThan(types.indexOf("stream"));
    const updates = r.messages.filter((m) => m.msg_type === "update_display_data");
    expect(updates).toHaveLength(3);
    const first = r.messages.find((m) => m.msg_type === "display_data")!;
    const id = first.content.transient.display_id;
    expect(updates.every((u) => u.content.transient.display_id === id)).toBe(true);
    // nbclient applied the updates to the output: it shows the last epoch.
    const shown = only(r, "display_data");
    expect(shown).toHaveLength(1);
    expect(shown[0].data!["text/plain"]).toContain("3.");
    expect(shown[0].data!["text/html"]).toContain("<table");
    expect(only(r, "execute_result")[0].data!["text/plain"]).toBe(`'${id}'`);
  });

  it("does not show the handle when a cell ends with display(x)", async () => {
    const r = await run('display(html("<i>x</i>"))');
    expect(r.outputs.map((o) => o.output_type)).toEqual(["display_data"]);
    expect(r.outputs[0].data).toEqual({ "text/html": "<i>x</i>", "text/plain": "x" });
  });

  it("reports a runtime error with ename, evalue and a traceback at the cell's line", async () => {
    const r = await run(["const a = np.ones([2, 3]);", "const b = np.ones([2, 3]);", "// the shapes do not align", "const c = np.matmul(a, b);"].join("\n"));
    expect(r.reply.status).toBe("error");
    const [err] = only(r, "error");
    expect(err.ename).toBe("ShapeError");
    expect(err.evalue).toContain("(2, 3)");
    expect(r.reply.ename).toBe("ShapeError");
    const tb = err.traceback!.join("\n");
    expect(tb).toContain(`Cell In[${r.execution_count}], line 4`);
    expect(tb).toContain("----> 4 const c = np.matmul(a, b);");
    expect(tb).not.toMatch(/evalmachine|\.js:\d+/);
    noStderr(r);
  });

  it("points at the lines of functions defined in earlier cells", async () => {
    const def = await run("function inner(n: number): number {\n  if (n > 1) return inner(n - 1);\n  throw new RangeError(`bad n ${n}`);\n}");
    const r = await run("const v = 3;\ninner(v)");
    const [err] = only(r, "error");
    expect(err.ename).toBe("RangeError");
    expect(err.evalue).toBe("bad n 1");
    const tb = err.traceback!.join("\n");
    expect(tb).toContain(`Cell In[${def.execution_count}], line 3, in inner`);
    expect(tb).toContain(`Cell In[${r.execution_count}], line 2`);
    expect(tb.lastIndexOf(`Cell In[${def.execution_count}]`)).toBeGreaterThan(tb.indexOf(`Cell In[${r.execution_count}]`));
  });

  it("reports a type error with the line and the message, and does not run the cell", async () => {
    const r = await run('let ranBadCell = "no";\nconst t = np.tanhh(1);\nranBadCell = "yes"');
    expect(r.reply.status).toBe("error");
    const [err] = only(r, "error");
    expect(err.ename).toBe("TSError");
    expect(err.evalue).toContain("line 2");
    expect(err.evalue).toContain("tanhh");
    expect(err.traceback!.join("\n")).toContain("----> 2 const t = np.tanhh(1);");
    const check = await run("typeof ranBadCell");
    expect(only(check, "error")[0].ename).toBe("TSError"); // never declared: the cell did not run
  });

  it("runs the next cell normally after an error, keeping earlier state", async () => {
    await run("const kept = np.array([1, 2, 3]);");
    const bad = await run('throw new Error("boom")');
    expect(bad.reply.status).toBe("error");
    const next = await run("kept.shape");
    expect(next.reply.status).toBe("ok");
    expect(only(next, "execute_result")[0].data!["text/plain"]).toBe("[ 3 ]");
    expect(next.reply.execution_count).toBe(bad.reply.execution_count + 1);
  });

  it("an intermediate kept from inside grad is refused with a ReleasedArrayError; returning it as aux works", async () => {
    await run(["const leaked: NDArray[] = [];", "const w0 = np.linspace(-1, 1, 100);",
      "const lossK = (w: NDArray) => { const h = np.tanh(np.multiply(w, 2)); leaked.push(h); return np.sum(np.square(h)); };",
      "const gK = grad(lossK)(w0);"].join("\n"));
    const shown = await run("leaked[0]");
    expect(shown.reply.status).toBe("error");
    const [err] = only(shown, "error");
    expect(err.ename).toBe("ReleasedArrayError");
    expect(err.evalue).toMatch(/gradAndAux/);
    const aux = await run(["const [gA, hA] = gradAndAux((w: NDArray) => { const h = np.tanh(np.multiply(w, 2)); return [np.sum(np.square(h)), h]; })(w0);",
      "[np.allclose(gA, gK), (hA as NDArray).shape, np.allclose(hA as NDArray, np.tanh(np.multiply(w0, 2)))]"].join("\n"));
    expect(aux.reply.status).toBe("ok");
    expect(only(aux, "execute_result")[0].data!["text/plain"]).toBe("[ true, [ 100 ], true ]");
  });

  it("keeps declarations of a cell that failed at run time", async () => {
    await run("const before = 41;\nfunction helper() { return before + 1; }\nthrow new Error('late failure')");
    const r = await run("helper()");
    expect(only(r, "execute_result")[0].data!["text/plain"]).toBe("42");
  });

  it("stops a long loop on interrupt and stays usable", async () => {
    await run("let spins = 0;");
    const r = await run('console.log("spinning");\nwhile (true) { spins++; }', { interruptOnOutput: "spinning", interruptAfter: 0.3 });
    expect(r.reply.status).toBe("error");
    expect(only(r, "error")[0].ename).toBe("KeyboardInterrupt");
    const after = await run("spins > 0");
    expect(only(after, "execute_result")[0].data!["text/plain"]).toBe("true");
  });

  it("interrupts an awaiting cell", async () => {
    const r = await run('console.log("waiting");\nawait new Promise((resolve) => setTimeout(resolve, 60_000));', {
      interruptOnOutput: "waiting",
      interruptAfter: 0.2,
    });
    expect(only(r, "error")[0].ename).toBe("KeyboardInterrupt");
    const after = await run("1");
    expect(after.reply.status).toBe("ok");
  });

  it("supports top-level await and stdout", async () => {
    const r = await run('console.log("a");\nawait new Promise((r) => setTimeout(r, 10));\nconsole.log("b");\n"done"');
    expect(streamText(r, "stdout"), JSON.stringify(r.messages ?? r.outputs)).toBe("a\nb\n");
    expect(only(r, "execute_result")[0].data!["text/plain"]).toBe("'done'");
  });

  it("has the library's exports as typed globals, and resolves `import ... from \"gradlab\"`", async () => {
    const r = await run('import { np as np2 } from "gradlab";\nconst f = (x: NDArray) => np2.sum(np.tanh(x));\nconst g = grad(f);\ng(np.zeros([3])).shape');
    expect(r.reply.status).toBe("ok");
    expect(only(r, "execute_result")[0].data!["text/plain"]).toBe("[ 3 ]");
    const typed = await run("const s: string = np.ones([2]);");
    expect(only(typed, "error")[0].ename).toBe("TSError");
  });

  it("sends plotly.js as its own output before the first figure, never with updates", async () => {
    const isLibrary = (data: Record<string, string> | undefined) => String(data?.["text/html"] ?? "").includes('data-gradlab-plotly="');
    const isFigure = (data: Record<string, string> | undefined) => String(data?.["text/plain"] ?? "").startsWith("Figure(");
    // A live curve, the notebook's only figure, updated in place: the library must survive the updates.
    const r = await run(
      [
        "plot.resetPlotlyInlining();",
        'const liveFig = plot.live({ title: "live" });',
        "const liveHandle = display(liveFig);",
        "for (let i = 0; i < 5; i++) liveHandle.update(liveFig.extend(i, i * i));",
      ].join("\n"),
    );
    expect(r.reply.status).toBe("ok");
    const sent = r.messages.filter((m) => m.msg_type === "display_data" || m.msg_type === "update_display_data");
    expect(sent.map((m) => m.msg_type)).toEqual(["display_data", "display_data", ...Array(5).fill("update_display_data")]);
    const [lib, fig, ...updates] = sent;
    expect(isLibrary(lib.content.data)).toBe(true);
    expect(lib.content.transient?.display_id).toBeUndefined(); // nothing can update it
    expect(isFigure(fig.content.data) && !isLibrary(fig.content.data)).toBe(true);
    expect(updates.every((u) => isFigure(u.content.data) && !isLibrary(u.content.data))).toBe(true);
    expect(updates.every((u) => u.content.transient.display_id === fig.content.transient.display_id)).toBe(true);
    // nbclient's saved outputs: the library, then the figure with its last state
    expect(r.outputs).toHaveLength(2);
    expect(isLibrary(r.outputs[0].data)).toBe(true);
    expect(r.outputs[1].data!["text/plain"]).toContain("5 points");
    // Later figures (display or execute_result) are light; after a reset, an execute_result gets the library first.
    const later = await run("display(plot.line([1, 2, 3]));\nplot.line([3, 2, 1])");
    expect(later.outputs.map((o) => o.output_type)).toEqual(["display_data", "execute_result"]);
    expect(later.outputs.some((o) => isLibrary(o.data))).toBe(false);
    const reset = await run("plot.resetPlotlyInlining();\nplot.line([1, 2])");
    expect(reset.outputs.map((o) => o.output_type)).toEqual(["display_data", "execute_result"]);
    expect(isLibrary(reset.outputs[0].data)).toBe(true);
    expect(isFigure(reset.outputs[1].data) && !isLibrary(reset.outputs[1].data)).toBe(true);
  });

  it("numbers executions in order", async () => {
    const a = await run("1");
    const b = await run("2");
    expect(b.reply.execution_count).toBe(a.reply.execution_count + 1);
    expect(only(b, "execute_result")[0].execution_count).toBe(b.reply.execution_count);
  });
});
