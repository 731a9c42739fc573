import { describe, expect, it } from "vitest";
import { FairQueue, knownKeyAdmission, openAdmission } from "./fair-queue.ts";

/** Takes every waiting job in order, running each (which records its name). */
function drain(queue: FairQueue, ran: string[]): string[] {
  for (let job = queue.take(); job; job = queue.take()) job();
  return ran;
}

describe("FairQueue", () => {
  it("lets one address hold at most 16 places in the open lane, and frees them when tasks finish", () => {
    const queue = new FairQueue();
    const from = (i: number) => openAdmission("203.0.113.9", `user-${i}`);
    const admitted = Array.from({ length: 20 }, (_, i) => queue.offer(from(i), () => {}));
    expect(admitted.filter(Boolean)).toHaveLength(16);
    expect(queue.offer(openAdmission("203.0.113.10", "user-x"), () => {})).toBe(true);
    queue.take();
    queue.release(from(0));
    expect(queue.offer(from(99), () => {})).toBe(true);
  });

  it("lets one account hold at most 4 places, from however many addresses", () => {
    const queue = new FairQueue();
    const admitted = Array.from({ length: 6 }, (_, i) => queue.offer(openAdmission(`203.0.113.${i}`, "alice"), () => {}));
    expect(admitted).toEqual([true, true, true, true, false, false]);
  });

  it("counts every address of one IPv6 /64 as one address", () => {
    const queue = new FairQueue();
    const admitted = Array.from({ length: 20 }, (_, i) => queue.offer(openAdmission(`2001:db8:1:2::${i + 1}`, `user-${i}`), () => {}));
    expect(admitted.filter(Boolean)).toHaveLength(16);
  });

  it("refuses when the open lane's 256 places are taken", () => {
    const queue = new FairQueue();
    for (let i = 0; i < 256; i += 1) expect(queue.offer(openAdmission(`10.0.${i >> 4}.${i & 15}`, `u${i}`), () => {})).toBe(true);
    expect(queue.offer(openAdmission("10.9.9.9", "late"), () => {})).toBe(false);
    expect(queue.offer(knownKeyAdmission("10.9.9.9", "key-1"), () => {})).toBe(true);
  });

  it("serves address blocks in turn, so a newcomer waits one task per busy block, not the whole queue", () => {
    const queue = new FairQueue();
    const ran: string[] = [];
    for (const name of ["a1", "a2", "a3"]) queue.offer(openAdmission("203.0.113.1", name), () => ran.push(name));
    queue.offer(openAdmission("203.0.113.2", "b1"), () => ran.push("b1"));
    expect(drain(queue, ran)).toEqual(["a1", "b1", "a2", "a3"]);
  });

  it("serves the known-key lane first, but lets a waiting open task in after four known-key tasks in a row", () => {
    const queue = new FairQueue();
    const ran: string[] = [];
    queue.offer(openAdmission("203.0.113.1", "stranger"), () => ran.push("open"));
    for (let i = 0; i < 6; i += 1) queue.offer(knownKeyAdmission(`198.51.100.${i}`, `key-${i}`), () => ran.push(`key-${i}`));
    expect(drain(queue, ran)).toEqual(["key-0", "key-1", "key-2", "key-3", "open", "key-4", "key-5"]);
  });

  it("lets one key hold at most 2 places in the known-key lane", () => {
    const queue = new FairQueue();
    const admitted = Array.from({ length: 3 }, (_, i) => queue.offer(knownKeyAdmission(`198.51.100.${i}`, "key-1"), () => {}));
    expect(admitted).toEqual([true, true, false]);
  });
});
