// Plain JavaScript, loaded by bin/pairgate.mjs before the TypeScript loader: the second or two
// that loading takes is when a person types their password ahead of the prompt, and a terminal
// in its normal mode prints every key typed. Echo is turned off at once, for the whole run:
// the prompts draw what they show themselves, and echo comes back when the program ends, also
// when Ctrl+C ends it.
import { spawnSync } from "node:child_process";

const INTERRUPTED_EXIT_CODE = 130;

function stty(setting) {
  // stty acts on its standard input, which must be this terminal.
  return spawnSync("stty", [setting], { stdio: ["inherit", "ignore", "ignore"] }).status === 0;
}

/** Turns terminal echo off until the process exits; does nothing without a terminal or stty. */
export function hideTypeahead() {
  if (process.stdin.isTTY !== true || process.platform === "win32") return;
  if (!stty("-echo")) return;
  process.once("exit", () => stty("echo"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    const restore = () => {
      stty("echo");
      // A command waiting on this signal (device add) ends itself, with its own words.
      if (process.listenerCount(signal) === 1) process.exit(INTERRUPTED_EXIT_CODE);
    };
    process.on(signal, restore);
  }
}
