import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { call, connectClient, expectOk, logIn, logInWithProof, newAccount, openPushedLogin, register, signChallenge, type TestAccount } from "./support/client.ts";
import { connectDevice, deviceCall, pairDevice, type TestDevice, type TestDeviceSocket } from "./support/device.ts";
import { launchHubProcess, type HubProcess } from "./support/hub-process.ts";
import { dropPostgresTestDatabase, postgresTestDatabase, testDatabaseKind } from "./support/test-database.ts";

/**
 * A real hub process killed with SIGKILL in the middle of a burst of registrations, logins,
 * device binds and approvals, then started again on the same database: whatever the hub had
 * answered before it died must still hold, and nothing may be left half made.
 */

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-crash-"));
const databaseKind = testDatabaseKind();
let databaseUrl: string | undefined;
let hub: HubProcess | undefined;
let earlierOutput = "";
/** Each burst worker's last step, for a failure's report. */
const lastSteps: string[] = [];

afterAll(async () => {
  await hub?.stop();
  if (databaseUrl) await dropPostgresTestDatabase(databaseUrl);
  rmSync(root, { recursive: true, force: true });
});

afterEach(({ task }) => {
  if (task.result?.state === "fail") console.error(`--- burst workers' last steps ---\n${lastSteps.join("\n")}\n--- hub before the kill ---\n${earlierOutput.slice(-6_000)}\n--- hub after ---\n${hub?.output().slice(-6_000)}`);
});

/** Acks the burst waits for before the kill: a positive marker, so the kill lands mid-burst however slow the machine. */
const KILL_AFTER_ACKS = 40;
const WORKERS = 4;

/** What the hub had confirmed before it died: each entry is an ack the client received. */
interface Ledger {
  accounts: TestAccount[];
  /** Session tokens handed to a client by a completed login. */
  tokens: string[];
  devices: { account: TestAccount; device: TestDevice }[];
  /** Codes the hub accepted (an approval or a login acked ok), with the account whose device made them. */
  spentCodes: { account: TestAccount; code: string }[];
}

/** Logins pushed to a device and left undecided, or approved but not completed, when the hub died. */
interface WaitingLogin {
  account: TestAccount;
  device: TestDevice;
  challengeId: string;
  nonce: string;
  numberMatch: string;
  approved: boolean;
}

describe(`a hub killed with SIGKILL mid-burst (${databaseKind})`, { timeout: 180_000 }, () => {
  it("restarts on the same database with nothing half made and nothing it confirmed lost", async () => {
    const env: Record<string, string> = {
      PAIRGATE_DATA_DIR: path.join(root, "data"),
      PAIRGATE_CERT_DIR: path.join(root, "certs"),
      PAIRGATE_SECRET_KEY: randomBytes(32).toString("base64"),
      PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false",
    };
    if (databaseKind === "postgresql") env.DATABASE_URL = databaseUrl = await postgresTestDatabase(root);
    hub = await launchHubProcess(env, root);
    await warmUp();

    const waiting = await Promise.all([openWaitingLogin("waiting-a", false), openWaitingLogin("waiting-b", true)]);
    const ledger: Ledger = { accounts: [], tokens: [], devices: [], spentCodes: [] };
    let acks = 0;
    let killed: Promise<void> | undefined;
    const confirmed = <T>(data: T): T => {
      acks += 1;
      if (acks === KILL_AFTER_ACKS) killed = hub!.kill();
      return data;
    };
    const workers = Array.from({ length: WORKERS }, (_, worker) => runWorker(worker, ledger, confirmed, () => killed !== undefined));
    await Promise.allSettled(workers);
    await killed;
    expect(acks).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    earlierOutput = hub.output();

    hub = await launchHubProcess(env, root);
    await warmUp();
    await expectIntact(databaseKind, databaseUrl ?? `file:${path.join(root, "data/pairgate.db")}`);

    const restarted = hub.asTestHub();
    const sessionChecks = ledger.tokens.map(async (token) => {
      const socket = await connectClient(restarted, { token });
      const listed = await call(socket, "session:list", {});
      socket.disconnect();
      return listed.ok;
    });
    expect(await Promise.all(sessionChecks)).toEqual(ledger.tokens.map(() => true));
    const replays = ledger.spentCodes.map(({ account, code }, index) => logInWithProof(restarted, account, { otp: code }, loopback(100 + (index % 100))));
    for (const replay of await Promise.all(replays)) expect(replay).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    await Promise.all(waiting.map(expectStillWorksOrClosed));
    // A burst too short to have done every kind of write would prove little.
    expect(ledger.accounts.length).toBeGreaterThan(WORKERS);
    expect(ledger.devices.length).toBeGreaterThan(0);
    expect(ledger.spentCodes.length).toBeGreaterThan(0);
  });
});

