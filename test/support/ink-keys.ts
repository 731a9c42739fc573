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

/** The parts of an ink-testing-library instance that typing needs. */
export interface TypingTarget {
  stdin: { write(data: string): void };
  frames: string[];
}

const RENDER_WAIT_MS = 1_000;
const POLL_MS = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets pending promises (an onBind, an onApprove) resolve and their results render. */
export async function settle(target?: TypingTarget): Promise<void> {
  const before = target?.frames.length ?? 0;
  await sleep(POLL_MS);
  if (target) await waitForFrameAfter(target, before, 100);
}

/**
 * Types keys one at a time, as a person would: each key is sent once the previous one has
 * rendered, so that every key handler sees the state its predecessor left. Under a loaded test
 * machine a fixed delay is not enough for that.
 */
export async function pressKeys(target: TypingTarget, keys: string[]): Promise<void> {
  await sleep(POLL_MS);
  for (const key of keys) {
    const before = target.frames.length;
    target.stdin.write(key);
    await waitForFrameAfter(target, before, RENDER_WAIT_MS);
  }
}

async function waitForFrameAfter(target: TypingTarget, before: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (target.frames.length <= before && Date.now() < deadline) await sleep(POLL_MS);
  // React runs the effects that re-register input handlers just after the frame is written.
  await sleep(POLL_MS);
}
