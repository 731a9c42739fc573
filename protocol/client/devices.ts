import { z } from "zod";
import { HOTP_ALGORITHM, HOTP_DIGITS, STANDARD_DEVICE_KINDS, STANDARD_ENROLMENT_CODE_TRIES, STANDARD_ENROLMENT_TTL_SECONDS, TOTP_PERIOD_SECONDS, TOTP_SKEW_STEPS } from "../constants.ts";
import { REAUTHENTICATION_REQUIRED, defineEvent } from "../event-definition.ts";
import { DEVICE_ID, ENROLMENT_ID, exampleDevice, exampleStandardSecret } from "../example-values.ts";
import { deviceNameSchema, deviceSchema, emptyPayloadSchema, idSchema, otpSchema, timestampSchema } from "../fields.ts";

const enrolStandardBodySchema = z.object({
  /** `totp` (time-based, what most apps expect) or `hotp` (counter-based). */
  kind: z.enum(STANDARD_DEVICE_KINDS).describe("`totp` (RFC 6238: a new code every 30 s; what most apps expect) or `hotp` (RFC 4226: a new code each time the app is asked)"),
  name: deviceNameSchema.optional().describe("the device's name on the account (default: \"authenticator app\")"),
});

const confirmStandardBodySchema = z.object({
  enrolmentId: idSchema,
  /** The app's current code, proving that it holds the secret. */
  otp: otpSchema,
});

/** The account's devices (paired PairGate authenticators and standard authenticator apps), as its clients manage them. */
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
    summary: "The account's devices: paired PairGate authenticators (`pairgate`) and standard authenticator apps (`totp`, `hotp`).",
    payload: emptyPayloadSchema,
    reply: z.object({ devices: z.array(deviceSchema) }),
    errors: [],
    example: { payload: {}, reply: { devices: [exampleDevice] } },
  }),
  "device:enrol-standard": defineEvent({
    access: "session",
    summary: `Start enrolling a standard authenticator app (Google Authenticator, Aegis, FreeOTP, ...): the otpauth:// URI to show as a QR code and the secret for typing in by hand. It becomes a device only when \`device:confirm-standard\` brings its current code, within ${STANDARD_ENROLMENT_TTL_SECONDS / 60} minutes, from this same session.`,
    payload: enrolStandardBodySchema,
    reply: z.object({
      enrolmentId: z.string(),
      kind: z.enum(STANDARD_DEVICE_KINDS),
      name: z.string(),
      /** `otpauth://<kind>/<issuer>:<username>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30` (or `&counter=0`): show it as a QR code; it holds the secret. */
      uri: z.string().describe("the Key Uri Format URI an app scans from a QR code; it holds the secret, so show it only to the person enrolling"),
      /** The same secret in base32, for apps where it is typed in. */
      secret: z.string().describe("the secret in base32 (no padding), for typing into the app by hand"),
      issuer: z.string(),
      account: z.string().describe("the label's account part: the username"),
      algorithm: z.literal(HOTP_ALGORITHM),
      digits: z.literal(HOTP_DIGITS),
      period: z.int().optional().describe(`totp only: seconds per code (${TOTP_PERIOD_SECONDS}); a code one step before or after the hub's clock passes too (${TOTP_SKEW_STEPS} step)`),
      counter: z.int().optional().describe("hotp only: the counter the app starts from (0)"),
      expiresAt: timestampSchema.describe(`until when it can be confirmed (${STANDARD_ENROLMENT_TTL_SECONDS / 60} minutes); afterwards it is deleted and never counts as a device`),
    }),
    errors: [REAUTHENTICATION_REQUIRED],
    example: {
      payload: { kind: "totp", name: "alice-phone-app" },
      reply: {
        enrolmentId: ENROLMENT_ID,
        kind: "totp",
        name: "alice-phone-app",
        uri: `otpauth://totp/PairGate:alice?secret=${exampleStandardSecret}&issuer=PairGate&algorithm=SHA1&digits=6&period=30`,
        secret: exampleStandardSecret,
        issuer: "PairGate",
        account: "alice",
        algorithm: HOTP_ALGORITHM,
        digits: HOTP_DIGITS,
        period: TOTP_PERIOD_SECONDS,
        expiresAt: "2026-03-10T18:51:07.000Z",
      },
    },
  }),
  "device:confirm-standard": defineEvent({
    access: "session",
    summary: "Finish enrolling a standard authenticator app with its current code: it becomes a device of the account, used by its codes (it gets no pushes).",
    payload: confirmStandardBodySchema,
    reply: z.object({ device: deviceSchema }),
    errors: [
      ["enrolment_not_found", "No enrolment with this id for this session: never started, expired, finished already, or ended by too many wrong codes. Start again."],
      ["invalid_otp", `The code is not the app's current one. \`triesLeft\` says how many more this enrolment takes (${STANDARD_ENROLMENT_CODE_TRIES} in all); at 0 it is deleted.`],
    ],
    example: {
      payload: { enrolmentId: ENROLMENT_ID, otp: "287 082" },
      reply: { device: { ...exampleDevice, id: ENROLMENT_ID, name: "alice-phone-app", kind: "totp", lastUsedAt: "2026-03-10T18:42:30.000Z" } },
    },
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
