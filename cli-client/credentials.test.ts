import { describe, expect, it } from "vitest";
import { openSigningKey } from "./credentials.ts";
import { generateKeyPair } from "./keys.ts";

describe("openSigningKey", () => {
  it("opens this machine's key", async () => {
    const pair = generateKeyPair(2048);
    await expect(openSigningKey(pair.privateKeyPem)).resolves.toBeDefined();
  });

  it("says in words that a damaged key file is damaged, and what to do", async () => {
    const damaged = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";
    await expect(openSigningKey(damaged)).rejects.toMatchObject({ code: "damaged_key", message: expect.stringContaining("pairgate keys generate --force") });
    await expect(openSigningKey("not a key at all")).rejects.toMatchObject({ code: "damaged_key" });
  });
});
