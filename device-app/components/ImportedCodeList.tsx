import { Box, Text } from "ink";
import { type ImportedCode, importedCodeLabel } from "../imported-code.ts";
import { currentTotp } from "../imported-codes.ts";

export interface ImportedCodeListProps {
  imported: ImportedCode[];
  selectedId: string | undefined;
  now: number;
}

const BAR_CELLS = 15;
// Below these, the code is about to change: type it quickly or wait for the next one.
const WARN_SECONDS = 10;
const HURRY_SECONDS = 5;

/** Codes of other services: TOTP ones always shown, with the time they have left; HOTP ones on request. */
export function ImportedCodeList({ imported, selectedId, now }: ImportedCodeListProps) {
  if (imported.length === 0) return null;
  const width = Math.max(...imported.map((code) => importedCodeLabel(code).length));
  return (
    <Box flexDirection="column">
      <Text bold>Other services</Text>
      {imported.map((code) => {
        const selected = code.id === selectedId;
        return (
          <Box key={code.id} gap={3}>
            <Text color={selected ? "cyan" : undefined}>
              {selected ? "›" : " "} {importedCodeLabel(code).padEnd(width)}
            </Text>
            {code.type === "totp" ? <TotpRow code={code} now={now} /> : <Text color="gray">HOTP · c for the next code (counter {code.counter})</Text>}
          </Box>
        );
      })}
    </Box>
  );
}

function TotpRow({ code, now }: { code: Extract<ImportedCode, { type: "totp" }>; now: number }) {
  const shown = currentTotp(code, now);
  const filled = Math.max(1, Math.round((shown.secondsLeft / code.period) * BAR_CELLS));
  const color = shown.secondsLeft <= HURRY_SECONDS ? "red" : shown.secondsLeft <= WARN_SECONDS ? "yellow" : "green";
  return (
    <Box gap={2}>
      <Text bold color={color}>
        {spacedCode(shown.code)}
      </Text>
      <Text color={color}>
        {"█".repeat(filled)}
        <Text color="gray">{"░".repeat(BAR_CELLS - filled)}</Text>
      </Text>
      <Text color={color}>{`${shown.secondsLeft}s`.padStart(3)}</Text>
    </Box>
  );
}

/** "090 361", "6138 5012": two groups, as authenticator apps show them, padded to line up. */
export function spacedCode(code: string): string {
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`.padEnd(9);
}
