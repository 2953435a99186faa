// plotly.js for figures: how the library reaches the page.
//
// The rule, and why (see also README "Plots"):
// - Every figure's HTML is a <div> holding a static SVG picture of the chart (static-svg.ts), plus a small
//   <script> that replaces the picture by the interactive plotly.js chart as soon as `window.Plotly` exists:
//   immediately if it already does, otherwise it queues itself (and polls) until a library script anywhere on
//   the page defines it. Where no script runs (GitHub, nbviewer, an untrusted notebook) the picture stays.
// - Notebooks do not store plotly.js. Each figure's HTML carries a tiny loader (`plotlyLoaderTag`, < 1 kB) that,
//   on a Jupyter page, adds ONE <script src> for the copy of plotly.min.js that `gradlab kernel install` puts
//   into the kernelspec folder, which Jupyter serves at `<base_url>kernelspecs/gradlab/plotly.min.js`. The base
//   URL comes from the page (Notebook 6: `<body data-base-url>`; JupyterLab / Notebook 7: the
//   `jupyter-config-data` JSON). So a reopened notebook draws again after a reload, and a live curve updated in
//   place never loses its library. On a page that is not served by Jupyter the loader does nothing.
// - Reports (`gradlab report`) inline one compressed copy in <head> (`plotlyReportTag`): the cartesian bundle
//   (~0.5 MB gzipped) when every trace type of the page is in it, the full bundle otherwise.
// - `plotlyScriptTag()` (the whole library, ~4.8 MB, uncompressed) and `fig.toHTML({ library: true })` remain for
//   pages built by hand.
//
// State lives on globalThis under a registered symbol, so two copies of this module (lib/ and dist/) agree.
import * as fs from "fs";

import * as zlib from "zlib";

export const PLOTLY_MARKER = "data-gradlab-plotly";
/** Attribute of the loader script of figure outputs (`plotlyLoaderTag`). */
export const PLOTLY_LOADER_MARKER = "data-gradlab-plotly-loader";

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
 * Kernel hook: true when `obj` is a figure and the loader has not been sent yet. The gradlab kernel then sends
 * `plotlyLibraryBundle()` (the loader, < 1 kB) as a separate display_data (never updated) before the figure.
 * Figures carry the loader themselves too, so this only matters to kernels that rely on it.
 */
export function needsPlotlyLibrary(obj: unknown): boolean {
  return typeof obj === "object" && obj !== null && (obj as Record<symbol, unknown>)[NEEDS_PLOTLY] === true && !state().inlined;
}

export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  /** JSON mime types carry objects (not strings); text types strings. */
  [mime: string]: unknown;
}

/** A display bundle holding only the plotly.js loader (see the rule at the top of this file). */
export function plotlyLibraryBundle(): MimeBundle {
  const s = state();
  s.inlined = true;
  s.carrier = -1;
  return {
    "text/plain": `plotly.js ${plotlyVersion()} (loaded from the gradlab kernelspec)`,
    "text/html": plotlyLoaderTag(`${PLOTLY_MARKER}="${plotlyVersion()}-loader"`),
  };
}

/** Name of the kernelspec whose folder holds plotly.min.js (the kernel's own, set by `gradlab kernel install`). */
export function kernelspecName(): string {
  const n = process.env.GRADLAB_KERNEL_NAME;
  return n && /^[\w.-]+$/.test(n) ? n : "gradlab";
}

/**
 * The loader carried by every figure output: on a page served by Jupyter (http/https), adds one <script src>
 * for `<base_url>kernelspecs/<name>/plotly.min.js` unless plotly.js is already there or being loaded, then
 * draws the figures waiting for it. Elsewhere (a file, GitHub, nbviewer) it does nothing and the figures keep
 * their static pictures.
 */
export function plotlyLoaderTag(attribute?: string): string {
  const file = `kernelspecs/${kernelspecName()}/plotly.min.js`;
  return (
    `<script type="text/javascript" ${attribute ?? `${PLOTLY_LOADER_MARKER}="${file}"`}>\n` +
    `(function () {\n` +
    `  if (window.Plotly || window.__gradlabPlotlyLoading || !/^https?:$/.test(location.protocol)) return;\n` +
    `  var base = "/";\n` +
    `  try {\n` +
    `    var b = document.body && document.body.getAttribute("data-base-url");\n` +
    `    var c = document.getElementById("jupyter-config-data");\n` +
    `    if (b) base = b; else if (c) base = JSON.parse(c.textContent).baseUrl || base;\n` +
    `  } catch (e) {}\n` +
    `  if (base.charAt(base.length - 1) !== "/") base += "/";\n` +
    `  window.__gradlabPlotlyLoading = true;\n` +
    `  var s = document.createElement("script");\n` +
    `  s.src = base + "${file}";\n` +
    `  s.onload = function () { var q = window.__gradlabPlotlyQueue || []; window.__gradlabPlotlyQueue = [];` +
    ` for (var i = 0; i < q.length; i++) { try { q[i](); } catch (e) { console.error(e); } } };\n` +
    `  s.onerror = function () { window.__gradlabPlotlyLoading = false; };\n` +
    `  document.head.appendChild(s);\n` +
    `})();\n` +
    `</script>`
  );
}

/** Trace types in plotly.js-cartesian-dist-min. */
export const CARTESIAN_TRACE_TYPES: ReadonlySet<string> = new Set([
  "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin",
]);

/** Absolute path of the cartesian plotly.js bundle. */
export function plotlyCartesianPath(): string {
  return require.resolve("plotly.js-cartesian-dist-min/plotly-cartesian.min.js");
}

const reportTags = new Map<string, string>();

/**
 * One <script> for a report's <head>: plotly.js gzipped and base64-encoded, unpacked in the browser with
 * `DecompressionStream` (no network), then every waiting figure draws. `cartesian`: the partial bundle
 * (~0.66 MB in the page) instead of the full one (~2 MB). Also marks the page as a report, so figures draw
 * without the toolbar.
 */
export function plotlyReportTag(opts: { cartesian: boolean }): string {
  const key = opts.cartesian ? "cartesian" : "full";
  let tag = reportTags.get(key);
  if (tag === undefined) {
    const file = opts.cartesian ? plotlyCartesianPath() : plotlyPath();
    const src = fs.readFileSync(file);
    const version = /plotly\.js[^\n]*? v([\w.-]+)/.exec(src.subarray(0, 400).toString("utf8"))?.[1] ?? "unknown";
    const b64 = zlib.gzipSync(src, { level: 9 }).toString("base64");
    tag =
      `<script type="text/javascript" ${PLOTLY_MARKER}="${version}-${key}-gzip">\n` +
      `window.__gradlabReport = true;\n` +
      `(function () {\n` +
      `  function drawAll() { var q = window.__gradlabPlotlyQueue || []; window.__gradlabPlotlyQueue = [];` +
      ` for (var i = 0; i < q.length; i++) { try { q[i](); } catch (e) { console.error(e); } } }\n` +
      `  if (window.Plotly || typeof DecompressionStream === "undefined") return;\n` +
      `  var bin = atob("${b64}");\n` +
      `  var bytes = new Uint8Array(bin.length);\n` +
      `  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n` +
      `  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (src) {\n` +
      `    var s = document.createElement("script");\n` +
      `    s.textContent = "if (!window.Plotly) {\\n" + src + "\\n}";\n` +
      `    document.head.appendChild(s);\n` +
      `    drawAll();\n` +
      `  });\n` +
      `})();\n` +
      `</script>`;
    reportTags.set(key, tag);
  }
  return tag;
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
