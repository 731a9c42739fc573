import type { CliFailure } from "./cli-failure.ts";
import type { GlobalOptions } from "./global-options.ts";

/**
 * Prints a command's result: with `--json`, one JSON object shaped like the protocol's acks
 * (`{ "ok": true, "data": ... }`); otherwise the human lines.
 */
export function printResult(options: GlobalOptions, data: unknown, human: string | string[]): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, data }, null, 2)}\n`);
    return;
  }
  const lines = Array.isArray(human) ? human : [human];
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
}

// Set by the first printResultLine: from then on a failure is one line too, so stdout stays JSON Lines.
let printingJsonLines = false;

/**
 * For a command that reports more than once (`device add`: the code, later the pairing). With
 * `--json`, each result is one compact JSON object on its own line, as is a failure that follows,
 * so that a script can read stdout line by line while the command is still running.
 */
export function printResultLine(options: GlobalOptions, data: unknown, human: string | string[]): void {
  if (!options.json) return printResult(options, data, human);
  printingJsonLines = true;
  process.stdout.write(`${JSON.stringify({ ok: true, data })}\n`);
}

/** Failures go to stderr for people, and to stdout as `{ "ok": false, "error": ... }` for `--json` scripts. */
export function printFailure(failure: CliFailure, json: boolean): void {
  if (json) {
    const error = { code: failure.code, message: failure.message, exitCode: failure.exitCode, ...failure.extra };
    process.stdout.write(`${JSON.stringify({ ok: false, error }, null, printingJsonLines ? undefined : 2)}\n`);
    return;
  }
  process.stderr.write(`${failure.message}\n`);
}

/** Something the hub pushed while a command ran (a notice, a revoked session). People only. */
export function printNotice(options: GlobalOptions, text: string): void {
  if (options.json) return;
  process.stderr.write(`Notice: ${text}\n`);
}

/** Columns padded to their widest cell; the last column is left ragged. */
export function formatTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const formatRow = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [formatRow(headers), ...rows.map(formatRow)];
}

/** An ISO timestamp shortened to the minute, still in UTC: `2026-01-05 14:03Z`. */
export function formatTime(iso: string): string {
  return iso.replace("T", " ").replace(/:\d{2}(\.\d+)?Z$/, "Z");
}
