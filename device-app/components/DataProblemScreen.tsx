import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import { describeOtpDataProblem, type OtpDataProblem } from "../otp-data.ts";

export interface DataProblemScreenProps {
  problem: OtpDataProblem;
  onRetry(): void;
  onQuit(): void;
}

/** A damaged data file stops the app: it holds secrets that exist nowhere else, so it is never replaced. */
export function DataProblemScreen({ problem, onRetry, onQuit }: DataProblemScreenProps) {
  useKeys((input) => {
    if (input === "r") onRetry();
    else if (input === "q") onQuit();
  });
  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="red">
        The authenticator's data file cannot be used
      </Text>
      <Text>{describeOtpDataProblem(problem)}</Text>
      <Text>Restore it from a backup or correct it by hand; or move it away to start with no accounts (the hub still lists the old devices: unpair them with `pairgate device revoke`).</Text>
      <Text color="gray">r read the file again · q quit</Text>
    </Box>
  );
}
