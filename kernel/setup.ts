// `npm run setup`, kernel part (run by scripts/setup.js after the build). Each step checks before it acts:
//   1. Jupyter: `import nbclient, notebook` must work for the Python that runs Jupyter; if not, install the Debian
//      packages when we are root with apt-get, else print the exact command.
//   2. The globals declaration (every library export as a typed global in cells).
//   3. The kernel's startup snapshot (TypeScript loaded, declaration files parsed): kernel start in < 1 s.
//   4. The `gradlab` kernelspec (user-level), against the Python that runs Jupyter.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Module = require("module");
import { typescriptFile } from "./compiler";
import { GLOBALS_PACKAGE, globalsStale, writeGlobals } from "./globals";
import {
  DISPLAY_NAME,
  type InstallMode,
  KERNEL_NAME,
  findJupyterPython,
  installKernelSpec,
  kernelSpec,
  quietPythonEnv,
} from "./install";
import * as paths from "./paths";
import { type SnapshotConfig, loadTypeScript } from "./tsload";

const quiet = process.argv.includes("--quiet") || process.env.GRADLAB_SETUP_QUIET === "1";
const log = (msg: string) => {
  if (!quiet) console.log(`[setup] ${msg}`);
};

export const DEBIAN_PACKAGES = ["jupyter-notebook", "jupyter-nbconvert", "python3-nbclient"];
const JUPYTER_CHECK = "import nbclient, notebook, jupyter_client, nbformat";

function pythonHasJupyter(python: string): boolean {
  return spawnSync(python, ["-c", JUPYTER_CHECK], { stdio: "ignore", env: quietPythonEnv() }).status === 0;
}

const kernelspecStamp = () => path.join(paths.cacheDir(), "kernelspec.json");

function stampedPython(): string | null {
  const user = Object.values(readStamps()).map((s) => s.python);
  return user[0] ?? null;
}

/** Returns the Python that runs Jupyter, installing Jupyter from Debian packages when possible. */
export function ensureJupyter(python?: string): string | null {
  if (python) {
    if (pythonHasJupyter(python)) {
      log(`Jupyter found (${python})`);
      return python;
    }
    console.log(`[setup] ${python} cannot import nbclient and notebook: install Jupyter for it, then run setup again.`);
    return null;
  }
  const previous = process.env.GRADLAB_PYTHON ? null : stampedPython();
  if (previous && pythonHasJupyter(previous)) {
    log(`Jupyter found (${previous})`);
    return previous;
  }
  const found = findJupyterPython();
  if (found && pythonHasJupyter(found)) {
    log(`Jupyter found (${found})`);
    return found;
  }
  if (pythonHasJupyter("/usr/bin/python3")) return "/usr/bin/python3";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = fs.existsSync("/usr/bin/apt-get");
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${DEBIAN_PACKAGES.join(" ")}`;
  if (!isRoot || !hasApt || process.env.GRADLAB_NO_APT) {
    console.log(`[setup] Jupyter is not installed. Install it with:\n\n    sudo sh -c '${command}'\n\nthen run \`npm run setup\` again.`);
    return null;
  }
  log(`installing Jupyter from Debian packages: ${DEBIAN_PACKAGES.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const stdio = quiet ? "ignore" : "inherit";
  execFileSync("apt-get", ["update"], { stdio, env });
  execFileSync("apt-get", ["install", "-y", ...DEBIAN_PACKAGES], { stdio, env });
  if (!pythonHasJupyter("/usr/bin/python3")) throw new Error(`Jupyter still not importable after: ${command}`);
  return "/usr/bin/python3";
}

function libValueNames(): string[] {
  try {
    return Object.keys(require(paths.libEntry()) as object).filter((k) => k !== "default" && k !== "__esModule");
  } catch (e) {
    console.warn(`[setup] warning: the library does not load (${e instanceof Error ? e.message.split("\n")[0] : e})`);
    return [];
  }
}

export function generateGlobals(): void {
  const libDts = paths.libDeclarations();
  if (!fs.existsSync(libDts)) {
    console.warn(`[setup] warning: ${libDts} is missing; cells will not see the library's globals`);
    return;
  }
  if (!globalsStale(libDts, paths.typesDir(), null)) {
    log("globals declaration up to date");
    return;
  }
  const tsFile = typescriptFile();
  const ts = loadTypeScript(tsFile, Module.createRequire(tsFile));
  const info = writeGlobals(ts, libDts, paths.typesDir(), libValueNames());
  log(`globals declaration: ${info.names.length} exports (${path.relative(paths.ROOT, info.file)})`);
}

