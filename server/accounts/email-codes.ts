import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import {
  CLIENT_KEY_CODE_TTL_SECONDS,
  EMAIL_CODE_DIGITS,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_VERIFICATION_TTL_SECONDS,
  PASSWORD_RESET_TTL_SECONDS,
  failure,
  type Failure,
} from "#protocol";
import type { HubContext } from "../context.ts";
import type { MailMessage, MailOutcome } from "../mail/mailer.ts";

/** What an emailed code is for; a code for one purpose never passes for another. */
export type EmailCodePurpose = "email_verification" | "password_reset" | "client_key";

export const EMAIL_CODE_TTL_SECONDS: Record<EmailCodePurpose, number> = {
  email_verification: EMAIL_VERIFICATION_TTL_SECONDS,
  password_reset: PASSWORD_RESET_TTL_SECONDS, // ASVS 5 6.5.5: at most 10 minutes
  client_key: CLIENT_KEY_CODE_TTL_SECONDS,
};

/** 6 decimal digits from the CSPRNG, leading zeros kept. */
export function generateEmailCode(): string {
  return String(randomInt(0, 10 ** EMAIL_CODE_DIGITS)).padStart(EMAIL_CODE_DIGITS, "0");
}

/**
 * HMAC-SHA256 under the key derived for `email-codes`: a copy of the database cannot be searched
 * for the 10^6 codes. The account, the purpose and the subject are in the input, so a code is
 * worth nothing on another account, for another purpose or for another client key.
 */
export function hashEmailCode(key: Buffer, userId: string, purpose: EmailCodePurpose, subject: string | null, code: string): Buffer {
  return createHmac("sha256", key).update(`${purpose}\n${userId}\n${subject ?? ""}\n${code}`, "utf8").digest();
}

export interface CodeRecipient {
  id: string;
  username: string;
  email: string;
}

/**
 * Makes a code, emails it, and only then retires the account's older codes of that purpose. When
 * the email cannot be sent the new code is withdrawn and the older ones still work: nothing is
 * half-done.
 */
export async function sendEmailCode(
  ctx: HubContext,
  user: CodeRecipient,
  purpose: EmailCodePurpose,
  compose: (code: string, ttlSeconds: number) => MailMessage,
  subject: string | null = null,
): Promise<MailOutcome> {
  const code = generateEmailCode();
  const ttlSeconds = EMAIL_CODE_TTL_SECONDS[purpose];
  const createdAt = ctx.clock.now();
  const row = await ctx.db.emailCode.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      purpose,
      subject,
      codeHash: hashEmailCode(ctx.keys.emailCodes, user.id, purpose, subject, code).toString("hex"),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + ttlSeconds * 1000),
    },
  });
  const outcome = await ctx.mailer.send(compose(code, ttlSeconds));
  if (!outcome.delivered) {
    await ctx.db.emailCode.deleteMany({ where: { id: row.id } });
    return outcome;
  }
  // Retire only codes that come before this one in checkEmailCode's order (createdAt, then id):
  // two codes sent in the same millisecond then never delete each other.
  await ctx.db.emailCode.deleteMany({ where: codesBefore(row) });
  return outcome;
}

/** A code's older siblings in checkEmailCode's order (createdAt, then id): same account, same purpose. */
function codesBefore(code: CheckedEmailCode) {
  return {
    userId: code.userId,
    purpose: code.purpose,
    OR: [{ createdAt: { lt: code.createdAt } }, { createdAt: code.createdAt, id: { lt: code.id } }],
  };
}

/** Names no code row (ids are UUIDs): the target of the statements run when there is no code to count. */
const NO_CODE_ID = "";
/**
 * Stands for an account that does not exist, so that a code typed for an unknown username goes
 * through the same lookups, statements and hash as one for a real account, and finds no code.
 */
export const NO_ACCOUNT_ID = "00000000-0000-0000-0000-000000000000";

/** A code that passed checkEmailCode, with what claimEmailCode needs to use it up. */
export interface CheckedEmailCode {
  id: string;
  userId: string;
  purpose: string;
  createdAt: Date;
}

export type EmailCodeCheck = { ok: true; code: CheckedEmailCode } | { ok: false; reason: "none" | "expired" | "exhausted" | "wrong" };

/**
 * Checks a typed code against the account's newest unused code of that purpose, without using it
 * up (the caller claims it once everything else is right). The try is counted first, bounded in
 * the same statement, so parallel guesses cannot get past the limit of 5 wrong codes; then the
 * code is dead, even for the right digits.
 */
export async function checkEmailCode(
  ctx: HubContext,
  userId: string,
  purpose: EmailCodePurpose,
  code: string,
  subject: string | null = null,
): Promise<EmailCodeCheck> {
  const row = await ctx.db.emailCode.findFirst({ where: { userId, purpose, usedAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const live = row !== null && row.expiresAt.getTime() > ctx.clock.now().getTime();
  // No code, or a dead one, costs the same statements and hash as a live one, so that the time of
  // the answer does not tell a stranger whether the account exists or has asked for a code.
  const counted = await ctx.db.emailCode.updateMany({
    where: { id: live ? row.id : NO_CODE_ID, usedAt: null, attempts: { lt: EMAIL_CODE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  const given = hashEmailCode(ctx.keys.emailCodes, userId, purpose, subject, code);
  if (!row) return { ok: false, reason: "none" };
  if (!live) return { ok: false, reason: "expired" };
  if (counted.count === 0) return { ok: false, reason: "exhausted" };
  const expected = Buffer.from(row.codeHash, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "wrong" };
  // Only wrong codes are tries: the owner may still fix a weak new password or a mistyped OTP.
  await ctx.db.emailCode.updateMany({ where: { id: row.id, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } });
  return { ok: true, code: { id: row.id, userId: row.userId, purpose: row.purpose, createdAt: row.createdAt } };
}

/**
 * Single use: of two requests with one code, only the first claim succeeds. The claim also retires
 * the account's older codes of that purpose. Two codes mailed in the same millisecond can both
 * outlive their sending: each retires only the codes before it, and the one that sorts first may
 * be written after the other's retiring. Only the newer one works; once it is used, the older one
 * must not become the account's newest unused code.
 */
export async function claimEmailCode(ctx: HubContext, code: CheckedEmailCode): Promise<boolean> {
  const { count } = await ctx.db.emailCode.updateMany({ where: { id: code.id, usedAt: null }, data: { usedAt: ctx.clock.now() } });
  if (count !== 1) return false;
  await ctx.db.emailCode.deleteMany({ where: { ...codesBefore(code), usedAt: null } });
  return true;
}

/**
 * One answer for every way a code can fail: telling "expired" or "too many tries" from "wrong"
 * would tell a stranger that the account exists and has asked for a code.
 */
export function invalidEmailCode(field = "code"): Failure {
  const message = `The code is wrong, used or expired (a code works once, for ${EMAIL_CODE_MAX_ATTEMPTS} tries at most); ask for a new one if needed.`;
  return failure("invalid_code", message, { details: [{ path: field, message: "Wrong, used or expired code" }] });
}
