import type { DeviceAccount } from "../../device-app/otp-data.ts";

/** RFC 4226 Appendix D: the ASCII secret "12345678901234567890" in base32. */
export const RFC4226_SECRET_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/** A valid account entry for tests; never a real secret or token. */
export function sampleAccount(overrides: Partial<DeviceAccount> = {}): DeviceAccount {
  return {
    id: "dev_alice_1",
    hub: "https://127.0.0.1:8443",
    ca: null,
    username: "alice",
    deviceName: "test-laptop",
    deviceToken: "device-token-not-a-real-one",
    secret: RFC4226_SECRET_BASE32,
    counter: 0,
    digits: 6,
    algorithm: "SHA1",
    addedAt: "2026-01-05T14:03:00.000Z",
    revokedAt: null,
    ...overrides,
  };
}
