import { execFileSync } from "node:child_process";
import { TOTP_PERIOD_SECONDS } from "#protocol";
import { call, expectOk, type TestSocket } from "./client.ts";
import type { TestHub } from "./hub.ts";

/**
 * A standard authenticator app, played by oath-toolkit's `oathtool` (Debian package oathtool):
 * the codes come from an implementation the hub's code never shared.
 */

function oathtool(args: string[]): string {
  try {
    return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("oathtool is not installed: apt-get install -y oathtool");
    throw error;
  }
}

/** `oathtool --totp -b SECRET -N @<seconds>`: the TOTP code at `at`, moved by whole steps. */
export function oathtoolTotp(secretBase32: string, at: Date, stepOffset = 0): string {
  const seconds = Math.floor(at.getTime() / 1000) + stepOffset * TOTP_PERIOD_SECONDS;
  return oathtool(["--totp", "-b", secretBase32, "-N", `@${seconds}`]);
}

/** `oathtool --hotp -b SECRET -c COUNTER`. */
export function oathtoolHotp(secretBase32: string, counter: number): string {
  return oathtool(["--hotp", "-b", secretBase32, "-c", String(counter)]);
}

export interface EnrolledApp {
  deviceId: string;
  secret: string;
  uri: string;
}

/** Enrols a standard app on a logged-in socket and confirms it with oathtool's current code (HOTP: counter 0). */
export async function enrolStandardApp(hub: TestHub, socket: TestSocket, kind: "totp" | "hotp", name?: string): Promise<EnrolledApp> {
  const started = expectOk(await call(socket, "device:enrol-standard", { kind, ...(name ? { name } : {}) }));
  const otp = kind === "totp" ? oathtoolTotp(started.secret, hub.clock.now()) : oathtoolHotp(started.secret, 0);
  const { device } = expectOk(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp }));
  return { deviceId: device.id, secret: started.secret, uri: started.uri };
}
