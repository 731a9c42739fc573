import { createHash, randomBytes } from "node:crypto";
import { SESSION_TOKEN_BYTES } from "#protocol";

/** 32 random bytes, base64url: returned to the client once, never stored. */
export function generateSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString("base64url");
}

/**
 * Tokens are looked up by their SHA-256. A 256-bit random token needs no salt or slow hash,
 * and an exact-match index lookup on the digest leaks nothing usable through timing.
 */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
