import { constants, generateKeyPairSync, sign } from "node:crypto";
import { LOGIN_SIGNATURE_SALT_BYTES, RSA_MIN_MODULUS_BITS, loginSignatureMessage } from "#protocol";
import type { Socket } from "socket.io-client";
import type { BenchAccount, BenchDevice } from "./harness/fixtures.ts";
import { callAck, claimAnonymousSockets, closeSockets, expectOk, openSocket, openSockets, spreadAddress } from "./harness/sockets.ts";
import { percentile } from "./harness/stats.ts";

/** Client and device pairs the logins rotate over, so no socket nears the hub's 10 events/s budget. */
const PAIRS = 30;
/** Iterations run first and not counted: connections and code paths warm up. */
const WARMUP_ITERATIONS = 20;
const PUSH_TIMEOUT_MS = 10_000;

export interface ChallengeRoundTripOptions {
  /** The hub the client logs in on, and the hub the device is connected to (the same one, or two joined by Redis). */
  clientHubUrl: string;
  deviceHubUrl: string;
  bareUrl: string;
  ca: string;
  /** Accounts with one paired device each, index for index. */
  accounts: readonly BenchAccount[];
  devices: readonly BenchDevice[];
  samples: number;
}

export interface ChallengeRoundTrip {
  samples: number;
  /** Pushed → approved → client told: the measured interval (see measureChallengeRoundTrip). */
  p50Ms: number;
  p99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  ratioP50: number;
  ratioP99: number;
  /** The leg before it, for context: `auth:prove-key` sent → `challenge:new` on the device. */
  raiseP50Ms: number;
  raiseP99Ms: number;
  /** The whole login after the password: `auth:prove-key` sent → client told. */
  wholeP50Ms: number;
  wholeP99Ms: number;
}

/** One login's timestamps (performance.now(), all in this process). */
export interface LoginTimes {
  /** `auth:prove-key` sent, the client's signature made. */
  raisedAt: number;
  /** The request is on the device and the number on the client's screen: the earliest a person could approve. */
  pushedAt: number;
  /** `challenge:approved` on the client. */
  toldAt: number;
}

/**
 * The approval round trip of a login with a paired device, "pushed → approved → client told":
 * from the moment the request is on the device (`challenge:new` arrived) and the number on the
 * client (the `auth:prove-key` ack arrived), whichever is later, to `challenge:approved` arriving
 * on the client, through the device's `challenge:approve` (its next HOTP code and the number
 * typed) and the hub's checks and writes. Both ends are timed in this process. Physically this is one message
 * device → hub and one hub → client, which is what a bare acked round trip also carries, so the
 * ratio's floor is about 1 and what stands above it is the hub's work.
 *
 * The leg before it (`auth:prove-key` sent, after the client's signing, → `challenge:new` on the
 * device: the key check, the push limit, the claim) and the whole (`auth:prove-key` sent → client
 * told) are reported as context. Password hashing (`auth:login`) happens before either and is in
 * neither. Each sample is followed by one acked echo on bare Socket.IO, so that both sets of
 * samples see the machine's load alike.
 */
export async function measureChallengeRoundTrip(options: ChallengeRoundTripOptions): Promise<ChallengeRoundTrip> {
  const pairs = Math.min(PAIRS, options.accounts.length);
  const pushes = new Mailbox<number>();
  const approvals = new Mailbox<number>();
  const devices = await openSockets(pairs, (index) => {
    const { deviceId, deviceToken } = options.devices[index]!;
    return openSocket(options.deviceHubUrl, "/device", options.ca, { deviceId, deviceToken });
  });
  const clients = await openSockets(pairs, (index) => openSocket(options.clientHubUrl, "/client", options.ca, {}, spreadAddress(index)));
  const bare = await openSocket(options.bareUrl, "/", options.ca);
  for (const device of devices) device.on("challenge:new", ({ challengeId }: { challengeId: string }) => pushes.deliver(challengeId, performance.now()));
  for (const client of clients) client.on("challenge:approved", ({ challengeId }: { challengeId: string }) => approvals.deliver(challengeId, performance.now()));
  try {
    await claimAnonymousSockets(clients);
    const rounds: number[] = [];
    const raises: number[] = [];
    const wholes: number[] = [];
    const echoes: number[] = [];
    for (let iteration = 0; iteration < WARMUP_ITERATIONS + options.samples; iteration += 1) {
      const index = iteration % pairs;
      const times = await approveOneLogin(clients[index]!, devices[index]!, options.accounts[index]!, options.devices[index]!, pushes, approvals);
      const echo = await echoRoundTrip(bare);
      if (iteration < WARMUP_ITERATIONS) continue;
      rounds.push(times.toldAt - times.pushedAt);
      raises.push(times.pushedAt - times.raisedAt);
      wholes.push(times.toldAt - times.raisedAt);
      echoes.push(echo);
    }
    const [p50Ms, p99Ms, bareP50Ms, bareP99Ms] = [percentile(rounds, 50), percentile(rounds, 99), percentile(echoes, 50), percentile(echoes, 99)];
    return {
      samples: rounds.length,
      p50Ms,
      p99Ms,
      bareP50Ms,
      bareP99Ms,
      ratioP50: p50Ms / bareP50Ms,
      ratioP99: p99Ms / bareP99Ms,
      raiseP50Ms: percentile(raises, 50),
      raiseP99Ms: percentile(raises, 99),
      wholeP50Ms: percentile(wholes, 50),
      wholeP99Ms: percentile(wholes, 99),
    };
  } finally {
    closeSockets([...devices, ...clients, bare]);
  }
}

