import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { awaitSecondFactor, readTypedCode } from "./second-factor.ts";

/** Stands in for the socket's pushes only; these tests run without a terminal, as in a script. */
function fakeConnection(): { connection: ClientConnection; push: (event: string, payload: unknown) => void } {
  const pushes = new EventEmitter();
  const connection = {
    onPush: (name: string, listener: (payload: unknown) => void) => {
      pushes.on(name, listener);
      return () => pushes.off(name, listener);
    },
  } as unknown as ClientConnection;
  return { connection, push: (event, payload) => pushes.emit(event, payload) };
}

const inOneMinute = () => new Date(Date.now() + 60_000).toISOString();

describe("the second factor of a login", () => {
  it("is the code given with --otp, without waiting for the device", async () => {
    const { connection } = fakeConnection();
    await expect(awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute() }, { otp: " 123456" })).resolves.toEqual({ otp: "123456" });
  });

  it("is the recovery code given with --recovery-code, normalised, instead of the device", async () => {
    const { connection } = fakeConnection();
    const given = { recoveryCode: "abcde fghjk" };
    await expect(awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute() }, given)).resolves.toEqual({ recoveryCode: "ABCDE-FGHJK" });
  });

  it("while every device is locked, asks for a recovery code only, saying until when", async () => {
    const { connection } = fakeConnection();
    const challenge = { challengeId: "c1", expiresAt: inOneMinute(), numberMatch: "42", otpLockedUntil: "2026-03-14T10:15:00.000Z" };
    await expect(awaitSecondFactor(connection, challenge)).rejects.toMatchObject({
      code: "otp_locked",
      message: expect.stringContaining("locked until 2026-03-14 10:15Z"),
    });
    await expect(awaitSecondFactor(connection, challenge, { recoveryCode: "abcde-fghjk" })).resolves.toEqual({ recoveryCode: "ABCDE-FGHJK" });
  });

  it("refuses a code that is not six digits", async () => {
    const { connection } = fakeConnection();
    await expect(awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute() }, { otp: "12ab" })).rejects.toThrow(/6 digits/);
  });

  it("is the device's approval of this challenge, ignoring other challenges", async () => {
    const { connection, push } = fakeConnection();
    const waiting = awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute(), numberMatch: "42" });
    push("challenge:approved", { challengeId: "other" });
    push("challenge:approved", { challengeId: "c1" });
    await expect(waiting).resolves.toEqual({});
  });

  it("fails with a sentence when a wrong number was typed on the device", async () => {
    const { connection, push } = fakeConnection();
    const waiting = awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute(), numberMatch: "42" });
    push("challenge:denied", { challengeId: "c1", reason: "wrong_number" });
    await expect(waiting).rejects.toMatchObject({ code: "challenge_denied", exitCode: 3, message: expect.stringContaining("number") });
  });

  it("fails with a sentence when the login was reported on the device as not the person's", async () => {
    const { connection, push } = fakeConnection();
    const waiting = awaitSecondFactor(connection, { challengeId: "c1", expiresAt: inOneMinute(), numberMatch: "42" });
    push("challenge:denied", { challengeId: "c1", reason: "not_me" });
    await expect(waiting).rejects.toMatchObject({ code: "challenge_denied", message: expect.stringContaining("this wasn't me") });
  });

  it("gives up when the challenge expires", async () => {
    const { connection } = fakeConnection();
    const waiting = awaitSecondFactor(connection, { challengeId: "c1", expiresAt: new Date(Date.now() + 50).toISOString(), numberMatch: "42" });
    await expect(waiting).rejects.toMatchObject({ code: "challenge_expired" });
  });

  it("without a terminal, asks for --otp when the hub held the push, saying why", async () => {
    const { connection } = fakeConnection();
    const challenge = { challengeId: "c1", expiresAt: inOneMinute(), pushLimited: { reason: "held_not_me" as const, retryAfterSeconds: 1200 } };
    await expect(awaitSecondFactor(connection, challenge)).rejects.toMatchObject({ code: "otp_required", message: expect.stringMatching(/this wasn't me.*--otp/s) });
  });
});

describe("a code typed at the one-time code prompt", () => {
  it("is the device's code when it is six digits", () => {
    expect(readTypedCode(" 042917 ")).toEqual({ otp: "042917" });
    expect(readTypedCode("042 917")).toEqual({ otp: "042917" }); // as the authenticator shows it
  });

  it("is a recovery code when it has the recovery code's shape, forgiving case, spaces and look-alikes", () => {
    expect(readTypedCode("7r77f-c2ejk")).toEqual({ recoveryCode: "7R77F-C2EJK" });
    expect(readTypedCode("O1LI2 34567")).toEqual({ recoveryCode: "01112-34567" });
  });

  it("is neither when it fits no code", () => {
    expect(readTypedCode("12345")).toBeUndefined();
    expect(readTypedCode("hello")).toBeUndefined();
  });
});
