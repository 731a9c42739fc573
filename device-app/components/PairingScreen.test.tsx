import { render } from "ink-testing-library";
import { describe, expect, it, vi } from "vitest";
import { KEYS, pressKeys, settle } from "../../test/support/ink-keys.ts";
import { type PairOutcome, PairingScreen } from "./PairingScreen.tsx";

function renderPairing(onBind = vi.fn(async (): Promise<PairOutcome> => ({ ok: true, username: "alice", hub: "https://127.0.0.1:8443" }))) {
  const onPaired = vi.fn();
  const screen = render(<PairingScreen defaultHub="https://127.0.0.1:8443" defaultDeviceName="kitchen-laptop" onBind={onBind} onPaired={onPaired} />);
  return { ...screen, onBind, onPaired };
}

describe("the pairing screen", () => {
  it("starts with the hub and this machine's name filled in, and the code field focused", () => {
    const { lastFrame } = renderPairing();
    expect(lastFrame()).toContain("https://127.0.0.1:8443");
    expect(lastFrame()).toContain("kitchen-laptop");
    expect(lastFrame()).toMatch(/› Binding code/);
  });

  it("formats the binding code as it is typed: upper case, dash, look-alikes read as digits", async () => {
    const screen = renderPairing();
    const { lastFrame } = screen;
    await pressKeys(screen, ["7", "k", "3", "q"]);
    expect(lastFrame()).toContain("7K3Q");
    expect(lastFrame()).not.toContain("7K3Q-");
    await pressKeys(screen, ["m", "o", "u", "i", "l"]);
    expect(lastFrame()).toContain("7K3Q-M011");
  });

  it("lets Backspace take characters back across the dash", async () => {
    const screen = renderPairing();
    const { lastFrame } = screen;
    await pressKeys(screen, [..."ABCDE", KEYS.backspace, KEYS.backspace]);
    expect(lastFrame()).toContain("ABC");
    expect(lastFrame()).not.toContain("ABCD");
    await pressKeys(screen, [..."DEFGH"]);
    expect(lastFrame()).toContain("ABCD-EFGH");
  });

  it("pairs on Enter with the formatted code, the hub and the device name", async () => {
    const screen = renderPairing();
    const { onBind, onPaired } = screen;
    await pressKeys(screen, [..."abcd efgh", KEYS.enter]);
    expect(onBind).toHaveBeenCalledWith({ hub: "https://127.0.0.1:8443", code: "ABCD-EFGH", name: "kitchen-laptop" });
    await settle(screen);
    expect(onPaired).toHaveBeenCalledWith({ ok: true, username: "alice", hub: "https://127.0.0.1:8443" });
  });

  it("does not send an incomplete code and says what is missing", async () => {
    const screen = renderPairing();
    const { lastFrame, onBind } = screen;
    await pressKeys(screen, [..."ABC", KEYS.enter]);
    expect(onBind).not.toHaveBeenCalled();
    expect(lastFrame()).toContain("8 characters");
  });

  it("shows the hub's refusal in plain words and keeps the input", async () => {
    const screen = renderPairing(vi.fn(async (): Promise<PairOutcome> => ({ ok: false, message: "That binding code is wrong, already used or expired." })));
    const { lastFrame } = screen;
    await pressKeys(screen, [..."ABCDEFGH", KEYS.enter]);
    await settle(screen);
    expect(lastFrame()).toContain("That binding code is wrong, already used or expired.");
    expect(lastFrame()).toContain("ABCD-EFGH");
  });

  it("lets the person change the hub address and device name", async () => {
    const screen = renderPairing();
    const { onBind } = screen;
    await pressKeys(screen, [KEYS.up, ...Array(4).fill(KEYS.backspace), "9443", KEYS.tab, ..."ABCDEFGH", KEYS.tab, KEYS.backspace, KEYS.enter]);
    expect(onBind).toHaveBeenCalledWith({ hub: "https://127.0.0.1:9443", code: "ABCD-EFGH", name: "kitchen-lapto" });
  });
});
