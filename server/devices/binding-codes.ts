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

export type BindingCodeUse = { userId: string; sessionId: string | null; deviceName: string | null };

type Transaction = Parameters<Parameters<HubContext["db"]["$transaction"]>[0]>[0];

/**
 * Single use: the first caller to mark the code used wins, whatever happens next. `pair` makes the
 * device in the same transaction as the claim, so a crash between the two can neither use the
 * code up without a device nor leave a device whose code is still open.
 */
export async function pairWithBindingCode<T>(
  ctx: HubContext,
  normalisedCode: string,
  pair: (tx: Transaction, use: BindingCodeUse) => Promise<T>,
): Promise<{ ok: true; paired: T } | { ok: false; reason: "unknown" | "used" | "expired" }> {
  const row = await ctx.db.bindingCode.findUnique({ where: { codeHash: hashBindingCode(ctx.keys.codeHashes, normalisedCode) } });
  if (!row) return { ok: false, reason: "unknown" };
  const now = ctx.clock.now();
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const paired = await ctx.db.$transaction(async (tx) => {
    const claimed = await tx.bindingCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) return null;
    return { value: await pair(tx, { userId: row.userId, sessionId: row.sessionId, deviceName: row.deviceName }) };
  });
  if (!paired) return { ok: false, reason: "used" };
  return { ok: true, paired: paired.value };
}
