import { LOGIN_CHALLENGE_CODE_TRIES, type Failure } from "#protocol";
import type { HubContext, Origin } from "../context.ts";
import type { LoginChallenge } from "../db/generated/sqlite/client.ts";
import type { Signer } from "./new-client-key.ts";
import { type SecondProof, verifySecondProof } from "./second-proof.ts";

/** A code the person typed: a typo deserves another try; an approval or the emailed code have their own rules. */
export type TypedCode = Extract<SecondProof, { kind: "otp" | "recovery_code" }>;

export function isTypedCode(proof: SecondProof | null): proof is TypedCode {
  return proof?.kind === "otp" || proof?.kind === "recovery_code";
}

/** What a typed code did to the login: it holds, or it was refused and the login goes on or ends. */
export type CodeTry = { ok: true } | { ok: false; reply: Failure; ended: boolean };

/**
 * Checks a typed code within the challenge's tries, before the challenge is used up, so that a
 * wrong code is asked again instead of ending the login. The try is taken before the check, so
 * codes sent at the same time cannot get past the limit. A locked device leaves the login open
 * too: a recovery code can still finish it.
 */
export async function tryTypedCode(
  ctx: HubContext,
  challenge: LoginChallenge,
  user: { id: string; username: string },
  signer: Exclude<Signer, { kind: "none" }>,
  proof: TypedCode,
  origin: Origin,
): Promise<CodeTry> {
  const taken = await ctx.db.loginChallenge.updateMany({
    where: { id: challenge.id, usedAt: null, deniedAt: null, codeTries: { lt: LOGIN_CHALLENGE_CODE_TRIES } },
    data: { codeTries: { increment: 1 } },
  });
  if (taken.count === 0) return { ok: false, reply: noTriesLeft(), ended: true };
  const refused = await verifySecondProof(ctx, user, signer, proof, origin);
  if (!refused) return { ok: true };
  if (refused.error.code !== "invalid_otp" && refused.error.code !== "invalid_code") return { ok: false, reply: refused, ended: false };
  const { codeTries } = await ctx.db.loginChallenge.findUniqueOrThrow({ where: { id: challenge.id }, select: { codeTries: true } });
  const triesLeft = Math.max(0, LOGIN_CHALLENGE_CODE_TRIES - codeTries);
  const next = triesLeft === 0 ? "That was this login's last try: log in again." : `${triesLeft} more ${triesLeft === 1 ? "try" : "tries"} for this login.`;
  return { ok: false, reply: { ok: false, error: { ...refused.error, message: `${refused.error.message} ${next}`, triesLeft } }, ended: triesLeft === 0 };
}

function noTriesLeft(): Failure {
  return {
    ok: false,
    error: { code: "invalid_otp", message: `This login already had its ${LOGIN_CHALLENGE_CODE_TRIES} tries at a code: log in again.`, triesLeft: 0 },
  };
}
