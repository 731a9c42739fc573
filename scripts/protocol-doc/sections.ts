import { ACCESS_ERRORS, COMMON_ERRORS, CONNECT_ERROR_CODES, CONNECT_ERROR_MEANINGS, ERROR_CODES, type ErrorCode, type EventDefinition } from "#protocol";
import { CATALOGUE, eventNamesOf, pushNamesOf, sectionTitle, SIDES, type Side } from "./catalogue.ts";
import { payloadJsonSchema, renderFieldTable, replyJsonSchema, tableRow } from "./field-table.ts";

const ACCESS_TEXT: Record<EventDefinition["access"], string> = {
  anonymous: "anonymous (any socket)",
  session: "session (an authenticated socket)",
  admin: "admin (an authenticated socket of an account with role `admin`; others get `forbidden`)",
  device: "device (a paired device's socket)",
};

const code = (text: string) => `\`${text}\``;
const capitalised = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped. */
export function headingAnchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replaceAll(" ", "-");
}

const linkTo = (side: Side, name: string) => `[${code(name)}](#${headingAnchor(sectionTitle(side, name))})`;

/** A link to a `/client` event's section. */
export const clientEventLink = (name: string) => linkTo("client", name);

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [tableRow(header), tableRow(header.map(() => "---")), ...rows.map(tableRow)].join("\n");
}

export function jsonBlock(value: unknown): string {
  return ["```json", JSON.stringify(value, null, 2), "```"].join("\n");
}

export function renderErrorCodeTable(): string {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  return table(["Code", "HTTP status", "Meaning"], codes.map((name) => [code(name), String(ERROR_CODES[name].httpStatus), ERROR_CODES[name].message]));
}

export function renderConnectErrorTable(): string {
  const rows = CONNECT_ERROR_CODES.map((name) => [code(name), code(CONNECT_ERROR_MEANINGS[name].namespace), CONNECT_ERROR_MEANINGS[name].meaning]);
  return table(["`err.data.code`", "Namespace", "Meaning"], rows);
}

export function renderEventIndex(): string {
  const rows = SIDES.flatMap((side) => {
    const { namespace, peer, events, pushes } = CATALOGUE[side];
    const sent = eventNamesOf(side).map((name) => [linkTo(side, name), `${peer} → hub, ${code(namespace)}`, events[name]!.access, events[name]!.summary]);
    const pushed = pushNamesOf(side).map((name) => [linkTo(side, name), `hub → ${peer}, ${code(namespace)}`, "push", pushes[name]!.summary]);
    return [...sent, ...pushed];
  });
  return table(["Event", "Direction", "Access", "Summary"], rows);
}

export interface EventError {
  code: ErrorCode;
  meaning: string;
}

/** An event's own codes with what each means for it, and the codes any event of its access answers. */
export function errorsOf(definition: EventDefinition): { specific: readonly EventError[]; common: readonly ErrorCode[] } {
  const specific = definition.errors.map((entry): EventError =>
    typeof entry === "string" ? { code: entry, meaning: ERROR_CODES[entry].message } : { code: entry[0], meaning: entry[1] },
  );
  const codes = specific.map((error) => error.code);
  const common = [...ACCESS_ERRORS[definition.access], ...COMMON_ERRORS];
  return { specific, common: common.filter((code) => !codes.includes(code)) };
}

function renderErrors(definition: EventDefinition): string {
  const { specific, common } = errorsOf(definition);
  const commonText = common.map(code).join(", ");
  if (specific.length === 0) return `Only the codes any ${definition.access} event can answer: ${commonText}.`;
  const rows = specific.map((error) => [code(error.code), error.meaning]);
  return `${table(["Code", "Meaning"], rows)}\n\nAnd, as any ${definition.access} event can: ${commonText}.`;
}

export function renderEventSection(side: Side, name: string): string {
  const { peer, events } = CATALOGUE[side];
  const definition = events[name]!;
  const { example } = definition;
  return [
    `### ${sectionTitle(side, name)}`,
    `${capitalised(peer)} → hub · namespace ${code(definition.namespace)} · access: ${ACCESS_TEXT[definition.access]}`,
    definition.summary,
    "**Payload**",
    renderFieldTable(payloadJsonSchema(definition.payload), "No fields: send `{}`."),
    "**Reply** (`data` of a successful ack)",
    renderFieldTable(replyJsonSchema(definition.reply), "No fields: `data` is `{}`."),
    "**Errors**",
    renderErrors(definition),
    "**Example**",
    `\`socket.emit("${name}", payload, ack)\` with this payload:`,
    jsonBlock(example.payload),
    "is answered with:",
    jsonBlock({ ok: true, data: example.reply }),
  ].join("\n\n");
}

export function renderPushSection(side: Side, name: string): string {
  const { namespace, peer, pushes } = CATALOGUE[side];
  const { example } = pushes[name]!;
  return [
    `### ${sectionTitle(side, name)}`,
    `Hub → ${peer} · namespace ${code(namespace)} · pushed, no ack`,
    pushes[name]!.summary,
    "**Payload**",
    renderFieldTable(replyJsonSchema(pushes[name]!.payload), "No fields."),
    "**Example**",
    `\`socket.on("${name}", (payload) => …)\` receives:`,
    jsonBlock(example),
  ].join("\n\n");
}
