import type { DeviceKind } from "./constants.ts";
import type { ErrorCode } from "./errors.ts";

/** One item of a validation failure: where in the payload, and what is wrong. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ProtocolError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  /** Set with `rate_limited` and `otp_locked`: seconds to wait before trying again. */
  retryAfterSeconds?: number;
  /** Set with `invalid_otp` and `invalid_code` at `auth:complete`: codes this login may still try; 0 means log in again. */
  triesLeft?: number;
  /** Set with `otp_required`, `key_verification_required` and `otp_locked`: the kinds of the devices meant, so a client can name them. */
  deviceKinds?: DeviceKind[];
}

/**
 * Every ack has this shape.
 * @example { "ok": true, "data": { "token": "…", "expiresAt": "2026-12-21T10:00:00.000Z" } }
 * @example { "ok": false, "error": { "code": "invalid_request", "message": "…", "details": [{ "path": "username", "message": "Too short" }] } }
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export type Failure = { ok: false; error: ProtocolError };

export function success<T>(data: T): { ok: true; data: T } {
  return { ok: true, data };
}

export function failure(code: ErrorCode, message: string, extra: Omit<ProtocolError, "code" | "message"> = {}): Failure {
  return { ok: false, error: { code, message, ...extra } };
}
