import { createHmac, randomInt, randomUUID } from "node:crypto";
import { CROCKFORD_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH, failure, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { codeAttemptBuckets, giveBackAttempt, takeAttempt } from "../rate-limits.ts";
import { retiredKeysOf } from "./retired-keys.ts";

/** `XXXXX-XXXXX`: 10 Crockford base32 characters, 50 bits from the CSPRNG. */
export function generateRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i += 1) code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * HMAC-SHA256 under the key derived for `recovery-codes`, over the account and the code in its
 * normalised `XXXXX-XXXXX` form (protocol's recoveryCodeSchema). Deterministic, so a typed code is
 * found by an exact index lookup; keyed, so a database copy cannot be searched for the codes.
 */
export function hashRecoveryCode(key: Buffer, userId: string, normalisedCode: string): string {
  return createHmac("sha256", key).update(`${userId}\n${normalisedCode}`, "utf8").digest("hex");
}

/** Makes the account's 10 codes, shown this once; any earlier ones stop working. */
export async function replaceRecoveryCodes(ctx: HubContext, userId: string, origin: Origin): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  await ctx.db.$transaction([
    ctx.db.recoveryCode.deleteMany({ where: { userId } }),
    ctx.db.recoveryCode.createMany({
      data: [...codes].map((code) => ({ id: randomUUID(), userId, codeHash: hashRecoveryCode(ctx.keys.recoveryCodes, userId, code) })),
    }),
  ]);
  await recordAudit(ctx.db, { userId, action: "recovery.codes_generated", origin, details: { count: codes.size } });
  ctx.events.emit("security-notice", {
    userId,
    kind: "recovery_codes_generated",
    message: `${codes.size} new recovery codes were made for your account; any earlier ones no longer work.`,
  });
  return [...codes];
}

export type RecoveryCodeUse = { ok: true; remaining: number } | Failure;

/**
 * Spends one recovery code in place of the device's code. Single use (compare-and-set on
 * `usedAt`); guesses count against the login limits; each use is audited and the person told.
 */
export async function useRecoveryCode(
  ctx: HubContext,
  user: { id: string; username: string },
  normalisedCode: string,
  purpose: "login" | "password_reset",
  origin: Origin,
): Promise<RecoveryCodeUse> {
  const attempt = codeAttemptBuckets(ctx.limits, "recovery-code", user.username, origin.address);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  if (!(await spendRecoveryCode(ctx, user.id, normalisedCode))) {
    await recordAudit(ctx.db, { userId: user.id, action: "recovery.code_failed", origin, details: { purpose } });
    return failure("invalid_code", "The recovery code is wrong or was already used.", {
      details: [{ path: "recoveryCode", message: "Wrong or already used recovery code" }],
    });
  }

  await giveBackAttempt(attempt);
  const remaining = await ctx.db.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
  await recordAudit(ctx.db, { userId: user.id, action: "recovery.code_used", origin, details: { purpose, remaining } });
  const what = purpose === "login" ? "log in to your account" : "reset your password";
  ctx.events.emit("security-notice", {
    userId: user.id,
    kind: "recovery_code_used",
    message: `A recovery code was used to ${what} from ${origin.address}; ${remaining} unused code(s) left.${remaining <= 2 ? " Make new ones soon." : ""}`,
  });
  return { ok: true, remaining };
}

/**
 * Marks the code used if it is one of the account's unused codes: hashed under the current key,
 * or under a key retired by a rotation since it was made (server/recovery/retired-keys.ts). The
 * update is a compare-and-set on `usedAt`, so two uses of one code at once spend it once.
 */
async function spendRecoveryCode(ctx: HubContext, userId: string, normalisedCode: string): Promise<boolean> {
  const usedAt = ctx.clock.now();
  const current = await ctx.db.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(ctx.keys.recoveryCodes, userId, normalisedCode), retiredKeyId: null, usedAt: null },
    data: { usedAt },
  });
  if (current.count > 0) return true;
  for (const retired of await retiredKeysOf(ctx.db, userId, ctx.keys.retiredKeys)) {
    const { count } = await ctx.db.recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(retired.key, userId, normalisedCode), retiredKeyId: retired.id, usedAt: null },
      data: { usedAt },
    });
    if (count > 0) return true;
  }
  return false;
}
