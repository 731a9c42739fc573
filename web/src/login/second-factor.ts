import { otpSchema, recoveryCodeSchema } from "#protocol";
import type { SecondProof } from "./login-steps.ts";

/** A code typed at the device step: the device's 6 digits, else a recovery code (XXXXX-XXXXX). */
export function readTypedCode(raw: string): SecondProof | undefined {
  const otp = otpSchema.safeParse(raw);
  if (otp.success) return { otp: otp.data };
  const recoveryCode = recoveryCodeSchema.safeParse(raw);
  return recoveryCode.success ? { recoveryCode: recoveryCode.data } : undefined;
}

export const TYPED_CODE_RULE = "Type the 6 digits your device shows, or a recovery code (XXXXX-XXXXX).";
