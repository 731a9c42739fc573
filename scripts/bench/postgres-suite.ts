import { CHALLENGE_ACCOUNTS, measurePart, type BenchRun } from "./bench-run.ts";
import { measureChallengeRoundTrip } from "./challenge-round-trip.ts";
import { challengeFigures, unavailableFigures } from "./figures.ts";
import { seedAccounts, seedDevices } from "./harness/fixtures.ts";
import { startHubProcess } from "./harness/hub-process.ts";
import { createTemporaryDatabase, measureCommitLatency, missingPostgresSupport } from "./harness/scale-out-support.ts";
import type { Figure } from "./report.ts";
import { createDatabase } from "../../server/db/client.ts";

const TITLES = ["Challenge round trip, PostgreSQL"];

/** The challenge round trip again, with the hub on PostgreSQL (a fresh database, dropped afterwards). */
export async function runPostgresSuite(run: BenchRun): Promise<Figure[]> {
  if (!run.includes("postgres")) return [];
  const missing = missingPostgresSupport();
  if (missing) return unavailableFigures(TITLES, "PostgreSQL: not available in this build", missing);
  return measurePart(run, "postgres", TITLES, async () => {
    const { settings, workspace } = run;
    const database = await createTemporaryDatabase(settings.postgresAdminUrl);
    run.cleanup.add("drop the benchmark's PostgreSQL database", () => database.drop());
    run.progress("challenge round trip on PostgreSQL");
    const hub = await startHubProcess({ name: "hub-postgres", workspace, bcryptCost: settings.cost, hashThreads: settings.threads, databaseUrl: database.url });
    try {
      const db = createDatabase(database.url);
      const accounts = await seedAccounts(db, "challenge", CHALLENGE_ACCOUNTS, run.hashes.fast);
      const devices = await seedDevices(db, workspace.hotpSecretsKey, accounts);
      await db.close();
      const result = await measureChallengeRoundTrip({
        clientHubUrl: hub.url,
        deviceHubUrl: hub.url,
        bareUrl: run.bare.url,
        ca: workspace.ca,
        accounts,
        devices,
        samples: settings.samples,
      });
      const commit = await measureCommitLatency(database.url);
      const note = `; a one-row commit on this server took ${commit.p50Ms.toFixed(2)} ms p50 (synchronous_commit ${commit.synchronousCommit})`;
      return challengeFigures("PostgreSQL", result).map((figure) => ({ ...figure, context: figure.context + note }));
    } finally {
      await hub.stop();
      await database.drop();
    }
  });
}
