// The kernel under faults (issue 11, item 4), each driven through nbclient (Jupyter's own client): a cell that
// runs out of memory or whose process is killed, infinite loops stopped by interrupt (also under CPU load),
// 100 MB of output, 50 failing and interrupted cells in a row, a 10^5-step training loop with a live plot.
// One kernel for the file, with a small memory limit (so running out of memory is quick) and a 2 MB output limit.
import { type ChildProcess, spawn } from "child_process";
import { describe, expect, it } from "vitest";
import { type CellRun, jupyterPython, streamText, useKernelSession } from "./session";

const python = jupyterPython();
if (!python && process.env.CI) throw new Error("Jupyter (nbclient) is not installed: `npm run setup` should have installed it");

const MEMORY_MB = 1536;
const OUTPUT_LIMIT_MB = 2;

/** A process spinning on one core for at most `ms` (the "under load" part of the interrupt tests). */
function burnCpu(ms: number): ChildProcess {
  return spawn(process.execPath, ["-e", `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], { stdio: "ignore" });
}

describe.skipIf(!python)("gradlab kernel under faults, through nbclient", () => {
  const kernel = useKernelSession(python!, {
    env: { GRADLAB_KERNEL_MEMORY_MB: String(MEMORY_MB), GRADLAB_OUTPUT_LIMIT_MB: String(OUTPUT_LIMIT_MB), GRADLAB_DISPLAY_UPDATE_MS: undefined },
    timeout: 60_000,
  });

  const run = (code: string, opts?: { interruptAfter?: number; interruptOnOutput?: string; timeout?: number }) => kernel.session.execute(code, opts);
  const only = (r: CellRun, type: string) => r.outputs.filter((o) => o.output_type === type);
  const result = (r: CellRun) => only(r, "execute_result")[0]?.data?.["text/plain"];
  const kernelPid = async () => Number(result(await run("process.pid")));

  /** After a crash restart: the dying cell's error, the note on the next cell, earlier variables gone, counting on. */
  async function expectRestarted(crash: CellRun, why: RegExp, oldPid: number): Promise<void> {
    expect(crash.reply.status).toBe("error");
    expect(crash.reply.ename).toBe("KernelRestarted");
    const [err] = only(crash, "error");
    expect(err.ename).toBe("KernelRestarted");
    expect(err.evalue).toMatch(why);
    expect(err.evalue).toContain(`the kernel process died`);
    expect(err.evalue).toContain(`while running cell ${crash.reply.execution_count}`);
    expect(err.evalue).toContain("it restarted; variables from earlier cells are gone");
    const next = await run("1 + 1");
    expect(next.reply.status).toBe("ok");
    expect(result(next)).toBe("2");
    expect(streamText(next, "stderr")).toMatch(/\[gradlab\] the kernel restarted: its process died \(.*\) while running cell \d+; variables from earlier cells are gone/);
    expect(next.reply.execution_count).toBe(crash.reply.execution_count + 1);
    const pid = await kernelPid();
    expect(pid).not.toBe(oldPid);
    // announced once only
    const again = await run("2 + 2");
    expect(streamText(again, "stderr")).toBe("");
  }

  it("out of memory in a cell (a growing JS array): the kernel restarts and says why", async () => {
    const pid = await kernelPid();
    await run("const keptBeforeOom = 42;");
    const crash = await run("const hog: number[][] = [];\nfor (;;) hog.push(new Array(10_000).fill(Math.random()));", { timeout: 120 });
    await expectRestarted(crash, new RegExp(`out of memory: it used more than ${MEMORY_MB} MB \\(GRADLAB_KERNEL_MEMORY_MB\\)`), pid);
    const gone = await run("keptBeforeOom");
    expect(only(gone, "error")[0].ename).toBe("TSError");
    expect(only(gone, "error")[0].evalue).toContain("keptBeforeOom");
    // and the new kernel works
    const ok = await run("np.sum(np.ones([3]))");
    expect(result(ok)).toContain("3");
  }, 150_000);

  it("SIGKILL of the executing kernel process: the kernel restarts and says why", async () => {
    const pid = await kernelPid();
    const crash = await run('console.log("about to die");\nprocess.kill(process.pid, "SIGKILL");\nawait new Promise((r) => setTimeout(r, 10_000));');
    await expectRestarted(crash, /killed by SIGKILL/, pid);
  }, 90_000);

  it("a cell calling process.exit(): the kernel restarts and says why", async () => {
    const pid = await kernelPid();
    const crash = await run("process.exit(3)");
    await expectRestarted(crash, /exited with code 3/, pid);
  }, 90_000);

  it("an infinite loop (while (true) {}) stops on interrupt under CPU load", async () => {
    const burners = [burnCpu(20_000), burnCpu(20_000)];
    try {
      await run("let beforeLoop = 7;");
      const r = await run('console.log("looping");\nwhile (true) {}', { interruptOnOutput: "looping", interruptAfter: 0.3 });
      expect(r.reply.status).toBe("error");
      expect(only(r, "error")[0].ename).toBe("KeyboardInterrupt");
      expect(r.elapsed_ms).toBeLessThan(15_000);
      // for(;;) { x = np.add(x, 1) }: the loop spends its time inside the library
      const r2 = await run('let x = np.zeros([4]);\nconsole.log("adding");\nfor (;;) { x = np.add(x, 1); }', { interruptOnOutput: "adding", interruptAfter: 0.5 });
      expect(only(r2, "error")[0].ename).toBe("KeyboardInterrupt");
      const after = await run("[beforeLoop, np.sum(x).item() > 0, x.shape[0]]");
      expect(result(after)).toBe("[ 7, true, 4 ]");
    } finally {
      for (const b of burners) b.kill("SIGKILL");
    }
  }, 90_000);

  it("an interrupt inside grad leaves grad working", async () => {
    const r = await run(
      'const fq = (v: NDArray) => np.sum(np.tanh(np.multiply(v, v)));\nlet gq = np.zeros([3]);\nconsole.log("differentiating");\nfor (;;) gq = grad(fq)(np.ones([3]));',
      { interruptOnOutput: "differentiating", interruptAfter: 0.5 },
    );
    expect(only(r, "error")[0].ename).toBe("KeyboardInterrupt");
    // d/dv sum tanh(v^2) = 2 v (1 - tanh(v^2)^2) at v = 1
    const expected = 2 * (1 - Math.tanh(1) ** 2);
    const after = await run("grad(fq)(np.ones([3])).tolist()");
    const values = JSON.parse(result(after)!.replace(/\s+/g, ""));
    for (const v of values) expect(v).toBeCloseTo(expected, 12);
    const fwd = await run("grad((t: NDArray) => np.multiply(t, np.sin(t)))(np.array(2)).item()");
    expect(Number(result(fwd))).toBeCloseTo(Math.sin(2) + 2 * Math.cos(2), 12);
    // the interrupted grad ran none of its finally blocks: the kernel reset the tracer, so intermediates are
    // released again (a trace left counted as open would keep them, and a stuck node log would grow forever)
    const kept = await run("const keptQ: NDArray[] = [];\ngrad((v: NDArray) => { const h = np.tanh(np.multiply(v, v)); keptQ.push(h); return np.sum(h); })(np.ones([100]));\nkeptQ[0]");
    expect(only(kept, "error")[0]?.ename).toBe("ReleasedArrayError");
  }, 60_000);

  it("100 MB printed line by line: output truncated with a note, the kernel stays responsive", async () => {
    const r = await run('const line100 = "x".repeat(999);\nfor (let i = 0; i < 100_000; i++) console.log(line100);\n"printed"', { timeout: 120 });
    expect(r.reply.status).toBe("ok");
    expect(result(r)).toBe("'printed'");
    const out = streamText(r, "stdout");
    const err = streamText(r, "stderr");
    const limit = OUTPUT_LIMIT_MB * 2 ** 20;
    expect(out.length).toBeGreaterThan(limit * 0.99);
    expect(out.length).toBeLessThan(limit + 1000);
    expect(out).toContain(`[gradlab] output truncated: this cell printed more than ${OUTPUT_LIMIT_MB}.0 MB`);
    expect(err).toMatch(/\[gradlab\] output truncated: 9\d MB more not shown \(limit 2\.0 MB per cell, GRADLAB_OUTPUT_LIMIT_MB\)/);
    const t0 = Date.now();
    const next = await run('console.log("small"); 5');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(streamText(next, "stdout")).toBe("small\n");
    expect(result(next)).toBe("5");
  }, 150_000);

  it("one 100 MB string printed: output truncated with a note", async () => {
    const r = await run("console.log('y'.repeat(100 * 2 ** 20));", { timeout: 120 });
    expect(r.reply.status).toBe("ok");
    const out = streamText(r, "stdout");
    expect(out.length).toBeLessThan(OUTPUT_LIMIT_MB * 2 ** 20 + 1000);
    expect(out.startsWith("yyyy")).toBe(true);
    expect(streamText(r, "stderr")).toMatch(/output truncated: 98 MB more not shown/);
    // the next cell has a fresh budget
    const next = await run("console.log('z'.repeat(1000));");
    expect(streamText(next, "stdout")).toBe("z".repeat(1000) + "\n");
  }, 150_000);

  it("50 cells with errors and interrupts mixed, then a normal cell using an earlier variable", async () => {
    await run("const survivor = np.array([1, 2, 3]);\nlet counter = 0;");
    const kinds: string[] = [];
    for (let i = 0; i < 50; i++) {
      const k = i % 5;
      let r: CellRun;
      if (k === 0) r = await run(`counter++;\nthrow new Error("failure ${i}")`);
      else if (k === 1) r = await run(`const broken${i}: string = 1;`); // type error: not run
      else if (k === 2 && i % 10 === 2) r = await run(`counter++;\nconsole.log("spin ${i}");\nwhile (true) {}`, { interruptOnOutput: `spin ${i}`, interruptAfter: 0.1 });
      else if (k === 2) r = await run(`counter++;\nnp.matmul(np.ones([2, 3]), np.ones([2, 3]))`);
      else if (k === 3) r = await run(`counter++;\nconsole.log("waiting ${i}");\nawait new Promise((r) => setTimeout(r, 60_000));`, { interruptOnOutput: `waiting ${i}`, interruptAfter: 0.1 });
      else r = await run(`counter++;\nlet ok${i} = ${i};`);
      kinds.push(r.reply.status === "ok" ? "ok" : String(r.reply.ename));
    }
    expect(kinds.filter((k) => k === "KeyboardInterrupt")).toHaveLength(15);
    expect(kinds.filter((k) => k === "TSError")).toHaveLength(10);
    expect(kinds.filter((k) => k === "ok")).toHaveLength(10);
    const r = await run("[np.sum(survivor).item(), counter, ok49]");
    expect(r.reply.status).toBe("ok");
    expect(result(r)).toBe("[ 6, 40, 49 ]");
  }, 240_000);

  it("a 10^5-step training loop with a live plot: flat memory, throttled display updates, the last one sent", async () => {
    const r = await run(
      [
        'const v8m = require("v8"); v8m.setFlagsFromString("--expose-gc");',
        'const gcNow = require("vm").runInNewContext("gc") as () => void;',
        "const X = np.reshape(np.divide(np.arange(30), 30), [10, 3]);",
        "const yt = np.matmul(X, np.array([1, -2, 0.5]));",
        "const lossOf = (w: NDArray) => np.mean(np.square(np.subtract(np.matmul(X, w), yt)));",
        "const step = valueAndGrad(lossOf);",
        'const curve = plot.live({ title: "loss", logy: true });',
        "const liveOut = display(curve);",
        "gcNow();",
        "const mem0 = process.memoryUsage();",
        "let w = np.zeros([3]);",
        "let lastLoss = 0;",
        "const t0 = Date.now();",
        "for (let s = 1; s <= 100_000; s++) {",
        "  const [l, g] = step(w);",
        "  w = np.subtract(w, np.multiply(0.5, g));",
        "  lastLoss = l.item();",
        "  if (s % 100 === 0) curve.extend(s, lastLoss);",
        "  liveOut.update(curve);",
        "}",
        "const seconds = (Date.now() - t0) / 1000;",
        "gcNow();",
        "const mem1 = process.memoryUsage();",
        "({ heapMB: (mem1.heapUsed - mem0.heapUsed) / 2 ** 20, rssMB: (mem1.rss - mem0.rss) / 2 ** 20, seconds, lastLoss })",
      ].join("\n"),
      { timeout: 240 },
    );
    expect(r.reply.status, JSON.stringify(r.outputs.filter((o) => o.output_type !== "display_data"))).toBe("ok");
    const text = result(r)!;
    const num = (k: string) => Number(new RegExp(`${k}: (-?[\\d.e+-]+)`).exec(text)![1]);
    const seconds = num("seconds");
    // memory: the loop keeps nothing but the curve's 1000 points
    expect(num("heapMB")).toBeLessThan(32);
    expect(num("rssMB")).toBeLessThan(160);
    expect(num("lastLoss")).toBeLessThan(1e-6);
    // display updates: bounded by the rate (10/s, plus the first and the last), not by the 10^5 calls
    const updates = r.messages.filter((m) => m.msg_type === "update_display_data");
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    expect(updates.length).toBeLessThan(2000);
    // the last state went out: the saved output shows all 1000 points
    const shown = only(r, "display_data").find((o) => String(o.data?.["text/plain"]).startsWith("Figure("));
    expect(shown?.data?.["text/plain"]).toContain("1000 points");
    const last = updates[updates.length - 1];
    expect(last.content.data["text/plain"]).toContain("1000 points");
    console.log(`[faults] 1e5 steps in ${seconds.toFixed(1)} s, ${updates.length} update_display_data messages, heap ${num("heapMB").toFixed(1)} MB, rss ${num("rssMB").toFixed(1)} MB`);
  }, 300_000);
});
