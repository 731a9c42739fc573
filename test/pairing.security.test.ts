import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectOk, logIn, newAccount, register } from "./support/client.ts";
import { connectDevice, deviceCall } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

const ATTACKER_ADDRESSES = Array.from({ length: 210 }, (_, i) => `127.0.${1 + Math.floor(i / 200)}.${2 + (i % 200)}`);
const WRONG_CODES_PER_ADDRESS = 5;

describe("no stranger can block pairing hub-wide", () => {
  it("after 1,050 wrong codes from 210 addresses, the owner's valid code still binds", async () => {
    const owner = newAccount("pairer");
    await register(hub, owner);
    const { socket } = await logIn(hub, owner);
    const { code } = expectOk(await call(socket, "device:create-binding-code", {}));

    const refusals = await Promise.all(
      ATTACKER_ADDRESSES.map(async (address, index) => {
        const device = await connectDevice(hub, {}, address);
        const codes: string[] = [];
        for (let attempt = 0; attempt < WRONG_CODES_PER_ADDRESS; attempt += 1) {
          const ack = await deviceCall(device, "device:bind", { code: `ZZZZ-${String(index * 10 + attempt).padStart(4, "0")}`, name: "guess" });
          codes.push(ack.ok ? "ok" : ack.error.code);
        }
        device.disconnect();
        return codes;
      }),
    );
    expect(new Set(refusals.flat())).toEqual(new Set(["invalid_binding_code"]));

    const device = await connectDevice(hub, {}, "127.0.0.1");
    expect(expectOk(await deviceCall(device, "device:bind", { code, name: "owner-phone" })).username).toBe("pairer");
    device.disconnect();
    socket.disconnect();
  }, 120_000);

  it("an address that used up its wrong tries is refused, and only that address", async () => {
    const owner = newAccount("pairer2");
    await register(hub, owner);
    const { socket } = await logIn(hub, owner);
    const { code } = expectOk(await call(socket, "device:create-binding-code", {}));

    const guesser = await connectDevice(hub, {}, "127.0.3.7");
    for (let attempt = 0; attempt < WRONG_CODES_PER_ADDRESS; attempt += 1) {
      expect(await deviceCall(guesser, "device:bind", { code: `YYYY-000${attempt}`, name: "guess" })).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    }
    // Even the right code: the address's tries are spent, so a guess that happens to be right
    // is no different from any other.
    expect(await deviceCall(guesser, "device:bind", { code, name: "guess" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    guesser.disconnect();

    const device = await connectDevice(hub, {}, "127.0.3.8");
    expectOk(await deviceCall(device, "device:bind", { code, name: "owner-phone" }));
    device.disconnect();
    socket.disconnect();
  });
});