const loopback = (n: number) => `127.0.0.${n}`;

/**
 * A registration and a login with room to spare: each hub process starts its password worker on
 * first use, which takes seconds on a busy machine, and the burst's acks must not wait for that.
 */
async function warmUp(): Promise<void> {
  const socket = await connectClient(hub!.asTestHub(), {}, loopback(200));
  const account = newAccount(`warm-up-${randomBytes(3).toString("hex")}`);
  const registration = { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem };
  expectOk(await socket.timeout(60_000).emitWithAck("account:register", registration));
  await socket.timeout(60_000).emitWithAck("auth:login", { username: account.username, password: account.password });
  socket.disconnect();
}

/** Register, log in, bind a device, have it approve a pushed login, then log in with a typed code; again until the hub dies. */
async function runWorker(worker: number, ledger: Ledger, confirmed: <T>(data: T) => T, dead: () => boolean): Promise<void> {
  const from = loopback(10 + worker);
  const target = () => hub!.asTestHub();
  for (let round = 0; !dead(); round += 1) {
    const step = (name: string) => (lastSteps[worker] = `worker ${worker}, round ${round}: ${name}`);
    const account = newAccount(`burst-${worker}-${round}`);
    step("register");
    await register(target(), account, from);
    ledger.accounts.push(confirmed(account));
    step("log in");
    const { socket: owner, token } = await logIn(target(), account, undefined, from);
    ledger.tokens.push(confirmed(token));
    step("pair");
    const device = await pairDevice(target(), owner, "phone");
    owner.disconnect();
    ledger.devices.push(confirmed({ account, device }));

    step("pushed login");
    const deviceSocket = await connectDevice(target(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const client = await connectClient(target(), {}, from);
    const login = await openPushedLogin(client, account);
    await expectListed(deviceSocket, login.challengeId);
    const code = device.nextCode();
    expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: code, numberMatch: login.numberMatch! }));
    ledger.spentCodes.push(confirmed({ account, code }));
    const completed = expectOk(await call(client, "auth:complete", { challengeId: login.challengeId, signature: login.signature }));
    ledger.tokens.push(confirmed(completed.token));
    client.disconnect();
    deviceSocket.disconnect();

    step("typed code");
    const typed = device.nextCode();
    const typedLogin = expectOk(await logInWithProof(target(), account, { otp: typed }, from));
    ledger.spentCodes.push(confirmed({ account, code: typed }));
    ledger.tokens.push(confirmed(typedLogin.token));
    step("round done");
  }
}

/**
 * The pushed login as the device finds it: asked for rather than awaited as a push, so that a
 * push lost to the crash cannot hold the worker, and the answer comes from the database itself.
 */
async function expectListed(deviceSocket: TestDeviceSocket, challengeId: string): Promise<void> {
  const { challenges } = expectOk(await deviceCall(deviceSocket, "challenge:list", {}));
  if (!challenges.some((pending) => pending.challengeId === challengeId)) throw new Error(`the device was not asked about login ${challengeId}`);
}

