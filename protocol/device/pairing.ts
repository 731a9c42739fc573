import { z } from "zod";
import { HOTP_ALGORITHM, HOTP_DIGITS } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { DEVICE_ID } from "../example-values.ts";
import { bindingCodeSchema, deviceNameSchema } from "../fields.ts";

/** An authenticator pairing itself with the code a client showed. */
export const pairingEvents = {
  "device:bind": defineEvent({
    access: "anonymous",
    summary: "Pair this authenticator with the binding code shown by the client; returns the HOTP secret once.",
    payload: z.object({ code: bindingCodeSchema, name: deviceNameSchema }),
    reply: z.object({
      deviceId: z.string(),
      deviceToken: z.string(),
      username: z.string(),
      /** The device's name on the hub: the one given with the binding code, else the one sent here. */
      name: z.string(),
      /** Base32 (RFC 4648), 20 bytes. */
      secret: z.string(),
      counter: z.int(),
      digits: z.literal(HOTP_DIGITS),
      algorithm: z.literal(HOTP_ALGORITHM),
    }),
    errors: [
      "invalid_binding_code",
      ["rate_limited", "Too many wrong binding codes from this address, or too many binding attempts on the hub as a whole; wait `retryAfterSeconds`."],
    ],
    example: {
      payload: { code: "7K3M-Q9TD", name: "alice-phone" },
      reply: {
        deviceId: DEVICE_ID,
        deviceToken: "q2Vb8sYJm4Tz0cK7nWfR1xLd9pHu6gEa3NiO5jZyQtM",
        username: "alice",
        name: "alice-phone",
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        counter: 0,
        digits: 6,
        algorithm: "SHA1",
      },
    },
  }),
};
