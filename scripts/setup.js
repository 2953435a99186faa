#!/usr/bin/env node
// `npm run setup`: idempotent preparation of a checkout.
//   1. npm dependencies (npm ci when node_modules is missing or older than package-lock.json)
//   2. TypeScript build into dist/
//   3. Jupyter + the gradlab kernelspec (see kernel/setup-kernel.js, run when present)
// Every step checks before it acts, so running it twice costs a couple of seconds.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const quiet = process.argv.includes("--quiet");
const log = (msg) => { if (!quiet) console.log(`[setup] ${msg}`); };
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
const mtime = (p) => { try { return fs.statSync(path.join(root, p)).mtimeMs; } catch { return 0; } };

function installDependencies() {
  const stamp = path.join("node_modules", ".package-lock.json");
  if (mtime(stamp) && mtime(stamp) >= mtime("package-lock.json") && mtime(stamp) >= mtime("package.json")) {
    log("dependencies up to date");
    return;
  }
  log("installing npm dependencies (npm ci)");
  run("npm", fs.existsSync(path.join(root, "package-lock.json")) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}

function build() {
  log("building TypeScript into dist/");
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
}

function setupKernel() {
  const kernelSetup = path.join(root, "kernel", "setup-kernel.js");
  if (fs.existsSync(kernelSetup)) run(process.execPath, [kernelSetup, ...(quiet ? ["--quiet"] : [])]);
}

installDependencies();
build();
setupKernel();
