// The kernelspec's entry point: `node dist/kernel/launch.js -f {connection_file}`.
// Starts the kernel from the startup snapshot when setup built one for this very Node binary (then this process
// only supervises it), else in-process.
import { spawn } from "child_process";
import * as fs from "fs";
import * as paths from "./paths";

interface SnapshotMeta {
  node: string;
  execPath: string;
  arch: string;
}

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

export function launch(args: string[]): void {
  const blob = usableSnapshot();
  if (!blob) {
    (require("./main") as typeof import("./main")).startKernel(args).catch((e: unknown) => {
      process.stderr.write(`[gradlab kernel] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
    return;
  }
  // The kernel runs in its own process group: Jupyter interrupts with SIGINT to *our* group (killpg), and a
  // child in the same group would get it twice (directly, and forwarded below), interrupting a later cell too.
  // If this supervisor dies, the child sees its IPC channel close and exits (kernel/main.ts).
  const child = spawn(process.execPath, ["--snapshot-blob", blob, "--", ...args], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, GRADLAB_SUPERVISED: "1" },
    detached: true,
  });
  process.on("SIGINT", () => {
    if (process.env.GRADLAB_FORWARD_SIGINT !== "0") child.kill("SIGINT");
  });
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) launch(process.argv.slice(2));
