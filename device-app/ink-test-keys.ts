/** Key sequences a terminal sends, for driving Ink screens in tests. */
export const KEYS = {
  enter: "\r",
  escape: "\u001B",
  tab: "\t",
  shiftTab: "\u001B[Z",
  backspace: "\u007F",
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
} as const;

/** Lets React apply the state updates (and resolved promises) of the last key press. */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Types keys one at a time, as a person would, letting each one render. */
export async function pressKeys(stdin: { write(data: string): void }, keys: string[]): Promise<void> {
  await settle();
  for (const key of keys) {
    stdin.write(key);
    await settle();
  }
}
