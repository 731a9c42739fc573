import { z } from "zod";
import { CODE_MAILS_PER_MINUTE, EMAIL_CODE_MAX_ATTEMPTS } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { emailCodeSchema, loginNameSchema, otpSchema, passwordSchema, recoveryCodeSchema, usernameSchema } from "../fields.ts";

/** Changing a known password, and recovering a forgotten one by email. */
export const passwordEvents = {
  "password:change": defineEvent({
    access: "session",
    summary: "Change the password; every other session of the account ends.",
    payload: z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }),
    reply: z.object({ changed: z.literal(true), sessionsEnded: z.int() }),
    errors: ["invalid_credentials", "weak_password", "rate_limited"],
    example: {
      payload: { currentPassword: "violet-ember-canyon-42", newPassword: "quiet-harbour-lantern-17" },
      reply: { changed: true, sessionsEnded: 2 },
    },
  }),
  "password:forgot": defineEvent({
    access: "anonymous",
    summary: "Email a 6-digit reset code (10 minutes); the same answer, in the same time, whether or not the account exists.",
    payload: z.object({ login: loginNameSchema }),
    reply: z.object({ sent: z.literal(true) }),
    errors: [["rate_limited", `${CODE_MAILS_PER_MINUTE} a minute per name as typed and per address, counted whether or not the account exists.`]],
    example: { payload: { login: "alice@example.org" }, reply: { sent: true } },
  }),
  "password:reset": defineEvent({
    access: "anonymous",
    summary: "Set a new password with the emailed code (and, with a device, its current code or a recovery code); every session ends.",
    payload: z.object({
      username: usernameSchema,
      code: emailCodeSchema,
      newPassword: passwordSchema,
      otp: otpSchema.optional(),
      recoveryCode: recoveryCodeSchema.optional(),
    }),
    reply: z.object({ reset: z.literal(true) }),
    errors: [
      [
        "invalid_code",
        `The emailed code is wrong, used, expired or out of tries (${EMAIL_CODE_MAX_ATTEMPTS}), or there is no such account (one answer for all); or \`recoveryCode\` is wrong or used (\`details\` names the field).`,
      ],
      ["otp_required", "The account has a device (a PairGate authenticator or an authenticator app; `deviceKinds` says which): give its current code as `otp`, or a recovery code as `recoveryCode`. The emailed code is not used up."],
      ["weak_password", "`newPassword` does not meet the password policy; the emailed code is not used up."],
      "invalid_otp",
      ["otp_locked", "The device's code checks are locked after too many wrong codes (see `auth:complete`); a `recoveryCode` still resets the password."],
      ["rate_limited", "Wrong codes count against the login limits for the account and the address; wait `retryAfterSeconds`."],
    ],
    example: {
      payload: { username: "alice", code: "820465", newPassword: "quiet-harbour-lantern-17", otp: "359152" },
      reply: { reset: true },
    },
  }),
};
