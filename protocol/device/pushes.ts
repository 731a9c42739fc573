import { z } from "zod";
import { definePush } from "../event-definition.ts";
import { CHALLENGE_ID, DEVICE_ID, examplePendingChallenge } from "../example-values.ts";
import { noticeKindSchema, timestampSchema } from "../fields.ts";
import { pendingChallengeSchema } from "./challenges.ts";

/** Hub-to-device events on `/device`: pushed, never acked. */
export const devicePushes = {
  "challenge:new": definePush({
    summary:
      "A login of this device's account is waiting for approval: sent only once the logging-in machine's key signature has been verified (`auth:prove-key`). The device is not told the number; the person types it.",
    payload: pendingChallengeSchema,
    example: examplePendingChallenge,
  }),
  "challenge:closed": definePush({
    summary:
      "A challenge ended; drop it from the inbox. `failed`: the client's attempt to finish the login was refused (a wrong code or signature), which used the challenge up. `abandoned`: the client that started the login disconnected before finishing it.",
    payload: z.object({ challengeId: z.string(), outcome: z.enum(["approved", "denied", "expired", "completed", "failed", "abandoned"]) }),
    example: { challengeId: CHALLENGE_ID, outcome: "approved" },
  }),
  "device:revoked": definePush({
    summary: "This device was unpaired; its token and codes no longer work. The hub closes the socket next (see Limits).",
    payload: z.object({ deviceId: z.string() }),
    example: { deviceId: DEVICE_ID },
  }),
  "security:notice": definePush({
    summary: "Something security-relevant happened to the account (for example a code lockout).",
    payload: z.object({ kind: noticeKindSchema, message: z.string(), at: timestampSchema }),
    example: {
      kind: "otp_locked",
      message: "10 wrong codes in a row: code checks for one of your devices are locked until 2026-03-14T09:45:02.000Z.",
      at: "2026-03-14T09:30:02.000Z",
    },
  }),
};

export type DevicePushName = keyof typeof devicePushes;
export type DevicePushPayload<E extends DevicePushName> = z.output<(typeof devicePushes)[E]["payload"]>;
