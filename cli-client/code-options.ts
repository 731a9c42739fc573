import { InvalidArgumentError } from "commander";
import { EMAIL_CODE_DIGITS, HOTP_DIGITS, emailCodeSchema, otpSchema, recoveryCodeSchema } from "#protocol";
import type { z } from "zod";
import { promptSecret } from "../terminal/hidden-input.ts";
import { promptText } from "./prompts.ts";

/**
 * The codes a person types, each checked by the protocol's own schema before anything is sent,
 * so that a typo is a usage error (exit code 2) and not a spent attempt at the hub.
 */
export const CODE_RULES = {
  otp: { schema: otpSchema, rule: `the ${HOTP_DIGITS} digits the device shows` },
  recoveryCode: { schema: recoveryCodeSchema, rule: "10 characters, as XXXXX-XXXXX" },
  emailCode: { schema: emailCodeSchema, rule: `the ${EMAIL_CODE_DIGITS} digits from the email` },
} as const satisfies Record<string, { schema: z.ZodType<string, string>; rule: string }>;

export type CodeKind = keyof typeof CODE_RULES;

/** The code in its normalised form, or undefined when it does not fit. */
export function normaliseCode(kind: CodeKind, raw: string): string | undefined {
  const parsed = CODE_RULES[kind].schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A commander argument parser for `--otp`, `--recovery-code`, `--email-code` and `--code`. */
export function codeOption(kind: CodeKind): (raw: string) => string {
  return (raw) => {
    const code = normaliseCode(kind, raw);
    if (code === undefined) throw new InvalidArgumentError(`Give ${CODE_RULES[kind].rule}.`);
    return code;
  };
}

/**
 * The code given on the command line, else asked for on a terminal (hidden when it grants
 * something, like a password reset), asked again until it has the right shape.
 */
export async function askCode(kind: CodeKind, given: string | undefined, message: string, alternative: string, hidden = false): Promise<string> {
  if (given !== undefined) return given;
  const validate = (value: string) => normaliseCode(kind, value) !== undefined || `Give ${CODE_RULES[kind].rule}.`;
  if (!hidden) return normaliseCode(kind, await promptText(message, alternative, validate))!;
  for (;;) {
    const code = normaliseCode(kind, await promptSecret(message, alternative));
    if (code !== undefined) return code;
    process.stderr.write(`Give ${CODE_RULES[kind].rule}.\n`);
  }
}
