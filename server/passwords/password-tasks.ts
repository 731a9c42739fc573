// The password work itself, run inside worker threads (see password-worker.mjs): bcrypt and the
// strength check are CPU-bound and would otherwise stall every socket on the event loop.
import bcrypt from "bcryptjs";
import { judgePassword, type PasswordVerdict } from "../../common/password-policy.ts";

export function hash({ password, cost }: { password: string; cost: number }): string {
  return bcrypt.hashSync(password, cost);
}

export function verify({ password, hash }: { password: string; hash: string }): boolean {
  return bcrypt.compareSync(password, hash);
}

export function judge({ password, context }: { password: string; context: string[] }): PasswordVerdict {
  return judgePassword(password, context);
}
