import { Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import { formatBindingCodeInput } from "../binding-code-format.ts";

export interface BindingCodeFieldProps {
  value: string;
  /** Given a change to apply to the latest value, since keys can arrive faster than renders. */
  onChange(change: (previous: string) => string): void;
  onSubmit(): void;
  focus: boolean;
}

/**
 * The binding code input. Typing only ever appends and Backspace only removes the last
 * character, so the dash inserted by the formatting never leaves a cursor stranded mid-code
 * (ink-text-input keeps its own cursor, which reformatting would move under the person's feet).
 */
export function BindingCodeField({ value, onChange, onSubmit, focus }: BindingCodeFieldProps) {
  useKeys(
    (input, key) => {
      if (key.return) return onSubmit();
      if (key.backspace || key.delete) return onChange((previous) => formatBindingCodeInput(previous.replace(/-$/, "").slice(0, -1)));
      if (key.ctrl || key.meta || key.tab || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      onChange((previous) => formatBindingCodeInput(previous + input));
    },
    { isActive: focus },
  );
  if (!value && !focus) return <Text color="gray">XXXX-XXXX</Text>;
  return (
    <Text>
      {value}
      {focus ? <Text inverse> </Text> : null}
    </Text>
  );
}
