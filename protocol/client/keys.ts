import { z } from "zod";
import { REAUTHENTICATION_REQUIRED, defineEvent } from "../event-definition.ts";
import { KEY_FINGERPRINT, KEY_ID, exampleRecoveryCodes } from "../example-values.ts";
import { emptyPayloadSchema, idSchema, timestampSchema } from "../fields.ts";

const clientKeySchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
  /** The key this session logged in with. */
  current: z.boolean(),
});

/** The account's client keys (one per machine) and its recovery codes: what proves it is the person. */
export const credentialEvents = {
  "recovery:generate": defineEvent({
    access: "session",
    summary: "Make 10 single-use recovery codes, shown this once; any earlier ones stop working.",
    payload: emptyPayloadSchema,
    reply: z.object({ codes: z.array(z.string()) }),
    errors: [REAUTHENTICATION_REQUIRED],
    example: { payload: {}, reply: { codes: exampleRecoveryCodes } },
  }),
  "key:list": defineEvent({
    access: "session",
    summary: "The account's client public keys, one per machine.",
    payload: emptyPayloadSchema,
    reply: z.object({ keys: z.array(clientKeySchema) }),
    errors: [],
    example: {
      payload: {},
      reply: {
        keys: [
          {
            id: KEY_ID,
            fingerprint: KEY_FINGERPRINT,
            createdAt: "2026-03-01T17:02:11.000Z",
            lastUsedAt: "2026-03-14T09:26:55.000Z",
            current: true,
          },
        ],
      },
    },
  }),
  "key:remove": defineEvent({
    access: "session",
    summary: "Remove a client key; the sessions it opened end.",
    payload: z.object({ keyId: idSchema }),
    reply: z.object({ removed: z.literal(true), sessionsEnded: z.int() }),
    errors: [
      ["not_found", "No key with this id on the account."],
      ["forbidden", "The key is the one this session logged in with, or the account's only key."],
      REAUTHENTICATION_REQUIRED,
    ],
    example: { payload: { keyId: KEY_ID }, reply: { removed: true, sessionsEnded: 1 } },
  }),
};
