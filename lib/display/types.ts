// Mime bundles: what Jupyter displays. Keys are mime types ("text/plain", "text/html", ...), values are the
// payloads (strings for text types). Every bundle gradlab produces carries "text/plain".

export interface MimeBundle {
  "text/plain": string;
  [mime: string]: unknown;
}

/** A bundle as returned by a `[Symbol.for("Jupyter.display")]()` method: "text/plain" may be missing. */
export type PartialMimeBundle = { [mime: string]: unknown };

/** The symbol (Deno's convention) an object implements to render itself: `obj[JUPYTER_DISPLAY]()`. */
export const JUPYTER_DISPLAY: symbol = Symbol.for("Jupyter.display");
