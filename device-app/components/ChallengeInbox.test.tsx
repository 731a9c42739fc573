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
    numberMatchOptions: ["12", "34", "56"],
    ...overrides,
  };
}

function renderInbox(challenges: InboxChallenge[], notes: ClosedNote[] = []) {
  const onApprove = vi.fn(async (_challenge: InboxChallenge, _number: string): Promise<ActionOutcome> => ({ ok: true }));
  const onDeny = vi.fn(async (_challenge: InboxChallenge): Promise<ActionOutcome> => ({ ok: true }));
  const screen = render(<ChallengeInbox challenges={challenges} notes={notes} now={NOW} onApprove={onApprove} onDeny={onDeny} />);
  return { ...screen, onApprove, onDeny };
}

describe("the login request inbox", () => {
  it("shows who logs in, from where, the time left, and the three numbers", () => {
    const { lastFrame } = renderInbox([challenge()]);
    expect(lastFrame()).toContain('alice is logging in from "laptop" at 203.0.113.5');
    expect(lastFrame()).toContain("expires in 1:42");
    expect(lastFrame()).toMatch(/12\s+34\s+56/);
  });

  it("counts down as the clock moves", () => {
    const { lastFrame, rerender } = renderInbox([challenge()]);
    rerender(<ChallengeInbox challenges={[challenge()]} notes={[]} now={NOW + 95_000} onApprove={vi.fn()} onDeny={vi.fn()} />);
    expect(lastFrame()).toContain("expires in 0:07");
  });

  it("picks a number with the arrow keys", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, [KEYS.right]);
    expect(screen.lastFrame()).toContain("[12]");
    await pressKeys(screen, [KEYS.right, KEYS.right, KEYS.right]);
    expect(screen.lastFrame()).toContain("[56]");
    await pressKeys(screen, [KEYS.left]);
    expect(screen.lastFrame()).toContain("[34]");
  });

  it("picks a number with 1, 2 or 3, and approves with it on a", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["3"]);
    expect(screen.lastFrame()).toContain("[56]");
    await pressKeys(screen, ["2", "a"]);
    expect(screen.onApprove).toHaveBeenCalledOnce();
    expect(screen.onApprove).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_first" }), "34");
    await settle(screen);
    // Said once, by the note of the request's end, not also by a status line.
    expect(screen.lastFrame()).not.toContain("Approved");
    expect(screen.lastFrame()).not.toContain("Sending");
  });

  it("shows the outcome of a request once, and drops a refusal's line when its request leaves", async () => {
    const screen = renderInbox([challenge()]);
    screen.onApprove.mockResolvedValueOnce({ ok: false, message: "This login request was already answered." });
    await pressKeys(screen, ["1", "a"]);
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

  it("will not approve before a number is picked", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["a"]);
    expect(screen.onApprove).not.toHaveBeenCalled();
    expect(screen.lastFrame()).toContain("First pick the number the client shows");
  });

  it("uses the number picked just before a, even when the keys come faster than the screen", async () => {
    const screen = renderInbox([challenge()]);
    await settle(screen);
    screen.stdin.write("1");
    screen.stdin.write("a");
    await settle(screen);
    expect(screen.onApprove).toHaveBeenCalledWith(expect.anything(), "12");
  });

  it("denies on d", async () => {
    const screen = renderInbox([challenge()]);
    await pressKeys(screen, ["d"]);
    expect(screen.onDeny).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_first" }));
  });

  it("shows the hub's refusal when approving fails", async () => {
    const screen = renderInbox([challenge()]);
    screen.onApprove.mockResolvedValueOnce({ ok: false, message: "This login request has expired." });
    await pressKeys(screen, ["1", "a"]);
    await settle(screen);
    expect(screen.lastFrame()).toContain("This login request has expired.");
  });

  it("moves between several requests with Tab, each keeping its own pick", async () => {
    const second = challenge({ challengeId: "ch_second", username: "alice", client: { name: null, address: null }, numberMatchOptions: ["77", "88", "99"] });
    const screen = renderInbox([challenge(), second]);
    await pressKeys(screen, ["1", KEYS.tab]);
    expect(screen.lastFrame()).toContain("an unnamed client at an unknown address");
    expect(screen.lastFrame()).toMatch(/77\s+88\s+99/);
    await pressKeys(screen, ["3", "a"]);
    expect(screen.onApprove).toHaveBeenCalledWith(expect.objectContaining({ challengeId: "ch_second" }), "99");
  });

  it("notes briefly how a request ended", () => {
    const { lastFrame } = renderInbox([], [{ challengeId: "ch_gone", username: "alice", outcome: "expired", closedAt: NOW }]);
    expect(lastFrame()).toContain("No login requests waiting.");
    expect(lastFrame()).toContain("alice's login request expired.");
  });
});
