// Which backend is active, and that it is the one this machine should have.
import { describe, expect, it } from "vitest";
import { spawnSync } from "child_process";
import * as path from "path";
import { backend } from "../../lib/index";
import { backendName, nativeUnavailableReason } from "../../lib/array/native";
import { nat, nativeExpected } from "./helpers";

describe("backend selection", () => {
  it("is native wherever setup can build the addon (OpenBLAS and a C compiler present), else wasm", () => {
    // Fails, rather than skips, when setup should have built the addon but did not (or it does not load).
    if (nativeExpected()) expect(`${backendName()} ${nativeUnavailableReason()}`).toBe("native ");
    if (process.env.GRADLAB_BACKEND === "wasm") expect(backendName()).toBe("wasm");
    expect(backend()).toBe(backendName());
  });

  it("GRADLAB_BACKEND=wasm forces the WebAssembly backend in a fresh process", () => {
    const root = path.resolve(__dirname, "../..");
    const probe = (env: Record<string, string>) => spawnSync(process.execPath, ["-e",
      `const n = require(${JSON.stringify(path.join(root, "dist/lib/array/native.js"))}); process.stdout.write(n.backendName())`],
    { env: { ...process.env, ...env }, encoding: "utf8" });
    const forced = probe({ GRADLAB_BACKEND: "wasm" });
    expect(forced.stdout).toBe("wasm");
    const free = probe({ GRADLAB_BACKEND: "" });
    expect(free.stdout).toBe(nat && nativeExpected() ? "native" : free.stdout);
  });

  it.skipIf(!nat)("uses OpenBLAS's threads (both cores of this machine)", () => {
    expect(nat!.blasThreads()).toBeGreaterThanOrEqual(Math.min(2, require("os").cpus().length));
  });
});
