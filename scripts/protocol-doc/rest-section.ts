import { clientEvents, ERROR_CODES, type ErrorCode } from "#protocol";
import { REST_ROUTES, routeName, type RestRoute } from "../../server/transport/http/rest-api.ts";
import { curlExamples, type RestRouteName } from "./rest-examples.ts";
import { payloadJsonSchema } from "./field-table.ts";
import { clientEventLink, errorsOf, headingAnchor, jsonBlock, table } from "./sections.ts";

const code = (text: string) => `\`${text}\``;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  423: "Locked",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const statusText = (status: number) => `${status} ${STATUS_TEXT[status] ?? ""}`.trim();
const needsToken = (route: RestRoute) => clientEvents[route.event].access !== "anonymous";

/** What the HTTP layer answers on its own, before any route's logic, and only for routes that take a body. */
const BODY_STATUSES: readonly number[] = [413, 415];

/** Every code a route can answer, by HTTP status: the mirrored event's codes, plus the body refusals. */
export function routeStatuses(route: RestRoute): Map<number, ErrorCode[]> {
  const { specific, common } = errorsOf(clientEvents[route.event]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const errorCode of [...specific.map((error) => error.code), ...common]) {
    const status = ERROR_CODES[errorCode].httpStatus;
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(errorCode)) byStatus.set(status, [...codes, errorCode]);
  }
  if (route.method === "POST") for (const status of BODY_STATUSES) byStatus.set(status, ["invalid_request"]);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

export function renderRestIndex(): string {
  const rows = REST_ROUTES.map((route) => [
    `[${code(routeName(route))}](#${headingAnchor(restHeading(route))})`,
    needsToken(route) ? "Bearer token" : "none",
    clientEventLink(route.event),
    String(route.successStatus),
    [...routeStatuses(route).keys()].join(", "),
  ]);
  return table(["Route", "Auth", "Mirrors", "Success", "Failure statuses"], rows);
}

const restHeading = (route: RestRoute) => code(routeName(route));

/** The REST section's route sections, in the order of the route table (and of the walk-through). */
export function renderRestRoutes(): string[] {
  return REST_ROUTES.map(renderRestRoute);
}

export function renderRestRoute(route: RestRoute): string {
  const example = curlExamples[routeName(route) as RestRouteName];
  const event = clientEvents[route.event];
  const hasFields = Object.keys(payloadJsonSchema(event.payload).properties ?? {}).length > 0;
  const body =
    route.method === "POST" && hasFields
      ? `Body: the payload of ${clientEventLink(route.event)}, as JSON.`
      : `No body. ${Object.keys(pathParameters(route)).map((name) => `${code(`:${name}`)} is the payload's ${code(name)}.`).join(" ")}`.trim();
  const auth = needsToken(route) ? "auth: `Authorization: Bearer <token>`" : "auth: none";
  const statuses = [...routeStatuses(route)].map(([status, codes]) => [statusText(status), codes.map(code).join(", ")]);
  return [
    `### ${restHeading(route)}`,
    `Mirrors ${clientEventLink(route.event)} · ${auth} · answers ${code(statusText(route.successStatus))} on success`,
    `${example.summary ?? event.summary} ${body}`,
    table(["Status", "Codes"], statuses),
    "**Example**",
    ...(example.before ? [example.before] : []),
    ["```sh", example.command, "```"].join("\n"),
    `It answers ${code(String(route.successStatus))} with:`,
    jsonBlock({ ok: true, data: clientEvents[route.event].example.reply }),
  ].join("\n\n");
}

function pathParameters(route: RestRoute): Record<string, true> {
  return Object.fromEntries([...route.path.matchAll(/:(\w+)/g)].map((match) => [match[1]!, true as const]));
}
