// `npm start` (scripts/start.js): Jupyter Notebook on notebooks/ with gradlab as the default kernel, the URL
// printed, and a clean stop (kernels included) on Ctrl-C.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, isolatedKernelEnv, jupyterPython } from "./session";

const python = jupyterPython();

async function api(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status}`);
  return res.json();
}

function kernelProcesses(kernelId: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(`kernel-${kernelId}.json`));
}

describe.skipIf(!python)("npm start", () => {
  let child: ChildProcess | null = null;
  let tmp = "";

  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("serves notebooks/ with the gradlab kernel, prints the URL and stops cleanly on Ctrl-C", async () => {
    const iso = isolatedKernelEnv(python!);
    tmp = iso.dir;
    const env = { ...iso.env, GRADLAB_PYTHON: python!, JUPYTER_CONFIG_DIR: path.join(tmp, "config") };
    child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.js"), "--ip", "127.0.0.1", "--port", "0", "--no-browser"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
      const check = () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+)\/tree\?token=([0-9a-f]+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[0]);
        }
      };
      child!.stdout!.on("data", check);
      child!.on("exit", () => reject(new Error(`start.js exited:\n${out}`)));
    });
    const [, base, token] = /(http:\/\/[^/]+)\/tree\?token=(\w+)/.exec(url)!;
    expect(out).toContain(path.join(ROOT, "notebooks"));

    const specs = await api(`${base}/api/kernelspecs?token=${token}`);
    expect(specs.default).toBe("gradlab");
    expect(specs.kernelspecs.gradlab.spec.display_name).toBe("TypeScript (gradlab)");

    const kernel = await api(`${base}/api/kernels?token=${token}`, { method: "POST", body: JSON.stringify({ name: "gradlab" }) });
    expect(kernel.name).toBe("gradlab");
    expect(kernelProcesses(kernel.id).length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => child!.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toContain("[start] stopped");
    // The server shut its kernels down on the way out.
    await new Promise((r) => setTimeout(r, 500));
    expect(kernelProcesses(kernel.id)).toEqual([]);
  }, 120_000);

  it("refuses unknown options and a bad port with a message naming them", () => {
    const run = (...a: string[]) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "start.js"), ...a], { encoding: "utf8" });
    const bad = run("--prot", "8890");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown option --prot");
    const port = run("--port", "eighty");
    expect(port.status).toBe(2);
    expect(port.stderr).toContain('--port needs a port number (0: a free one), got "eighty"');
  });
});
