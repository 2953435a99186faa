#!/usr/bin/env node
// The `gradlab` command (see cli/index.ts). Runs the compiled CLI from dist/.
"use strict";
const path = require("path");
let cli;
try {
  cli = require(path.join(__dirname, "..", "dist", "cli", "index.js"));
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes(path.join("dist", "cli", "index.js"))) {
    console.error("gradlab: the package is not built; run `npm run setup` (or `npm run build`) first");
    process.exit(1);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  },
);
