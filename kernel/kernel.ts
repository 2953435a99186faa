// The kernel: ZeroMQ sockets, request handling, output routing (streams, display data, execute results,
// errors). Replaces tslab's server (see ../shared/PLATFORM.md for what that one lacks).
import { randomUUID } from "crypto";
import { TextDecoder } from "util";
import type * as zmqTypes from "zeromq";
import type { ErrorContent } from "./errors";
import type { Executor } from "./executor";
import { OutputLimit } from "./outputLimit";
import { type RecoveryTarget, supervisor } from "./recovery";
import { type Render, UpdateThrottle } from "./throttle";
import {
  type ConnectionInfo,
  type Header,
  type Message,
  PROTOCOL_VERSION,
  Signer,
  newHeader,
  parseMessage,
  serializeMessage,
} from "./protocol";

type Bundle = { "text/plain": string; [mime: string]: unknown };

export interface KernelOptions {
  connection: ConnectionInfo;
  /** The executor, once start-up has finished. */
  executor: () => Promise<Executor>;
  /** Interrupts the running cell (interrupt_request on the control channel). */
  interrupt: () => void;
  /** value → mime bundle (lib/display's mimeBundle). */
  mimeBundle: (value: unknown) => Bundle | Promise<Bundle>;
  /** True for values that are not shown as a cell's result (display handles). */
  isDisplayHandle?: (value: unknown) => boolean;
  /** Called before a cell's value goes out as execute_result (it may send outputs first, see main.ts). */
  beforeResult?: (value: unknown) => void;
  languageVersion: string;
  implementationVersion: string;
  /** Called once the sockets are bound. */
  onReady?: () => void;
}

const decoder = new TextDecoder();

/** Batches writes to stdout/stderr into `stream` messages; flushes before any other output, and at the end. */
class StreamRouter {
  private buffer = "";
  private name: "stdout" | "stderr" = "stdout";
  private lastFlush = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly send: (name: string, text: string) => void) {}

  write(name: "stdout" | "stderr", text: string): void {
    if (!text) return;
    if (name !== this.name) this.flush();
    this.name = name;
    this.buffer += text;
    const now = Date.now();
    // Inside a long synchronous loop timers never fire: flush on write when the last flush is old enough.
    if (now - this.lastFlush >= 50 || this.buffer.length > 65536) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), 50);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.buffer) return;
    this.lastFlush = Date.now(); // only when something went out: a cell's first print goes out at once
    const text = this.buffer;
    this.buffer = "";
    this.send(this.name, text);
  }
}

