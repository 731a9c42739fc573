import { Box, Text } from "ink";

/** A code on screen, or why there is none. */
export type ShownCode = { label: string; code: string; counter: number } | { label: string; error: string };

/** The code large enough to read across a desk: bold, spaced in two groups, in a frame. */
export function CodeView({ shown }: { shown: ShownCode | undefined }) {
  if (!shown) return null;
  if ("error" in shown) return <Text color="red">No code for {shown.label}: {shown.error}</Text>;
  const half = Math.ceil(shown.code.length / 2);
  const spaced = `${[...shown.code.slice(0, half)].join(" ")}   ${[...shown.code.slice(half)].join(" ")}`;
  return (
    <Box flexDirection="column">
      <Text>Next code for {shown.label}:</Text>
      <Box borderStyle="round" borderColor="green" paddingX={2} alignSelf="flex-start">
        <Text bold color="green">
          {spaced}
        </Text>
      </Box>
      <Text color="gray">Counter {shown.counter} is used up; the next press gives a new code.</Text>
    </Box>
  );
}
