import { constants, createHash, createPublicKey, verify } from "node:crypto";
import { EventEmitter } from "node:events";
import { LOGIN_SIGNATURE_SALT_BYTES, loginKeyProofMessage } from "#protocol";
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { generateKeyPair, openPrivateKey, publicKeyPemOf } from "./keys.ts";
import { logInOnHub, proofWithoutDevice, readKeyProof } from "./login-flow.ts";

const privateKey = openPrivateKey(generateKeyPair(2048).privateKeyPem)!;
const inOneMinute = () => new Date(Date.now() + 60_000).toISOString();
const LOGGED_IN = { ok: true, data: { token: "t", expiresAt: inOneMinute(), user: { id: "u1", username: "alice", email: "a@example.test" } } };
const NEW_KEY = { ok: false, error: { code: "key_verification_required", message: "" } };

/** A hub that answers each auth:complete from `completions` in turn, recording what it was sent. */
function fakeHub(factors: string[], completions: unknown[]) {
  const pushes = new EventEmitter();
  const sent: Record<string, unknown>[] = [];
  const logins: Record<string, unknown>[] = [];
  const proofs: Record<string, unknown>[] = [];
  const connection = {
    call: async (event: string, payload: Record<string, unknown>) => {
      if (event === "auth:login") logins.push(payload);
      if (event === "auth:login") return { ok: true, data: { challengeId: "c1", nonce: "n1", expiresAt: inOneMinute(), factors, deviceKinds: factors.includes("otp") ? ["pairgate"] : [] } };
      if (event === "auth:prove-key") return (proofs.push(payload), { ok: true, data: { numberMatch: "42", devicesAsked: 1, newKey: true } });
      sent.push(payload);
      return completions.shift();
    },
    onPush: (name: string, listener: (payload: unknown) => void) => {
      pushes.on(name, listener);
      return () => pushes.off(name, listener);
    },
  } as unknown as ClientConnection;
  return { connection, sent, logins, proofs, push: (name: string, payload: unknown) => pushes.emit(name, payload) };
}

const request = (given = {}) => ({ username: "alice", password: "pw", privateKey, given });

describe("a login", () => {
  it("sends with the password a fresh proof of this machine's key, over the username and the time", async () => {
    const hub = fakeHub(["signature"], [LOGGED_IN]);
    await logInOnHub(hub.connection, request());
    const proof = hub.logins[0]!.keyProof as { fingerprint: string; timestamp: string; signature: string };
    const publicKey = createPublicKey(publicKeyPemOf(privateKey));
    expect(proof.fingerprint).toBe(createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex"));
    expect(Math.abs(Date.parse(proof.timestamp) - Date.now())).toBeLessThan(60_000);
    const signed = Buffer.from(loginKeyProofMessage("alice", proof.timestamp));
    const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: LOGIN_SIGNATURE_SALT_BYTES };
    expect(verify("sha256", signed, pss, Buffer.from(proof.signature, "base64"))).toBe(true);
  });

  it("always sends this machine's public key with the signature", async () => {
    const hub = fakeHub(["signature"], [LOGGED_IN]);
    await logInOnHub(hub.connection, request());
    expect(hub.sent[0]).toMatchObject({ challengeId: "c1", publicKey: expect.stringContaining("BEGIN PUBLIC KEY") });
  });

  it("from a new machine of an account with a device completes the same challenge again once the device approves", async () => {
    const hub = fakeHub(["signature", "otp"], [NEW_KEY, LOGGED_IN]);
    // The first completion carries a recovery code the hub does not take for a new key here; it asks again.
    const done = logInOnHub(hub.connection, request({ recoveryCode: "ABCDE-FGHJK" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    hub.push("challenge:approved", { challengeId: "c1" });
    await expect(done).resolves.toMatchObject({ token: "t" });
    expect(hub.sent.map((payload) => payload.challengeId)).toEqual(["c1", "c1"]);
    expect(hub.sent[1]).not.toHaveProperty("recoveryCode");
    // The device is asked only once the code given up front was refused, with this machine's key.
    expect(hub.proofs).toEqual([{ challengeId: "c1", signature: hub.sent[0]!.signature, publicKey: expect.stringContaining("BEGIN PUBLIC KEY") }]);
  });

  it("with a device and no code given, proves the key to ask the device before waiting for its approval", async () => {
    const hub = fakeHub(["signature", "otp"], [LOGGED_IN]);
    const done = logInOnHub(hub.connection, request());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hub.proofs).toHaveLength(1);
    hub.push("challenge:approved", { challengeId: "c1" });
    await expect(done).resolves.toMatchObject({ token: "t" });
  });

  it("with a code given up front, asks no device", async () => {
    const hub = fakeHub(["signature", "otp"], [LOGGED_IN]);
    await logInOnHub(hub.connection, request({ otp: "123456" }));
    expect(hub.proofs).toEqual([]);
    expect(hub.sent[0]).toMatchObject({ otp: "123456" });
  });

  it("from a new machine of an account without a device, in a script, says to come back with --email-code", async () => {
    const hub = fakeHub(["signature"], [NEW_KEY]);
    await expect(logInOnHub(hub.connection, request())).rejects.toMatchObject({ code: "key_verification_required", exitCode: 3, message: expect.stringContaining("--email-code CODE") });
  });

  it("sends the emailed code given up front, with no device", async () => {
    const hub = fakeHub(["signature"], [LOGGED_IN]);
    await logInOnHub(hub.connection, request({ emailCode: "123456" }));
    expect(hub.sent[0]).toMatchObject({ emailCode: "123456" });
  });
});

describe("the proof for adding a key", () => {
  it("is a recovery code before an emailed code, when there is no device", () => {
    expect(proofWithoutDevice({ recoveryCode: "ABCDE-FGHJK", emailCode: "123456" })).toEqual({ recoveryCode: "ABCDE-FGHJK" });
    expect(proofWithoutDevice({ emailCode: "123456" })).toEqual({ emailCode: "123456" });
    expect(proofWithoutDevice({ otp: "123456" })).toEqual({});
  });

  it("as typed is the emailed code when six digits, else a recovery code", () => {
    expect(readKeyProof("123456")).toEqual({ emailCode: "123456" });
    expect(readKeyProof("abcde-fghjk")).toEqual({ recoveryCode: "ABCDE-FGHJK" });
    expect(readKeyProof("nope")).toBeUndefined();
  });
});