export class Kernel implements RecoveryTarget {
  private readonly session = randomUUID();
  private readonly signer: Signer;
  private zmq!: typeof zmqTypes;
  private iopub!: zmqTypes.XPublisher;
  private shell!: zmqTypes.Router;
  private control!: zmqTypes.Router;
  private stdin!: zmqTypes.Router;
  private hb!: zmqTypes.Reply;
  private executionCount = 0;
  /** The request whose outputs we are producing (the running cell, or the last one for late output). */
  private parent: Message | null = null;
  private readonly streams: StreamRouter;
  /** Per-cell budget of stream output (kernel/outputLimit.ts). */
  private readonly outputLimit = new OutputLimit();
  /** Coalesces display updates per display id (kernel/throttle.ts). */
  readonly updates: UpdateThrottle;
  /** Printed (stderr) at the start of the next cell: set after a crash restart (kernel/recovery.ts). */
  restartNote: string | null = null;
  private subscribedResolve: (() => void) | null = null;
  private readonly subscribed = new Promise<void>((resolve) => (this.subscribedResolve = resolve));
  private readonly shellQueue: Array<{ sock: zmqTypes.Router; msg: Message }> = [];
  private processing = false;
  private closed = false;
  private firstRequest: (() => void) | null = null;
  /** Resolves when the first request (normally kernel_info) has been answered, or after `ms`. */
  firstRequestServed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.firstRequest = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
  private readonly realWrite = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };

  constructor(private readonly opts: KernelOptions) {
    this.signer = new Signer(opts.connection.key, opts.connection.signature_scheme || "hmac-sha256");
    this.streams = new StreamRouter((name, text) => this.publish("stream", { name, text }));
    this.updates = new UpdateThrottle(
      (bundle, id, metadata) => this.publish("update_display_data", { data: bundle, metadata: metadata ?? {}, transient: { display_id: id } }),
      (e) => this.reportBackgroundError(e),
    );
  }

  // ---- sockets -------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.zmq = require("zeromq") as typeof zmqTypes;
    const c = this.opts.connection;
    const addr = (port: number) => `${c.transport}://${c.ip}:${port}`;
    // sendTimeout 0: every send goes out synchronously, so outputs leave even while a cell blocks the loop.
    // XPUB: we see subscriptions, and greet each subscriber with a status message, so that a client waiting
    // for its first IOPub message (jupyter_client's wait_for_ready) does not retry for a second.
    this.iopub = new this.zmq.XPublisher({ sendTimeout: 0, linger: 1000 });
    this.shell = new this.zmq.Router({ sendTimeout: 0, linger: 1000 });
    this.control = new this.zmq.Router({ sendTimeout: 0, linger: 1000 });
    this.stdin = new this.zmq.Router({ sendTimeout: 0, linger: 0 });
    this.hb = new this.zmq.Reply({ linger: 0 });
    await Promise.all([
      this.iopub.bind(addr(c.iopub_port)),
      this.shell.bind(addr(c.shell_port)),
      this.control.bind(addr(c.control_port)),
      this.stdin.bind(addr(c.stdin_port)),
      this.hb.bind(addr(c.hb_port)),
    ]);
    this.listen(this.shell, (frames) => this.onShell(this.shell, frames));
    this.listen(this.control, (frames) => this.onControl(frames));
    this.listen(this.iopub, (frames) => {
      if (frames[0]?.[0] === 1) {
        this.publish("status", { execution_state: this.processing ? "busy" : "idle" }, null);
        this.subscribedResolve?.();
      }
    });
    this.listen(this.hb, (frames) => {
      this.hb.send(frames).catch(() => undefined);
    });
    this.captureOutput();
    this.publishStatus("starting", null);
    this.opts.onReady?.();
  }

  private listen(sock: zmqTypes.Socket & AsyncIterable<Buffer[]>, handler: (frames: Buffer[]) => void): void {
    (async () => {
      try {
        for await (const frames of sock) handler(frames as Buffer[]);
      } catch (e) {
        if (!this.closed) this.log(`socket loop ended: ${String(e)}`);
      }
    })();
  }

  private log(text: string): void {
    this.realWrite.stderr(`[gradlab kernel] ${text}\n`);
  }

  private send(sock: zmqTypes.XPublisher | zmqTypes.Router, frames: Array<Buffer | string>): void {
    if (this.closed) return;
    try {
      sock.send(frames).catch((e: unknown) => this.log(`send failed: ${String(e)}`));
    } catch (e) {
      this.log(`send failed: ${String(e)}`);
    }
  }

  private parentHeader(parent: Message | null): Header | Record<string, never> {
    return parent ? parent.header : {};
  }

  /** Sends a message on IOPub (outputs, status) with `parent` as its parent header. */
  publish(msgType: string, content: Record<string, unknown>, parent: Message | null = this.parent): void {
    if (msgType !== "stream" && msgType !== "status") this.streams.flush();
    const header = newHeader(msgType, this.session);
    const frames = serializeMessage(
      {
        identities: [Buffer.from(`kernel.${this.session}.${msgType}`)],
        header,
        parent_header: this.parentHeader(parent),
        metadata: {},
        content,
      },
      this.signer,
    );
    this.send(this.iopub, frames);
  }

  private publishStatus(state: "starting" | "busy" | "idle", parent: Message | null): void {
    this.publish("status", { execution_state: state }, parent);
  }

  private reply(sock: zmqTypes.Router, parent: Message, msgType: string, content: Record<string, unknown>): void {
    const frames = serializeMessage(
      {
        identities: parent.identities,
        header: newHeader(msgType, this.session),
        parent_header: parent.header,
        metadata: {},
        content,
      },
      this.signer,
    );
    this.send(sock, frames);
  }

  // ---- outputs -------------------------------------------------------------------------------------------

  private captureOutput(): void {
    const make = (name: "stdout" | "stderr") =>
      ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const text = typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array);
        this.streams.write(name, this.outputLimit.admit(text));
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") (done as () => void)();
        return true;
      }) as typeof process.stdout.write;
    process.stdout.write = make("stdout");
    process.stderr.write = make("stderr");
  }

  /** The display sink: `display_data` / `update_display_data` with a display id. */
  sendDisplay(bundle: Record<string, unknown>, displayId: string | undefined, update: boolean, metadata?: Record<string, unknown>): void {
    if (update && displayId) return this.updates.update(displayId, () => bundle, metadata);
    if (displayId) this.updates.flush(displayId); // keep the order: a pending update of this id goes first
    const content: Record<string, unknown> = { data: bundle, metadata: metadata ?? {} };
    if (displayId) content.transient = { display_id: displayId };
    this.publish(update ? "update_display_data" : "display_data", content);
  }

  /** A display update whose bundle is built only if it goes out (lib/display's sink.sendUpdate). */
  sendDisplayUpdate(render: Render, displayId: string, metadata?: Record<string, unknown>): void {
    this.updates.update(displayId, render, metadata);
  }

  // ---- crash recovery (kernel/recovery.ts) ---------------------------------------------------------------

  iopubSubscribed(ms: number): Promise<void> {
    return Promise.race([this.subscribed, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
  }

  publishTo(parent: Pick<Message, "identities" | "header">, msgType: string, content: Record<string, unknown>): void {
    this.publish(msgType, content, parent as Message);
  }

  async replyWhenConnected(parent: Pick<Message, "identities" | "header">, msgType: string, content: Record<string, unknown>, ms: number): Promise<boolean> {
    const frames = serializeMessage(
      { identities: parent.identities, header: newHeader(msgType, this.session), parent_header: parent.header, metadata: {}, content },
      this.signer,
    );
    // A ROUTER drops messages to peers it does not know: until the client's socket has reconnected, fail and retry.
    this.shell.mandatory = true;
    try {
      for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        try {
          await this.shell.send(frames);
          return true;
        } catch {
          // EHOSTUNREACH: not connected yet
        }
      }
      return false;
    } finally {
      this.shell.mandatory = false;
    }
  }

  set nextExecutionCount(n: number) {
    this.executionCount = n - 1;
  }

  private publishError(err: ErrorContent): void {
    this.publish("error", { ename: err.ename, evalue: err.evalue, traceback: err.traceback });
  }

  // ---- requests ------------------------------------------------------------------------------------------

  private onShell(sock: zmqTypes.Router, frames: Buffer[]): void {
    let msg: Message;
    try {
      msg = parseMessage(frames, this.signer);
    } catch (e) {
      this.log(`dropped a message: ${String(e)}`);
      return;
    }
    this.shellQueue.push({ sock, msg });
    if (sock === this.shell) supervisor.received(msg);
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (this.shellQueue.length > 0) {
        const { sock, msg } = this.shellQueue.shift()!;
        this.publishStatus("busy", msg);
        try {
          await this.dispatch(sock, msg);
        } catch (e) {
          this.log(`error handling ${msg.header.msg_type}: ${e instanceof Error ? e.stack : String(e)}`);
        } finally {
          this.streams.flush();
          this.publishStatus("idle", msg);
          const first = this.firstRequest;
          this.firstRequest = null;
          first?.();
        }
      }
    } finally {
      this.processing = false;
    }
  }

  private onControl(frames: Buffer[]): void {
    let msg: Message;
    try {
      msg = parseMessage(frames, this.signer);
    } catch (e) {
      this.log(`dropped a control message: ${String(e)}`);
      return;
    }
    this.publishStatus("busy", msg);
    try {
      switch (msg.header.msg_type) {
        case "interrupt_request":
          this.opts.interrupt();
          this.reply(this.control, msg, "interrupt_reply", { status: "ok" });
          break;
        default:
          void this.dispatch(this.control, msg);
      }
    } finally {
      this.publishStatus("idle", msg);
    }
  }

  private async dispatch(sock: zmqTypes.Router, msg: Message): Promise<void> {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "kernel_info_request":
        this.reply(sock, msg, "kernel_info_reply", this.kernelInfo());
        return;
      case "execute_request":
        await this.execute(sock, msg);
        return;
      case "is_complete_request": {
        const r = (await this.opts.executor()).isComplete(String(c.code ?? ""));
        this.reply(sock, msg, "is_complete_reply", r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" });
        return;
      }
      case "complete_request": {
        const code = String(c.code ?? "");
        const pos = Number(c.cursor_pos ?? code.length);
        let r = { start: pos, end: pos, candidates: [] as string[] };
        try {
          r = (await this.opts.executor()).complete(code, pos);
        } catch (e) {
          this.log(`completion failed: ${String(e)}`);
        }
        this.reply(sock, msg, "complete_reply", { status: "ok", matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {} });
        return;
      }
      case "inspect_request": {
        let text: string | null = null;
        try {
          text = (await this.opts.executor()).inspect(String(c.code ?? ""), Number(c.cursor_pos ?? 0));
        } catch (e) {
          this.log(`inspection failed: ${String(e)}`);
        }
        this.reply(sock, msg, "inspect_reply", { status: "ok", found: text !== null, data: text !== null ? { "text/plain": text } : {}, metadata: {} });
        return;
      }
      case "comm_info_request":
        this.reply(sock, msg, "comm_info_reply", { status: "ok", comms: {} });
        return;
      case "history_request":
        this.reply(sock, msg, "history_reply", { status: "ok", history: [] });
        return;
      case "comm_open":
        // No comm targets (widgets): close it right away as the protocol asks.
        this.publish("comm_close", { comm_id: c.comm_id, data: {} }, msg);
        return;
      case "comm_msg":
      case "comm_close":
        return;
      case "shutdown_request":
        this.reply(sock, msg, "shutdown_reply", { status: "ok", restart: Boolean(c.restart) });
        setTimeout(() => this.shutdown(), 20);
        return;
      default:
        this.log(`unsupported request ${msg.header.msg_type}`);
    }
  }

  private kernelInfo(): Record<string, unknown> {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "gradlab",
      implementation_version: this.opts.implementationVersion,
      language_info: {
        name: "typescript",
        version: this.opts.languageVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true, mode: "typescript" },
        pygments_lexer: "typescript",
      },
      banner: `gradlab ${this.opts.implementationVersion}: TypeScript with np, grad and the rest as globals`,
      help_links: [],
    };
  }

  private async execute(sock: zmqTypes.Router, msg: Message): Promise<void> {
    const c = msg.content;
    const code = String(c.code ?? "");
    const silent = Boolean(c.silent);
    const storeHistory = c.store_history === undefined ? !silent : Boolean(c.store_history);
    if (!silent && storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    this.parent = msg;
    this.publish("execute_input", { code, execution_count: count });
    this.outputLimit.startCell();
    supervisor.started(msg, count);
    if (this.restartNote && !silent) {
      this.streams.write("stderr", this.restartNote);
      this.restartNote = null;
    }

    let status: "ok" | "error" = "ok";
    let error: ErrorContent | null = null;
    let executor: Executor | null = null;
    try {
      executor = await this.opts.executor();
    } catch (e) {
      status = "error";
      error = { ename: "KernelStartError", evalue: String(e instanceof Error ? e.message : e), traceback: [String(e instanceof Error ? e.stack : e)] };
    }
    if (executor && code.trim() !== "") {
      let result: Awaited<ReturnType<Executor["execute"]>>;
      try {
        result = await executor.execute(code, count);
      } catch (e) {
        // A failure of the compiler itself, not of the cell: still answer, and keep serving.
        const err = executor.errorContent(e);
        const evalue = `internal error while compiling or running the cell: ${err.ename}: ${err.evalue}`;
        result = { status: "error", error: { ename: "KernelError", evalue, traceback: [evalue, String(e instanceof Error ? e.stack : e)] } };
      }
      if (result.status === "error") {
        status = "error";
        error = result.error;
      } else if (result.hasValue && !silent && !this.opts.isDisplayHandle?.(result.value)) {
        try {
          this.opts.beforeResult?.(result.value);
          const bundle = await this.opts.mimeBundle(result.value);
          this.publish("execute_result", { execution_count: count, data: bundle, metadata: {} });
        } catch (e) {
          status = "error";
          error = executor.errorContent(e);
        }
      }
    }
    this.updates.endCell();
    const truncated = this.outputLimit.endCell();
    if (truncated) this.streams.write("stderr", truncated);
    this.streams.flush();
    if (error) {
      this.publishError(error);
      this.reply(sock, msg, "execute_reply", { status: "error", execution_count: count, ...error });
    } else {
      this.reply(sock, msg, "execute_reply", { status, execution_count: count, user_expressions: {}, payload: [] });
    }
    supervisor.finished(msg);
  }

  /** Reports an error raised outside any cell (an async callback) as stderr text of the last request. */
  reportBackgroundError(err: unknown): void {
    this.opts
      .executor()
      .then((ex) => this.streams.write("stderr", ex.errorContent(err).traceback.join("\n") + "\n"))
      .catch(() => this.log(`uncaught: ${String(err)}`));
  }

  shutdown(): void {
    if (this.closed) return;
    supervisor.send({ type: "shutdown" });
    this.updates.flush();
    this.streams.flush();
    this.closed = true;
    process.stdout.write = this.realWrite.stdout as typeof process.stdout.write;
    process.stderr.write = this.realWrite.stderr as typeof process.stderr.write;
    for (const s of [this.iopub, this.shell, this.control, this.stdin, this.hb]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    setTimeout(() => process.exit(0), 50).unref();
  }
}
