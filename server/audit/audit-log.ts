import { randomUUID } from "node:crypto";
import type { Database, Transaction } from "../db/client.ts";
import type { Origin } from "../context.ts";

/** Security-relevant actions, as stored. Details never hold secrets. */
export type AuditAction =
  | "account.registered"
  | "account.deleted"
  | "account.registration_attempted"
  | "account.email_changed"
  | "session.reauthenticated"
  | "session.reauthentication_failed"
  | "account.delete_failed"
  // Administration (server/admin/): the actor's row, and the target's where the account survives.
  | "admin.users_listed"
  | "admin.user_updated"
  | "admin.user_locked"
  | "admin.user_unlocked"
  | "admin.user_deleted"
  | "account.updated_by_admin"
  | "account.locked"
  | "account.unlocked"
  | "account.promoted_admin"
  | "login.account_locked"
  | "client_key.removed"
  | "login.password_failed"
  | "login.signature_failed"
  | "login.succeeded"
  | "session.logged_out"
  | "session.revoked"
  | "sessions.revoked_all"
  | "password.changed"
  | "password.change_failed"
  | "device.bound"
  | "device.enrolment_started"
  | "device.enrolled"
  | "device.renamed"
  | "device.revoked"
  | "device.otp_locked"
  | "device.otp_unlocked"
  | "login.otp_failed"
  | "login.approved"
  | "login.denied"
  | "login.number_mismatch"
  | "login.reported_not_me"
  | "login.pushed"
  | "login.push_limited"
  | "login.abandoned"
  // Email codes, password recovery, recovery codes and new client keys.
  | "account.verification_sent"
  | "account.email_verified"
  | "account.email_verification_failed"
  | "login.email_not_verified"
  | "password.reset_requested"
  | "password.reset"
  | "password.reset_failed"
  | "recovery.codes_generated"
  | "recovery.code_used"
  | "recovery.code_failed"
  | "client_key.verification_sent"
  | "client_key.verification_failed"
  | "client_key.added";

export interface AuditEntry {
  userId: string | null;
  action: AuditAction;
  origin: Origin;
  details?: Record<string, string | number | boolean | null>;
}

/** Written on its own, or inside a transaction so that it commits with the action it records. */
export async function recordAudit(db: Database | Transaction, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      id: randomUUID(),
      userId: entry.userId,
      action: entry.action,
      address: entry.origin.address,
      details: entry.details ? JSON.stringify(entry.details) : null,
    },
  });
}

export interface AuditPage {
  events: { id: string; action: string; address: string | null; details: Record<string, unknown> | null; createdAt: string }[];
  nextBefore: string | null;
}

/** Newest first; `before` is the id of the last event of the previous page. */
export async function listUserAudit(db: Database, userId: string, limit: number, before?: string): Promise<AuditPage> {
  const cursor = before ? await db.auditEvent.findFirst({ where: { id: before, userId } }) : null;
  const rows = await db.auditEvent.findMany({
    where: {
      userId,
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((row) => ({
      id: row.id,
      action: row.action,
      address: row.address,
      details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
      createdAt: row.createdAt.toISOString(),
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
