// display(): sends a value's mime bundle to the notebook mid-cell, and returns a handle that redraws it in place.
//
// Where the bundle goes is pluggable: the gradlab kernel installs a sink that sends Jupyter `display_data` /
// `update_display_data` messages; outside a kernel the default sink prints the text/plain form to stdout.
import { inspect } from "util";
import { isNDArrayLike, ndarrayMimeBundle, ndarrayToText } from "./ndarray";
import { JUPYTER_DISPLAY, type MimeBundle, type PartialMimeBundle } from "./types";

export interface DisplayRequest {
  /** Identifies the output area; updates with the same id redraw it in place. */
  displayId: string;
  /** true: redraw the existing display with this id (`update_display_data`); false: a new output. */
  update: boolean;
  metadata?: Record<string, unknown>;
}

/** Receives the bundles sent by display() and handle.update(). */
export interface DisplaySink {
  send(bundle: MimeBundle, request: DisplayRequest): void;
  /**
   * Called before `obj` is shown as a new output (never for updates), before its bundle is built. A kernel
   * may send outputs of its own here: gradlab's sends plotly.js as a separate output before a figure.
   */
  beforeNew?(obj: unknown): void;
  /**
   * Optional: receives updates as a render function instead of a bundle, so that a kernel coalescing rapid
   * updates (gradlab's sends a few per second per display id) builds only the bundles it sends.
   */
  sendUpdate?(render: () => MimeBundle | Promise<MimeBundle>, request: DisplayRequest): void;
}

/** The default sink: prints the text/plain form to stdout. */
export const consoleSink: DisplaySink = {
  send(bundle) {
    console.log(bundle["text/plain"]);
  },
};

let sink: DisplaySink = consoleSink;

/** Installs a sink (the kernel does this at start-up); `null` restores the console sink. Returns the previous one. */
export function setDisplaySink(next: DisplaySink | null): DisplaySink {
  const prev = sink;
  sink = next ?? consoleSink;
  return prev;
}

export function getDisplaySink(): DisplaySink {
  return sink;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";
}

/** True when `obj` renders itself through `[Symbol.for("Jupyter.display")]()`. */
export function isDisplayable(obj: unknown): boolean {
  return (
    (typeof obj === "object" || typeof obj === "function") &&
    obj !== null &&
    typeof (obj as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}

// NDArrays nested in plain containers print with their numpy-like repr rather than their storage fields.
function toInspectable(v: unknown, depth: number, seen: Set<unknown>): unknown {
  if (typeof v !== "object" || v === null || depth > 6 || seen.has(v)) return v;
  if (isNDArrayLike(v)) {
    const text = ndarrayToText(v);
    return { [inspect.custom]: () => text };
  }
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    seen.add(v);
    const out = v.map((e) => toInspectable(e, depth + 1, seen));
    seen.delete(v);
    return out;
  }
  if (proto === Object.prototype || proto === null) {
    seen.add(v);
    const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
    for (const k of Object.keys(v)) out[k] = toInspectable((v as Record<string, unknown>)[k], depth + 1, seen);
    seen.delete(v);
    return out;
  }
  return v;
}

/** The readable text form of any value (util.inspect, with NDArrays as their repr). */
export function textRepr(obj: unknown): string {
  if (isNDArrayLike(obj)) return ndarrayToText(obj);
  return inspect(toInspectable(obj, 0, new Set()), {
    depth: 6,
    colors: false,
    maxArrayLength: 100,
    maxStringLength: 10_000,
    breakLength: 100,
  });
}

function plainFallback(obj: unknown): string {
  if (typeof obj === "object" && obj !== null) {
    const own = (obj as { toString?: () => string }).toString;
    if (typeof own === "function" && own !== Object.prototype.toString) {
      try {
        const s = own.call(obj);
        if (typeof s === "string") return s;
      } catch {
        // ignore
      }
    }
    const name = (obj as { constructor?: { name?: string } }).constructor?.name;
    return `<${name || "Object"}>`;
  }
  return textRepr(obj);
}

function completeBundle(obj: unknown, b: unknown): MimeBundle {
  if (typeof b !== "object" || b === null) {
    throw new TypeError(
      `[Symbol.for("Jupyter.display")]() must return a mime bundle object such as { "text/html": "..." }, got ${typeof b}`,
    );
  }
  const bundle = { ...(b as PartialMimeBundle) } as MimeBundle;
  if (typeof bundle["text/plain"] !== "string") bundle["text/plain"] = plainFallback(obj);
  return bundle;
}

/**
 * The mime bundle of any value, always with "text/plain":
 * objects with `[Symbol.for("Jupyter.display")]()` give their bundle (a Promise when the method returns one),
 * NDArrays an HTML table and their numpy-like repr, everything else its readable text form.
 */
export function mimeBundle(obj: unknown): MimeBundle | Promise<MimeBundle> {
  if (isDisplayable(obj)) {
    const b = (obj as Record<symbol, () => unknown>)[JUPYTER_DISPLAY]();
    if (isThenable(b)) return Promise.resolve(b).then((r) => completeBundle(obj, r));
    return completeBundle(obj, b);
  }
  if (isNDArrayLike(obj)) return ndarrayMimeBundle(obj);
  return { "text/plain": textRepr(obj) };
}

let counter = 0;
function newDisplayId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, "");
  counter += 1;
  return `${Date.now().toString(16)}${counter.toString(16)}${Math.random().toString(16).slice(2)}`;
}

