#!/usr/bin/env node
// The native backend (native/*.c → dist/native/gradlab.node): a Node-API addon over OpenBLAS and libmvec.
// `npm run setup` calls buildNative() after the TypeScript build; `node scripts/build-native.js` runs it alone.
// It compiles with the system C compiler directly (no node-gyp: a few C files, per-file SIMD flags, no Python/make
// layer, fully offline) against Node's own headers, and rebuilds only when the sources or flags change (a hash
// stamp). When root with apt-get and OpenBLAS or the compiler is missing, it installs them from Debian packages.
// It never fails setup: when the addon cannot be built or loaded it prints one line, and the wasm backend is used.
"use strict";
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const SRC = path.join(root, "native");
const OUT_DIR = path.join(root, "dist", "native");
const ADDON = path.join(OUT_DIR, "gradlab.node");
const STAMP = path.join(OUT_DIR, "build-stamp.json");
const DEBIAN_PACKAGES = ["libopenblas-dev", "gcc", "libc6-dev"];

// -fno-math-errno lets sqrt vectorize (it changes no result); no -ffast-math anywhere (IEEE semantics kept).
const CFLAGS = ["-O3", "-fPIC", "-std=gnu11", "-Wall", "-fno-math-errno", "-DNODE_GYP_MODULE_NAME=gradlab"];
/** math_simd.c is compiled once per SIMD level; math.c picks a variant at run time from the CPU's features. */
const UNITS = [
  ["addon.c", []], ["blas.c", ["-fopenmp-simd"]], ["lapack.c", []], ["math.c", []], ["parallel.c", ["-pthread"]],
  ["gemm_avx512.c", ["-mavx512f", "-mfma"]], ["log_pow_avx512.c", ["-mavx512f"]],
  ["math_simd.c", ["-mavx2", "-mfma", "-DSIMD_W=4"], "math_avx2.o"],
  ["math_simd.c", ["-mavx512f", "-DSIMD_W=8"], "math_avx512.o"],
];
const LIBS = ["-lopenblas", "-lmvec", "-lm", "-pthread"];

const have = (file) => fs.existsSync(file);
const which = (bin) => ["/usr/local/bin", "/usr/bin", "/bin"].map((d) => path.join(d, bin)).find(have) ?? null;

/** Node's headers: <prefix>/include/node next to the running node (Debian: /usr/include/node). */
function nodeInclude() {
  const candidates = [path.join(path.dirname(process.execPath), "..", "include", "node"), "/usr/include/node"];
  return candidates.find((d) => have(path.join(d, "node_api.h"))) ?? null;
}

function openblasPresent() {
  const dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
  return dirs.some((d) => have(path.join(d, "libopenblas.so")));
}

/** What the build depends on: the C sources, the flags, the compiler and Node's headers. */
function sourceHash(cc, include) {
  const h = crypto.createHash("sha256").update(JSON.stringify({ CFLAGS, UNITS, LIBS, cc, include }));
  for (const f of fs.readdirSync(SRC).filter((f) => /\.[ch]$/.test(f)).sort()) {
    h.update(f).update(fs.readFileSync(path.join(SRC, f)));
  }
  return h.digest("hex");
}

/** When root with apt-get: installs what is missing from Debian packages. Returns a reason when it cannot. */
function installPrerequisites(log, quiet) {
  const missing = [];
  if (!which("cc") && !which("gcc")) missing.push("gcc", "libc6-dev");
  if (!openblasPresent()) missing.push("libopenblas-dev");
  if (missing.length === 0) return null;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !have("/usr/bin/apt-get") || process.env.GRADLAB_NO_APT) {
    return `${missing.includes("libopenblas-dev") ? "OpenBLAS" : "a C compiler"} is missing; install with ` +
      `sudo apt-get install -y ${DEBIAN_PACKAGES.join(" ")}`;
  }
  log(`installing ${missing.join(", ")} from Debian packages (for the native backend)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const stdio = quiet ? "ignore" : "inherit";
  try {
    execFileSync("apt-get", ["update"], { stdio, env });
    execFileSync("apt-get", ["install", "-y", ...new Set(missing)], { stdio, env });
  } catch (e) {
    return `apt-get install ${missing.join(" ")} failed`;
  }
  return openblasPresent() && (which("cc") || which("gcc")) ? null : `${missing.join(" ")} still missing after apt-get`;
}

/** Loads the addon in a child process (a broken build must not take setup down) and runs one product. */
function loadsAndWorks(file) {
  const probe = `const a = require(${JSON.stringify(file)}); const c = new Float64Array(1);
    a.dgemm(false, false, 1, 1, 1, new Float64Array([2]), 0, 1, new Float64Array([3]), 0, 1, c, 0, 1);
    if (c[0] !== 6) throw new Error("dgemm gave " + c[0]);`;
  execFileSync(process.execPath, ["-e", probe], { stdio: "pipe", timeout: 30000 });
}

/**
 * Builds dist/native/gradlab.node if needed. Returns { ok, reason }; prints one line (unless quiet) only when
 * something happened or the wasm backend is active.
 */
function buildNative({ quiet = false } = {}) {
  const wasm = (reason) => {
    console.log(`[setup] native backend not built (${reason}): the WebAssembly backend is active`);
    return { ok: false, reason };
  };
  try {
    return tryBuild(quiet, wasm);
  } catch (e) {
    return wasm(String((e && e.message) || e).split("\n")[0]);
  }
}

function tryBuild(quiet, wasm) {
  const log = (msg) => { if (!quiet) console.log(`[setup] ${msg}`); };
  if (process.platform !== "linux") return wasm(`the native build supports Linux only, this is ${process.platform}`);
  const apt = installPrerequisites(log, quiet);
  if (apt) return wasm(apt);
  const cc = which("cc") ?? which("gcc");
  const include = nodeInclude();
  if (!include) return wasm("Node's headers (node_api.h) were not found");
  const hash = sourceHash(cc, include);
  let stamp = null;
  try { stamp = JSON.parse(fs.readFileSync(STAMP, "utf8")); } catch { /* first build */ }
  if (stamp && stamp.hash === hash && have(ADDON)) {
    log("native backend up to date (OpenBLAS)");
    return { ok: true, reason: null };
  }
  log("building the native backend (OpenBLAS + libmvec)");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlab-native-"));
  try {
    const objects = UNITS.map(([file, flags, obj]) => {
      const o = path.join(tmp, obj ?? file.replace(/\.c$/, ".o"));
      execFileSync(cc, ["-c", ...CFLAGS, ...flags, `-I${include}`, path.join(SRC, file), "-o", o], { stdio: "pipe" });
      return o;
    });
    const built = path.join(tmp, "gradlab.node");
    execFileSync(cc, ["-shared", "-o", built, ...objects, ...LIBS], { stdio: "pipe" });
    loadsAndWorks(built);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.copyFileSync(built, ADDON + ".tmp");
    fs.renameSync(ADDON + ".tmp", ADDON); // atomic: a running process never sees half a file
    fs.writeFileSync(STAMP, JSON.stringify({ hash, time: Date.now() }));
    return { ok: true, reason: null };
  } catch (e) {
    const detail = String((e && e.stderr && e.stderr.toString()) || (e && e.message) || e).split("\n").find((l) => l.trim()) ?? "";
    try { fs.rmSync(ADDON, { force: true }); fs.rmSync(STAMP, { force: true }); } catch { /* nothing to remove */ }
    return wasm(`compiling failed: ${detail.trim().slice(0, 200)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { buildNative, ADDON };

if (require.main === module) buildNative({ quiet: process.argv.includes("--quiet") });
