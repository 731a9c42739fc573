import { z } from "zod";
import { LOGIN_CHALLENGE_CODE_TRIES, LOGIN_KEY_PROOF_MAX_SKEW_SECONDS, LOGIN_KEY_PROOF_PREFIX } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { CHALLENGE_ID, KEY_FINGERPRINT, NUMBER_MATCH, SIGNATURE, exampleUser } from "../example-values.ts";
import {
  clientNameSchema,
  deviceKindSchema,
  emailCodeSchema,
  emptyPayloadSchema,
  idSchema,
  keyFingerprintSchema,
  numberMatchSchema,
  otpSchema,
  passwordSchema,
  publicKeyPemSchema,
  recoveryCodeSchema,
  signatureSchema,
  timestampSchema,
  usernameSchema,
  userSchema,
} from "../fields.ts";

/**
 * Shows, before any challenge exists, that the caller holds a key the account already knows, so
 * that failures from elsewhere cannot lock it out (docs/SECURITY.md, "Known-key logins").
 * @example { fingerprint: "3f5c…(64 hex)", timestamp: "2026-03-14T09:26:53.120Z", signature: "…base64…" }
 */
const keyProofSchema = z
  .object({
    fingerprint: keyFingerprintSchema.describe("SHA-256 of the signing key's DER SPKI form, lower-case hex"),
    timestamp: timestampSchema.describe(`the client's clock now; accepted within ${LOGIN_KEY_PROOF_MAX_SKEW_SECONDS} s of the hub's, once`),
    signature: signatureSchema.describe(`RSASSA-PSS (as the challenge signature) over \`${LOGIN_KEY_PROOF_PREFIX}:<username>:<timestamp>\``),
  })
  .describe("optional known-key proof: with it, this login meets only its key's own failure limit, and its password check has a lane of its own");

/**
 * Only when every paired device is locked: neither a code nor an approval can pass, so no device
 * is offered the login; a recovery code still works.
 */
const otpLockFields = {
  otpLockedUntil: timestampSchema
    .optional()
    .describe("only when every device's code checks are locked: until when the first stays locked; only a recovery code can pass, and no device is offered the login"),
  otpNeedsOwnerUnlock: z
    .literal(true)
    .optional()
    .describe("only when every device is locked until its owner acts (100 wrong codes in a row): only a recovery code can pass, and it unlocks them; no device is offered the login"),
};

const proveKeyBodySchema = z.object({
  challengeId: idSchema,
  /** The challenge signature, exactly as `auth:complete` takes it. */
  signature: signatureSchema,
  /** This machine's public key, when the account does not hold it yet: the devices are told the machine is new. */
  publicKey: publicKeyPemSchema.optional(),
});

/** Why no device was asked although the account has one that could answer. */
const pushLimitedSchema = z
  .object({
    reason: z.enum(["too_many", "held_not_me"]).describe("`too_many`: this key (or, for new machines, the account) asked for too many pushes lately; `held_not_me`: a login was reported \"this wasn't me\" on a device, and pushes are held"),
    retryAfterSeconds: z.int().describe("when a push may be asked for again"),
  })
  .describe("only when the account has a device that could answer but none was asked: give the device's code (or a recovery code) at `auth:complete` instead");

const loginBodySchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  /** Shown on the paired device next to the login request, e.g. "laptop (pairgate cli)". */
  clientName: clientNameSchema.optional(),
  /** A proof that this machine holds a key of the account; a proof the hub cannot accept is ignored. */
  keyProof: keyProofSchema.optional(),
});

