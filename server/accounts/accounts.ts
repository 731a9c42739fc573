import { randomUUID } from "node:crypto";
import { failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { consumePoint } from "../rate-limits.ts";
import { sendVerificationCode } from "./email-verification.ts";
import { registrationAttemptMail } from "../mail/messages.ts";
import { parseClientPublicKey } from "./public-keys.ts";
import { openAdmission } from "../passwords/fair-queue.ts";
import { addressKey } from "../addresses.ts";
import { freshUntil } from "../auth/fresh-proof.ts";

export async function registerAccount(
  ctx: HubContext,
  input: EventPayload<"account:register">,
  origin: Origin,
): Promise<Ack<EventReply<"account:register">>> {
  const limited = await consumePoint(ctx.limits.registrationsPerAddress, addressKey(origin.address));
  if (limited) return limited;

  const publicKey = parseClientPublicKey(input.publicKey);
  if (!publicKey.ok) return failure("invalid_public_key", publicKey.reason);

  // Usernames are public (chat, the admin console), so a taken one may be said; an address is not.
  const clash = await findRegistrationClash(ctx, input.username, input.email);
  if (clash === "username") return usernameTaken(input.username);

  const admission = openAdmission(origin.address, input.username);
  const verdict = await ctx.passwords.judge(input.password, [input.username, input.email], admission);
  if (!verdict.ok) {
    return failure("weak_password", `Choose another password: ${verdict.reasons.join(" ")}`, {
      details: verdict.reasons.map((message) => ({ path: "password", message })),
    });
  }

  const passwordHash = await ctx.passwords.hash(input.password, admission);
  const userId = randomUUID();
  if (clash === "email") return answerTakenEmail(ctx, { id: userId, username: input.username, email: input.email }, origin);
  try {
    await ctx.db.user.create({
      data: {
        id: userId,
        username: input.username,
        email: input.email,
        passwordHash,
        clientKeys: { create: { id: randomUUID(), publicKeyPem: publicKey.key.pem, fingerprint: publicKey.key.fingerprint } },
      },
    });
  } catch (error) {
    // Two registrations raced past the check above; the unique index decided.
    if (!isUniqueViolation(error)) throw error;
    if ((await findRegistrationClash(ctx, input.username, input.email)) === "email") return answerTakenEmail(ctx, { id: userId, username: input.username, email: input.email }, origin);
    return usernameTaken(input.username);
  }
  const user = { id: userId, username: input.username, email: input.email };
  const verificationRequired = ctx.settings.requireEmailVerification;
  if (verificationRequired && !(await sendVerificationCode(ctx, user)).delivered) {
    // Nothing half-done: without the email the account could never be used, so it goes again
    // (with its key and code), and the same username can be registered once mail works.
    await ctx.db.user.deleteMany({ where: { id: userId } });
    ctx.log.warn({ userId }, "registration undone: the verification email could not be sent");
    return failure("mail_unavailable", "The hub could not send the verification email, so the account was not created; try again later.");
  }
  await recordAudit(ctx.db, { userId, action: "account.registered", origin, details: { keyFingerprint: publicKey.key.fingerprint } });
  if (verificationRequired) await recordAudit(ctx.db, { userId, action: "account.verification_sent", origin });
  ctx.log.info({ userId }, "account registered");
  return success({ user, emailVerificationRequired: verificationRequired });
}

async function findRegistrationClash(ctx: HubContext, username: string, email: string): Promise<"username" | "email" | null> {
  const existing = await ctx.db.user.findFirst({ where: { OR: [{ username }, { email }] }, select: { username: true } });
  if (!existing) return null;
  return existing.username === username ? "username" : "email";
}

function usernameTaken(username: string) {
  return failure("username_taken", `The username "${username}" is already taken.`);
}

/**
 * An address that already has an account gets the answer a new one gets, after the same work
 * (password judged and hashed, a database write, an email sent before the answer when a new
 * account's would be), so neither the reply nor its timing tells a stranger that the address is
 * registered. Its owner is emailed instead, and learns that someone tried.
 */
async function answerTakenEmail(ctx: HubContext, user: { id: string; username: string; email: string }, origin: Origin): Promise<Ack<EventReply<"account:register">>> {
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { email: user.email }, select: { id: true, username: true } });
  const notify = async () => {
    const outcome = await ctx.mailer.send(registrationAttemptMail(user.email, owner.username, origin.address));
    if (!outcome.delivered) ctx.log.error({ userId: owner.id }, "the notice of a registration attempt could not be sent");
    return outcome.delivered;
  };
  const verificationRequired = ctx.settings.requireEmailVerification;
  // A new account's verification email is sent before the answer, and its failure answered: the same here.
  if (verificationRequired && !(await notify())) {
    return failure("mail_unavailable", "The hub could not send the verification email, so the account was not created; try again later.");
  }
  if (!verificationRequired) ctx.later(0, async () => void (await notify()));
  await recordAudit(ctx.db, { userId: owner.id, action: "account.registration_attempted", origin, details: { username: user.username } });
  return success({ user, emailVerificationRequired: verificationRequired });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export async function describeAccount(ctx: HubContext, userId: string) {
  const user = await ctx.db.user.findUnique({ where: { id: userId } });
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role === "admin" ? ("admin" as const) : ("user" as const),
    createdAt: user.createdAt.toISOString(),
    passwordChangedAt: user.passwordChangedAt.toISOString(),
  };
}

/** `account:me`: the account behind a live session, and that session. */
export async function describeCurrentSession(ctx: HubContext, session: ActiveSession): Promise<Ack<EventReply<"account:me">>> {
  const user = await describeAccount(ctx, session.userId);
  if (!user) return failure("unauthorized", "This account no longer exists.");
  const fresh = await freshUntil(ctx, session.sessionId);
  return success({ user, session: { id: session.sessionId, expiresAt: session.expiresAt.toISOString(), freshUntil: fresh?.toISOString() ?? null } });
}
