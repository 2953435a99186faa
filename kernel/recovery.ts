// Crash recovery, the kernel child's side (the supervisor is kernel/launch.ts).
//
// The child tells its supervisor over the IPC channel which execute requests it has received and not yet answered
// (the first is the running cell). When the child dies, the supervisor starts a new one with GRADLAB_RESTART_INFO:
// the reason, those requests, the execution count. The new kernel then
//   - answers the running cell's request with an error saying what happened (the client is still waiting for it),
//     and the queued ones as aborted (a front end's "run all" had sent them to the dead process);
//   - continues the execution count;
//   - prints a note on the next cell it runs: the earlier cells' variables are gone.
import type { Header } from "./protocol";

/** An execute request as the supervisor keeps it (identities base64-encoded: they route the reply). */
export interface LostRequest {
  identities: string[];
  header: Header;
  count?: number;
}

export interface RestartInfo {
  reason: string;
  lost: LostRequest[];
  executionCount: number;
  restarts: number;
}

export type SupervisorMessage =
  | { type: "ready" }
  | { type: "received"; request: LostRequest }
  | { type: "started"; msgId: string; count: number }
  | { type: "finished"; msgId: string }
  | { type: "shutdown" };

/** The minimal message shape this module reads (kernel/protocol.ts's Message). */
interface RequestLike {
  identities: Buffer[];
  header: Header;
}

/** Reports to the supervisor (a no-op when the kernel runs unsupervised). */
export const supervisor = {
  send(m: SupervisorMessage): void {
    if (!process.env.GRADLAB_SUPERVISED || !process.send || !process.connected) return;
    try {
      process.send(m);
    } catch {
      // the supervisor is gone: main.ts exits on disconnect
    }
  },
  received(msg: RequestLike): void {
    if (msg.header.msg_type !== "execute_request") return;
    this.send({ type: "received", request: { identities: msg.identities.map((b) => b.toString("base64")), header: msg.header } });
  },
  started(msg: RequestLike, count: number): void {
    this.send({ type: "started", msgId: msg.header.msg_id, count });
  },
  finished(msg: RequestLike): void {
    this.send({ type: "finished", msgId: msg.header.msg_id });
  },
};

/** GRADLAB_RESTART_INFO, read once and removed from the environment (cells need not see it). */
export function takeRestartInfo(env: NodeJS.ProcessEnv = process.env): RestartInfo | null {
  const raw = env.GRADLAB_RESTART_INFO;
  delete env.GRADLAB_RESTART_INFO;
  if (!raw) return null;
  try {
    return JSON.parse(raw) as RestartInfo;
  } catch {
    return null;
  }
}

/** The message for the cell that was running when the kernel died. */
export function diedMessage(info: RestartInfo, count: number | undefined): string {
  const cell = count ? `while running cell ${count}` : "while running a cell";
  return `the kernel process died (${info.reason}) ${cell}; it restarted; variables from earlier cells are gone`;
}

/** The note printed (stderr) on the first cell run after a restart. */
export function restartNote(info: RestartInfo): string {
  const running = info.lost[0];
  const when = running?.count ? ` while running cell ${running.count}` : "";
  return `[gradlab] the kernel restarted: its process died (${info.reason})${when}; variables from earlier cells are gone.\n`;
}

/** What the kernel must offer for the announcement (implemented by kernel/kernel.ts's Kernel). */
export interface RecoveryTarget {
  /** Resolves once a client subscribed to IOPub (or after `ms`). */
  iopubSubscribed(ms: number): Promise<void>;
  /** Sends an IOPub message with `parent` as parent header. */
  publishTo(parent: RequestLike, msgType: string, content: Record<string, unknown>): void;
  /** Sends a shell reply, retrying until the client's socket has reconnected (false: gave up after `ms`). */
  replyWhenConnected(parent: RequestLike, msgType: string, content: Record<string, unknown>, ms: number): Promise<boolean>;
}

/** Answers the requests the dead kernel left unanswered. */
export async function answerLostRequests(target: RecoveryTarget, info: RestartInfo): Promise<void> {
  if (info.lost.length === 0) return;
  await target.iopubSubscribed(10_000);
  for (let i = 0; i < info.lost.length; i++) {
    const r = info.lost[i];
    const parent: RequestLike = { identities: r.identities.map((s) => Buffer.from(s, "base64")), header: r.header };
    target.publishTo(parent, "status", { execution_state: "busy" });
    if (i === 0) {
      const evalue = diedMessage(info, r.count);
      const error = { ename: "KernelRestarted", evalue, traceback: [`KernelRestarted: ${evalue}`] };
      target.publishTo(parent, "error", error);
      target.publishTo(parent, "status", { execution_state: "idle" });
      await target.replyWhenConnected(parent, "execute_reply", { status: "error", execution_count: r.count ?? info.executionCount, ...error }, 10_000);
    } else {
      // Queued behind the cell that killed the kernel: not run (as Jupyter's kernels abort queued cells after an error).
      target.publishTo(parent, "status", { execution_state: "idle" });
      await target.replyWhenConnected(parent, "execute_reply", { status: "aborted", execution_count: null }, 10_000);
    }
  }
}