// The benchmark's client machine: a key the seeded accounts do not hold, sent along as a new
// machine's (the push is then marked new; nothing else differs, and no account needs a key seeded).
const clientKey = generateKeyPairSync("rsa", { modulusLength: RSA_MIN_MODULUS_BITS });
const clientPublicKeyPem = clientKey.publicKey.export({ type: "spki", format: "pem" }).toString();

function signChallenge(challengeId: string, nonce: string): string {
  const pss = { key: clientKey.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: LOGIN_SIGNATURE_SALT_BYTES };
  return sign("sha256", Buffer.from(loginSignatureMessage(challengeId, nonce), "utf8"), pss).toString("base64");
}

/** A whole login approved on the paired device: password, key proof, push, approval, client told. */
export async function approveOneLogin(client: Socket, device: Socket, account: BenchAccount, benchDevice: BenchDevice, pushes: Mailbox<number>, approvals: Mailbox<number>): Promise<LoginTimes> {
  const ack = await callAck<{ challengeId: string; nonce: string }>(client, "auth:login", { username: account.username, password: account.password });
  const { challengeId, nonce } = expectOk(ack, "auth:login");
  const proof = { challengeId, signature: signChallenge(challengeId, nonce), publicKey: clientPublicKeyPem };
  const raisedAt = performance.now();
  // The device may be asked before the client hears its own ack: the number is taken from the ack.
  const [proved, requestShownAt] = await Promise.all([
    callAck<{ numberMatch?: string }>(client, "auth:prove-key", proof).then((ack) => ({ ack, numberShownAt: performance.now() })),
    pushes.take(challengeId, "challenge:new on the device"),
  ]);
  const pushedAt = Math.max(requestShownAt, proved.numberShownAt);
  const { numberMatch } = expectOk(proved.ack, "auth:prove-key");
  if (!numberMatch) throw new Error(`auth:prove-key for ${account.username} asked no device: is the device paired, or are pushes limited (scripts/bench/children/hub-entry.ts)?`);
  const approval = callAck<unknown>(device, "challenge:approve", { challengeId, otp: benchDevice.nextCode(), numberMatch });
  const [toldAt] = await Promise.all([
    approvals.take(challengeId, "challenge:approved on the client"),
    approval.then((reply) => expectOk(reply, "challenge:approve")),
  ]);
  return { raisedAt, pushedAt, toldAt };
}

async function echoRoundTrip(socket: Socket): Promise<number> {
  const sentAt = performance.now();
  await callAck<unknown>(socket, "echo", {});
  return performance.now() - sentAt;
}

/** Pushes that may arrive before or after someone waits for them, by challenge id. */
export class Mailbox<T> {
  private readonly arrived = new Map<string, T>();
  private readonly waiting = new Map<string, (value: T) => void>();

  deliver(key: string, value: T): void {
    const waiter = this.waiting.get(key);
    if (!waiter) return void this.arrived.set(key, value);
    this.waiting.delete(key);
    waiter(value);
  }

  take(key: string, what: string): Promise<T> {
    if (this.arrived.has(key)) {
      const value = this.arrived.get(key)!;
      this.arrived.delete(key);
      return Promise.resolve(value);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`${what} did not arrive within ${PUSH_TIMEOUT_MS / 1000} s`));
      }, PUSH_TIMEOUT_MS);
      this.waiting.set(key, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
}
