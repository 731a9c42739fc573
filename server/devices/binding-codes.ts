import { createHmac, randomInt, randomUUID } from "node:crypto";
import { BINDING_CODE_LENGTH, BINDING_CODE_TTL_SECONDS, CROCKFORD_ALPHABET } from "#protocol";
import type { HubContext } from "../context.ts";

/** `XXXX-XXXX`: 8 Crockford base32 characters, 40 bits from the CSPRNG. */
export function generateBindingCode(): string {
  let code = "";
  for (let i = 0; i < BINDING_CODE_LENGTH; i += 1) code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Keyed, so that a copy of the database alone cannot search the 2^40 codes within their
 * five minutes; deterministic, so that a typed code is found by an index lookup.
 */
export function hashBindingCode(codeHashKey: Buffer, normalisedCode: string): string {
  return createHmac("sha256", codeHashKey).update(normalisedCode, "utf8").digest("hex");
}

export async function createBindingCode(ctx: HubContext, userId: string, sessionId: string, deviceName: string | undefined) {
  const code = generateBindingCode();
  const expiresAt = new Date(ctx.clock.now().getTime() + BINDING_CODE_TTL_SECONDS * 1000);
  await ctx.db.bindingCode.create({
    data: { id: randomUUID(), userId, codeHash: hashBindingCode(ctx.keys.codeHashes, code), deviceName: deviceName ?? null, sessionId, expiresAt },
  });
  return { code, expiresAt };
}

export type BindingCodeUse =
  | { ok: true; userId: string; sessionId: string | null; deviceName: string | null }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** Single use: the first caller to mark it used wins, whatever happens next. */
export async function consumeBindingCode(ctx: HubContext, normalisedCode: string): Promise<BindingCodeUse> {
  const row = await ctx.db.bindingCode.findUnique({ where: { codeHash: hashBindingCode(ctx.keys.codeHashes, normalisedCode) } });
  if (!row) return { ok: false, reason: "unknown" };
  const now = ctx.clock.now();
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const claimed = await ctx.db.bindingCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count === 0) return { ok: false, reason: "used" };
  return { ok: true, userId: row.userId, sessionId: row.sessionId, deviceName: row.deviceName };
}