/** Returned by display(): `update(obj)` redraws the same output area in place. */
export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces what this handle shows with `obj` (a training loop can refresh a table or a figure each epoch). */
  update(obj: unknown): void;
  /** Shows `obj` again as a new output linked to this handle (later updates redraw both). */
  display(obj: unknown): void;
}

export interface DisplayOptions {
  /** Reuse an id (e.g. to link two outputs); a fresh one by default. */
  displayId?: string;
  metadata?: Record<string, unknown>;
}

/** Marks display handles, so that a kernel does not show a handle returned by a cell's last `display(x)`. */
const DISPLAY_HANDLE = Symbol.for("gradlab.displayHandle");

class Handle implements DisplayHandle {
  readonly [DISPLAY_HANDLE] = true;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(readonly displayId: string, private readonly metadata?: Record<string, unknown>) {}

  send(obj: unknown, update: boolean): void {
    const request: DisplayRequest = { displayId: this.displayId, update, metadata: this.metadata };
    if (!update) sink.beforeNew?.(obj);
    if (update && sink.sendUpdate && this.pending === 0) return sink.sendUpdate(() => mimeBundle(obj), request);
    const b = mimeBundle(obj);
    // Synchronous bundles go out at once (so a synchronous loop redraws live); asynchronous ones keep their order.
    if (!isThenable(b) && this.pending === 0) {
      sink.send(b, request);
      return;
    }
    this.pending += 1;
    const target = sink;
    this.chain = this.chain
      .then(() => b)
      .then(
        (bundle) => target.send(bundle, request),
        (err) => console.error(err),
      )
      .finally(() => {
        this.pending -= 1;
      });
  }

  update(obj: unknown): void {
    this.send(obj, true);
  }

  display(obj: unknown): void {
    this.send(obj, false);
  }
}

/** True for the handles display() returns. */
export function isDisplayHandle(x: unknown): x is DisplayHandle {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[DISPLAY_HANDLE] === true;
}

/**
 * Shows `obj` now, as a new output of the running cell (`display_data`), and returns a handle whose
 * `update(obj)` redraws that output in place (`update_display_data`).
 */
export function display(obj: unknown, opts: DisplayOptions = {}): DisplayHandle {
  const handle = new Handle(opts.displayId ?? newDisplayId(), opts.metadata);
  handle.send(obj, false);
  return handle;
}

/** Redraws the output shown with `displayId` (see display()). */
export function updateDisplay(obj: unknown, displayId: string): void {
  new Handle(displayId).send(obj, true);
}

function stripTags(s: string): string {
  const text = s.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text.length > 200 ? text.slice(0, 197) + "..." : text;
}

/** A value that renders as a fixed mime bundle (what html() and markdown() return). */
export class RichOutput {
  constructor(readonly bundle: MimeBundle) {}
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.bundle;
  }
  toString(): string {
    return this.bundle["text/plain"];
  }
}

/** A value that displays as the given HTML (text/plain: the text without tags). */
export function html(source: string): RichOutput {
  return new RichOutput({ "text/html": source, "text/plain": stripTags(source) });
}

/** A value that displays as Markdown (text/plain: the Markdown source). */
export function markdown(source: string): RichOutput {
  return new RichOutput({ "text/markdown": source, "text/plain": source });
}
