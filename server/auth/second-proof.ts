import type { EventPayload, Failure } from "#protocol";
import { checkEmailCode, claimEmailCode, invalidEmailCode } from "../accounts/email-codes.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { verifyUserOtp } from "../devices/device-otp.ts";
import { codeAttemptBuckets, giveBackAttempt, takeAttempt } from "../rate-limits.ts";
import { useRecoveryCode } from "../recovery/recovery-codes.ts";
import type { Signer } from "./new-client-key.ts";

/** What stands beside the key signature at `auth:complete`. */
export type SecondProof =
  | { kind: "none" }
  | { kind: "approval" }
  | { kind: "otp"; code: string }
  | { kind: "recovery_code"; code: string }
  | { kind: "email_code"; code: string };

/**
 * The proof this login offers, or null when it offers none that would do. A known key of an
 * account with a device needs one; a new key always does: the device's approval or code, a
 * recovery code, or (no device) the code emailed for that key. An approval counts only for the
 * key the device was shown (the one that signed at auth:prove-key).
 */
export function pickSecondProof(
  signer: Exclude<Signer, { kind: "none" }>,
  challenge: { keyFingerprint: string | null; approvedAt: Date | null },
  input: EventPayload<"auth:complete">,
  hasDevice: boolean,
): SecondProof | null {
  if (challenge.approvedAt !== null && challenge.keyFingerprint === signer.key.fingerprint) return { kind: "approval" };
  if (signer.kind === "known" && !hasDevice) return { kind: "none" };
  if (input.otp && (signer.kind === "known" || hasDevice)) return { kind: "otp", code: input.otp };
  if (input.recoveryCode) return { kind: "recovery_code", code: input.recoveryCode };
  if (signer.kind === "new" && !hasDevice && input.emailCode) return { kind: "email_code", code: input.emailCode };
  return null;
}

/** Checks the proof once the challenge is spent; null when it holds. */
export async function verifySecondProof(
  ctx: HubContext,
  user: { id: string; username: string },
  signer: Exclude<Signer, { kind: "none" }>,
  proof: SecondProof,
  origin: Origin,
): Promise<Failure | null> {
  switch (proof.kind) {
    case "none":
    case "approval":
      return null;
    case "otp": {
      const verdict = await verifyUserOtp(ctx, user.id, proof.code, origin);
      if (verdict.ok) return null;
      await recordAudit(ctx.db, { userId: user.id, action: "login.otp_failed", origin, details: { code: verdict.error.code } });
      return verdict;
    }
    case "recovery_code": {
      const use = await useRecoveryCode(ctx, user, proof.code, "login", origin);
      return use.ok ? null : use;
    }
    case "email_code":
      return verifyKeyEmailCode(ctx, user, signer.key.fingerprint, proof.code, origin);
  }
}

async function verifyKeyEmailCode(ctx: HubContext, user: { id: string; username: string }, fingerprint: string, code: string, origin: Origin): Promise<Failure | null> {
  const attempt = codeAttemptBuckets(ctx.limits, "email-code", user.username, origin.address);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;
  // The code names the key it was sent for: it adds that key and no other.
  const check = await checkEmailCode(ctx, user.id, "client_key", code, fingerprint);
  if (!check.ok || !(await claimEmailCode(ctx, check.code))) {
    await recordAudit(ctx.db, { userId: user.id, action: "client_key.verification_failed", origin, details: { keyFingerprint: fingerprint, reason: check.ok ? "used" : check.reason } });
    return invalidEmailCode("emailCode");
  }
  await giveBackAttempt(attempt);
  return null;
}
