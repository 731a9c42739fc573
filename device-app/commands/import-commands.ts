import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { fileProblemReason } from "../../common/file-problems.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { formatTable, printResult } from "../../terminal/output.ts";
import { deviceFailures } from "../device-messages.ts";
import { openDataFile, type DeviceOptions } from "../device-settings.ts";
import { type ImportedCode, importedCodeLabel, publicImportedView as publicView } from "../imported-code.ts";
import { currentTotp, findImportedCodes, takeNextImportedHotp } from "../imported-codes.ts";
import { describeOtpDataProblem } from "../otp-data.ts";
import { describeImportOutcome, describeImportProblems, importCodes, parseOtpauthLines } from "../otpauth-import.ts";

/** Far more than any list of key URIs; a bound on what a wrong file name makes us read. */
const IMPORT_FILE_MAX_BYTES = 1024 * 1024;

export function addImportCommands(program: Command): void {
  program
    .command("import")
    .description("import otpauth:// URIs (one a line) for codes of other services; - reads standard input")
    .argument("<file>", "a text file of otpauth://totp/... or otpauth://hotp/... URIs, or - for standard input")
    .action(async (path: string, _local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions>(command);
      const parsed = parseOtpauthLines(await readImportText(path));
      if (!parsed.ok) throw deviceFailures.usage(`Nothing was imported. ${describeImportProblems(parsed.problems)}`);
      const file = await openDataFile(options);
      const outcome = await importCodes(file, parsed.codes);
      if (!outcome.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(outcome.problem));
      printResult(options, { added: outcome.added.map(publicView), alreadyThere: outcome.alreadyThere.map(publicView) }, describeImportOutcome(outcome));
    });

  program
    .command("codes")
    .description("show the current codes of imported services; with a name, that one's code (an HOTP counter is saved first)")
    .argument("[name]", 'the service, the account, or "Service: account"')
    .action(async (name: string | undefined, _local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions>(command);
      const file = await openDataFile(options);
      const read = await file.read();
      if (!read.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(read.problem));
      const now = Date.now();
      if (name === undefined) {
        const rows = read.imported.map((code) => row(code, now));
        const human = rows.length === 0 ? ["No imported codes yet. Add some with `pairgate-device import FILE`."] : formatTable(["SERVICE", "TYPE", "CODE", "LEFT"], rows);
        return printResult(options, { codes: read.imported.map((code) => ({ ...publicView(code), ...(code.type === "totp" ? currentTotp(code, now) : {}) })) }, human);
      }
      const found = findImportedCodes(read.imported, name);
      if (found.length !== 1) throw deviceFailures.usage(found.length === 0 ? `No imported code matches "${name}".` : `Several imported codes match "${name}": ${found.map(importedCodeLabel).join(", ")}.`);
      const code = found[0] as ImportedCode;
      if (code.type === "totp") {
        const shown = currentTotp(code, now);
        return printResult(options, { ...publicView(code), ...shown }, `${shown.code}  (${importedCodeLabel(code)}, ${shown.secondsLeft}s left)`);
      }
      const taken = await takeNextImportedHotp(file, code.id);
      if (!taken.ok) throw deviceFailures.dataProblem(taken.reason === "data_problem" ? describeOtpDataProblem(taken.problem) : `${importedCodeLabel(code)} is no longer in the data file.`);
      printResult(options, { ...publicView(code), code: taken.code, counter: taken.counter }, taken.code);
    });
}

async function readImportText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = path === "-" ? await readStandardInput() : await readFile(path);
  } catch (error) {
    throw deviceFailures.usage(`Cannot read ${path}: ${fileProblemReason(error)}.`);
  }
  if (bytes.length > IMPORT_FILE_MAX_BYTES) throw deviceFailures.usage(`${path} is larger than 1 MiB; that is not a list of otpauth:// URIs.`);
  return bytes.toString("utf8");
}

async function readStandardInput(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function row(code: ImportedCode, now: number): string[] {
  if (code.type === "hotp") return [importedCodeLabel(code), "HOTP", "-", `pairgate-device codes "${importedCodeLabel(code)}" for the next`];
  const shown = currentTotp(code, now);
  return [importedCodeLabel(code), "TOTP", shown.code, `${shown.secondsLeft}s`];
}
