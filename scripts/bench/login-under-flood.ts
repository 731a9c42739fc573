import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { Socket } from "socket.io-client";
import { LOGIN_SIGNATURE_SALT_BYTES, loginKeyProofMessage } from "#protocol";
import type { BenchAccount } from "./harness/fixtures.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import { callAck, closeSockets, openSocket, openSockets } from "./harness/sockets.ts";
import { median, sleep } from "./harness/stats.ts";

/** The attack the hub must survive: wrong logins from 300 addresses, 2 in flight from each, so 600 at a time. */
export const FLOOD_ADDRESSES = 300;
const FLOOD_IN_FLIGHT_PER_ADDRESS = 2;
/** A refused flood login is sent again after the retry time the hub gives a busy queue (1 s), as an attacker keeping the queue full would. */
const FLOOD_RETRY_MS = 1_000;
/** Owner logins timed per window, one after another. */
const OWNER_LOGINS_PER_WINDOW = 5;
const FLOOD_FILL_TIMEOUT_MS = 60_000;

/** 127.0.<block>.<host> from 127.0.100.1 on, 250 to a block: the loopback is all of 127/8 on Linux. */
const floodAddress = (index: number) => `127.0.${100 + Math.floor(index / 250)}.${1 + (index % 250)}`;

export interface OwnerKey {
  publicKeyPem: string;
  privateKey: KeyObject;
  fingerprint: string;
}

export function generateOwnerKey(): OwnerKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const fingerprint = createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
  return { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey, fingerprint };
}

function keyProof(key: OwnerKey, username: string) {
  const timestamp = new Date().toISOString();
  const signature = sign("sha256", Buffer.from(loginKeyProofMessage(username, timestamp)), {
    key: key.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: LOGIN_SIGNATURE_SALT_BYTES,
  }).toString("base64");
  return { fingerprint: key.fingerprint, timestamp, signature };
}

export interface LoginUnderFloodOptions {
  hub: HubProcess;
  ca: string;
  owner: BenchAccount;
  ownerKey: OwnerKey;
  rounds: number;
}

export interface LoginUnderFlood {
  ratio: number;
  idleMedianMs: number;
  floodMedianMs: number;
  /** Logins without a key proof (an old client) tried once per flooded window: how many were refused as busy. */
  oldClientRefused: number;
  oldClientTried: number;
  roundRatios: number[];
}

/**
 * The owner's `auth:login` (with a key proof) timed on an idle hub and while 300 addresses flood
 * the password queue with wrong logins, windows alternating; ratio of the medians. An old client
 * (no proof) is tried once per flooded window, to show what the known-key lane changes.
 */
export async function measureLoginUnderFlood(options: LoginUnderFloodOptions): Promise<LoginUnderFlood> {
  const ownerSocket = await openSocket(options.hub.url, "/client", options.ca);
  const idle: number[] = [];
  const flooded: number[] = [];
  const roundRatios: number[] = [];
  let oldClientRefused = 0;
  try {
    await timeOwnerLogins(options, ownerSocket, 1); // warm-up, not counted
    for (let round = 0; round < options.rounds; round += 1) {
      const idleRound = await timeOwnerLogins(options, ownerSocket, OWNER_LOGINS_PER_WINDOW);
      // Fresh addresses each round: the previous round's have spent much of their failure budget.
      const floodSockets = await openSockets(FLOOD_ADDRESSES, (index) => openSocket(options.hub.url, "/client", options.ca, {}, floodAddress(round * FLOOD_ADDRESSES + index)));
      const flood = new Flood(floodSockets, round);
      flood.start();
      try {
        await flood.untilQueueFull();
        const floodRound = await timeOwnerLogins(options, ownerSocket, OWNER_LOGINS_PER_WINDOW);
        const old = await callAck<unknown>(ownerSocket, "auth:login", { username: options.owner.username, password: options.owner.password });
        if (!old.ok && old.error.code === "rate_limited") oldClientRefused += 1;
        idle.push(...idleRound);
        flooded.push(...floodRound);
        roundRatios.push(median(floodRound) / median(idleRound));
      } finally {
        await flood.stop();
        closeSockets(floodSockets);
      }
    }
  } finally {
    closeSockets([ownerSocket]);
  }
  const idleMedianMs = median(idle);
  const floodMedianMs = median(flooded);
  return { ratio: floodMedianMs / idleMedianMs, idleMedianMs, floodMedianMs, oldClientRefused, oldClientTried: options.rounds, roundRatios };
}

async function timeOwnerLogins({ owner, ownerKey }: LoginUnderFloodOptions, socket: Socket, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const ack = await callAck<unknown>(socket, "auth:login", { username: owner.username, password: owner.password, keyProof: keyProof(ownerKey, owner.username) });
    if (!ack.ok) throw new Error(`the owner's login was refused during the flood: ${ack.error.code}: ${ack.error.message}`);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * Wrong logins for names that differ on every try (unknown users cost a dummy check, so each is
 * a full bcrypt check), closed loop with a pause after a refusal, so that no account's failure
 * limit ends the flood early. Each address may fail 50 logins per 15 minutes, which is why every
 * round floods from addresses of its own.
 */
class Flood {
  private running = false;
  private loops: Promise<void>[] = [];
  private sent = 0;
  private refusedOnce!: () => void;
  private readonly refused = new Promise<void>((resolve) => (this.refusedOnce = resolve));

  constructor(
    private readonly sockets: readonly Socket[],
    private readonly round: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.sockets.flatMap((socket, address) => Array.from({ length: FLOOD_IN_FLIGHT_PER_ADDRESS }, (_, lane) => this.loop(socket, `${address}-${lane}`)));
  }

  /** The open lane refused a login: it holds as much of the flood as it ever will. */
  async untilQueueFull(): Promise<void> {
    const timeout = sleep(FLOOD_FILL_TIMEOUT_MS).then(() => {
      throw new Error("the flood never filled the password queue");
    });
    await Promise.race([this.refused, timeout]);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(socket: Socket, lane: string): Promise<void> {
    while (this.running) {
      const username = `flood-${this.round}-${lane}-${(this.sent += 1)}`;
      const ack = await callAck<unknown>(socket, "auth:login", { username, password: "not-the-password-1" });
      if (ack.ok || ack.error.code !== "rate_limited") continue;
      this.refusedOnce();
      await sleep(FLOOD_RETRY_MS);
    }
  }
}
