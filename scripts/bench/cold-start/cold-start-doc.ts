import { readFileSync, writeFileSync } from "node:fs";
import { markdownTable, type Figure } from "../report.ts";
import { COLD_START_BEGIN, COLD_START_END, coldStartSection } from "./cold-start-section.ts";

export interface ColdStartRun {
  startedAt: Date;
  command: string;
  machine: string;
  load: string;
  runs: number;
}

/** Replaces the section in the document (or adds it after the last run's table). */
export function writeColdStartSection(file: string, figures: readonly Figure[], run: ColdStartRun): void {
  const section = [
    COLD_START_BEGIN,
    "## Cold start",
    "",
    `${run.startedAt.toISOString()}, \`${run.command}\` (${run.runs} runs of each, in turns), on ${run.machine}; load average at the end ${run.load}.`,
    "",
    markdownTable(figures),
    COLD_START_END,
  ].join("\n");
  const text = readFileSync(file, "utf8");
  const existing = coldStartSection(text);
  const updated = existing ? text.replace(existing, section) : text.replace("\n## Running it", `\n${section}\n\n## Running it`);
  writeFileSync(file, updated);
}
