import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { KEYS, pressKeys, settle } from "../../test/support/ink-keys.ts";
import { sampleAccount } from "../../test/support/device-account.ts";
import type { ImportedCode } from "../imported-code.ts";
import { AccountsScreen, type AccountsScreenProps } from "./AccountsScreen.tsx";
import { hideSecrets, ImportScreen } from "./ImportScreen.tsx";
import { UnlockScreen } from "./UnlockScreen.tsx";

/** RFC 6238 Appendix B, SHA-1, 8 digits: 94287082 at T = 59 s, the last second of its step. */
const github: ImportedCode = {
  id: "imp_github",
  type: "totp",
  issuer: "GitHub",
  account: "alice@example.com",
  secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
  algorithm: "sha1",
  digits: 8,
  period: 30,
  addedAt: "2026-01-05T14:03:00.000Z",
};
const example: ImportedCode = { ...github, id: "imp_example", type: "hotp", issuer: "Example", account: "carol", digits: 6, counter: 3 };

function renderScreen(overrides: Partial<AccountsScreenProps> = {}) {
  const props: AccountsScreenProps = {
    accounts: [sampleAccount()],
    statuses: {},
    challenges: [],
    notes: [],
    now: 59_000,
    onTakeCode: vi.fn(async () => ({ ok: true as const, code: "755224", counter: 0 })),
    onApprove: vi.fn(async () => ({ ok: true as const })),
    onDeny: vi.fn(async () => ({ ok: true as const })),
    onPair: vi.fn(),
    onForget: vi.fn(async () => ({ ok: true as const })),
    onQuit: vi.fn(),
    imported: [github, example],
    onTakeImportedCode: vi.fn(async () => ({ ok: true as const, code: "969429", counter: 3 })),
    onImport: vi.fn(),
    onForgetImported: vi.fn(async () => ({ ok: true as const })),
    ...overrides,
  };
  return { ...render(<AccountsScreen {...props} />), props };
}

describe("codes of other services on the accounts screen", () => {
  it("lists TOTP codes in two groups with a bar and the seconds left, HOTP ones with their counter", () => {
    const { lastFrame } = renderScreen();
    expect(lastFrame()).toMatch(/Other services\n {2}GitHub: alice@example\.com\s+9428 7082\s+█░+\s+1s/);
    expect(lastFrame()).toMatch(/Example: carol\s+HOTP · c for the next code \(counter 3\)/);
  });

  it("gives an HOTP entry's next code on c, and a TOTP entry none (it is already shown)", async () => {
    const screen = renderScreen();
    await pressKeys(screen, [KEYS.down, "c"]);
    await settle(screen);
    expect(screen.props.onTakeImportedCode).not.toHaveBeenCalled();
    await pressKeys(screen, [KEYS.down, "c"]);
    await settle(screen);
    expect(screen.props.onTakeImportedCode).toHaveBeenCalledWith(example);
    expect(screen.lastFrame()).toMatch(/Next code for Example: carol:[\s\S]*9 6 9 {3}4 2 9/);
  });

  it("removes an imported code only on a second x, and forgets the first x after another key", async () => {
    const screen = renderScreen();
    await pressKeys(screen, [KEYS.down, "x"]);
    expect(screen.lastFrame()).toContain("Press x again to remove GitHub: alice@example.com");
    await pressKeys(screen, [KEYS.down, KEYS.up, "x"]);
    await settle(screen);
    expect(screen.props.onForgetImported).not.toHaveBeenCalled();
    await pressKeys(screen, ["x"]);
    await settle(screen);
    expect(screen.props.onForgetImported).toHaveBeenCalledWith(github);
    expect(screen.lastFrame()).toContain("Removed GitHub: alice@example.com.");
  });

  it("opens the import screen on i", async () => {
    const screen = renderScreen();
    await settle(screen);
    screen.stdin.write("i");
    await settle();
    expect(screen.props.onImport).toHaveBeenCalled();
  });
});

describe("the import screen", () => {
  it("hides every secret parameter of what is typed", () => {
    expect(hideSecrets("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A\notpauth://hotp/C?issuer=C&SECRET=GEZDGNBV")).toBe(
      "otpauth://totp/A:b?secret=••••••••&issuer=A\notpauth://hotp/C?issuer=C&SECRET=••••••••",
    );
  });

  it("sends a pasted list, its line breaks kept, on Enter, and says what was imported", async () => {
    const onImport = vi.fn(async () => ({ ok: true as const, message: "Imported A: b, C: d." }));
    const screen = render(<ImportScreen onImport={onImport} onBack={vi.fn()} />);
    await pressKeys(screen, ["otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\rotpauth://totp/C:d?secret=KRSXG5CTMVRXEZLU"]);
    expect(screen.lastFrame()).not.toContain("JBSWY3DPEHPK3PXP");
    await pressKeys(screen, [KEYS.enter]);
    await settle(screen);
    expect(onImport).toHaveBeenCalledWith("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\notpauth://totp/C:d?secret=KRSXG5CTMVRXEZLU");
    expect(screen.lastFrame()).toContain("Imported A: b, C: d.");
  });
});

describe("the unlock screen", () => {
  it("sends every key typed before Enter, however fast they come, and shows only dots", async () => {
    const onUnlock = vi.fn(async () => ({ ok: false as const, message: "That passphrase does not open /x. Nothing was read or changed; try again." }));
    const screen = render(<UnlockScreen path="/x" onUnlock={onUnlock} onQuit={vi.fn()} />);
    await settle(screen);
    // Written at once: the last piece and Enter arrive before any re-render.
    screen.stdin.write("violet ember");
    screen.stdin.write(" canyon");
    screen.stdin.write(KEYS.enter);
    await settle(screen);
    expect(onUnlock).toHaveBeenCalledWith("violet ember canyon");
    await settle(screen);
    expect(screen.lastFrame()).toContain("That passphrase does not open /x.");
    expect(screen.lastFrame()).not.toContain("violet");
    // A terminal may also deliver the passphrase and its Enter in one piece.
    screen.stdin.write("violet ember canyon\r");
    await settle(screen);
    expect(onUnlock).toHaveBeenLastCalledWith("violet ember canyon");
  });
});
