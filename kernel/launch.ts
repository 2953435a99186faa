// The kernelspec's entry point: `node dist/kernel/launch.js -f {connection_file}`.
//
// This process is a small supervisor; the kernel itself runs in a child process (started from the startup
// snapshot when setup built one for this very Node binary, else from dist/kernel/main.js). When the child dies
// while the kernel should be running (out of memory, SIGKILL, a cell calling process.exit), the supervisor starts
// a new one on the same ports and tells it why (GRADLAB_RESTART_INFO): the new kernel answers the requests the old
// one left unanswered with a clear error and announces the restart on the next cell (kernel/recovery.ts). Jupyter
// clients keep their connections (ZeroMQ reconnects), so the front end never sees a dead kernel.
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as paths from "./paths";
import type { LostRequest, RestartInfo, SupervisorMessage } from "./recovery";

interface SnapshotMeta {
  node: string;
  execPath: string;
  arch: string;
}

/** argv[0] of a child started without a snapshot: run the kernel in this process. */
const CHILD_FLAG = "--gradlab-kernel-child";

function usableSnapshot(): string | null {
  if (process.env.GRADLAB_NO_SNAPSHOT) return null;
  try {
    const meta = JSON.parse(fs.readFileSync(paths.snapshotMeta(), "utf8")) as SnapshotMeta;
    const blob = paths.snapshotBlob();
    if (meta.node !== process.version || meta.execPath !== process.execPath || meta.arch !== process.arch) return null;
    if (!fs.existsSync(blob)) return null;
    return blob;
  } catch {
    return null;
  }
}

/**
 * $GRADLAB_KERNEL_HEAP_MB: a V8 heap limit (--max-old-space-size) for the kernel, or null (V8's default: about a
 * quarter of the memory, at most 4 GB, where a cell filling the heap dies cleanly). V8 refuses a startup snapshot
 * under other flags than it was built with, so setting it starts the kernel without the snapshot (slower).
 */
export function heapLimitMb(env: NodeJS.ProcessEnv = process.env): number | null {
  const set = Number(env.GRADLAB_KERNEL_HEAP_MB);
  return env.GRADLAB_KERNEL_HEAP_MB && Number.isFinite(set) && set >= 64 ? Math.floor(set) : null;
}

/**
 * The kernel process's memory limit in MB (resident set, typed arrays included, which V8's heap limit does not
 * count): $GRADLAB_KERNEL_MEMORY_MB (0: none), else 75% of the machine's memory. Past it the supervisor kills the
 * kernel and restarts it, before the system runs out of memory and its OOM killer picks some process.
 */
export function memoryLimitMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRADLAB_KERNEL_MEMORY_MB;
  const set = Number(raw);
  if (raw && Number.isFinite(set) && set >= 0) return set === 0 ? Infinity : set;
  return Math.floor((os.totalmem() / 2 ** 20) * 0.75);
}

/** Resident memory of a process in MB (Linux /proc), or null where unknown. */
function residentMb(pid: number): number | null {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(pages) ? (pages * 4096) / 2 ** 20 : null;
  } catch {
    return null;
  }
}