const completeLoginBodySchema = z.object({
  challengeId: idSchema,
  signature: signatureSchema,
  clientName: clientNameSchema.optional(),
  /** The device's current code (PairGate authenticator or authenticator app); not needed once a PairGate authenticator has approved the login. */
  otp: otpSchema.optional(),
  /** One of the account's recovery codes, instead of the device's code (a lost device). */
  recoveryCode: recoveryCodeSchema.optional(),
  /**
   * This machine's public key, when the account does not know it yet (a second machine). The
   * login then also needs a second proof: the device's code or approval, a recovery code, or,
   * with no device, `emailCode`; on success the key is added to the account.
   */
  publicKey: publicKeyPemSchema.optional(),
  /** The code emailed for adding `publicKey`, when the account has no device. */
  emailCode: emailCodeSchema.optional(),
});

const LOG_IN_AGAIN = "log in again.";
const RESYNC_HINT = "then the device's next code resynchronises it";

/** Logging in (password, key signature, second factor) and out. */
export const authEvents = {
  "auth:login": defineEvent({
    access: "anonymous",
    summary: "Check the password and open a login challenge for the key signature. Nothing is pushed to the devices yet: send `auth:prove-key` for that.",
    payload: loginBodySchema,
    reply: z.object({
      challengeId: z.string(),
      nonce: z.string(),
      expiresAt: timestampSchema,
      factors: z.array(z.enum(["signature", "otp"])),
      /**
       * The kinds of the account's devices. Only a `pairgate` device is offered the login to
       * approve; `totp` and `hotp` apps get no push, so the client asks for their current code.
       */
      deviceKinds: z
        .array(deviceKindSchema)
        .describe("the kinds of the account's devices, each once (empty: no second factor). Only `pairgate` devices are offered the login to approve; for `totp` and `hotp` apps the client asks for the app's current code"),
      ...otpLockFields,
    }),
    errors: [
      "invalid_credentials",
      ["email_not_verified", "The password is right but the email address is not confirmed yet: send `account:verify-email` with the emailed code first."],
      ["account_locked", "The password is right but an administrator has locked the account."],
      [
        "rate_limited",
        "Too many failures: without an accepted `keyProof`, for the account (from anywhere) or this address; with one, for that key. Or the password-checking queue is full for this caller; `retryAfterSeconds` says when to try again.",
      ],
    ],
    example: {
      payload: {
        username: "alice",
        password: "violet-ember-canyon-42",
        clientName: "alice-laptop",
        keyProof: { fingerprint: KEY_FINGERPRINT, timestamp: "2026-03-14T09:26:53.120Z", signature: SIGNATURE },
      },
      reply: {
        challengeId: CHALLENGE_ID,
        nonce: "kZZ6EVh5c6fQ-PQptj3cLuAizUmdtjEtdTFquNivZbc",
        expiresAt: "2026-03-14T09:28:53.000Z",
        factors: ["signature", "otp"],
        deviceKinds: ["pairgate"],
      },
    },
  }),
  "auth:prove-key": defineEvent({
    access: "anonymous",
    summary:
      "Prove this machine's key for an open login challenge. Once the signature holds, the login request is pushed to the account's paired devices, and the reply carries the number to show.",
    payload: proveKeyBodySchema,
    reply: z.object({
      /** Show it large: the person types it on the device to approve. Only when a device was asked. */
      numberMatch: numberMatchSchema.optional().describe("only when a device was asked: show it; the person types it on the device to approve"),
      devicesAsked: z.int().describe("how many paired devices were sent the request (0: none; give the device's code at `auth:complete`)"),
      newKey: z.boolean().describe("the signature is by `publicKey`, a key the account does not hold yet; the devices show the login as a new machine"),
      pushLimited: pushLimitedSchema.optional(),
      ...otpLockFields,
    }),
    errors: [
      "challenge_not_found",
      ["challenge_denied", `The login was already denied on the paired device; ${LOG_IN_AGAIN}`],
      "challenge_used",
      "challenge_expired",
      ["invalid_signature", `The signature matches none of the account's keys (nor \`publicKey\`, when sent), or not the key that proved this challenge before. Nothing is pushed, and the challenge is used up: ${LOG_IN_AGAIN}`],
      ["invalid_public_key", "`publicKey` is not an RSA key of 2048 bits or more in SPKI PEM form."],
      ["account_locked", "An administrator locked the account after the challenge was opened."],
    ],
    example: {
      payload: { challengeId: CHALLENGE_ID, signature: SIGNATURE },
      reply: { numberMatch: NUMBER_MATCH, devicesAsked: 1, newKey: false },
    },
  }),
  "auth:complete": defineEvent({
    access: "anonymous",
    summary: "Answer a login challenge with the key signature; returns the session token once.",
    payload: completeLoginBodySchema,
    reply: z.object({ token: z.string(), expiresAt: timestampSchema, user: userSchema }),
    errors: [
      "challenge_not_found",
      ["challenge_denied", `The login was denied on the paired device, or a wrong number was typed there; ${LOG_IN_AGAIN}`],
      [
        "otp_required",
        "The account has a device (`deviceKinds` says which), and neither `otp` nor `recoveryCode` was given, nor has a device approved the login yet (for the key that signs now). The challenge is not used up: send the code, or wait for `challenge:approved` (devices are asked only after `auth:prove-key`).",
      ],
      [
        "key_verification_required",
        "The signature is by `publicKey`, a key the account does not hold yet, and no second proof came with it: approve on the device or give `otp` or `recoveryCode`; with no device, the hub has just emailed a code to give as `emailCode`. The challenge is not used up.",
      ],
      "challenge_used",
      "challenge_expired",
      ["invalid_signature", "The signature matches none of the account's keys (nor `publicKey`, when sent)."],
      ["invalid_public_key", "`publicKey` is not an RSA key of 2048 bits or more in SPKI PEM form."],
      [
        "invalid_otp",
        `The code matches none of the account's devices: wrong, already used, or far ahead (${RESYNC_HINT}). \`triesLeft\` says how many more codes this challenge takes (${LOGIN_CHALLENGE_CODE_TRIES} in all); at 0 the challenge is used up and ${LOG_IN_AGAIN}`,
      ],
      [
        "otp_locked",
        "Too many wrong codes in a row: the account's devices are locked (codes and approvals); `retryAfterSeconds` says for how long. Each lock lasts twice the one before; after 100 wrong codes in a row there is no `retryAfterSeconds`: the devices stay locked until a recovery-code login or an administrator unlocks them. The challenge stays open: a `recoveryCode` still completes it (and unlocks the devices).",
      ],
      [
        "invalid_code",
        `\`recoveryCode\` is wrong or already used (with \`triesLeft\`, counted with the device's codes), or \`emailCode\` is wrong, used or expired (the challenge is used up); \`details\` names the field. At \`triesLeft\` 0, ${LOG_IN_AGAIN}`,
      ],
      ["account_locked", "An administrator locked the account after the challenge was opened."],
      ["mail_unavailable", "The code for adding `publicKey` could not be emailed; try again later."],
      ["rate_limited", "Too many wrong recovery or emailed codes for the account, or too many emailed codes asked for; wait `retryAfterSeconds`."],
    ],
    example: {
      payload: { challengeId: CHALLENGE_ID, signature: SIGNATURE, clientName: "alice-laptop", otp: "287082" },
      reply: { token: "gKxdAqVpPxvAjMjpecVwhaYay8Q4wKc3ChosZFVbhyw", expiresAt: "2026-04-13T09:26:55.000Z", user: exampleUser },
    },
  }),
  "auth:logout": defineEvent({
    access: "session",
    summary: "End this socket's session.",
    payload: emptyPayloadSchema,
    reply: z.object({ loggedOut: z.literal(true) }),
    errors: [],
    example: { payload: {}, reply: { loggedOut: true } },
  }),
  "auth:logout-all": defineEvent({
    access: "session",
    summary: "End every session of the account, this one included.",
    payload: emptyPayloadSchema,
    reply: z.object({ sessionsEnded: z.int() }),
    errors: [],
    example: { payload: {}, reply: { sessionsEnded: 3 } },
  }),
};
