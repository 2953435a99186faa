// `gradlab kernel install [--user | --sys-prefix | --prefix P] [--python PY] [--name N] [--display-name D]`
// `gradlab kernel start -f <connection file>` (what the kernelspec runs)
// `gradlab kernel spec` (prints the kernel.json that install writes)
import { DISPLAY_NAME, type InstallMode, KERNEL_NAME, installKernelSpec, kernelSpec } from "../kernel/install";

export const summary = "install or start the gradlab Jupyter kernel";

const HELP = `usage:
  gradlab kernel install [--user | --sys-prefix | --prefix PATH] [--python PYTHON] [--name NAME] [--display-name NAME]
      Registers the "${KERNEL_NAME}" kernelspec ("${DISPLAY_NAME}") with the Python that runs Jupyter
      (default: the interpreter of \`jupyter\` on PATH). --user is the default for a non-root user;
      --sys-prefix installs into that Python's sys.prefix (virtualenv, conda, Binder); --prefix into PATH/share/jupyter.
      Also prepares the kernel (globals declaration, startup snapshot) unless --no-prepare.
  gradlab kernel start -f CONNECTION_FILE
      Starts the kernel (Jupyter runs this through the kernelspec).
  gradlab kernel spec
      Prints the kernel.json that install writes.`;

function parseInstall(args: string[]): {
  mode: InstallMode;
  python?: string;
  name?: string;
  displayName?: string;
  prepare: boolean;
} {
  let prepare = true;
  let mode: InstallMode | null = null;
  let python: string | undefined;
  let name: string | undefined;
  let displayName: string | undefined;
  const setMode = (m: InstallMode) => {
    if (mode) throw new Error("choose one of --user, --sys-prefix, --prefix");
    mode = m;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--user":
        setMode({ kind: "user" });
        break;
      case "--sys-prefix":
        setMode({ kind: "sys-prefix" });
        break;
      case "--prefix":
        setMode({ kind: "prefix", prefix: value() });
        break;
      case "--python":
        python = value();
        break;
      case "--name":
        name = value();
        break;
      case "--display-name":
        displayName = value();
        break;
      case "--no-prepare":
        prepare = false;
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return { mode: mode ?? (isRoot ? { kind: "system" } : { kind: "user" }), python, name, displayName, prepare };
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === "-h" || sub === "--help") {
    console.log(HELP);
    return sub ? 0 : 1;
  }
  try {
    switch (sub) {
      case "install": {
        if (rest.includes("-h") || rest.includes("--help")) {
          console.log(HELP);
          return 0;
        }
        const opts = parseInstall(rest);
        if (opts.prepare) {
          // The globals declaration and the startup snapshot (each skipped when up to date).
          const setup = require("../kernel/setup") as typeof import("../kernel/setup");
          setup.generateGlobals();
          setup.buildSnapshot();
        }
        installKernelSpec(opts);
        return 0;
      }
      case "start": {
        (require("../kernel/launch") as typeof import("../kernel/launch")).launch(rest);
        return new Promise<number>(() => undefined); // runs until the kernel exits
      }
      case "spec":
        console.log(JSON.stringify(kernelSpec(), null, 2));
        return 0;
      default:
        console.error(`gradlab kernel: unknown subcommand ${JSON.stringify(sub)}\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    console.error(`gradlab kernel ${sub}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
