// Startup-snapshot builder (run by setup as `node --snapshot-blob <blob> --build-snapshot dist/kernel/snapshot.js`
// with GRADLAB_SNAPSHOT_CONFIG set). It loads the TypeScript compiler, parses and binds every declaration
// file a cell's program needs, and snapshots the heap; a kernel started from the blob (see launch.ts) skips
// all of that. Only Node built-ins can be required here, so tsload.js is evaluated by hand; and this file is a
// script, not a module (the builder runs it without `exports`).
(() => {
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const v8 = require("v8") as typeof import("v8");
  if (!v8.startupSnapshot?.isBuildingSnapshot()) return;

  const builtinRequire = (id: string): unknown => require(id);
  const cfg = JSON.parse(process.env.GRADLAB_SNAPSHOT_CONFIG ?? "null") as import("./tsload").SnapshotConfig | null;
  if (!cfg) throw new Error("GRADLAB_SNAPSHOT_CONFIG is not set");
  const mod = { exports: {} as typeof import("./tsload") };
  const src = fs.readFileSync(cfg.tsloadFile, "utf8");
  new Function("exports", "require", "module", "__filename", "__dirname", src)(
    mod.exports,
    builtinRequire,
    mod,
    cfg.tsloadFile,
    path.dirname(cfg.tsloadFile),
  );
  const tsload = mod.exports;
  const ts = tsload.loadTypeScriptForSnapshot(cfg.typescriptFile, builtinRequire);
  const options = tsload.cellCompilerOptions(ts, { typeRoots: cfg.typeRoots, types: cfg.types, paths: cfg.paths });
  const n = tsload.warmSourceFiles(ts, options, { fileName: cfg.sampleCell, text: "export {};\nnp;\n" });
  const files = [...(globalThis.__gradlabSourceFiles?.keys() ?? [])].map((f) => {
    const st = fs.statSync(f);
    return { file: f, size: st.size, mtimeMs: st.mtimeMs };
  });
  fs.writeFileSync(cfg.manifestFile, JSON.stringify({ count: n, files }, null, 1));
  globalThis.__gradlabSnapshot = { ts, builtAt: Date.now() };
  const mainFile = cfg.mainFile;
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const { createRequire } = require("module") as typeof import("module");
    const main = createRequire(mainFile)(mainFile) as typeof import("./main");
    // argv: [node, ...the arguments after `--`]
    main.startKernel(process.argv.slice(1)).catch((e: unknown) => {
      process.stderr.write(`[gradlab kernel] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
  });
})();
