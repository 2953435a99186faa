// kernel/tslab.ts, the one adapter for tslab's and TypeScript's internals: each patch applies to the pinned
// versions, and fails loudly (naming itself and the versions) when its target is gone.
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const req = createRequire(path.join(ROOT, "dist", "kernel", "main.js"));
const tslab = req("./tslab.js") as typeof import("../../kernel/tslab");
const { loadTypeScript } = req("./tsload.js") as typeof import("../../kernel/tsload");
const Module = req("module") as typeof import("module");

describe("kernel/tslab.ts adapter", () => {
  it("pins the installed versions", () => {
    expect(tslab.installedVersions()).toEqual({ tslab: tslab.PINNED.tslab, typescript: tslab.PINNED.typescript });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies.tslab).toBe(tslab.PINNED.tslab);
  });

  it("patch 1 (declaration-file cache) applies exactly once to the pinned typescript.js", () => {
    const src = fs.readFileSync(tslab.typescriptFile(), "utf8");
    const out = tslab.patchTypeScriptSource(src);
    expect(out.split(tslab.SOURCE_CACHE_PATCH.marker).length - 1).toBe(1);
    expect(out.length).toBe(src.length - tslab.SOURCE_CACHE_PATCH.from.length + tslab.SOURCE_CACHE_PATCH.to.length);
  });

  it("patch 1 throws a PatchError naming the patch and the versions when its target line is missing", () => {
    const src = fs.readFileSync(tslab.typescriptFile(), "utf8").replace(tslab.SOURCE_CACHE_PATCH.from, "return undefined;");
    let err: unknown;
    try {
      tslab.patchTypeScriptSource(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(tslab.PatchError);
    const msg = (err as Error).message;
    expect(msg).toContain('patch "declaration-file cache"');
    expect(msg).toContain("tslab 1.0.22 (TypeScript 5.0.4)");
    expect(msg).toContain("no longer contains the line");
    expect(() => tslab.patchTypeScriptSource("var ts = {}; " + tslab.SOURCE_CACHE_PATCH.from + tslab.SOURCE_CACHE_PATCH.from)).toThrow(/more than once/);
  });

  it("start-up verification: a compiler loaded with the patch passes, the unpatched one fails loudly", () => {
    const file = tslab.typescriptFile();
    const ts = loadTypeScript(file, Module.createRequire(file));
    expect(() => tslab.verifySourceCachePatch(ts)).not.toThrow();
    const plain = Module.createRequire(file)(file) as typeof import("typescript");
    expect(() => tslab.verifySourceCachePatch(plain)).toThrow(/patch "declaration-file cache".*does not consult the cache/);
  });

  it("patch 2 (typescript-instance): the converter takes our TypeScript; if tslab loaded another one, it fails loudly", () => {
    const file = tslab.typescriptFile();
    const ts = loadTypeScript(file, Module.createRequire(file));
    let seen = 0;
    const loaded = tslab.loadConverter(ts, { compilerOptions: (o) => (seen++, o) });
    expect(seen).toBe(1);
    const checked = loaded.check("", "const a = 1 + 2;");
    expect(checked.sourceFile.text.slice(checked.offset)).toBe("const a = 1 + 2;");
    expect(checked.checker.typeToString(checked.checker.getTypeAtLocation((checked.sourceFile.statements[1] as any).declarationList.declarations[0].name))).toBe("number");
    loaded.converter.close();
    // tslab's converter module is now loaded (with the first instance): a second install cannot reach it.
    expect(() => tslab.loadConverter(ts, { compilerOptions: (o) => o })).toThrow(/patch "typescript-instance".*did not take the TypeScript placed in require\.cache/);
  });

  it("patch 3 (no-watch) watches only the notebook folder's own files", () => {
    const calls: string[] = [];
    const sys = { watchFile: (p: string) => (calls.push(p), { close() {} }), watchDirectory: () => ({ close() {} }) };
    const fakeTs = { sys } as unknown as typeof import("typescript");
    tslab.restrictWatching(fakeTs, "/nb");
    sys.watchFile("/nb/local.ts");
    sys.watchFile("/nb/node_modules/x/index.d.ts");
    sys.watchFile("/elsewhere/lib.d.ts");
    expect(calls).toEqual(["/nb/local.ts"]);
    expect(() => tslab.restrictWatching({ sys: {} } as unknown as typeof import("typescript"), "/nb")).toThrow(/patch "no-watch"/);
  });

  it("patch 4 (tslab-display) routes tslab's public display API to the kernel's sender", () => {
    const sent: unknown[] = [];
    tslab.routeTslabDisplay((bundle, id, update) => sent.push([bundle, id, update]));
    const pub = req("tslab") as { display: { html(s: string): void; newDisplay(): { text(s: string): void } } };
    pub.display.html("<b>hi</b>");
    expect(sent).toEqual([[{ "text/html": "<b>hi</b>" }, undefined, false]]);
  });

  it("patch 5 (snapshot-cwd) makes the compiler read the live cwd", () => {
    let cwd = "/snapshot-builder";
    const fakeTs = { sys: { getCurrentDirectory: () => cwd } } as unknown as typeof import("typescript");
    tslab.useLiveCwd(fakeTs);
    expect(fakeTs.sys.getCurrentDirectory()).toBe(process.cwd());
    cwd = "x";
    expect(fakeTs.sys.getCurrentDirectory()).toBe(process.cwd());
  });

  it("the kernel's other modules do not touch tslab's internals (all of it lives in tslab.ts)", () => {
    const dir = path.join(ROOT, "kernel");
    const offenders: string[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ts") && n !== "tslab.ts")) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      for (const pat of [/tslab\/dist|"dist", "(converter|jupyter|inspect)\.js"/, /require\.cache/, /sys\.watchFile\s*=/, /lastWriteDisplayData/, /createSourceFile\(fileName, text/, /Symbol\.for\("gradlab\./, /"dist", "lib", "display"/]) {
        if (pat.test(text)) offenders.push(`${f}: ${pat}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
