import { defineConfig } from "vitest/config";

// vitest 5's reporter calls Map.groupBy (Node >= 21); Node 20 needs this small polyfill to print failures.
if (typeof (Map as any).groupBy !== "function") {
  (Map as any).groupBy = <K, V>(items: Iterable<V>, key: (v: V, i: number) => K): Map<K, V[]> => {
    const out = new Map<K, V[]>();
    let i = 0;
    for (const v of items) {
      const k = key(v, i++);
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    }
    return out;
  };
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
