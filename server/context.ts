import type { Clock } from "./clock.ts";
import type { Settings } from "./config.ts";
import type { Database } from "./db/client.ts";
import type { HubEvents } from "./hub-events.ts";
import type { Logger } from "./logger.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { PasswordPool } from "./passwords/password-pool.ts";
import type { RateLimits } from "./rate-limits.ts";

/** What every domain function is handed: storage, workers, limits and the outward events. */
export interface HubContext {
  settings: Settings;
  db: Database;
  passwords: PasswordPool;
  limits: RateLimits;
  events: HubEvents;
  log: Logger;
  mailer: Mailer;
  /** Keys derived from the hub key, one per use: HOTP secrets, binding codes, email codes, recovery codes. */
  keys: { hotpSecrets: Buffer; codeHashes: Buffer; emailCodes: Buffer; recoveryCodes: Buffer; retiredKeys: Buffer };
  /** The hub's time: expiries, lockouts and the times the hub writes are read from it. */
  clock: Clock;
  /** Runs `task` after `ms` on the hub's clock unless the hub closes or the returned function cancels it first; failures are logged. */
  later(ms: number, task: () => Promise<void>): () => void;
}

/** Where a request came from, for rate limits and the audit log. */
export interface Origin {
  address: string;
}
