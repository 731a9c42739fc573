import { z } from "zod";
import { CODE_MAILS_PER_MINUTE, EMAIL_CODE_MAX_ATTEMPTS } from "../constants.ts";
import { REAUTHENTICATION_REQUIRED, defineEvent } from "../event-definition.ts";
import { PUBLIC_KEY_PEM, SESSION_ID, exampleUser } from "../example-values.ts";
import { accountSchema, emailCodeSchema, emailSchema, emptyPayloadSchema, passwordSchema, publicKeyPemSchema, timestampSchema, usernameSchema, userSchema } from "../fields.ts";

const registerBodySchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  publicKey: publicKeyPemSchema,
});

/** Creating an account, confirming its email address, and reading it back. */
export const accountEvents = {
  "account:register": defineEvent({
    access: "anonymous",
    summary:
      "Create an account with a password and the client's RSA public key. An address already registered gets the same answer as a new one (its owner is emailed instead), so the reply tells nothing about which addresses have accounts.",
    payload: registerBodySchema,
    reply: z.object({ user: userSchema, emailVerificationRequired: z.boolean() }),
    errors: [
      "invalid_public_key",
      ["username_taken", "Usernames are public (they are shown to chat partners and administrators), so a taken one is said."],
      "weak_password",
      ["mail_unavailable", "The verification email could not be sent, so the account was not created; the same username can be registered again later."],
      ["rate_limited", "Too many registrations from this address; wait `retryAfterSeconds`."],
    ],
    example: {
      payload: { username: "alice", email: "alice@example.org", password: "violet-ember-canyon-42", publicKey: PUBLIC_KEY_PEM },
      reply: { user: exampleUser, emailVerificationRequired: true },
    },
  }),
  "account:verify-email": defineEvent({
    access: "anonymous",
    summary: "Confirm the email address with the 6-digit code sent at registration.",
    payload: z.object({ username: usernameSchema, code: emailCodeSchema }),
    reply: z.object({ verified: z.literal(true) }),
    errors: [
      [
        "invalid_code",
        `The code is wrong, used, expired or out of tries (${EMAIL_CODE_MAX_ATTEMPTS}), or there is no unverified account of that name: one answer for all, so it tells nothing about which accounts exist. Ask for a new code with \`account:resend-verification\`.`,
      ],
      ["rate_limited", "Wrong codes count against the login limits for the account and the address; wait `retryAfterSeconds`."],
    ],
    example: { payload: { username: "alice", code: "493017" }, reply: { verified: true } },
  }),
  "account:resend-verification": defineEvent({
    access: "anonymous",
    summary: "Send a new verification code (3 a minute); the same answer whether or not there is anything to send.",
    payload: z.object({ username: usernameSchema }),
    reply: z.object({ sent: z.literal(true) }),
    errors: [["rate_limited", `${CODE_MAILS_PER_MINUTE} a minute per username and per address, counted whether or not the account exists.`]],
    example: { payload: { username: "alice" }, reply: { sent: true } },
  }),
  "account:me": defineEvent({
    access: "session",
    summary: "The account behind this session.",
    payload: emptyPayloadSchema,
    reply: z.object({
      user: accountSchema,
      session: z.object({
        id: z.string(),
        expiresAt: timestampSchema,
        /** Until when sensitive actions need no `session:reauthenticate`; null when already needed. */
        freshUntil: timestampSchema.nullable(),
      }),
    }),
    errors: [],
    example: {
      payload: {},
      reply: {
        user: { ...exampleUser, role: "user", createdAt: "2026-03-01T17:02:11.000Z", passwordChangedAt: "2026-03-01T17:02:11.000Z" },
        session: { id: SESSION_ID, expiresAt: "2026-04-13T09:26:55.000Z", freshUntil: "2026-03-14T09:31:55.000Z" },
      },
    },
  }),
  "account:change-email": defineEvent({
    access: "session",
    summary:
      "Change the account's email address. The new address must be confirmed with the code sent to it (`account:verify-email`), and the old one is told of the change.",
    payload: z.object({ email: emailSchema }),
    reply: z.object({ user: userSchema, emailVerificationRequired: z.boolean() }),
    errors: [
      ["email_taken", "Another account uses that address (said only to a session with a fresh proof)."],
      ["mail_unavailable", "The code could not be sent to the new address; nothing was changed."],
      REAUTHENTICATION_REQUIRED,
    ],
    example: { payload: { email: "alice@example.net" }, reply: { user: { ...exampleUser, email: "alice@example.net" }, emailVerificationRequired: true } },
  }),
  "account:delete": defineEvent({
    access: "session",
    summary: "Delete one's own account with its sessions, devices, keys and codes; the password is proven again, and every socket of the account is disconnected.",
    payload: z.object({ password: passwordSchema }),
    reply: z.object({ deleted: z.literal(true) }),
    errors: [
      ["invalid_credentials", "The password is wrong; nothing is deleted."],
      ["rate_limited", "Wrong passwords count against the login limits for the account and the address; wait `retryAfterSeconds`."],
    ],
    example: { payload: { password: "violet-ember-canyon-42" }, reply: { deleted: true } },
  }),
};
