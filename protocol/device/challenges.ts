import { z } from "zod";
import { PUSH_HOLD_AFTER_NOT_ME_SECONDS } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { CHALLENGE_ID, NUMBER_MATCH, examplePendingChallenge } from "../example-values.ts";
import { emptyPayloadSchema, idSchema, numberMatchSchema, otpSchema, timestampSchema } from "../fields.ts";

/** A login waiting for the person's decision, as a device sees it. */
export const pendingChallengeSchema = z.object({
  challengeId: z.string(),
  username: z.string(),
  /** The machine name the client gave, and the address the login came from. */
  client: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  /** The key that signed is new to the account: a machine the person has not logged in from before. Show it plainly. */
  newKey: z.boolean(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
});

const RESYNC_HINT = "then the device's next code resynchronises it";
const ALREADY_DECIDED = ["challenge_used", "The login was already approved, denied or completed (perhaps on another device)."] as const;

/** Deciding the logins of the device's account. */
export const challengeEvents = {
  "challenge:list": defineEvent({
    access: "device",
    summary: "Logins of this device's account still waiting for a decision (for example after a reconnect).",
    payload: emptyPayloadSchema,
    reply: z.object({ challenges: z.array(pendingChallengeSchema) }),
    errors: [],
    example: { payload: {}, reply: { challenges: [examplePendingChallenge] } },
  }),
  "challenge:approve": defineEvent({
    access: "device",
    summary: "Approve a login with this device's next code and the two-digit number the person typed, read from the client's screen (the device is never told it).",
    payload: z.object({
      challengeId: idSchema,
      otp: otpSchema,
      numberMatch: numberMatchSchema.describe("the number the person typed, as the logging-in client shows it"),
    }),
    reply: z.object({ approved: z.literal(true) }),
    errors: [
      "challenge_not_found",
      ALREADY_DECIDED,
      "challenge_expired",
      ["challenge_denied", "The number typed is not the one the client shows: the login is now denied, and the attempt is in the audit log."],
      ["invalid_otp", `This device's code is wrong, already used, or far ahead (${RESYNC_HINT}). The login stays open.`],
      [
        "otp_locked",
        "Too many wrong codes in a row: this device's code checks are locked; `retryAfterSeconds` says for how long, each lock twice the one before. After 100 wrong codes in a row there is no `retryAfterSeconds`: the device stays locked until its owner logs in with a recovery code or an administrator unlocks it.",
      ],
    ],
    example: { payload: { challengeId: CHALLENGE_ID, otp: "755224", numberMatch: NUMBER_MATCH }, reply: { approved: true } },
  }),
  "challenge:deny": defineEvent({
    access: "device",
    summary:
      "Refuse a login; the client is told at once. With `reason: \"not-me\"` (\"this wasn't me\") it is audited as such, the account's signed-in clients are told (`login:not-me`), and no login request is pushed to the account's devices for a while.",
    payload: z.object({
      challengeId: idSchema,
      reason: z.enum(["not-me"]).optional().describe(`\"this wasn't me\": holds pushes for the account for ${PUSH_HOLD_AFTER_NOT_ME_SECONDS / 60} minutes (logins then need a typed code or a recovery code)`),
    }),
    reply: z.object({
      denied: z.literal(true),
      pushesHeldUntil: timestampSchema.optional().describe("only with `reason: \"not-me\"`: until when no login request is pushed"),
    }),
    errors: ["challenge_not_found", ALREADY_DECIDED, "challenge_expired"],
    example: { payload: { challengeId: CHALLENGE_ID, reason: "not-me" }, reply: { denied: true, pushesHeldUntil: "2026-03-14T09:57:10.000Z" } },
  }),
};
