// Lazy loading of optional heavy dependencies, so that `require("gradlab")` (and the kernel's start) only pays
// for what a session uses: @stdlib's special functions pull in hundreds of small modules.

/** A function that loads the module `id` on its first call and forwards every call to its export. */
export function lazyFn<F extends (...args: any[]) => any>(id: string, pick?: (mod: any) => F): F {
  let fn: F | undefined;
  return ((...args: any[]) => {
    if (fn === undefined) {
      const mod = require(id);
      fn = pick ? pick(mod) : (mod.default ?? mod);
    }
    return fn!(...args);
  }) as F;
}

/** A value computed on first use. */
export function lazyValue<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