/** A paired account whose login was pushed to its device (and approved there, if asked) but not completed. */
async function openWaitingLogin(username: string, approve: boolean): Promise<WaitingLogin> {
  const account = newAccount(username);
  await register(hub!.asTestHub(), account);
  const { socket: owner } = await logIn(hub!.asTestHub(), account);
  const device = await pairDevice(hub!.asTestHub(), owner);
  owner.disconnect();
  const deviceSocket = await connectDevice(hub!.asTestHub(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
  // The client stays connected: the login is its own, and only the crash ends the socket.
  const client = await connectClient(hub!.asTestHub());
  const login = await openPushedLogin(client, account);
  await expectListed(deviceSocket, login.challengeId);
  if (approve) expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: device.nextCode(), numberMatch: login.numberMatch! }));
  return { account, device, challengeId: login.challengeId, nonce: login.nonce, numberMatch: login.numberMatch!, approved: approve };
}

/**
 * After the restart a login the crash interrupted is either still there to finish (listed on the
 * device, approvable, completable by its key) or gone from the device's list and refused.
 */
async function expectStillWorksOrClosed(login: WaitingLogin): Promise<void> {
  const deviceSocket: TestDeviceSocket = await connectDevice(hub!.asTestHub(), { deviceId: login.device.deviceId, deviceToken: login.device.deviceToken });
  const { challenges } = expectOk(await deviceCall(deviceSocket, "challenge:list", {}));
  const listed = challenges.some((pending) => pending.challengeId === login.challengeId);
  const client = await connectClient(hub!.asTestHub());
  const signature = signChallenge(login.account.keys.privateKey, login.challengeId, login.nonce);
  try {
    if (login.approved) {
      // Decided before the crash: the device shows nothing more, and the decision held.
      expect(listed).toBe(false);
    } else if (listed) {
      expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: login.device.nextCode(), numberMatch: login.numberMatch }));
    }
    const completed = await call(client, "auth:complete", { challengeId: login.challengeId, signature });
    if (login.approved || listed) {
      const { token } = expectOk(completed);
      const session = await connectClient(hub!.asTestHub(), { token });
      expect(await call(session, "session:list", {})).toMatchObject({ ok: true });
      session.disconnect();
    } else {
      expect(completed).toMatchObject({ ok: false });
    }
  } finally {
    client.disconnect();
    deviceSocket.disconnect();
  }
}

/** The database's own integrity check, then the rows that would betray a write cut in half. */
async function expectIntact(kind: "sqlite" | "postgresql", url: string): Promise<void> {
  const halfMade = [
    // An account without its password hash or without the key it registered with.
    `SELECT "id" FROM "User" u WHERE u."passwordHash" = '' OR NOT EXISTS (SELECT 1 FROM "ClientKey" k WHERE k."userId" = u."id")`,
    // A PairGate device without its token or secret.
    `SELECT "id" FROM "Device" WHERE "sealedSecret" = '' OR ("kind" = 'pairgate' AND "tokenHash" IS NULL)`,
    // A binding code used up without the device it made (every device here came from one).
    `SELECT u."id" FROM "User" u WHERE (SELECT count(*) FROM "BindingCode" b WHERE b."userId" = u."id" AND b."usedAt" IS NOT NULL) <> (SELECT count(*) FROM "Device" d WHERE d."userId" = u."id")`,
    // Rows whose account is gone.
    ...["ClientKey", "Session", "LoginChallenge", "Device", "BindingCode"].map((table) => `SELECT t."id" FROM "${table}" t LEFT JOIN "User" u ON u."id" = t."userId" WHERE u."id" IS NULL`),
  ];
  if (kind === "sqlite") {
    const db = new BetterSqlite3(url.replace(/^file:/, ""), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      for (const query of halfMade) expect(db.prepare(query).all(), query).toEqual([]);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // amcheck: every B-tree index agrees with itself and with its table's rows.
    await client.query("CREATE EXTENSION IF NOT EXISTS amcheck");
    const indexes = await client.query(`SELECT c.oid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'`);
    expect(indexes.rowCount).toBeGreaterThan(0);
    for (const { name } of indexes.rows as { name: string }[]) await client.query("SELECT bt_index_check($1::regclass, true)", [name]);
    for (const query of halfMade) expect((await client.query(query)).rows, query).toEqual([]);
  } finally {
    await client.end();
  }
}
