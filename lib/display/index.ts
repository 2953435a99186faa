// Rich display for notebooks: mime bundles, NDArray tables, and display() with in-place updates.
export {
  display,
  updateDisplay,
  mimeBundle,
  textRepr,
  isDisplayable,
  html,
  markdown,
  RichOutput,
  setDisplaySink,
  getDisplaySink,
  consoleSink,
  type DisplayHandle,
  type DisplayOptions,
  type DisplayRequest,
  type DisplaySink,
} from "./display";
export {
  ndarrayMimeBundle,
  ndarrayToHTML,
  ndarrayToText,
  ndarrayFallbackRepr,
  isNDArrayLike,
  type NDArrayLike,
  type NDArrayHTMLOptions,
} from "./ndarray";
export { kernelHooks } from "./kernel";
export { JUPYTER_DISPLAY, type MimeBundle, type PartialMimeBundle } from "./types";
