import {
  clientEvents,
  clientPushes,
  CONNECT_ERROR_CODES,
  ERROR_CODES,
  type ClientEventName,
  type ClientPushName,
  type ErrorCode,
  type EventDefinition,
} from "#protocol";
import { CONNECT_ERROR_MEANINGS, errorsOf } from "./event-errors.ts";
import { payloadJsonSchema, renderFieldTable, replyJsonSchema, tableRow } from "./field-table.ts";

const ACCESS_TEXT: Record<EventDefinition["access"], string> = {
  anonymous: "anonymous (any socket)",
  session: "session (an authenticated socket)",
};

const code = (text: string) => `\`${text}\``;

/** GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped. */
export function headingAnchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replaceAll(" ", "-");
}

const linkTo = (name: string) => `[${code(name)}](#${headingAnchor(name)})`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [tableRow(header), tableRow(header.map(() => "---")), ...rows.map(tableRow)].join("\n");
}

function jsonBlock(value: unknown): string {
  return ["```json", JSON.stringify(value, null, 2), "```"].join("\n");
}

export function renderErrorCodeTable(): string {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  return table(["Code", "HTTP status", "Meaning"], codes.map((name) => [code(name), String(ERROR_CODES[name].httpStatus), ERROR_CODES[name].message]));
}

export function renderConnectErrorTable(): string {
  return table(["`err.data.code`", "Meaning"], CONNECT_ERROR_CODES.map((name) => [code(name), CONNECT_ERROR_MEANINGS[name]]));
}

export function renderEventIndex(): string {
  const events = (Object.keys(clientEvents) as ClientEventName[]).map((name) => {
    const definition: EventDefinition = clientEvents[name];
    return [linkTo(name), `client → hub, ${code(definition.namespace)}`, definition.access, definition.summary];
  });
  const pushes = (Object.keys(clientPushes) as ClientPushName[]).map((name) => [linkTo(name), "hub → client, `/client`", "push", clientPushes[name].summary]);
  return table(["Event", "Direction", "Access", "Summary"], [...events, ...pushes]);
}

function renderErrors(name: ClientEventName, definition: EventDefinition): string {
  const { specific, common } = errorsOf(name, definition);
  const commonText = common.map(code).join(", ");
  if (specific.length === 0) return `Only the codes any ${definition.access} event can answer: ${commonText}.`;
  const rows = specific.map((errorCode) => [code(errorCode), ERROR_CODES[errorCode].message]);
  return `${table(["Code", "Meaning"], rows)}\n\nAnd, as any ${definition.access} event can: ${commonText}.`;
}

export function renderEventSection(name: ClientEventName, example: { payload: unknown; reply: unknown }): string {
  const definition: EventDefinition = clientEvents[name];
  return [
    `### ${code(name)}`,
    `Client → hub · namespace ${code(definition.namespace)} · access: ${ACCESS_TEXT[definition.access]}`,
    definition.summary,
    "**Payload**",
    renderFieldTable(payloadJsonSchema(definition.payload), "No fields: send `{}`."),
    "**Reply** (`data` of a successful ack)",
    renderFieldTable(replyJsonSchema(definition.reply), "No fields: `data` is `{}`."),
    "**Errors**",
    renderErrors(name, definition),
    "**Example**",
    `\`socket.emit("${name}", payload, ack)\` with this payload:`,
    jsonBlock(example.payload),
    "is answered with:",
    jsonBlock({ ok: true, data: example.reply }),
  ].join("\n\n");
}

export function renderPushSection(name: ClientPushName, example: unknown): string {
  return [
    `### ${code(name)}`,
    "Hub → client · namespace `/client` · pushed, no ack",
    clientPushes[name].summary,
    "**Payload**",
    renderFieldTable(replyJsonSchema(clientPushes[name].payload), "No fields."),
    "**Example**",
    `\`socket.on("${name}", (payload) => …)\` receives:`,
    jsonBlock(example),
  ].join("\n\n");
}
