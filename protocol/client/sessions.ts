import { z } from "zod";
import { AUDIT_PAGE_MAX, FRESH_PROOF_TTL_SECONDS } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { SESSION_ID } from "../example-values.ts";
import { emptyPayloadSchema, idSchema, otpSchema, passwordSchema, timestampSchema } from "../fields.ts";

const sessionSchema = z.object({
  id: z.string(),
  clientName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: timestampSchema,
  lastSeenAt: timestampSchema,
  expiresAt: timestampSchema,
  current: z.boolean(),
});

const auditEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  address: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: timestampSchema,
});

/** Exactly one proof: the account's password, or a device's current code (the PairGate authenticator or an authenticator app). */
const reauthenticateBodySchema = z
  .object({
    password: passwordSchema.optional(),
    /** A device's next code, under the same HOTP or TOTP rules and locks as at login. */
    otp: otpSchema.optional(),
  })
  .refine((body) => (body.password === undefined) !== (body.otp === undefined), { message: "Give either password or otp, not both." });

/** The account's sessions and its own audit log. */
export const sessionEvents = {
  "session:reauthenticate": defineEvent({
    access: "session",
    summary: `Prove the password or a device's code again, so that this session may do sensitive actions for ${FRESH_PROOF_TTL_SECONDS / 60} minutes (sudo mode).`,
    payload: reauthenticateBodySchema,
    reply: z.object({ freshUntil: timestampSchema }),
    errors: [
      ["invalid_credentials", "The password is wrong."],
      ["invalid_otp", "The code matches none of the account's devices (wrong, used or far ahead), or the account has no device."],
      ["otp_locked", "The devices' code checks are locked after too many wrong codes (as at `auth:complete`); give the password instead."],
      ["rate_limited", "Wrong passwords count against the login limits for the account and the address; wait `retryAfterSeconds`."],
    ],
    example: { payload: { password: "violet-ember-canyon-42" }, reply: { freshUntil: "2026-03-14T11:45:02.000Z" } },
  }),
  "session:list": defineEvent({
    access: "session",
    summary: "The account's active sessions.",
    payload: emptyPayloadSchema,
    reply: z.object({ sessions: z.array(sessionSchema) }),
    errors: [],
    example: {
      payload: {},
      reply: {
        sessions: [
          {
            id: SESSION_ID,
            clientName: "alice-laptop",
            address: "127.0.0.1",
            createdAt: "2026-03-14T09:26:55.000Z",
            lastSeenAt: "2026-03-14T11:40:02.000Z",
            expiresAt: "2026-04-13T09:26:55.000Z",
            current: true,
          },
        ],
      },
    },
  }),
  "session:revoke": defineEvent({
    access: "session",
    summary: "End one of the account's sessions; its sockets are disconnected at once.",
    payload: z.object({ sessionId: idSchema }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ["session_not_found"],
    example: { payload: { sessionId: SESSION_ID }, reply: { revoked: true } },
  }),
  "audit:list": defineEvent({
    access: "session",
    summary: "The account's own security events, newest first.",
    payload: z.object({
      limit: z.int().min(1).max(AUDIT_PAGE_MAX).optional(),
      before: idSchema.optional(),
    }),
    reply: z.object({ events: z.array(auditEventSchema), nextBefore: z.string().nullable() }),
    errors: [],
    example: {
      payload: { limit: 2 },
      reply: {
        events: [
          {
            id: "9a4e2c71-5b3d-4f08-a6e1-7c2b9d0f3e58",
            action: "login.succeeded",
            address: "127.0.0.1",
            details: { sessionId: SESSION_ID },
            createdAt: "2026-03-14T09:26:55.000Z",
          },
          {
            id: "1d7b5e39-0c8a-4a62-b4f7-e2913c6a8d05",
            action: "login.password_failed",
            address: "127.0.0.1",
            details: { username: "alice" },
            createdAt: "2026-03-14T09:25:40.000Z",
          },
        ],
        nextBefore: "1d7b5e39-0c8a-4a62-b4f7-e2913c6a8d05",
      },
    },
  }),
};
