// Binder: runs binder/postBuild as repo2docker would, against a temporary Python prefix standing in for
// $NB_PYTHON_PREFIX (a virtualenv over the system's Jupyter), then executes a notebook with that prefix's
// nbconvert, through the kernel registered there.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, jupyterPython } from "./session";

const python = jupyterPython();

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
  });
}

describe.skipIf(!python)("binder/postBuild", () => {
  let tmp: string;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-binder-"));
    prefix = path.join(tmp, "nb-python");
    const venv = spawnSync(python!, ["-m", "venv", "--without-pip", "--system-site-packages", prefix], { encoding: "utf8" });
    if (venv.status !== 0) throw new Error(`venv failed: ${venv.stderr}`);
    env = {
      ...process.env,
      NB_PYTHON_PREFIX: prefix,
      // Only the prefix's kernelspecs: no user-level gradlab kernel may answer for it.
      JUPYTER_DATA_DIR: path.join(tmp, "jupyter-data"),
      JUPYTER_RUNTIME_DIR: path.join(tmp, "jupyter-runtime"),
      JUPYTER_PATH: "",
      PYTHONNOUSERSITE: "1", // jupyter_core also looks in the user site (~/.local/share/jupyter)
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("is a bash script with set -e that registers the kernel with --sys-prefix against $NB_PYTHON_PREFIX", () => {
    const text = fs.readFileSync(path.join(ROOT, "binder", "postBuild"), "utf8");
    expect(text.startsWith("#!/usr/bin/env bash")).toBe(true);
    expect(text).toMatch(/^set -e/m);
    expect(text).toContain("--sys-prefix");
    expect(text).toContain("${NB_PYTHON_PREFIX}/bin/python");
    expect(fs.readFileSync(path.join(ROOT, "binder", "environment.yml"), "utf8")).toContain("nodejs");
  });

  it("registers the kernel in the prefix and a notebook executes through it", () => {
    const build = spawnSync("bash", [path.join(ROOT, "binder", "postBuild")], { cwd: ROOT, env, encoding: "utf8" });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(prefix, "share", "jupyter", "kernels", "gradlab", "kernel.json"), "utf8"));
    expect(spec.display_name).toBe("TypeScript (gradlab)");
    const where = spawnSync(
      path.join(prefix, "bin", "python"),
      ["-c", "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('gradlab').resource_dir)"],
      { env, encoding: "utf8" },
    );
    expect(where.stdout.trim()).toBe(path.join(prefix, "share", "jupyter", "kernels", "gradlab"));

    const nbDir = path.join(tmp, "work");
    fs.mkdirSync(nbDir);
    const nb = path.join(nbDir, "check.ipynb");
    fs.writeFileSync(
      nb,
      notebook([
        "const x = np.arange(6);\nnp.reshape(x, [2, 3])",
        "np.matmul(np.ones([2, 3]), np.ones([2, 3]))",
        "const g = grad((t: number) => np.multiply(t, t));\ng(3)",
      ]),
    );
    const exec = spawnSync(
      path.join(prefix, "bin", "python"),
      ["-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--ExecutePreprocessor.iopub_timeout=60", "--ExecutePreprocessor.raise_on_iopub_timeout=True", "--output", "out.ipynb", nb],
      { env, cwd: nbDir, encoding: "utf8", timeout: 120_000 },
    );
    expect(exec.status, exec.stderr).toBe(0);
    const out = JSON.parse(fs.readFileSync(path.join(nbDir, "out.ipynb"), "utf8"));
    const [c0, c1, c2] = out.cells;
    const text = (v: string | string[]) => ([] as string[]).concat(v).join("");
    expect(c0.execution_count).toBe(1);
    expect(c0.outputs[0].output_type).toBe("execute_result");
    expect(text(c0.outputs[0].data["text/html"])).toContain("<table");
    expect(c1.outputs[0].output_type).toBe("error");
    expect(c1.outputs[0].ename).toBe("ShapeError");
    expect(c2.execution_count).toBe(3);
    expect(text(c2.outputs[0].data["text/plain"])).toBe("6");
    for (const cell of out.cells) {
      expect(cell.outputs.filter((o: { name?: string }) => o.name === "stderr")).toEqual([]);
    }
  }, 240_000);
});
