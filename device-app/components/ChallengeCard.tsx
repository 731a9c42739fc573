import { Box, Text } from "ink";
import type { InboxChallenge } from "../challenge-inbox.ts";
import { formatTimeLeft } from "../hooks/use-countdown.ts";

/** The number the logging-in screen shows has two digits (protocol: numberMatchSchema). */
export const NUMBER_DIGITS = 2;

interface ChallengeCardProps {
  challenge: InboxChallenge;
  now: number;
  selected: boolean;
  /** The digits typed so far. */
  typed: string;
}

/**
 * One login request: who, from which machine and address, whether that machine is new to the
 * account, and (when selected) the number being typed. A new machine is said plainly, since a
 * stranger who knows the password logs in from a machine the person has never used.
 */
export function ChallengeCard({ challenge, now, selected, typed }: ChallengeCardProps) {
  const machine = challenge.client.name ? `"${challenge.client.name}"` : "an unnamed machine";
  const address = challenge.client.address ?? "an unknown address";
  const timeLeft = formatTimeLeft(challenge.expiresAt, now);
  if (!selected) {
    return (
      <Text>
        {"  "}
        {challenge.username} from {machine} at {address}
        {challenge.newKey ? <Text color="red"> · NEW MACHINE</Text> : null} · expires in {timeLeft}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={challenge.newKey ? "red" : "cyan"} paddingX={1}>
      <Text bold color="cyan">
        {challenge.username} is logging in · expires in {timeLeft}
      </Text>
      <Text>
        Machine: {machine}
        {challenge.newKey ? "" : <Text color="gray"> (has logged in to this account before)</Text>}
      </Text>
      <Text>Address: {address}</Text>
      {challenge.newKey ? (
        <Text>
          <Text bold inverse color="red">
            {" NEW MACHINE "}
          </Text>
          <Text color="red"> Its key has never logged in to {challenge.username}. If you are not setting up a new machine right now, press n.</Text>
        </Text>
      ) : null}
      <Box marginTop={1} gap={1}>
        <Text>Type the number shown on the logging-in screen:</Text>
        <Text bold inverse>
          {` ${typed.padEnd(NUMBER_DIGITS, "_").split("").join(" ")} `}
        </Text>
      </Box>
    </Box>
  );
}
