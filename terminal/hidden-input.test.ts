import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "./exit-codes.ts";
import { promptNewSecret, promptSecret } from "./hidden-input.ts";

// Vitest's standard input is not a terminal: exactly the case of a script or a pipe.
describe("hidden input without a terminal", () => {
  it("refuses to ask for a secret, naming it and the way to give it instead", async () => {
    await expect(promptSecret("Passphrase of the data file:", "Set PAIRGATE_DEVICE_PASSPHRASE.")).rejects.toMatchObject({
      code: "no_terminal",
      exitCode: EXIT_CODES.usage,
      message: "Cannot ask for passphrase of the data file: there is no terminal. Set PAIRGATE_DEVICE_PASSPHRASE.",
    });
  });

  it("refuses to ask for a new secret before judging anything", async () => {
    let judged = false;
    const refusal = () => {
      judged = true;
      return undefined;
    };
    await expect(promptNewSecret("New password:", "Pass it with --password-stdin.", refusal)).rejects.toMatchObject({ code: "no_terminal" });
    expect(judged).toBe(false);
  });
});
