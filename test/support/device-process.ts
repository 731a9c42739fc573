import { resolve } from "node:path";
import { launchProgram, type ProgramRun, type RunningProgram } from "./program-process.ts";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate-device.mjs");

export type DeviceRun = ProgramRun;
export type RunningDevice = RunningProgram;

/**
 * Starts the real `pairgate-device` (bin/pairgate-device.mjs). With `terminal`, it runs on a
 * pseudo-terminal, as a person would run the Ink app.
 */
export function launchDevice(args: string[], env: Record<string, string>, options: { terminal?: boolean; cwd?: string } = {}): RunningDevice {
  return launchProgram(BIN, args, { env, ...options });
}

/** Runs one `pairgate-device` command with no terminal, as a script would. */
export function runDevice(args: string[], env: Record<string, string>): Promise<DeviceRun> {
  const running = launchDevice(args, env);
  running.endInput();
  return running.done;
}
