import { z } from "zod";
import { REAUTHENTICATION_REQUIRED, defineEvent } from "../event-definition.ts";
import { DEVICE_ID, exampleDevice } from "../example-values.ts";
import { deviceNameSchema, deviceSchema, emptyPayloadSchema, idSchema, timestampSchema } from "../fields.ts";

/** The account's paired authenticators, as its clients manage them. */
export const deviceManagementEvents = {
  "device:create-binding-code": defineEvent({
    access: "session",
    summary: "A one-time code (XXXX-XXXX, 5 minutes) to type into a new authenticator.",
    payload: z.object({ name: deviceNameSchema.optional() }),
    reply: z.object({ code: z.string(), expiresAt: timestampSchema }),
    errors: [REAUTHENTICATION_REQUIRED],
    example: { payload: { name: "alice-phone" }, reply: { code: "7K3M-Q9TD", expiresAt: "2026-03-10T18:45:12.000Z" } },
  }),
  "device:list": defineEvent({
    access: "session",
    summary: "The account's paired devices.",
    payload: emptyPayloadSchema,
    reply: z.object({ devices: z.array(deviceSchema) }),
    errors: [],
    example: { payload: {}, reply: { devices: [exampleDevice] } },
  }),
  "device:rename": defineEvent({
    access: "session",
    summary: "Rename a paired device.",
    payload: z.object({ deviceId: idSchema, name: deviceNameSchema }),
    reply: z.object({ device: deviceSchema }),
    errors: ["device_not_found"],
    example: { payload: { deviceId: DEVICE_ID, name: "alice-old-phone" }, reply: { device: { ...exampleDevice, name: "alice-old-phone" } } },
  }),
  "device:revoke": defineEvent({
    access: "session",
    summary: "Unpair a device: it is disconnected at once and its codes and token stop working.",
    payload: z.object({ deviceId: idSchema }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ["device_not_found"],
    example: { payload: { deviceId: DEVICE_ID }, reply: { revoked: true } },
  }),
};
