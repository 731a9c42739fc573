import { CommanderError } from "commander";
import { EXIT_CODES, type ExitCode } from "./exit-codes.ts";
import { describeFileProblem } from "../common/file-problems.ts";

/**
 * A failure the person should read: a sentence, the exit code, and a stable `code` for
 * `--json` output. Commands throw it to stop; the entry point prints it and exits with it,
 * which keeps every command free of its own printing-and-exiting on each error path.
 */
export class CliFailure extends Error {
  override readonly name = "CliFailure";

  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
    /** Machine-readable extras shown in `--json` output (validation details, retry time). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Turns whatever stopped a command into a CliFailure: commander's usage errors, Ctrl+C at a
 * prompt, and, for anything unexpected, a failure that still names the cause. `program` is the
 * command whose `--help` a usage error points to.
 */
export function asCliFailure(error: unknown, program = "pairgate"): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof CommanderError) return new CliFailure("usage", usageSentence(error, program), EXIT_CODES.usage);
  if (error instanceof Error && error.name === "ExitPromptError") return new CliFailure("interrupted", "Cancelled.", EXIT_CODES.interrupted);
  const fileTrouble = fileFailure(error);
  if (fileTrouble) return fileTrouble;
  const reason = error instanceof Error ? error.message : String(error);
  return new CliFailure("unexpected", `Something went wrong: ${reason}`, EXIT_CODES.failure);
}

/** Help and version displays reach us as commander "errors" with exit code 0. */
export function isCommanderSuccess(error: unknown): boolean {
  return error instanceof CommanderError && error.exitCode === 0;
}

function usageSentence(error: CommanderError, program: string): string {
  // Commander has just printed the help of a command group named without a subcommand.
  if (error.code === "commander.help") return "Choose one of the commands listed above.";
  const message = error.message
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ")
    .replace(/\.$/, "");
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}. See \`${program} --help\`.`;
}

function fileFailure(error: unknown): CliFailure | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const problem = describeFileProblem(error);
  // A missing file is for each command to explain (it is often just not made yet).
  if (typeof path !== "string" || problem === undefined || code === "ENOENT") return undefined;
  return new CliFailure("file_problem", `Cannot use ${path}: ${problem}. Check PAIRGATE_HOME (or the path given) and try again.`, EXIT_CODES.failure);
}
