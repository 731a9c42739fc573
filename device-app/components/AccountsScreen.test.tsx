import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import type { LinkStatus } from "../device-link.ts";
import { KEYS, pressKeys, settle } from "../../test/support/ink-keys.ts";
import type { DeviceAccount } from "../otp-data.ts";
import { sampleAccount } from "../../test/support/device-account.ts";
import { AccountsScreen, type AccountsScreenProps, type CodeOutcome } from "./AccountsScreen.tsx";

const NOW = Date.parse("2026-03-01T10:00:00.000Z");
const alice = sampleAccount();
const bob = sampleAccount({ id: "dev_bob", username: "bob", hub: "https://hub.example.org:9443" });
const carol = sampleAccount({ id: "dev_carol", username: "carol", revokedAt: "2026-02-01T00:00:00.000Z" });

function renderAccounts(overrides: Partial<AccountsScreenProps> = {}) {
  const statuses: Record<string, LinkStatus> = {
    [alice.id]: { state: "connected" },
    [bob.id]: { state: "reconnecting", retryAt: NOW + 4_000, reason: "hub unreachable" },
    ...overrides.statuses,
  };
  const props: AccountsScreenProps = {
    accounts: [alice, bob, carol],
    challenges: [],
    notes: [],
    now: NOW,
    onTakeCode: vi.fn(async (account: DeviceAccount): Promise<CodeOutcome> => ({ ok: true, code: account.id === bob.id ? "287082" : "755224", counter: 0 })),
    onApprove: vi.fn(async () => ({ ok: true as const })),
    onDeny: vi.fn(async () => ({ ok: true as const })),
    onPair: vi.fn(),
    onForget: vi.fn(async () => ({ ok: true as const })),
    onQuit: vi.fn(),
    ...overrides,
    statuses,
  };
  return { ...render(<AccountsScreen {...props} />), props };
}

describe("the accounts screen", () => {
  it("lists each account as username @ hub with its connection state", () => {
    const { lastFrame } = renderAccounts();
    expect(lastFrame()).toMatch(/› alice @ https:\/\/127\.0\.0\.1:8443.*● connected/);
    expect(lastFrame()).toMatch(/bob @ https:\/\/hub\.example\.org:9443.*reconnecting in 4s \(hub unreachable\)/);
    expect(lastFrame()).toMatch(/carol @ .*revoked/);
  });

  it("says an attempt under way is a retry, and why the last one failed", () => {
    const { lastFrame } = renderAccounts({ statuses: { [bob.id]: { state: "connecting", lastTry: "no answer" } } });
    expect(lastFrame()).toMatch(/bob @ https:\/\/hub\.example\.org:9443.*◌ connecting again \(last try: no answer\)/);
  });

  it("shows the selected account's next code after c, large and spaced", async () => {
    const screen = renderAccounts();
    expect(screen.lastFrame()).not.toContain("7 5 5");
    await pressKeys(screen, ["c"]);
    await settle(screen);
    expect(screen.props.onTakeCode).toHaveBeenCalledWith(alice);
    expect(screen.lastFrame()).toContain("Next code for alice @ https://127.0.0.1:8443");
    expect(screen.lastFrame()).toContain("7 5 5   2 2 4");
  });

  it("moves the selection with the arrow keys and gives that account's code on Enter", async () => {
    const screen = renderAccounts();
    await pressKeys(screen, [KEYS.down, KEYS.enter]);
    await settle(screen);
    expect(screen.props.onTakeCode).toHaveBeenCalledWith(bob);
    expect(screen.lastFrame()).toContain("2 8 7   0 8 2");
  });

  it("says why there is no code, in plain words", async () => {
    const screen = renderAccounts({ onTakeCode: vi.fn(async (): Promise<CodeOutcome> => ({ ok: false, message: "This device was unpaired from the hub; its codes no longer work." })) });
    await pressKeys(screen, [KEYS.down, KEYS.down, "c"]);
    await settle(screen);
    expect(screen.lastFrame()).toContain("No code for carol");
    expect(screen.lastFrame()).toContain("unpaired from the hub");
  });

  it("asks for one code per key press, not one per queued press", async () => {
    let release: (outcome: CodeOutcome) => void = () => {};
    const onTakeCode = vi.fn(() => new Promise<CodeOutcome>((resolve) => (release = resolve)));
    const screen = renderAccounts({ onTakeCode });
    await settle(screen);
    screen.stdin.write("c");
    screen.stdin.write("c");
    await settle(screen);
    expect(onTakeCode).toHaveBeenCalledOnce();
    release({ ok: true, code: "755224", counter: 0 });
  });

  it("removes an unpaired account on x, and keeps a paired one, saying why", async () => {
    const screen = renderAccounts();
    await pressKeys(screen, ["x"]);
    await settle(screen);
    expect(screen.props.onForget).not.toHaveBeenCalled();
    expect(screen.lastFrame()).toContain("alice @ https://127.0.0.1:8443 is still paired, so it stays");

    await pressKeys(screen, [KEYS.down, KEYS.down, "x"]);
    await settle(screen);
    expect(screen.props.onForget).toHaveBeenCalledWith(carol);
    expect(screen.lastFrame()).toContain("Removed carol @");
  });

  it("opens pairing on p and quits on q", async () => {
    const screen = renderAccounts();
    await settle(screen);
    // Neither key changes this screen (the parent acts on them), so there is no frame to wait for.
    screen.stdin.write("p");
    screen.stdin.write("q");
    await settle(screen);
    expect(screen.props.onPair).toHaveBeenCalledOnce();
    expect(screen.props.onQuit).toHaveBeenCalledOnce();
  });

  it("shows the inbox with its countdown alongside the accounts", () => {
    const challenge = {
      accountId: alice.id,
      challengeId: "ch_1",
      username: "alice",
      client: { name: "laptop", address: "203.0.113.5" },
      createdAt: "2026-03-01T09:59:00.000Z",
      expiresAt: "2026-03-01T10:01:00.000Z",
      newKey: false,
    };
    const { lastFrame } = renderAccounts({ challenges: [challenge] });
    expect(lastFrame()).toContain("expires in 1:00");
    expect(lastFrame()).toContain("Type the number shown on the logging-in screen:");
  });
});
