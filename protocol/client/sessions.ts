import { z } from "zod";
import { AUDIT_PAGE_MAX } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { SESSION_ID } from "../example-values.ts";
import { emptyPayloadSchema, idSchema, timestampSchema } from "../fields.ts";

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

/** The account's sessions and its own audit log. */
export const sessionEvents = {
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
