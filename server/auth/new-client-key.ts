import { randomUUID } from "node:crypto";
import { type DeviceKind, devicesInWords, failure, loginSignatureMessage, type Failure } from "#protocol";
import { clientKeyMail } from "../mail/messages.ts";
import { sendEmailCode } from "../accounts/email-codes.ts";
import { parseClientPublicKey, verifyLoginSignature, type ClientPublicKey } from "../accounts/public-keys.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { consumePoint } from "../rate-limits.ts";

type KeyRow = { id: string; fingerprint: string; publicKeyPem: string };

/** Who signed the challenge: a key of the account, a new machine's key sent along, or nobody. */
export type Signer =
  | { kind: "known"; key: KeyRow }
  | { kind: "new"; key: ClientPublicKey }
  | { kind: "none"; failure: Failure };

const BAD_SIGNATURE = failure("invalid_signature", "The key signature does not match a key of this account.");

/**
 * A machine new to the account: a signature by a key the account holds is checked as always; otherwise
 * the client may send its public key, and a signature by that key makes it a candidate to add.
 */
export function identifySigner(keys: KeyRow[], challenge: { id: string; nonce: string }, input: { signature: string; publicKey?: string | undefined }): Signer {
  const message = loginSignatureMessage(challenge.id, challenge.nonce);
  const known = keys.find((candidate) => verifyLoginSignature(candidate.publicKeyPem, message, input.signature));
  if (known) return { kind: "known", key: known };
  if (!input.publicKey) return { kind: "none", failure: BAD_SIGNATURE };
  const parsed = parseClientPublicKey(input.publicKey);
  if (!parsed.ok) return { kind: "none", failure: failure("invalid_public_key", parsed.reason) };
  // The account's own key with a bad signature is a bad signature, not a new machine.
  if (keys.some((key) => key.fingerprint === parsed.key.fingerprint)) return { kind: "none", failure: BAD_SIGNATURE };
  if (!verifyLoginSignature(parsed.key.object, message, input.signature)) return { kind: "none", failure: BAD_SIGNATURE };
  return { kind: "new", key: parsed.key };
}

/**
 * The answer to a new machine that brought no second proof. The challenge is left unspent, so
 * the client can come back with one; with no device, the code to give is emailed now.
 */
export async function askForKeyProof(
  ctx: HubContext,
  user: { id: string; username: string; email: string },
  key: ClientPublicKey,
  deviceKinds: DeviceKind[],
  origin: Origin,
): Promise<Failure> {
  if (deviceKinds.length > 0) {
    const { noun, approves } = devicesInWords(deviceKinds);
    return failure(
      "key_verification_required",
      `This machine's key is new to the account: ${approves ? "approve the login on the paired device, or " : ""}give the current code from ${noun} (otp) or a recovery code, with publicKey.`,
      { deviceKinds },
    );
  }
  const limited = await consumePoint(ctx.limits.keyCodeMailsPerAccount, user.id);
  if (limited) return limited;
  const outcome = await sendEmailCode(
    ctx,
    user,
    "client_key",
    (code, ttlSeconds) => clientKeyMail(user.email, user.username, code, ttlSeconds, key.fingerprint, origin.address),
    key.fingerprint,
  );
  if (!outcome.delivered) return failure("mail_unavailable", "The hub could not send the code for adding this machine's key; try again later.");
  await recordAudit(ctx.db, { userId: user.id, action: "client_key.verification_sent", origin, details: { keyFingerprint: key.fingerprint } });
  return failure(
    "key_verification_required",
    "This machine's key is new to the account: a code was sent to the account's email address; give it as emailCode (or give a recovery code), with publicKey.",
  );
}

/** Adds the proven key to the account (once, even if two logins race), audits it and tells the person. */
export async function addClientKey(ctx: HubContext, userId: string, key: ClientPublicKey, proof: string, origin: Origin): Promise<KeyRow> {
  const row = await ctx.db.clientKey.upsert({
    where: { userId_fingerprint: { userId, fingerprint: key.fingerprint } },
    create: { id: randomUUID(), userId, publicKeyPem: key.pem, fingerprint: key.fingerprint },
    update: {},
  });
  await recordAudit(ctx.db, { userId, action: "client_key.added", origin, details: { keyFingerprint: key.fingerprint, proof } });
  ctx.events.emit("security-notice", {
    userId,
    kind: "client_key_added",
    message: `A new machine's key (fingerprint ${key.fingerprint.slice(0, 16)}…) was added to your account from ${origin.address}.`,
  });
  return row;
}
