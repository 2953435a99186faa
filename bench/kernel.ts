// Kernel latency, as a notebook user feels it, measured through jupyter_client (Jupyter's own client):
//   - start → ready: from asking for a kernel to its kernel_info reply (jupyter_client's wait_for_ready);
//   - start → first result: until a first trivial cell has run;
//   - trivial cell round trip: execute_request → idle, for `1 + 1`, median and 90th percentile.
// Peer: tslab alone (the kernel gradlab wraps). Targets: < 3 s to a ready kernel, < 150 ms per trivial cell.
//
//   node dist/bench/kernel.js [--starts 3] [--cells 30] [--no-tslab]
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kernelSpec } from "../kernel/install";
import { ROOT } from "../kernel/paths";

const PY = String.raw`
import asyncio, json, os, statistics, sys, time
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
from jupyter_client.manager import AsyncKernelManager

name, starts, cells, cwd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

async def run(kc, code):
    t = time.perf_counter()
    msg_id = kc.execute(code)
    got_reply = got_idle = False
    while not (got_reply and got_idle):
        if not got_reply:
            try:
                reply = await kc.get_shell_msg(timeout=0.001)
                if reply["parent_header"].get("msg_id") == msg_id:
                    got_reply = True
            except Exception:
                pass
        try:
            msg = await kc.get_iopub_msg(timeout=0.001)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            got_idle = True
    return (time.perf_counter() - t) * 1000

async def main():
    ready, first, trips = [], [], []
    for i in range(starts):
        t0 = time.perf_counter()
        km = AsyncKernelManager(kernel_name=name)
        await km.start_kernel(cwd=cwd)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=120)
            ready.append((time.perf_counter() - t0) * 1000)
            await run(kc, "1 + 1")
            first.append((time.perf_counter() - t0) * 1000)
            if i == 0:
                for _ in range(cells):
                    trips.append(await run(kc, "1 + 1"))
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
    trips.sort()
    print(json.dumps({
        "ready_ms": statistics.median(ready),
        "first_result_ms": statistics.median(first),
        "cell_median_ms": statistics.median(trips),
        "cell_p90_ms": trips[int(0.9 * (len(trips) - 1))],
    }))

asyncio.run(main())
`;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function python(): string {
  for (const py of [process.env.GRADLAB_PYTHON, "/usr/bin/python3", "python3"]) {
    if (!py) continue;
    try {
      execFileSync(py, ["-c", "import jupyter_client"], { stdio: "ignore" });
      return py;
    } catch {
      // next
    }
  }
  throw new Error("no Python with jupyter_client (run `npm run setup`)");
}

interface Result {
  ready_ms: number;
  first_result_ms: number;
  cell_median_ms: number;
  cell_p90_ms: number;
}

function main(): void {
  const starts = arg("--starts", 3);
  const cells = arg("--cells", 30);
  const py = python();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-bench-kernel-"));
  try {
    const kernels = path.join(tmp, "share", "jupyter", "kernels");
    const write = (name: string, spec: Record<string, unknown>) => {
      fs.mkdirSync(path.join(kernels, name), { recursive: true });
      fs.writeFileSync(path.join(kernels, name, "kernel.json"), JSON.stringify(spec));
    };
    write("gradlab", kernelSpec());
    const tslabBin = path.join(path.dirname(require.resolve("tslab/package.json")), "bin", "tslab");
    write("tslab-alone", {
      argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
      display_name: "tslab",
      language: "typescript",
    });
    const env = {
      ...process.env,
      JUPYTER_PATH: path.join(tmp, "share", "jupyter"),
      JUPYTER_DATA_DIR: path.join(tmp, "data"),
      JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
      PYTHONNOUSERSITE: "1",
    };
    const cwd = path.join(tmp, "notebooks");
    fs.mkdirSync(cwd);
    const measure = (name: string): Result =>
      JSON.parse(execFileSync(py, ["-c", PY, name, String(starts), String(cells), cwd], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));

    const snapshot = fs.existsSync(path.join(ROOT, "dist", "kernel", "cache", "kernel.blob"));
    const rows: Array<[string, Result]> = [[`gradlab${snapshot ? " (startup snapshot)" : ""}`, measure("gradlab")]];
    if (!process.argv.includes("--no-tslab")) rows.push(["tslab alone (peer)", measure("tslab-alone")]);

    const f = (ms: number) => `${Math.round(ms)} ms`.padStart(9);
    console.log(`\nkernel latency through jupyter_client (${starts} starts, ${cells} trivial cells; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)\n`);
    console.log(`${"kernel".padEnd(30)} ${"ready".padStart(9)} ${"1st result".padStart(10)} ${"cell p50".padStart(9)} ${"cell p90".padStart(9)}`);
    for (const [name, r] of rows) {
      console.log(`${name.padEnd(30)} ${f(r.ready_ms)} ${f(r.first_result_ms).padStart(10)} ${f(r.cell_median_ms)} ${f(r.cell_p90_ms)}`);
    }
    const g = rows[0][1];
    console.log(`\ntargets: ready < 3000 ms: ${g.ready_ms < 3000 ? "met" : "NOT met"}; trivial cell < 150 ms: ${g.cell_median_ms < 150 ? "met" : "NOT met"}`);
    if (rows[1]) {
      const t = rows[1][1];
      console.log(`ratio tslab / gradlab: ready ${(t.ready_ms / g.ready_ms).toFixed(2)}x, first result ${(t.first_result_ms / g.first_result_ms).toFixed(2)}x, cell ${(t.cell_median_ms / g.cell_median_ms).toFixed(2)}x`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
