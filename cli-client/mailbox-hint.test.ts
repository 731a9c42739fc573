import { describe, expect, it } from "vitest";
import { isLocalHub, mailboxHint } from "./mailbox-hint.ts";

describe("the hint on where an emailed code is", () => {
  it("names the outbox folder for a hub on this machine", () => {
    expect(isLocalHub("https://127.0.0.1:8443")).toBe(true);
    expect(isLocalHub("https://[::1]:8443")).toBe(true);
    expect(mailboxHint("https://localhost:8443", "a@example.com").join("\n")).toContain("data/outbox/");
  });

  it("only names the inbox for a hub elsewhere", () => {
    expect(isLocalHub("https://hub.example.com")).toBe(false);
    expect(mailboxHint("https://hub.example.com", "a@example.com")).toEqual(["Check the inbox of a@example.com."]);
  });
});
