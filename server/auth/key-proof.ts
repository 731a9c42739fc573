import { createHash } from "node:crypto";
import { LOGIN_KEY_PROOF_MAX_SKEW_SECONDS, loginKeyProofMessage, type EventPayload } from "#protocol";
import { verifyLoginSignature } from "../accounts/public-keys.ts";
import type { HubContext } from "../context.ts";
import { consumePoint } from "../rate-limits.ts";

type KeyProof = NonNullable<EventPayload<"auth:login">["keyProof"]>;

/** A key of the account that signed a fresh proof at `auth:login`. */
export interface KnownKey {
  id: string;
  fingerprint: string;
}

/**
 * The OWASP "device cookie", with the client's key as the device: a login that shows it holds a
 * key the account knows meets only that key's own failure limit and gets the known-key lane of
 * the password queue, so strangers' failures elsewhere cannot lock it out. Accepted when the key
 * is the account's, the timestamp is within the allowed skew of the hub's clock, the signature
 * verifies and has not been seen before; anything else answers null, and the login goes on as
 * any stranger's would (old clients send no proof at all).
 */
export async function acceptKeyProof(ctx: HubContext, username: string, proof: KeyProof): Promise<KnownKey | null> {
  const skewMs = Math.abs(ctx.clock.now().getTime() - Date.parse(proof.timestamp));
  if (!(skewMs <= LOGIN_KEY_PROOF_MAX_SKEW_SECONDS * 1000)) return null;
  const key = await ctx.db.clientKey.findFirst({
    where: { fingerprint: proof.fingerprint, user: { username } },
    select: { id: true, fingerprint: true, publicKeyPem: true },
  });
  if (!key) return null;
  if (!verifyLoginSignature(key.publicKeyPem, loginKeyProofMessage(username, proof.timestamp), proof.signature)) return null;
  // Single use within its window: a proof copied from a log or a proxy is worth nothing. The
  // decoded bytes are what counts, since several base64 spellings decode to the same signature.
  const replayed = await consumePoint(ctx.limits.keyProofUses, signatureDigest(proof.signature));
  if (replayed) return null;
  return { id: key.id, fingerprint: key.fingerprint };
}

function signatureDigest(signatureBase64: string): string {
  return createHash("sha256").update(Buffer.from(signatureBase64, "base64")).digest("base64url");
}
