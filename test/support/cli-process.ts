import { resolve } from "node:path";
import { launchProgram, type LaunchOptions, type ProgramRun, type RunningProgram } from "./program-process.ts";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate.mjs");

export type CliRun = ProgramRun;
export type RunningCli = RunningProgram;

/** Starts the real `pairgate` program (bin/pairgate.mjs). Without `terminal`, stdin is a plain pipe. */
export function launchCli(args: string[], options: LaunchOptions): RunningCli {
  return launchProgram(BIN, args, options);
}

/** Runs `pairgate` with no terminal, `input` on stdin (then closed), as a script would. */
export function runCli(args: string[], env: Record<string, string>, input = "", cwd?: string): Promise<CliRun> {
  const cli = launchCli(args, { env, cwd });
  cli.write(input);
  cli.endInput();
  return cli.done;
}
