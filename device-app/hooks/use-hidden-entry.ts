import { useKeys } from "./use-keys.ts";
import { useLatestState } from "./use-latest-state.ts";

export interface HiddenEntry {
  /** What is typed so far; screens show only its length, as dots. */
  value: string;
  clear(): void;
}

/**
 * A passphrase typed on an Ink screen. Typing only appends and Backspace only removes the last
 * character, so no keystroke is lost to a stale value however fast keys come; a terminal may
 * deliver a pasted passphrase and its Enter in one piece, and what follows the line break is the Enter.
 */
export function useHiddenEntry(onSubmit: (typed: string) => void, onEscape: () => void, isActive: boolean): HiddenEntry {
  const [value, setValue, latest] = useLatestState("");
  useKeys(
    (input, key) => {
      if (key.escape) return onEscape();
      if (key.return) return onSubmit(latest.current);
      if (key.backspace || key.delete) return setValue((previous) => [...previous].slice(0, -1).join(""));
      if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      const lineBreak = input.search(/[\r\n]/);
      setValue((previous) => previous + (lineBreak === -1 ? input : input.slice(0, lineBreak)));
      if (lineBreak !== -1) onSubmit(latest.current);
    },
    { isActive },
  );
  return { value, clear: () => setValue("") };
}