function snapshotConfig(): SnapshotConfig {
  const libDts = paths.libDeclarations();
  return {
    tsloadFile: path.join(paths.ROOT, "dist", "kernel", "tsload.js"),
    mainFile: path.join(paths.ROOT, "dist", "kernel", "main.js"),
    typescriptFile: typescriptFile(),
    typeRoots: [paths.typesDir(), paths.nodeTypesRoot()],
    types: ["node", GLOBALS_PACKAGE],
    paths: { gradlab: [libDts.replace(/\.d\.ts$/, "")] },
    sampleCell: path.join(paths.ROOT, "notebooks", "__gradlab_sample__.ts"),
    manifestFile: path.join(paths.cacheDir(), "kernel.blob.files.json"),
  };
}

/** True when the blob is missing, built by another Node, or older than any file it holds or is built from. */
function snapshotStale(cfg: SnapshotConfig): boolean {
  try {
    const meta = JSON.parse(fs.readFileSync(paths.snapshotMeta(), "utf8")) as { node: string; execPath: string; config: string };
    if (meta.node !== process.version || meta.execPath !== process.execPath || meta.config !== JSON.stringify(cfg)) return true;
    const built = fs.statSync(paths.snapshotBlob()).mtimeMs;
    const inputs = [cfg.tsloadFile, path.join(paths.ROOT, "dist", "kernel", "tslab.js"), path.join(paths.ROOT, "dist", "kernel", "snapshot.js"), cfg.typescriptFile];
    if (inputs.some((f) => fs.statSync(f).mtimeMs > built)) return true;
    const manifest = JSON.parse(fs.readFileSync(cfg.manifestFile, "utf8")) as { files: Array<{ file: string; size: number; mtimeMs: number }> };
    // The library's own declarations (dist/) change with every build; they are small and simply parsed again
    // at kernel start when they differ. The big ones (lib.*.d.ts, @types/node) decide.
    const dist = path.join(paths.ROOT, "dist") + path.sep;
    for (const f of manifest.files) {
      if (f.file.startsWith(dist)) continue;
      const st = fs.statSync(f.file, { throwIfNoEntry: false });
      if (!st || st.size !== f.size || st.mtimeMs !== f.mtimeMs) return true;
    }
    return false;
  } catch {
    return true;
  }
}

