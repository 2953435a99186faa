// `gradlab <command>`: one module per subcommand (cli/<command>.ts exporting `run(args): Promise<number>`).
// Commands are loaded on demand, so a new subcommand is one new file plus one line in COMMANDS.

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  kernel: { summary: "install or start the gradlab Jupyter kernel", load: () => require("./kernel") as Command },
  report: { summary: "execute a notebook and write a self-contained HTML report", load: () => require("./report") as Command },
};

function usage(): string {
  const lines = ["usage: gradlab <command> [options]", "", "commands:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Run `gradlab <command> --help` for a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    console.log(usage());
    return name ? 0 : 1;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`gradlab: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  let command: Command;
  try {
    command = entry.load();
  } catch (e) {
    if ((e as { code?: string }).code === "MODULE_NOT_FOUND" && String((e as Error).message).includes(`'./${name}'`)) {
      console.error(`gradlab: the ${name} command is not available in this build`);
      return 2;
    }
    throw e;
  }
  return command.run(rest);
}
