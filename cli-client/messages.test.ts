import { describe, expect, it } from "vitest";
import { ERROR_CODE_NAMES } from "#protocol";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { describeProtocolError, failureFromProtocolError } from "./messages.ts";

describe("protocol error sentences", () => {
  it("exist for every error code as a whole sentence of the client's own", () => {
    for (const code of ERROR_CODE_NAMES.filter((name) => name !== "weak_password")) {
      const sentence = describeProtocolError({ code, message: "hub text" });
      expect(sentence, code).toMatch(/^[A-Z].*[.]$/s);
      expect(sentence, code).not.toContain("hub text");
    }
  });

  it("name the account's device by its kind, and offer an approval only where a PairGate authenticator can give one", () => {
    const app = describeProtocolError({ code: "otp_locked", message: "", retryAfterSeconds: 900, deviceKinds: ["totp"] });
    expect(app).toContain("the authenticator app is locked until");
    expect(app).toContain("none of its codes can pass");
    expect(app).not.toMatch(/paired device|approv/);
    const paired = describeProtocolError({ code: "otp_locked", message: "", retryAfterSeconds: 900, deviceKinds: ["pairgate"] });
    expect(paired).toContain("the paired device is locked until");
    expect(paired).toContain("neither its code nor an approval can pass");
    expect(describeProtocolError({ code: "otp_required", message: "", deviceKinds: ["hotp"] })).toBe(
      "Give the current code from the authenticator app with --otp (or a recovery code with --recovery-code).",
    );
    const newKey = describeProtocolError({ code: "key_verification_required", message: "", deviceKinds: ["pairgate", "totp"] });
    expect(newKey).toContain("approve on the paired device, --otp with the current code from the paired device or the authenticator app, or --recovery-code");
  });

  it("list each invalid field of an invalid request", () => {
    const sentence = describeProtocolError({
      code: "invalid_request",
      message: "The request is not valid.",
      details: [
        { path: "username", message: "Use at least 3 characters" },
        { path: "email", message: "Not a valid email address" },
      ],
    });
    expect(sentence).toContain("username: Use at least 3 characters");
    expect(sentence).toContain("email: Not a valid email address");
  });

  it("give the hub's reasons for a weak password, once each, without the field's name", () => {
    const detailed = describeProtocolError({
      code: "weak_password",
      message: "Choose another password: it appears in lists of common passwords.",
      details: [{ path: "password", message: "It appears in lists of common passwords." }],
    });
    expect(detailed).toBe("The password was refused: It appears in lists of common passwords.");
    const plain = describeProtocolError({ code: "weak_password", message: "It is too common." });
    expect(plain).toBe("The password was refused: It is too common.");
  });

  it("say how long to wait when rate limited, and exit with the rate-limit code", () => {
    const failure = failureFromProtocolError({ code: "rate_limited", message: "Too many", retryAfterSeconds: 42 });
    expect(failure.message).toContain("42 seconds");
    expect(failure.exitCode).toBe(EXIT_CODES.rateLimited);
    expect(failure.extra).toEqual({ retryAfterSeconds: 42 });
  });

  it("exit with the credentials code for a wrong password", () => {
    expect(failureFromProtocolError({ code: "invalid_credentials", message: "" }).exitCode).toBe(EXIT_CODES.notAuthenticated);
  });

  it("name the code that was wrong by the field the hub gives: emailed, recovery, or new-key code", () => {
    const sentence = (path?: string) => describeProtocolError({ code: "invalid_code", message: "", details: path ? [{ path, message: "" }] : undefined });
    expect(sentence("recoveryCode")).toContain("recovery code is wrong or was already used");
    expect(sentence("emailCode")).toContain("adding this machine's key");
    expect(sentence("code")).toContain("ask for a new one");
    expect(sentence()).toBe(sentence("code"));
  });

  it("exit with the credentials code for codes and for accounts that cannot log in, and 1 for other refusals", () => {
    for (const code of ["email_not_verified", "invalid_code", "account_locked", "key_verification_required"] as const) {
      expect(failureFromProtocolError({ code, message: "" }).exitCode, code).toBe(EXIT_CODES.notAuthenticated);
    }
    for (const code of ["recipient_offline", "user_not_found", "mail_unavailable"] as const) {
      expect(failureFromProtocolError({ code, message: "" }).exitCode, code).toBe(EXIT_CODES.failure);
    }
  });
});
