// plotly.js, inlined once per kernel session (offline: no CDN, no network).
//
// The rule, and why (see also README "Plots"):
// - Every figure's HTML is a <div> plus a small <script> that draws it with `Plotly.newPlot` as soon as
//   `window.Plotly` exists: immediately if it already does, otherwise it queues itself (and polls) until a
//   library script anywhere on the page defines it. So the library only has to be *somewhere* on the page,
//   before or after the figure: order does not matter, presence does.
// - The library (plotly.min.js, ~4.8 MB) goes out with the FIRST render of the first figure of the process
//   (= kernel session; a kernel restart resets it). Later figures omit it. The library script is guarded
//   (`if (!window.Plotly)`), so a page holding it twice still defines Plotly once.
// - Live figures: `display(fig)` then `h.update(fig)` re-renders the same figure, and the update REPLACES that
//   output. If that figure carried the library, the saved notebook would lose it. Re-sending 4.8 MB with every
//   update is not acceptable (a loss curve redraws each epoch), so instead: a figure carries the library only
//   on its first render; when the carrier renders again we assume its output lost the library and mark the
//   library "not inlined", so the next NEW figure carries it again (once). In the live page nothing is lost
//   (window.Plotly stays defined after the output is replaced).
// - Remaining gap: a notebook whose only figure is updated in place has no library in its saved outputs.
//   `gradlab report` must therefore inject `plotlyScriptTag()` when `hasPlotlyLibrary(html)` is false (cheap and
//   always correct), and a kernel may avoid the gap entirely by sending `plotlyLibraryBundle()` as its own,
//   never-updated display_data before a figure's first display when `needsPlotlyLibrary(obj)` says so.
// - If a figure is ever on a page without the library (outputs cleared in a live session, say), it shows a
//   visible message after 10 s instead of staying blank.
//
// State lives on globalThis under a registered symbol, so two copies of this module (lib/ and dist/) agree.
import * as fs from "fs";

export const PLOTLY_MARKER = "data-gradlab-plotly";

interface LibraryState {
  /** A library copy is believed to be present in this session's notebook outputs. */
  inlined: boolean;
  /** uid of the figure whose output carries it (-1: a dedicated library output), or null. */
  carrier: number | null;
  /** Random per-process token, so element ids differ across kernel restarts in one notebook. */
  session: string;
  nextUid: number;
}

const STATE_KEY = Symbol.for("gradlab.plot.libraryState");

function state(): LibraryState {
  const g = globalThis as unknown as Record<symbol, LibraryState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    s = { inlined: false, carrier: null, session: Math.random().toString(36).slice(2, 8), nextUid: 1 };
    g[STATE_KEY] = s;
  }
  return s;
}

/** A fresh id for a figure object (also used in element ids). */
export function nextFigureUid(): number {
  return state().nextUid++;
}

export function sessionToken(): string {
  return state().session;
}

let cachedSource: string | null = null;
let cachedVersion = "";

/** Absolute path of plotly.min.js (plotly.js-dist-min v4). */
export function plotlyPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** The plotly.js source made safe for inlining in HTML (`</script` and `<!--` cannot occur). */
function plotlySource(): string {
  if (cachedSource === null) {
    const src = fs.readFileSync(plotlyPath(), "utf8");
    cachedVersion = /plotly\.js v([\w.-]+)/.exec(src.slice(0, 400))?.[1] ?? "unknown";
    // Inside JS strings, regex and template literals `\x3C` is `<`; minified code has no `<` outside them.
    cachedSource = src.replace(/<\/script/gi, "\\x3C/script").replace(/<!--/g, "\\x3C!--");
  }
  return cachedSource;
}

/** Version of the bundled plotly.js, e.g. "4.1.2". */
export function plotlyVersion(): string {
  plotlySource();
  return cachedVersion;
}

/**
 * The whole plotly.js library as one `<script>` tag (~4.8 MB), guarded so that it defines `window.Plotly`
 * only once per page, then draws every figure that was waiting for it. For report exporters: inject it into
 * an HTML page that holds figure outputs but no library (`hasPlotlyLibrary(html)` false). Does not change the
 * session's inlining state.
 */
export function plotlyScriptTag(): string {
  const src = plotlySource();
  return (
    `<script type="text/javascript" ${PLOTLY_MARKER}="${cachedVersion}">\n` +
    `if (!window.Plotly) {\n${src}\n}\n` +
    `(function () { var q = window.__gradlabPlotlyQueue || []; window.__gradlabPlotlyQueue = [];` +
    ` for (var i = 0; i < q.length; i++) { try { q[i](); } catch (e) { console.error(e); } } })();\n` +
    `</script>`
  );
}

/** True when an HTML text already contains the gradlab plotly library script. */
export function hasPlotlyLibrary(html: string): boolean {
  return html.includes(PLOTLY_MARKER + '="');
}

/** Forget that the library was sent: the next figure displayed carries it again. */
export function resetPlotlyInlining(): void {
  const s = state();
  s.inlined = false;
  s.carrier = null;
}

/** True when the library has been sent in this session (and its carrier was not re-rendered since). */
export function isPlotlyInlined(): boolean {
  return state().inlined;
}

/**
 * Decides whether one display render of a figure carries the library (see the rule at the top of this file).
 * `firstRender`: this is the figure object's first display render.
 */
export function claimLibrary(uid: number, firstRender: boolean): boolean {
  const s = state();
  if (!firstRender && s.carrier === uid) {
    // The carrier is being re-rendered (an update replaces its output): its library copy may be gone.
    s.inlined = false;
    s.carrier = null;
    return false;
  }
  if (!s.inlined && firstRender) {
    s.inlined = true;
    s.carrier = uid;
    return true;
  }
  return false;
}

/** Property set to `true` on objects that need plotly.js on the page (read by `needsPlotlyLibrary`). */
export const NEEDS_PLOTLY = Symbol.for("gradlab.needsPlotly");
/** The rich display protocol's method key (Deno-style; the gradlab kernel asks objects for it). */
export const DISPLAY = Symbol.for("Jupyter.display");

/**
 * Kernel hook: true when `obj` is a figure and the library has not been sent yet. A kernel that then sends
 * `plotlyLibraryBundle()` as a separate display_data (never updated) before the figure keeps the library in
 * the notebook even if the figure is later updated in place.
 */
export function needsPlotlyLibrary(obj: unknown): boolean {
  return typeof obj === "object" && obj !== null && (obj as Record<symbol, unknown>)[NEEDS_PLOTLY] === true && !state().inlined;
}

export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  [mime: string]: string | undefined;
}

/** A display bundle holding only the library (hidden), and marks it sent. */
export function plotlyLibraryBundle(): MimeBundle {
  const s = state();
  s.inlined = true;
  s.carrier = -1;
  return {
    "text/plain": `plotly.js ${plotlyVersion()} (inlined for the figures of this notebook)`,
    "text/html": plotlyScriptTag(),
  };
}

/**
 * A displayable object whose output holds the library: `display(plot.library())` in a first cell makes every
 * later figure (and every in-place update) light, whatever happens to the figures' outputs.
 */
export function plotlyLibrary(): { [DISPLAY](): MimeBundle; toString(): string } {
  return {
    [DISPLAY]: () => plotlyLibraryBundle(),
    toString: () => `plotly.js ${plotlyVersion()}`,
  };
}
