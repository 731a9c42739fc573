import { createHash, randomBytes } from "node:crypto";

export const DEVICE_TOKEN_BYTES = 32;

export function generateDeviceToken(): string {
  return randomBytes(DEVICE_TOKEN_BYTES).toString("base64url");
}

/** A 256-bit random token needs no slow hash: SHA-256 and an exact index lookup. */
export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
