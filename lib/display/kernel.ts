// The public hooks a notebook kernel uses (the gradlab kernel, kernel/main.ts): how a cell's value becomes a mime
// bundle, where display() sends its outputs, and which values are display handles (not shown as a result).
// Part of `kernelHooks` in lib/index.ts (with the tracer's reset), so a kernel needs nothing of lib's private modules.
import { isDisplayHandle, mimeBundle, setDisplaySink } from "./display";

export const kernelHooks = {
  /** The mime bundle of any value (always with text/plain; a Promise for objects whose display is async). */
  mimeBundle,
  /** Installs where display() and handle.update() send bundles; returns the previous sink. */
  setDisplaySink,
  /** True for the handle display() returns (a kernel does not show it as a cell's result). */
  isDisplayHandle,
};
