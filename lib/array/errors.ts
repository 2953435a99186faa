// Error classes. Messages name the operation, the argument, what was given and what was expected.

export class ShapeError extends Error {
  override name = "ShapeError";
}

export class ValueError extends Error {
  override name = "ValueError";
}

export class IndexError extends Error {
  override name = "IndexError";
}

/** A primitive without a differentiation rule, or a gradient request that cannot be served. */
export class GradientError extends Error {
  override name = "GradientError";
}

export class LinAlgError extends Error {
  override name = "LinAlgError";
}

/** An array too large to allocate (numpy's MemoryError): see setAllocationLimit in lib/array/limits.ts. */
export class MemoryError extends Error {
  override name = "MemoryError";
}

/**
 * An intermediate array of a grad call used after the call returned: its storage was reused (see
 * lib/core/release.ts). The message says how to keep such a value.
 */
export class ReleasedArrayError extends ValueError {
  override name = "ReleasedArrayError";
}
