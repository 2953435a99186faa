// Where the kernel finds things. Everything is relative to the package root (dist/kernel/ → ../..), so the
// kernel works for a notebook in any folder.
import * as fs from "fs";
import * as path from "path";

/** The package root (the folder with package.json). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The library entry point whose exports become globals (GRADLAB_LIB overrides, for tests). */
export function libEntry(): string {
  return process.env.GRADLAB_LIB ? path.resolve(process.env.GRADLAB_LIB) : path.join(ROOT, "dist", "lib", "index.js");
}

/** The library's declarations, next to its entry point. */
export function libDeclarations(): string {
  return libEntry().replace(/\.js$/, ".d.ts");
}

/** Where the generated `gradlab-globals` declaration package lives. */
export function typesDir(): string {
  return process.env.GRADLAB_TYPES_DIR ? path.resolve(process.env.GRADLAB_TYPES_DIR) : path.join(ROOT, "dist", "kernel", "types");
}

/** A folder of @types packages that holds `node` (the project's, else tslab's own). */
export function nodeTypesRoot(): string {
  const candidates = [
    path.join(ROOT, "node_modules", "@types"),
    path.join(path.dirname(require.resolve("tslab/package.json")), "node_modules", "@types"),
  ];
  for (const c of candidates) if (fs.existsSync(path.join(c, "node", "package.json"))) return c;
  return candidates[0];
}

/** Caches (V8 code cache, startup snapshot). */
export function cacheDir(): string {
  return path.join(ROOT, "dist", "kernel", "cache");
}

export const snapshotBlob = (): string => path.join(cacheDir(), "kernel.blob");
export const snapshotMeta = (): string => path.join(cacheDir(), "kernel.blob.json");
export const codeCacheFile = (): string => path.join(cacheDir(), `typescript-${process.version}.vmcache`);

export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
