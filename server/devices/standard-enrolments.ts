import { randomBytes, randomUUID } from "node:crypto";
import { formatOtpauthUri } from "#otp/otpauth-uri";
import { encodeOtpSecret } from "#otp/totp";
import {
  HOTP_ALGORITHM,
  HOTP_DIGITS,
  HOTP_SECRET_BYTES,
  STANDARD_ENROLMENT_CODE_TRIES,
  STANDARD_ENROLMENT_TTL_SECONDS,
  TOTP_PERIOD_SECONDS,
  failure,
  success,
  type Ack,
  type EventPayload,
  type EventReply,
  type StandardDeviceKind,
} from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { checkDeviceCode } from "./device-codes.ts";
import { describeDevice, secretAssociatedData } from "./devices.ts";
import { openSecret, sealSecret } from "./secret-box.ts";

/**
 * Standard authenticator apps (Google Authenticator, Aegis, FreeOTP, ...), enrolled by an
 * otpauth:// URI: the hub makes a secret, shows it once to the session that asked, and makes it a
 * device only when that session brings the app's current code, which proves the app holds it.
 * Until then it is an enrolment, never a device: it opens no login and is deleted at its expiry.
 */

const DEFAULT_APP_NAME = "authenticator app";
const NOT_FOUND_MESSAGE = "No such enrolment for this session: it expired, was finished, or took too many wrong codes. Start again.";

export async function startStandardEnrolment(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"device:enrol-standard">,
  origin: Origin,
): Promise<Ack<EventReply<"device:enrol-standard">>> {
  // The enrolment's id becomes the device's, so the sealed secret opens under the same associated data.
  const enrolmentId = randomUUID();
  const secret = randomBytes(HOTP_SECRET_BYTES);
  const name = input.name ?? DEFAULT_APP_NAME;
  const expiresAt = new Date(ctx.clock.now().getTime() + STANDARD_ENROLMENT_TTL_SECONDS * 1000);
  await ctx.db.standardEnrolment.create({
    data: {
      id: enrolmentId,
      userId: session.userId,
      sessionId: session.sessionId,
      kind: input.kind,
      name,
      sealedSecret: sealSecret(ctx.keys.hotpSecrets, secret, secretAssociatedData(enrolmentId)),
      createdAt: ctx.clock.now(),
      expiresAt,
    },
  });
  await recordAudit(ctx.db, { userId: session.userId, action: "device.enrolment_started", origin, details: { enrolmentId, kind: input.kind, name } });
  const issuer = ctx.settings.issuer;
  const uri = formatOtpauthUri({
    type: input.kind,
    issuer,
    account: session.username,
    secret,
    algorithm: "sha1",
    digits: HOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    counter: 0,
  });
  return success({
    enrolmentId,
    kind: input.kind,
    name,
    uri,
    secret: encodeOtpSecret(secret),
    issuer,
    account: session.username,
    algorithm: HOTP_ALGORITHM,
    digits: HOTP_DIGITS,
    ...(input.kind === "totp" ? { period: TOTP_PERIOD_SECONDS } : { counter: 0 }),
    expiresAt: expiresAt.toISOString(),
  });
}

export async function confirmStandardEnrolment(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"device:confirm-standard">,
  origin: Origin,
): Promise<Ack<EventReply<"device:confirm-standard">>> {
  const now = ctx.clock.now();
  const enrolment = await ctx.db.standardEnrolment.findFirst({ where: { id: input.enrolmentId, sessionId: session.sessionId, expiresAt: { gt: now } } });
  if (!enrolment) return failure("enrolment_not_found", NOT_FOUND_MESSAGE);
  // The try is taken before the check, so codes sent at the same time cannot get past the limit.
  const taken = await ctx.db.standardEnrolment.updateMany({ where: { id: enrolment.id, codeTries: { lt: STANDARD_ENROLMENT_CODE_TRIES } }, data: { codeTries: { increment: 1 } } });
  if (taken.count === 0) return failure("enrolment_not_found", NOT_FOUND_MESSAGE);

  const kind = enrolment.kind as StandardDeviceKind;
  const secret = openSecret(ctx.keys.hotpSecrets, enrolment.sealedSecret, secretAssociatedData(enrolment.id));
  const check = checkDeviceCode(kind, secret, { counter: 0, resyncCounter: null, lastTimeStep: null }, input.otp, now);
  if (check.outcome !== "accepted") return refuseCode(ctx, enrolment.id, enrolment.codeTries + 1);

  // Both or neither: the enrolment is used up exactly when the device exists. A second confirm
  // racing this one finds no enrolment left to delete and makes nothing.
  const device = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.standardEnrolment.deleteMany({ where: { id: enrolment.id } });
    if (count !== 1) return null;
    return tx.device.create({
      data: {
        id: enrolment.id,
        userId: enrolment.userId,
        name: enrolment.name,
        kind,
        tokenHash: null,
        sealedSecret: enrolment.sealedSecret,
        // The confirming code is used: it must not also open a login.
        counter: check.next.counter,
        lastTimeStep: check.next.lastTimeStep,
        createdAt: now,
        lastUsedAt: now,
      },
    });
  });
  if (!device) return failure("enrolment_not_found", NOT_FOUND_MESSAGE);
  await recordAudit(ctx.db, { userId: session.userId, action: "device.enrolled", origin, details: { deviceId: device.id, kind, name: device.name } });
  ctx.events.emit("security-notice", { userId: session.userId, kind: "device_added", message: newAppSentence(device.name, kind) });
  return success({ device: describeDevice(device, now) });
}

/** The unnamed default would read "A new authenticator app "authenticator app""; only a name of the person's own is quoted. */
function newAppSentence(name: string, kind: string): string {
  const named = name === DEFAULT_APP_NAME ? "" : ` "${name}"`;
  return `A new authenticator app${named} (${kind.toUpperCase()}) was added to your account.`;
}

/** A wrong code: asked again while tries are left; the last one deletes the enrolment. */
async function refuseCode(ctx: HubContext, enrolmentId: string, triesUsed: number): Promise<Ack<never>> {
  const triesLeft = Math.max(0, STANDARD_ENROLMENT_CODE_TRIES - triesUsed);
  if (triesLeft === 0) await ctx.db.standardEnrolment.deleteMany({ where: { id: enrolmentId } });
  const next = triesLeft === 0 ? "That was the last try: start the enrolment again." : `${triesLeft} more ${triesLeft === 1 ? "try" : "tries"}.`;
  return { ok: false, error: { code: "invalid_otp", message: `That is not the app's current code (check the phone's clock, or wait for the next code). ${next}`, triesLeft } };
}
