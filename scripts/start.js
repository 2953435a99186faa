#!/usr/bin/env node
// `npm start` (after `npm run setup`): Jupyter Notebook on notebooks/ with the gradlab kernel as the default.
// Prints the URL once the server answers; Ctrl-C stops the server (and its kernels) cleanly.
// Options: --port N (default: a free port from 8888), --ip ADDR (default 127.0.0.1; 0.0.0.0 serves other machines),
// --browser / --no-browser (open a browser or not; default: not), --dir DIR (default notebooks/).
// `npm start -- --ip 0.0.0.0 --port 8890 --no-browser` passes them through npm.
"use strict";
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const net = require("net");
const path = require("path");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const WITH_VALUE = ["--port", "--ip", "--dir"], FLAGS = ["--browser", "--no-browser"];
for (let i = 0; i < args.length; i++) {
  if (WITH_VALUE.includes(args[i]) && i + 1 < args.length) i++;
  else if (!FLAGS.includes(args[i])) {
    console.error(`[start] unknown option ${args[i]}: use --port N, --ip ADDR, --browser / --no-browser, --dir DIR`);
    process.exit(2);
  }
}
if (args.includes("--port") && !/^\d+$/.test(opt("--port", ""))) {
  console.error(`[start] --port needs a port number (0: a free one), got ${JSON.stringify(opt("--port", ""))}`);
  process.exit(2);
}

function jupyterPython() {
  let install;
  try {
    install = require(path.join(root, "dist", "kernel", "install.js"));
  } catch {
    console.error("gradlab is not built: run `npm run setup` first");
    process.exit(1);
  }
  const python = install.findJupyterPython();
  if (!python) {
    console.error("Jupyter is not installed: run `npm run setup` (it installs it, or prints the command to run)");
    process.exit(1);
  }
  return { python, env: install.quietPythonEnv() };
}

function freePort(from) {
  return new Promise((resolve) => {
    const tryPort = (port) => {
      const srv = net.createServer();
      srv.once("error", () => tryPort(port + 1));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(port)));
    };
    tryPort(from);
  });
}

function waitForServer(url, child, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`Jupyter exited with code ${child.exitCode}`));
      const req = http.get(url, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else retry();
      });
      req.on("error", retry);
      req.setTimeout(2000, () => req.destroy());
    };
    const retry = () => (Date.now() > deadline ? reject(new Error("Jupyter did not start in time")) : setTimeout(attempt, 200));
    attempt();
  });
}

async function main() {
  const { python, env } = jupyterPython();
  const version = spawnSync(python, ["-c", "import notebook; print(notebook.__version__)"], { encoding: "utf8", env }).stdout.trim();
  const major = parseInt(version, 10) || 6;
  const app = major >= 7 ? "ServerApp" : "NotebookApp";
  const dir = path.resolve(root, opt("--dir", "notebooks"));
  fs.mkdirSync(dir, { recursive: true });
  const ip = opt("--ip", "127.0.0.1");
  const port = Number(opt("--port", 0)) || (await freePort(8888));
  const token = crypto.randomBytes(24).toString("hex");
  const jupyterArgs = [
    "-m", "notebook",
    `--${app}.ip=${ip}`,
    `--${app}.port=${port}`,
    `--${app}.port_retries=0`,
    `--${app}.token=${token}`,
    `--${app}.open_browser=${args.lastIndexOf("--browser") > args.lastIndexOf("--no-browser") ? "True" : "False"}`,
    major >= 7 ? `--ServerApp.root_dir=${dir}` : `--NotebookApp.notebook_dir=${dir}`,
    "--MultiKernelManager.default_kernel_name=gradlab",
  ];
  if (typeof process.getuid === "function" && process.getuid() === 0) jupyterArgs.push(`--${app}.allow_root=True`);
  // Its own process group: the terminal's Ctrl-C comes to us, and we stop the server with SIGTERM (no prompt).
  const child = spawn(python, jupyterArgs, { cwd: dir, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("\n[start] stopping Jupyter (and its kernels)...");
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
    setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } }, 10000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code, signal) => {
    if (stopping) {
      console.log("[start] stopped");
      process.exit(0);
    }
    console.error(`[start] Jupyter exited (${signal || code})`);
    process.exit(code || 1);
  });

  const host = ip === "0.0.0.0" ? "127.0.0.1" : ip;
  const base = `http://${host}:${port}`;
  await waitForServer(`${base}/api/status?token=${token}`, child);
  const url = `${base}/tree?token=${token}`;
  console.log(`\n[start] Jupyter Notebook (${version}) is running on ${dir} with the gradlab kernel:\n\n    ${url}\n\n[start] Press Ctrl-C to stop.`);
}

main().catch((e) => {
  console.error(`[start] ${e.message}`);
  process.exit(1);
});
