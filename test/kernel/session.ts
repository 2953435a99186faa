// A kernel driven through Jupyter's own client (nbclient, via test/kernel/driver.py), for tests and benchmarks.
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll } from "vitest";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DRIVER = path.join(__dirname, "driver.py");

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string;
  data?: Record<string, string>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface CellRun {
  reply: { status: string; execution_count: number; ename?: string; evalue?: string; traceback?: string[] };
  outputs: Output[];
  execution_count: number | null;
  messages: Array<{ msg_type: string; content: any }>;
  elapsed_ms: number;
}

/** The Python whose Jupyter runs the tests: $GRADLAB_PYTHON, or /usr/bin/python3. */
export function jupyterPython(): string | null {
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  for (const py of [process.env.GRADLAB_PYTHON, "/usr/bin/python3"]) {
    if (!py) continue;
    if (spawnSync(py, ["-c", "import nbclient, jupyter_client, nbformat"], { stdio: "ignore", env }).status === 0) return py;
  }
  return null;
}

/**
 * Registers this checkout's kernelspec in a fresh prefix and returns the environment that makes Jupyter use it
 * (and nothing registered elsewhere under the same name).
 */
export function isolatedKernelEnv(python: string): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-kernel-test-"));
  const prefix = path.join(dir, "prefix");
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gradlab.js"), "kernel", "install", "--no-prepare", "--prefix", prefix, "--python", python], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`kernel install failed: ${r.stderr || r.stdout}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  return { env, dir };
}

export class KernelSession {
  private proc: ChildProcess;
  private nextId = 1;
  private buffer = "";
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readyResolve!: (ms: number) => void;
  private readyReject!: (e: Error) => void;
  readonly ready: Promise<number>;
  private closedResolve!: () => void;
  private readonly closed: Promise<void>;
  stderr = "";

  constructor(opts: { python: string; env: NodeJS.ProcessEnv; cwd: string; kernel?: string }) {
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
    this.proc = spawn(opts.python, [DRIVER, "--kernel", opts.kernel ?? "gradlab", "--cwd", opts.cwd], {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.proc.stdout!.setEncoding("utf8");
    this.proc.stdout!.on("data", (chunk: string) => this.onData(chunk));
    this.proc.stderr!.setEncoding("utf8");
    this.proc.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
    this.proc.on("exit", () => {
      const err = new Error(`driver exited; stderr:\n${this.stderr}`);
      this.readyReject(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.closedResolve();
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: any;
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg.event === "ready") this.readyResolve(msg.startup_ms);
      else if (msg.id !== undefined && this.pending.has(msg.id)) {
        const p = this.pending.get(msg.id)!;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(msg.error));
        else p.resolve(msg);
      }
    }
  }

  private request(req: Record<string, unknown>): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.stdin!.write(JSON.stringify({ id, ...req }) + "\n");
    });
  }

  /**
   * Executes one cell. `interruptAfter` (seconds) interrupts the kernel while it runs; with `interruptOnOutput`,
   * that many seconds after the cell printed the marker.
   */
  execute(code: string, opts: { interruptAfter?: number; interruptOnOutput?: string; timeout?: number } = {}): Promise<CellRun> {
    return this.request({
      op: "execute",
      code,
      interrupt_after: opts.interruptAfter,
      interrupt_on_output: opts.interruptOnOutput,
      timeout: opts.timeout ?? 60,
    });
  }

  /** Shuts the kernel down (always: on timeout the driver is killed, and nbclient's cleanup runs on SIGTERM). */
  async close(timeoutMs = 15000): Promise<void> {
    if (this.proc.exitCode !== null) return;
    try {
      this.proc.stdin!.write(JSON.stringify({ id: 0, op: "shutdown" }) + "\n");
      this.proc.stdin!.end();
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.proc.kill("SIGTERM"), timeoutMs);
    const hard = setTimeout(() => this.proc.kill("SIGKILL"), timeoutMs + 5000);
    await this.closed;
    clearTimeout(timer);
    clearTimeout(hard);
  }
}

/** The kernel of a describe block (see useKernelSession); `session` and `dir` are set once beforeAll has run. */
export interface KernelFixture {
  readonly session: KernelSession;
  /** The temporary folder (the kernelspec prefix and Jupyter's data live in it); removed in afterAll. */
  readonly dir: string;
}

/**
 * One kernel for the enclosing describe block: in beforeAll, this checkout's kernelspec in a fresh temporary
 * folder (isolatedKernelEnv) and a KernelSession started there (or in the folder `cwd(dir)` returns, created
 * if missing), with the environment `env` adds; in afterAll, the kernel shut down and the folder removed.
 */
export function useKernelSession(
  python: string,
  opts: { env?: NodeJS.ProcessEnv; cwd?: (dir: string) => string; timeout?: number } = {},
): KernelFixture {
  const fixture: { session: KernelSession; dir: string } = { session: undefined!, dir: "" };
  beforeAll(async () => {
    const iso = isolatedKernelEnv(python);
    fixture.dir = iso.dir;
    const cwd = opts.cwd ? opts.cwd(iso.dir) : iso.dir;
    fs.mkdirSync(cwd, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...iso.env, ...opts.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
    fixture.session = new KernelSession({ python, env, cwd });
    await fixture.session.ready;
  }, opts.timeout);
  afterAll(async () => {
    await fixture.session?.close();
    if (fixture.dir) fs.rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** All text of a run's outputs of one kind. */
export function streamText(run: CellRun, name: "stdout" | "stderr"): string {
  return run.outputs
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => o.text ?? "")
    .join("");
}
