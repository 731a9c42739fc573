import { readSettings, SettingsError } from "./config.ts";
import { startHub } from "./hub.ts";
import { createLogger } from "./logger.ts";

/** `npm start`: the hub with settings from the environment, stopped cleanly by SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = readSettings();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`pairgate-hub: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  const log = createLogger(settings.logLevel);
  const hub = await startHub({ settings, log });
  console.error(`PairGate hub ready at ${hub.url} (clients trust ${hub.caFile})`);

  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    console.error(`pairgate-hub: ${error.message}`);
    process.exit(78);
  }
  console.error(`pairgate-hub: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
