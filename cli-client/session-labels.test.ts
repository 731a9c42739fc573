import { describe, expect, it } from "vitest";
import { findSessionByPrefix, sessionLabel, shortIds, type ListedSession } from "./session-labels.ts";

function session(id: string, overrides: Partial<ListedSession> = {}): ListedSession {
  return {
    id,
    clientName: "pairgate cli on laptop",
    address: "192.0.2.7",
    createdAt: "2026-11-20T08:00:00.000Z",
    lastSeenAt: "2026-11-21T09:03:12.000Z",
    expiresAt: "2026-12-20T08:00:00.000Z",
    current: false,
    ...overrides,
  };
}

describe("session labels", () => {
  it("say which client, from where, and when it was last used", () => {
    expect(sessionLabel(session("a"))).toBe("pairgate cli on laptop at 192.0.2.7, last used 2026-11-21 09:03Z");
    expect(sessionLabel(session("a", { clientName: null, address: null, current: true }))).toBe("a client that gave no name, last used 2026-11-21 09:03Z (this session)");
  });

  it("shorten ids to 8 characters, longer only where two would look alike", () => {
    const ids = ["3f2a9c10-aaaa", "3f2a9c10-bbbb", "77e01d42-cccc"];
    expect([...shortIds(ids).values()]).toEqual(["3f2a9c10-a", "3f2a9c10-b", "77e01d42"]);
  });

  it("find a session by its whole id or a unique prefix, and say when a prefix fits none or several", () => {
    const sessions = [session("3f2a9c10-aaaa"), session("3f2a9c10-bbbb"), session("77e01d42-cccc")];
    expect(findSessionByPrefix(sessions, "77e0")).toMatchObject({ ok: true, session: { id: "77e01d42-cccc" } });
    expect(findSessionByPrefix(sessions, "3F2A9C10-AAAA")).toMatchObject({ ok: true, session: { id: "3f2a9c10-aaaa" } });
    expect(findSessionByPrefix(sessions, "3f2a")).toMatchObject({ ok: false, reason: "ambiguous", candidates: [{ id: "3f2a9c10-aaaa" }, { id: "3f2a9c10-bbbb" }] });
    expect(findSessionByPrefix(sessions, "ffff")).toMatchObject({ ok: false, reason: "none" });
  });
});
