import { Box, Text } from "ink";
import type { LinkStatus } from "../device-link.ts";
import type { DeviceAccount } from "../otp-data.ts";
import { ConnectionBadge } from "./ConnectionBadge.tsx";

export interface AccountListProps {
  accounts: DeviceAccount[];
  selectedId: string | undefined;
  statuses: Record<string, LinkStatus>;
  now: number;
}

/** The paired accounts, "alice @ https://hub:8443", each with its connection state. */
export function AccountList({ accounts, selectedId, statuses, now }: AccountListProps) {
  return (
    <Box flexDirection="column">
      <Text bold>Accounts</Text>
      {accounts.map((account) => {
        const selected = account.id === selectedId;
        return (
          <Box key={account.id} gap={2}>
            <Text color={selected ? "cyan" : undefined}>
              {selected ? "›" : " "} {account.username} @ {account.hub}
            </Text>
            <Text color="gray">{account.deviceName}</Text>
            {account.revokedAt ? <Text color="red">✕ revoked (unpaired by the hub)</Text> : <ConnectionBadge status={statuses[account.id]} now={now} />}
          </Box>
        );
      })}
    </Box>
  );
}
