/**
 * The admission queue in front of the password workers. A flood of password checks must not
 * keep everyone else out, so:
 * - each task is charged to shares (an account, an address block, a key), and a share may hold
 *   only a bounded number of the queue's places: one account or address cannot fill it;
 * - tasks leave in turn by group (the address block), not first come first served, so a newcomer
 *   waits about one task per busy address, not behind the whole queue;
 * - logins that proved they hold a key of the account (server/auth/key-proof.ts) have a lane of
 *   their own, served first, so the owner logs in while strangers fill the open lane.
 */
import { addressKey } from "../addresses.ts";

export type Lane = "known-key" | "open";

/** Something a task is charged to, and how many places (queued or running) it may hold. */
type Share = readonly [key: string, maxTasks: number];

export interface Admission {
  lane: Lane;
  /** Whose turn the task waits for: its address block. */
  group: string;
  shares: readonly Share[];
}

/** Places per lane, queued or running. */
export const PASSWORD_QUEUE_MAX_TASKS: Record<Lane, number> = { open: 256, "known-key": 64 };
// An office behind one address may log in together; one address still cannot take more than a
// sixteenth of the open lane, nor one account (a name as typed, existing or not) more than 4 places.
const OPEN_TASKS_PER_ADDRESS = 16;
const OPEN_TASKS_PER_ACCOUNT = 4;
// Only holders of a known key get there; a person logs in from a machine or two at a time.
const KNOWN_KEY_TASKS_PER_KEY = 2;
const KNOWN_KEY_TASKS_PER_ADDRESS = 4;

/** Password work for a caller who proved no key: charged to its address block, and to the account when one is named. */
export function openAdmission(address: string, account?: string): Admission {
  const block = addressKey(address);
  const shares: Share[] = [[`address:${block}`, OPEN_TASKS_PER_ADDRESS]];
  if (account !== undefined) shares.push([`account:${account}`, OPEN_TASKS_PER_ACCOUNT]);
  return { lane: "open", group: block, shares };
}

/** A login with an accepted key proof: the known-key lane, charged to the key and the address block. */
export function knownKeyAdmission(address: string, keyId: string): Admission {
  const block = addressKey(address);
  return { lane: "known-key", group: block, shares: [[`key:${keyId}`, KNOWN_KEY_TASKS_PER_KEY], [`address:${block}`, KNOWN_KEY_TASKS_PER_ADDRESS]] };
}

// The known-key lane goes first, but not forever: after this many of its tasks in a row, a
// waiting open task gets its turn, so that people with accounts cannot starve everyone else.
const KNOWN_KEY_TURNS_IN_A_ROW = 4;

type Job = () => void;

class LaneQueue {
  /** Group -> its waiting jobs; Map order is the turn order. */
  private readonly groups = new Map<string, Job[]>();
  private queued = 0;
  private held = 0;
  private readonly perShare = new Map<string, number>();

  constructor(private readonly maxTasks: number) {}

  hasRoomFor(admission: Admission): boolean {
    if (this.held >= this.maxTasks) return false;
    return admission.shares.every(([share, maxTasks]) => (this.perShare.get(share) ?? 0) < maxTasks);
  }

  offer(admission: Admission, job: Job): boolean {
    if (!this.hasRoomFor(admission)) return false;
    for (const [share] of admission.shares) this.perShare.set(share, (this.perShare.get(share) ?? 0) + 1);
    this.held += 1;
    this.queued += 1;
    const waiting = this.groups.get(admission.group);
    if (waiting) waiting.push(job);
    else this.groups.set(admission.group, [job]);
    return true;
  }

  hasWaiting(): boolean {
    return this.queued > 0;
  }

  /** The head of the group whose turn it is; that group then goes to the back of the line. */
  take(): Job | undefined {
    const first = this.groups.entries().next();
    if (first.done) return undefined;
    const [group, jobs] = first.value;
    const job = jobs.shift()!;
    this.groups.delete(group);
    if (jobs.length > 0) this.groups.set(group, jobs);
    this.queued -= 1;
    return job;
  }

  release(admission: Admission): void {
    this.held -= 1;
    for (const [share] of admission.shares) {
      const left = (this.perShare.get(share) ?? 1) - 1;
      if (left > 0) this.perShare.set(share, left);
      else this.perShare.delete(share);
    }
  }
}

export class FairQueue {
  private readonly lanes: Record<Lane, LaneQueue>;
  private knownKeyStreak = 0;

  constructor(maxTasks: Record<Lane, number> = PASSWORD_QUEUE_MAX_TASKS) {
    this.lanes = { "known-key": new LaneQueue(maxTasks["known-key"]), open: new LaneQueue(maxTasks.open) };
  }

  /** Whether `offer` would queue a task now: lets a caller refuse before doing work for nothing. */
  hasRoomFor(admission: Admission): boolean {
    return this.lanes[admission.lane].hasRoomFor(admission);
  }

  /** Queues the job, or answers false when its lane, or one of its shares, is full. */
  offer(admission: Admission, job: Job): boolean {
    return this.lanes[admission.lane].offer(admission, job);
  }

  /** The next job to start, or undefined when none waits. */
  take(): Job | undefined {
    const knownKey = this.lanes["known-key"];
    const open = this.lanes.open;
    const openWaits = open.hasWaiting();
    if (knownKey.hasWaiting() && !(openWaits && this.knownKeyStreak >= KNOWN_KEY_TURNS_IN_A_ROW)) {
      this.knownKeyStreak += 1;
      return knownKey.take();
    }
    this.knownKeyStreak = 0;
    return open.take();
  }

  /** A job admitted with this admission has finished: its places are free again. */
  release(admission: Admission): void {
    this.lanes[admission.lane].release(admission);
  }
}
