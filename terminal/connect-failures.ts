import { CONNECT_ERROR_CODES, type ConnectErrorCode } from "#protocol";

/** Why there is no usable connection. cli-client/messages.ts and device-app/device-messages.ts word it for people. */
export type ConnectFailure =
  | { kind: "refused"; code: ConnectErrorCode | undefined; message: string }
  | { kind: "tls"; reason: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "timeout" }
  | { kind: "disconnected"; reason: string }
  | { kind: "bad_reply"; event: string };

export class HubConnectionError extends Error {
  override readonly name = "HubConnectionError";

  constructor(readonly failure: ConnectFailure) {
    super(`hub connection failed: ${failure.kind}`);
  }
}

export type SocketConnectError = Error & { data?: unknown; type?: string; description?: unknown };

export function classifyConnectError(error: SocketConnectError): ConnectFailure {
  if (error.type !== "TransportError") {
    if (error.message === "timeout") return { kind: "timeout" };
    return { kind: "refused", code: refusalCode(error.data), message: error.message };
  }
  // engine.io wraps the ws error event; the Node error (with its code) is inside it.
  const description = error.description as { error?: unknown } | undefined;
  const cause = description?.error instanceof Error ? (description.error as NodeJS.ErrnoException) : undefined;
  const reason = cause?.message ?? error.message;
  if (cause && isTlsFailure(cause)) return { kind: "tls", reason };
  return { kind: "unreachable", reason };
}

function refusalCode(data: unknown): ConnectErrorCode | undefined {
  const code = (data as { code?: unknown } | undefined)?.code;
  return CONNECT_ERROR_CODES.find((known) => known === code);
}

function isTlsFailure(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? "";
  return /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/.test(code) || /certificate|SSL/i.test(error.message);
}

