import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { coldStartSection } from "./cold-start/cold-start-section.ts";

/** What one row of the table says: a ratio against a baseline measured in the same run. */
export interface Figure {
  benchmark: string;
  /** What is divided by what. */
  ratioOf: string;
  ratio?: number;
  goal?: { atLeast?: number; atMost?: number };
  /** Absolute figures behind the ratio, for context only. */
  context: string;
  /** Set when the figure could not be measured: the reason, shown instead of a ratio. */
  unavailable?: string;
  /** A condition besides the ratio that the goal also needs (e.g. no socket lost). */
  conditionFailed?: string;
}

export type Verdict = "met" | "missed" | "no goal" | "not measured";

export function verdictOf(figure: Figure): Verdict {
  if (figure.unavailable !== undefined || figure.ratio === undefined || Number.isNaN(figure.ratio)) return "not measured";
  if (!figure.goal) return "no goal";
  const { atLeast, atMost } = figure.goal;
  const withinGoal = (atLeast === undefined || figure.ratio >= atLeast) && (atMost === undefined || figure.ratio <= atMost);
  return withinGoal && !figure.conditionFailed ? "met" : "missed";
}

function goalText(figure: Figure): string {
  if (!figure.goal) return "—";
  const parts = [];
  if (figure.goal.atLeast !== undefined) parts.push(`≥ ${figure.goal.atLeast}`);
  if (figure.goal.atMost !== undefined) parts.push(`≤ ${figure.goal.atMost}`);
  return parts.join(", ");
}

function ratioText(figure: Figure): string {
  if (figure.unavailable !== undefined) return figure.unavailable;
  return figure.ratio === undefined || Number.isNaN(figure.ratio) ? "—" : figure.ratio.toFixed(2);
}

function rows(figures: readonly Figure[]): string[][] {
  return figures.map((figure) => [figure.benchmark, figure.ratioOf, ratioText(figure), goalText(figure), verdictOf(figure), contextText(figure)]);
}

function contextText(figure: Figure): string {
  return figure.conditionFailed ? `${figure.context}; ${figure.conditionFailed}` : figure.context;
}

const HEADERS = ["benchmark", "ratio of", "ratio", "goal", "verdict", "context (absolute, this run)"];

/** The table as a terminal shows it: the long columns are left out, then listed below. */
export function printTable(figures: readonly Figure[]): void {
  const table = rows(figures).map((row) => [row[0]!, row[2]!, row[3]!, row[4]!]);
  const headers = [HEADERS[0]!, HEADERS[2]!, HEADERS[3]!, HEADERS[4]!];
  const widths = headers.map((header, column) => Math.max(header.length, ...table.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  console.log(`\n${line(headers)}\n${widths.map((width) => "-".repeat(width)).join("  ")}`);
  for (const row of table) console.log(line(row));
  console.log("");
  for (const figure of figures) console.log(`- ${figure.benchmark}: ${figure.ratioOf}. ${contextText(figure)}`);
}

export function markdownTable(figures: readonly Figure[]): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const lines = [`| ${HEADERS.join(" | ")} |`, `| ${HEADERS.map(() => "---").join(" | ")} |`];
  for (const row of rows(figures)) lines.push(`| ${row.map(escape).join(" | ")} |`);
  return lines.join("\n");
}

export interface RunDescription {
  startedAt: Date;
  seconds: number;
  command: string;
  machine: string;
  /** Notes on the run's conditions (load of the machine, unavailable parts). */
  notes: string[];
}

/**
 * docs/PERFORMANCE.md: the explanation (scripts/bench/performance-guide.md, kept by hand, with
 * the measured causes of each shortfall), then this run's table and the goals it missed.
 */
export function writePerformanceDoc(file: string, guide: string, figures: readonly Figure[], run: RunDescription): void {
  const missed = figures.filter((figure) => verdictOf(figure) === "missed");
  const notMeasured = figures.filter((figure) => verdictOf(figure) === "not measured");
  const coldStart = existsSync(file) ? coldStartSection(readFileSync(file, "utf8")) : "";
  const lines = [
    "# PairGate performance",
    "",
    "<!-- Written by `npm run bench` (scripts/bench/main.ts); edit scripts/bench/performance-guide.md instead. -->",
    "",
    "## Last run",
    "",
    `${run.startedAt.toISOString()}, ${Math.round(run.seconds)} s, \`${run.command}\`, on ${run.machine}.`,
    "",
    markdownTable(figures),
    "",
    ...run.notes.map((note) => `- ${note}`),
    "",
    "Goals missed in this run: " + (missed.length === 0 ? "none." : missed.map((figure) => `${figure.benchmark} (${ratioText(figure)}, goal ${goalText(figure)})`).join("; ") + "."),
    "",
    "Not measured in this run: " + (notMeasured.length === 0 ? "nothing." : notMeasured.map((figure) => `${figure.benchmark}: ${figure.unavailable ?? "failed"}`).join("; ") + "."),
    "",
    // The cold-start figures come from their own command (npm run bench:cold-start) and are kept.
    ...(coldStart ? [coldStart, ""] : []),
    guide.trim(),
    "",
  ];
  writeFileSync(file, lines.join("\n"));
}
