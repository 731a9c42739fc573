import { type Key, useInput } from "ink";
import { useCallback, useLayoutEffect, useRef } from "react";

export type KeyHandler = (input: string, key: Key) => void;

/**
 * `useInput` with a handler that always sees the latest render. Ink swaps the handler in a
 * passive effect, which Node may run only after the next key has been read: a key pressed just
 * after a screen appeared then reached the handler of the screen before it (a digit typed at a
 * login request that had just arrived was dropped, because that handler knew no request). A layout
 * effect runs in the same commit that draws the screen, so no key can slip in between.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const stable = useCallback<KeyHandler>((input, key) => latest.current(input, key), []);
  useInput(stable, options);
}
