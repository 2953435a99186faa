// Kernelspec registration: writes `gradlab/kernel.json` through jupyter_client's KernelSpecManager of the
// Python that runs Jupyter, so that Jupyter finds it exactly where it looks.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./paths";

export const KERNEL_NAME = "gradlab";
export const DISPLAY_NAME = "TypeScript (gradlab)";

export type InstallMode = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; prefix: string } | { kind: "system" };

export interface InstallOptions {
  mode: InstallMode;
  /** The Python whose jupyter_client is used (default: the one that runs `jupyter`). */
  python?: string;
  /** Node binary the kernel runs on (default: this one). */
  node?: string;
  name?: string;
  displayName?: string;
  quiet?: boolean;
}

export function kernelSpec(node = process.execPath, displayName = DISPLAY_NAME): Record<string, unknown> {
  return {
    argv: [node, path.join(ROOT, "dist", "kernel", "launch.js"), "-f", "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "signal",
    // figures load plotly.js from <base_url>kernelspecs/<name>/plotly.min.js (lib/plot/library.ts)
    env: { NODE_NO_WARNINGS: "1", GRADLAB_KERNEL_NAME: KERNEL_NAME },
    metadata: { gradlab: { root: ROOT } },
  };
}

function canImportJupyter(python: string): boolean {
  const r = spawnSync(python, ["-c", "import jupyter_client"], { stdio: "ignore", env: quietPythonEnv() });
  return r.status === 0;
}

export function quietPythonEnv(): NodeJS.ProcessEnv {
  // ipykernel's debugger otherwise warns about frozen modules on every import.
  return { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONWARNINGS: "ignore" };
}

/** The Python that runs Jupyter: $GRADLAB_PYTHON, else the interpreter in `jupyter`'s shebang, else /usr/bin/python3. */
export function findJupyterPython(): string | null {
  const candidates: string[] = [];
  if (process.env.GRADLAB_PYTHON) candidates.push(process.env.GRADLAB_PYTHON);
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const jupyter = path.join(dir, "jupyter");
    try {
      const head = fs.readFileSync(jupyter, "utf8").slice(0, 300).split("\n")[0];
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
      if (m) candidates.push(m[1].endsWith("/env") && m[2] ? m[2] : m[1]);
      break;
    } catch {
      // not here
    }
  }
  if (process.env.NB_PYTHON_PREFIX) candidates.push(path.join(process.env.NB_PYTHON_PREFIX, "bin", "python"));
  candidates.push("/usr/bin/python3", "python3");
  for (const c of candidates) if (canImportJupyter(c)) return c;
  return null;
}

const INSTALL_PY = `
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
src, name, kind, prefix = sys.argv[1:5]
kw = {}
if kind == "user": kw["user"] = True
elif kind == "sys-prefix": kw["prefix"] = sys.prefix
elif kind == "prefix": kw["prefix"] = prefix
print(KernelSpecManager().install_kernel_spec(src, name, **kw))
`;

/** Registers the kernelspec; returns the folder it was written to. */
export function installKernelSpec(opts: InstallOptions): string {
  const python = opts.python ?? findJupyterPython();
  if (!python) {
    throw new Error(
      "no Python with jupyter_client found: install Jupyter (Debian: apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient) or pass --python",
    );
  }
  const name = opts.name ?? KERNEL_NAME;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-kernelspec-"));
  try {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    const spec = kernelSpec(opts.node, opts.displayName) as { env: Record<string, string> };
    if (name !== KERNEL_NAME) spec.env.GRADLAB_KERNEL_NAME = name;
    fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
    fs.copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), path.join(dir, "plotly.min.js"));
    const prefix = opts.mode.kind === "prefix" ? path.resolve(opts.mode.prefix) : "";
    const out = execFileSync(python, ["-c", INSTALL_PY, dir, name, opts.mode.kind, prefix], {
      encoding: "utf8",
      env: quietPythonEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const dest = out.trim().split("\n").pop() ?? "";
    if (!opts.quiet) console.log(`Installed kernelspec ${name} (${opts.displayName ?? DISPLAY_NAME}) in ${dest}`);
    return dest;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
