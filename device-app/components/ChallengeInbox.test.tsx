import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import type { ClosedNote, InboxChallenge } from "../challenge-inbox.ts";
import { KEYS, pressKeys, settle } from "../../test/support/ink-keys.ts";
import { type ActionOutcome, ChallengeInbox } from "./ChallengeInbox.tsx";

const NOW = Date.parse("2026-03-01T10:00:00.000Z");

function challenge(overrides: Partial<InboxChallenge> = {}): InboxChallenge {
  return {
    accountId: "dev_alice_1",
    challengeId: "ch_first",
    username: "alice",
    client: { name: "laptop", address: "203.0.113.5" },
    createdAt: "2026-03-01T09:59:00.000Z",
    expiresAt: "2026-03-01T10:01:42.000Z",
    newKey: false,
    ...overrides,
  };
}

function renderInbox(challenges: InboxChallenge[], notes: ClosedNote[] = []) {
  const onApprove = vi.fn(async (_challenge: InboxChallenge, _number: string): Promise<ActionOutcome> => ({ ok: true }));
  const onDeny = vi.fn(async (_challenge: InboxChallenge, _notMe: boolean): Promise<ActionOutcome> => ({ ok: true }));
  const screen = render(<ChallengeInbox challenges={challenges} notes={notes} now={NOW} onApprove={onApprove} onDeny={onDeny} />);
  return { ...screen, onApprove, onDeny };
}

describe("the login request inbox", () => {
  it("shows who logs in, from which machine and address, the time left, and asks for the number, offering none", () => {
    const { lastFrame } = renderInbox([challenge()]);
    const frame = lastFrame() ?? "";
    expect(frame).toContain("alice is logging in");
    expect(frame).toContain('Machine: "laptop" (has logged in to this account before)');
    expect(frame).toContain("Address: 203.0.113.5");
    expect(frame).toContain("expires in 1:42");
    expect(frame).toContain("Type the number shown on the logging-in screen:");
    expect(frame).toContain("_ _");
    expect(frame).not.toContain("NEW MACHINE");
  });

  it("marks a machine whose key is new to the account plainly", () => {
    const { lastFrame } = renderInbox([challenge({ newKey: true, client: { name: "kali", address: "198.51.100.7" } })]);
    expect(lastFrame()).toContain("NEW MACHINE");
    expect(lastFrame()).toContain("Its key has never logged in to alice");
  });

  it("counts down as the clock moves", () => {
    const { lastFrame, rerender } = renderInbox([challenge()]);
    rerender(<ChallengeInbox challenges={[challenge()]} notes={[]} now={NOW + 95_000} onApprove={vi.fn()} onDeny={vi.fn()} />);
    expect(lastFrame()).toContain("expires in 0:07");
  });

  it("shows the digits as they are typed, and Backspace takes one back", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["4"]);
    expect(screen.lastFrame()).toContain("4 _");
    await pressKeys(screen, ["7"]);
    expect(screen.lastFrame()).toContain("4 7");
    await pressKeys(screen, [KEYS.backspace]);
    expect(screen.lastFrame()).toContain("4 _");
  });

  it("approves with the typed number on a", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["4", "7", "a"]);
    expect(screen.onApprove).toHaveBeenCalledOnce();
    expect(screen.onApprove).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_first" }), "47");
    await settle(screen);
    // Said once, by the note of the request's end, not also by a status line.
    expect(screen.lastFrame()).not.toContain("Approved");
    expect(screen.lastFrame()).not.toContain("Sending");
  });

  it("will not approve before both digits are typed", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["4", "a"]);
    expect(screen.onApprove).not.toHaveBeenCalled();
    expect(screen.lastFrame()).toContain("First type the two-digit number shown on the logging-in screen.");
  });

  it("uses the digits typed just before a, even when the keys come faster than the screen", async () => {
    const screen = renderInbox([challenge()]);
    await settle(screen);
    screen.stdin.write("1");
    screen.stdin.write("2");
    screen.stdin.write("a");
    await settle(screen);
    expect(screen.onApprove).toHaveBeenCalledWith(expect.anything(), "12");
  });

  it("shows the outcome of a request once, and drops a refusal's line when its request leaves", async () => {
    const screen = renderInbox([challenge()]);
    screen.onApprove.mockResolvedValueOnce({ ok: false, message: "This login request was already answered." });
    await pressKeys(screen, ["1", "2", "a"]);
    await settle(screen);
    expect(screen.lastFrame()).toContain("This login request was already answered.");
    const note: ClosedNote = { challengeId: "ch_first", username: "alice", outcome: "abandoned", closedAt: NOW };
    screen.rerender(<ChallengeInbox challenges={[]} notes={[note]} now={NOW} onApprove={screen.onApprove} onDeny={screen.onDeny} />);
    await settle(screen);
    const frame = screen.lastFrame() ?? "";
    expect(frame).not.toContain("already answered");
    expect(frame.match(/alice's login request/g)).toHaveLength(1);
    expect(frame).toContain("alice's login request ended: the client gave up or lost its connection.");
  });

  it("denies on d, and on n as \"this wasn't me\"", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["d"]);
    expect(screen.onDeny).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_first" }), false);
    await settle(screen);
    await pressKeys(screen, ["n"]);
    expect(screen.onDeny).toHaveBeenLastCalledWith(expect.objectContaining({ challengeId: "ch_first" }), true);
  });

  it("moves between several requests with Tab, each keeping its own digits", async () => {
    const second = challenge({ challengeId: "ch_second", username: "alice", client: { name: null, address: null }, newKey: true });
    const screen = renderInbox([challenge(), second]);
    await pressKeys(screen, ["1", KEYS.tab]);
    expect(screen.lastFrame()).toContain("Machine: an unnamed machine");
    expect(screen.lastFrame()).toContain("Address: an unknown address");
    await pressKeys(screen, ["9", "9", "a"]);
    expect(screen.onApprove).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_second" }), "99");
  });

  it("notes briefly how a request ended", () => {
    const { lastFrame } = renderInbox([], [{ challengeId: "ch_gone", username: "alice", outcome: "expired", closedAt: NOW }]);
    expect(lastFrame()).toContain("No login requests waiting.");
    expect(lastFrame()).toContain("alice's login request expired.");
  });
});
