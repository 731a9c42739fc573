import { type Command, InvalidArgumentError } from "commander";
import { AUDIT_PAGE_MAX } from "#protocol";
import { optionsOf } from "../../terminal/global-options.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";

export const AUDIT_DEFAULT_LIMIT = 20;

interface AuditOptions {
  limit: number;
  before?: string;
}

export function addAuditCommand(program: Command): void {
  program
    .command("audit")
    .description("your account's security events, newest first")
    .option("--limit <n>", `how many events (1 to ${AUDIT_PAGE_MAX})`, parseLimit, AUDIT_DEFAULT_LIMIT)
    .option("--before <id>", "continue from an earlier page: events older than this event id")
    .action((_options, command: Command) => listAudit(command));
}

async function listAudit(command: Command): Promise<void> {
  const options = optionsOf<AuditOptions>(command);
  const page = await withLoggedInHub(options, async ({ connection }) => {
    const query = options.before ? { limit: options.limit, before: options.before } : { limit: options.limit };
    return expectData(await connection.call("audit:list", query));
  });
  const rows = page.events.map((event) => [formatTime(event.createdAt), event.action, event.address ?? "-", describeDetails(event.details)]);
  const lines = page.events.length === 0 ? ["No security events."] : formatTable(["TIME", "ACTION", "ADDRESS", "DETAILS"], rows);
  if (page.nextBefore) lines.push("", `Older events: pairgate audit --before ${page.nextBefore}`);
  printResult(options, page, lines);
}

function describeDetails(details: Record<string, unknown> | null): string {
  if (!details) return "";
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
}

function parseLimit(raw: string): number {
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
    throw new InvalidArgumentError(`Use a whole number from 1 to ${AUDIT_PAGE_MAX}.`);
  }
  return limit;
}