function startInProcess(args: string[]): void {
  (require("./main") as typeof import("./main")).startKernel(args).catch((e: unknown) => {
    process.stderr.write(`[gradlab kernel] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}

/** Why a child died, in words for the user (`tail`: the end of its stderr, where V8 reports a full heap). */
export function deathReason(code: number | null, signal: NodeJS.Signals | null, tail: string, heapMb: number | null): string {
  if (/heap out of memory|Reached heap limit|allocation failed/i.test(tail)) {
    return heapMb
      ? `out of memory: the JavaScript heap reached its limit of ${heapMb} MB (GRADLAB_KERNEL_HEAP_MB)`
      : "out of memory: the JavaScript heap reached its limit (GRADLAB_KERNEL_HEAP_MB sets it)";
  }
  if (signal === "SIGKILL") return "killed by SIGKILL (the system's out-of-memory killer, or kill -9)";
  if (signal) return `killed by ${signal}`;
  return `the process exited with code ${code} (process.exit?)`;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const STDERR_TAIL = 8192;

export function launch(args: string[]): void {
  if (args[0] === CHILD_FLAG) return startInProcess(args.slice(1));
  const heapMb = heapLimitMb();
  const memoryMb = memoryLimitMb();
  const blob = heapMb ? null : usableSnapshot();
  const nodeArgs = blob
    ? ["--snapshot-blob", blob, "--", ...args]
    : [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), __filename, CHILD_FLAG, ...args];

  let child: ChildProcess | null = null;
  let stopping = false; // we were told to stop (SIGTERM/SIGHUP), or the kernel shut down on request
  let ready = false; // the current child finished starting
  let everReady = false;
  let executionCount = 0;
  let restarts: number[] = [];
  let restartCount = 0;
  /** execute requests the current child received and has not answered yet, oldest (the running one) first. */
  let inFlight: LostRequest[] = [];

  const start = (restart: RestartInfo | null): void => {
    ready = false;
    inFlight = [];
    let tail = "";
    const env: NodeJS.ProcessEnv = { ...process.env, GRADLAB_SUPERVISED: "1" };
    if (restart) env.GRADLAB_RESTART_INFO = JSON.stringify(restart);
    else delete env.GRADLAB_RESTART_INFO;
    // The kernel runs in its own process group: Jupyter interrupts with SIGINT to *our* group (killpg), and a
    // child in the same group would get it twice (directly, and forwarded below), interrupting a later cell too.
    // If this supervisor dies, the child sees its IPC channel close and exits (kernel/main.ts).
    const c = spawn(process.execPath, nodeArgs, { stdio: ["inherit", "inherit", "pipe", "ipc"], env, detached: true });
    child = c;
    let killedForMemory = 0;
    const watchdog = !Number.isFinite(memoryMb) ? undefined : setInterval(() => {
      const mb = c.pid ? residentMb(c.pid) : null;
      if (mb !== null && mb > memoryMb && !killedForMemory) {
        killedForMemory = mb;
        c.kill("SIGKILL");
      }
    }, 100);
    c.stderr!.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    c.on("message", (m: SupervisorMessage) => {
      switch (m.type) {
        case "ready":
          ready = everReady = true;
          break;
        case "received":
          inFlight.push(m.request);
          break;
        case "started": {
          executionCount = Math.max(executionCount, m.count);
          const r = inFlight.find((x) => x.header.msg_id === m.msgId);
          if (r) r.count = m.count;
          break;
        }
        case "finished":
          inFlight = inFlight.filter((x) => x.header.msg_id !== m.msgId);
          break;
        case "shutdown":
          stopping = true;
          break;
      }
    });
    c.on("exit", (code, signal) => {
      clearInterval(watchdog);
      if (child !== c) return;
      child = null;
      if (stopping || (!ready && !everReady) || (!ready && restart)) {
        // Asked to stop, or the kernel cannot even start: exit as the child did (Jupyter reports a dead kernel).
        process.exit(code ?? (signal ? 1 : 0));
      }
      const now = Date.now();
      restarts = restarts.filter((t) => now - t < RESTART_WINDOW_MS);
      if (restarts.length >= MAX_RESTARTS) {
        process.stderr.write(`[gradlab kernel] the kernel died ${MAX_RESTARTS + 1} times within a minute; giving up\n`);
        process.exit(1);
      }
      restarts.push(now);
      restartCount += 1;
      const reason = killedForMemory
        ? `out of memory: it used more than ${memoryMb} MB (GRADLAB_KERNEL_MEMORY_MB)`
        : deathReason(code, signal, tail, heapMb);
      process.stderr.write(`[gradlab kernel] the kernel process died (${reason}); restarting it\n`);
      start({ reason, lost: inFlight, executionCount, restarts: restartCount });
    });
  };

  process.on("SIGINT", () => {
    if (process.env.GRADLAB_FORWARD_SIGINT !== "0") child?.kill("SIGINT");
  });
  for (const sig of ["SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      stopping = true;
      if (child) child.kill(sig);
      else process.exit(0);
    });
  }
  start(null);
}

if (require.main === module) launch(process.argv.slice(2));
