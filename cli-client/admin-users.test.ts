import { describe, expect, it } from "vitest";
import { type AdminUser, describeUser, forbiddenFailure, NOT_ADMIN_SENTENCE, userPageLines, userStatus } from "./admin-users.ts";

function user(overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    id: "u1",
    username: "alice",
    email: "alice@example.test",
    role: "user",
    createdAt: "2026-11-21T08:00:00.000Z",
    emailVerified: true,
    locked: false,
    lockReason: null,
    devices: 1,
    ...overrides,
  };
}

describe("users as an administrator sees them", () => {
  it("have one status word, the lock first", () => {
    expect(userStatus(user())).toBe("active");
    expect(userStatus(user({ emailVerified: false }))).toBe("email unconfirmed");
    expect(userStatus(user({ locked: true, lockReason: "phishing", emailVerified: false }))).toBe("locked (phishing)");
  });

  it("are described in one line after a change", () => {
    expect(describeUser(user({ devices: 2, role: "admin" }))).toBe("alice <alice@example.test> (id u1): admin, active, 2 devices.");
  });

  it("come a page at a time, with the command for the next page keeping the search and page size", () => {
    const lines = userPageLines({ users: [user()], total: 3, page: 1, pageSize: 1 }, { search: "ali", pageSize: 1 });
    expect(lines[0]).toMatch(/^USERNAME\s+ID\s+EMAIL/);
    expect(lines).toContain('Page 1 of 3: 3 users matching "ali".');
    expect(lines).toContain('Next page: pairgate admin users --search "ali" --page-size 1 --page 2');
  });

  it("say so when there are none, or the page is past the end", () => {
    expect(userPageLines({ users: [], total: 0, page: 1, pageSize: 20 }, { search: "zz" })).toEqual(['No users matching "zz".']);
    expect(userPageLines({ users: [], total: 3, page: 9, pageSize: 20 }, {})).toEqual(["Page 9 is past the last page (3 users)."]);
  });
});

describe("a forbidden admin action", () => {
  it("is worded for a non-administrator, or as the administrator's own-account refusal", () => {
    expect(forbiddenFailure(false, "You cannot lock your own account.").message).toBe(NOT_ADMIN_SENTENCE);
    expect(forbiddenFailure(true, "You cannot lock your own account.").message).toBe("You cannot lock your own account.");
  });
});
