#!/usr/bin/env node
// `npm run setup`: idempotent preparation of a checkout. Every step checks before it acts, so running it again
// when nothing changed takes about a second.
//   1. npm dependencies (npm ci when node_modules is missing or the lockfile / dependency lists changed)
//   2. TypeScript build into dist/ (skipped when dist is newer than every source file and the file list is the same)
//   2b. the native backend, dist/native/gradlab.node (scripts/build-native.js: OpenBLAS from Debian packages if
//      missing (root + apt); rebuilt when native/*.c change; if it cannot be built, one line says the WebAssembly
//      backend is active and setup goes on)
//   3. the kernel (dist/kernel/setup.js): Jupyter from Debian packages if missing (root + apt), the globals
//      declaration, the kernel's startup snapshot, the `gradlab` kernelspec
// `npm test` adds --with-test-tools: Debian's chromium and pandoc for the browser and report tests.
// Options (for Binder's postBuild and other installs): --quiet, --no-kernel, and the kernelspec's location
// --user (default) | --sys-prefix | --prefix PATH, with --python PYTHON (the Python that runs Jupyter).
"use strict";
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const argv = process.argv.slice(2);
const quiet = argv.includes("--quiet");
const log = (msg) => { if (!quiet) console.log(`[setup] ${msg}`); };
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
const mtime = (p) => { try { return fs.statSync(path.join(root, p)).mtimeMs; } catch { return 0; } };

/** What the installed tree depends on: the lockfile and package.json's dependency fields (not its scripts). */
function dependencyHash() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const deps = ["dependencies", "devDependencies", "optionalDependencies", "overrides"].map((k) => pkg[k] ?? null);
  let lock = "";
  try { lock = fs.readFileSync(path.join(root, "package-lock.json"), "utf8"); } catch { /* no lockfile */ }
  return crypto.createHash("sha256").update(JSON.stringify(deps)).update(lock).digest("hex");
}

function installDependencies() {
  const stamp = path.join(root, "node_modules", ".gradlab-deps");
  const want = dependencyHash();
  let have = null;
  try { have = fs.readFileSync(stamp, "utf8"); } catch { /* first install */ }
  if (have === want && fs.existsSync(path.join(root, "node_modules", "typescript"))) {
    log("dependencies up to date");
    return;
  }
  log("installing npm dependencies (npm ci)");
  run("npm", fs.existsSync(path.join(root, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
  fs.writeFileSync(stamp, want);
}

// ---- build ---------------------------------------------------------------------------------------------------

const SOURCE_DIRS = ["lib", "kernel", "bench", "cli"];
const BUILD_STAMP = path.join(root, "dist", ".build-stamp.json");

function sourceFiles() {
  const out = [];
  const walk = (rel) => {
    let entries;
    try { entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(rel, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(p);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return out.sort();
}

function buildIsCurrent() {
  let stamp;
  try { stamp = JSON.parse(fs.readFileSync(BUILD_STAMP, "utf8")); } catch { return false; }
  const files = sourceFiles();
  if (JSON.stringify(files) !== JSON.stringify(stamp.files)) return false; // added, removed or renamed sources
  const inputs = [...files, "tsconfig.json", path.join("node_modules", ".gradlab-deps")];
  return inputs.every((f) => mtime(f) <= stamp.time) && fs.existsSync(path.join(root, "dist", "lib", "index.js"));
}

function build() {
  if (buildIsCurrent()) {
    log("build up to date");
    return;
  }
  log("building TypeScript into dist/");
  const started = Date.now();
  const files = sourceFiles();
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
  fs.writeFileSync(BUILD_STAMP, JSON.stringify({ time: started, files }));
}

// ---- tools the tests use -------------------------------------------------------------------------------------

/** `npm test` opens reports in Debian's Chromium, and reports turn formulas into MathML with pandoc. */
function ensureTestTools() {
  if (!argv.includes("--with-test-tools")) return;
  const have = (bin) => ["/usr/bin", "/usr/local/bin"].some((d) => fs.existsSync(path.join(d, bin)));
  const missing = [["chromium", "chromium"], ["pandoc", "pandoc"]].filter(([bin]) => !have(bin)).map(([, pkg]) => pkg);
  if (missing.length === 0) {
    log("test tools present (chromium, pandoc)");
    return;
  }
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(" ")}`;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !fs.existsSync("/usr/bin/apt-get")) {
    console.log(`[setup] the browser tests need ${missing.join(" and ")}: install with\n\n    sudo sh -c '${command}'\n`);
    return;
  }
  log(`installing ${missing.join(", ")} from Debian packages (for the browser and report tests)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update"], { stdio: quiet ? "ignore" : "inherit", env });
  run("apt-get", ["install", "-y", ...missing], { stdio: quiet ? "ignore" : "inherit", env });
}

// ---- kernel --------------------------------------------------------------------------------------------------

function setupKernel() {
  if (argv.includes("--no-kernel")) return;
  const kernelSetup = path.join(root, "dist", "kernel", "setup.js");
  if (!fs.existsSync(kernelSetup)) return;
  const forwarded = argv.filter((a) => a !== "--no-kernel" && a !== "--with-test-tools");
  run(process.execPath, [kernelSetup, ...forwarded]);
}

try {
  installDependencies();
  build();
  require("./build-native").buildNative({ quiet });
  setupKernel();
  ensureTestTools();
} catch (e) {
  console.error(`[setup] failed: ${e && e.message ? e.message.split("\n")[0] : e}`);
  process.exit(1);
}
