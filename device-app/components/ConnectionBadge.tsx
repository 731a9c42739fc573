import { Text } from "ink";
import type { LinkStatus } from "../device-link.ts";
import { secondsUntil } from "../hooks/use-countdown.ts";
import { describeConnecting } from "../device-messages.ts";

/** One account's link to its hub, in a few words: connected / reconnecting in 4s / offline. */
export function ConnectionBadge({ status, now }: { status: LinkStatus | undefined; now: number }) {
  if (!status || status.state === "connecting") return <Text color="gray">◌ {describeConnecting(status)}</Text>;
  if (status.state === "connected") return <Text color="green">● connected</Text>;
  if (status.state === "reconnecting") {
    return <Text color="yellow">◌ reconnecting in {secondsUntil(status.retryAt, now)}s ({status.reason})</Text>;
  }
  return <Text color="red">○ offline: {status.reason}</Text>;
}
