import type { DeviceKind } from "./constants.ts";

/**
 * How sentences name an account's devices by their kinds, so that a person holding an
 * authenticator app is never told about a "paired device" (nor asked for an approval it cannot give).
 * @example devicesInWords(["totp"]) // { noun: "the authenticator app", approves: false }
 */
export function devicesInWords(kinds: readonly DeviceKind[] | undefined): { noun: string; approves: boolean } {
  // A hub that does not say is an older one, from before authenticator apps: its devices are paired ones.
  const known = kinds && kinds.length > 0 ? kinds : (["pairgate"] as const);
  const paired = known.includes("pairgate");
  const apps = known.some((kind) => kind !== "pairgate");
  const noun = paired && apps ? "the paired device or the authenticator app" : paired ? "the paired device" : "the authenticator app";
  return { noun, approves: paired };
}