export function buildSnapshot(force = false): void {
  const cfg = snapshotConfig();
  if (!force && !snapshotStale(cfg)) {
    log("kernel snapshot up to date");
    return;
  }
  log("building the kernel's startup snapshot");
  fs.mkdirSync(paths.cacheDir(), { recursive: true });
  const blob = paths.snapshotBlob();
  const tmp = `${blob}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, ["--snapshot-blob", tmp, "--build-snapshot", path.join(paths.ROOT, "dist", "kernel", "snapshot.js")], {
    env: { ...process.env, GRADLAB_SNAPSHOT_CONFIG: JSON.stringify(cfg), NODE_NO_WARNINGS: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0 || !fs.existsSync(tmp)) {
    console.warn(`[setup] warning: could not build the kernel snapshot (the kernel will start without it):\n${r.stderr}`);
    fs.rmSync(paths.snapshotMeta(), { force: true });
    fs.rmSync(tmp, { force: true });
    return;
  }
  // Smoke test: a kernel started from the blob must get through its whole start-up (then it exits).
  const smokeError = smokeTestSnapshot(tmp);
  if (smokeError) {
    console.warn(`[setup] warning: the kernel snapshot does not start (the kernel will start without it):\n${smokeError}`);
    fs.rmSync(paths.snapshotMeta(), { force: true });
    fs.rmSync(tmp, { force: true });
    return;
  }
  fs.renameSync(tmp, blob);
  fs.writeFileSync(
    paths.snapshotMeta(),
    JSON.stringify({ node: process.version, execPath: process.execPath, arch: process.arch, config: JSON.stringify(cfg) }),
  );
}

function smokeTestSnapshot(blob: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-smoke-"));
  try {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const conn = path.join(dir, "connection.json");
    fs.writeFileSync(
      conn,
      JSON.stringify({
        transport: "tcp",
        ip: "127.0.0.1",
        shell_port: base,
        iopub_port: base + 1,
        stdin_port: base + 2,
        control_port: base + 3,
        hb_port: base + 4,
        key: "smoke",
        signature_scheme: "hmac-sha256",
      }),
    );
    const r = spawnSync(process.execPath, ["--snapshot-blob", blob, "--", "-f", conn], {
      cwd: dir,
      env: { ...process.env, GRADLAB_EXIT_AFTER_WARM: "1", NODE_NO_WARNINGS: "1" },
      encoding: "utf8",
      timeout: 120_000,
    });
    if (r.status === 0) return null;
    return `${r.error ? String(r.error) : `exit ${r.status} ${r.signal ?? ""}`}\n${r.stderr}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type SpecStamps = Record<string, { python: string; dest: string }>;

function readStamps(): SpecStamps {
  try {
    const v = JSON.parse(fs.readFileSync(kernelspecStamp(), "utf8")) as SpecStamps & { python?: unknown };
    return typeof v.python === "string" ? {} : v;
  } catch {
    return {};
  }
}

/** Installs the kernelspec unless an identical one is already where Jupyter looks. */
export function ensureKernelSpec(python: string, mode: InstallMode = { kind: "user" }): void {
  const spec = JSON.stringify(kernelSpec(process.execPath, DISPLAY_NAME), null, 2) + "\n";
  const key = `${python} ${JSON.stringify(mode)}`;
  const stamps = readStamps();
  const stamp = stamps[key];
  try {
    if (stamp && fs.readFileSync(path.join(stamp.dest, "kernel.json"), "utf8") === spec && fs.existsSync(path.join(stamp.dest, "plotly.min.js"))) {
      log(`kernelspec ${KERNEL_NAME} up to date (${stamp.dest})`);
      return;
    }
  } catch {
    // install below
  }
  const dest = installKernelSpec({ mode, python, quiet: true });
  stamps[key] = { python, dest };
  fs.mkdirSync(paths.cacheDir(), { recursive: true });
  fs.writeFileSync(kernelspecStamp(), JSON.stringify(stamps, null, 1));
  log(`kernelspec ${KERNEL_NAME} ("${DISPLAY_NAME}") installed in ${dest}`);
}

function parseArgs(args: string[]): { mode: InstallMode; python?: string } {
  let mode: InstallMode = { kind: "user" };
  let python: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--user") mode = { kind: "user" };
    else if (a === "--sys-prefix") mode = { kind: "sys-prefix" };
    else if (a === "--prefix") mode = { kind: "prefix", prefix: args[++i] };
    else if (a.startsWith("--prefix=")) mode = { kind: "prefix", prefix: a.slice(9) };
    else if (a === "--python") python = args[++i];
    else if (a.startsWith("--python=")) python = a.slice(9);
  }
  return { mode, python };
}

export function setupKernel(args: string[] = process.argv.slice(2)): void {
  const opts = parseArgs(args);
  const python = ensureJupyter(opts.python);
  generateGlobals();
  buildSnapshot();
  if (python) ensureKernelSpec(python, opts.mode);
}

if (require.main === module) {
  try {
    setupKernel();
  } catch (e) {
    console.error(`[setup] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
