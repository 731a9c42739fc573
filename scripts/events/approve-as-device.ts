/**
 * Example event script: approve a PairGate login as the paired device. Connects to /device, finds
 * the login waiting for approval (challenge:list, or the next challenge:new within --wait seconds)
 * and sends challenge:approve with the number the client shows and the device's next HOTP code.
 *
 *   npx tsx scripts/events/approve-as-device.ts --device device.json --number 42
 *   npx tsx scripts/events/approve-as-device.ts --device-id ID --device-token-file token.txt \
 *     --secret-file secret.txt --counter 7 --wait 60
 *
 * device.json is {"deviceId", "deviceToken", "secret" (base32), "counter"}, as device:bind gave
 * them; its counter is advanced and saved (atomically, 0600) BEFORE the code is sent, so a code is
 * never used twice. Without --number, the number is asked on stdin once the login is shown. With
 * several logins waiting, pick one with --challenge ID. Prints {"approved": challengeId}.
 * Exit code 0 on success, 1 on any failure. The secret, the token and the code are never printed.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { generateHotp } from "#otp";
import { HOTP_DIGITS, pendingChallengeSchema, type DeviceToHubEvents, type HubToDeviceEvents } from "#protocol";

const USAGE = `usage: approve-as-device.ts (--device FILE | --device-id ID --device-token-file F --secret-file F --counter N)
       [--number NN] [--challenge ID] [--wait S] [--hub URL] [--ca FILE]
needs: a device paired to the account (its deviceId, deviceToken, base32 secret and next counter,
as device:bind gave them) and a login of that account waiting for approval, or one within --wait`;
// Loose: other fields a person keeps in the file (a name, the hub) survive the counter update.
const deviceFileSchema = z.looseObject({
  deviceId: z.string().min(1),
  deviceToken: z.string().min(1),
  secret: z.string().regex(/^[A-Z2-7]{16,}=*$/, "must be upper-case base32"),
  counter: z.int().min(0),
});
type Challenge = z.infer<typeof pendingChallengeSchema>;

function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
  renameSync(temporary, path);
}

/** The login to approve: the only one waiting, the one named by --challenge, or the next to arrive. */
async function findChallenge(socket: Socket<HubToDeviceEvents, DeviceToHubEvents>, wanted: string | undefined, waitSeconds: number): Promise<Challenge> {
  // Listen before asking for the list, so a login opened in between is not missed.
  const arrival = new Promise<Challenge>((resolve) => {
    socket.on("challenge:new", (payload) => {
      const parsed = pendingChallengeSchema.safeParse(payload);
      if (parsed.success && (!wanted || parsed.data.challengeId === wanted)) resolve(parsed.data);
    });
  });
  const list = await socket.emitWithAck("challenge:list", {});
  if (!list.ok) throw new Error(`challenge:list refused: ${list.error.code}: ${list.error.message}`);
  const waiting = list.data.challenges.filter((challenge) => !wanted || challenge.challengeId === wanted);
  if (waiting.length > 1) throw new Error(`${waiting.length} logins are waiting; pick one with --challenge:\n${waiting.map(describe).join("\n")}`);
  if (waiting[0]) return waiting[0];
  if (!(waitSeconds > 0)) throw new Error("no login is waiting for approval (--wait S waits for one)");
  console.error(`no login waiting yet; waiting up to ${waitSeconds} s for one`);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no login arrived within ${waitSeconds} s`)), waitSeconds * 1000).unref());
  return Promise.race([arrival, timeout]);
}

/** From --device FILE, or from --device-id, --device-token-file, --secret-file and --counter. */
function readDevice(values: { device?: string; "device-id"?: string; "device-token-file"?: string; "secret-file"?: string; counter?: string }) {
  const read = (file: string | undefined) => (file ? readFileSync(file, "utf8").trim() : undefined);
  const given = values.device
    ? JSON.parse(readFileSync(values.device, "utf8"))
    : { deviceId: values["device-id"], deviceToken: read(values["device-token-file"]), secret: read(values["secret-file"]), counter: Number(values.counter) };
  const parsed = deviceFileSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  // Only the field names and zod's wording: the values may be secret.
  throw new Error(`the device is not fully described: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}\n${USAGE}`);
}

const describe = (c: Challenge) => `${c.challengeId}: ${c.username} from ${c.client.name ?? "?"} (${c.client.address ?? "?"}) at ${c.createdAt}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hub: { type: "string", default: process.env.PAIRGATE_HUB ?? "https://127.0.0.1:8443" },
      ca: { type: "string", default: process.env.PAIRGATE_CA ?? "certs/ca.pem" },
      device: { type: "string" },
      "device-id": { type: "string" },
      "device-token-file": { type: "string" },
      "secret-file": { type: "string" },
      counter: { type: "string" },
      number: { type: "string" },
      challenge: { type: "string" },
      wait: { type: "string", default: "0" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const device = readDevice(values);
  const socket: Socket<HubToDeviceEvents, DeviceToHubEvents> = io(`${values.hub}/device`, {
    ca: readFileSync(values.ca, "utf8"), // trust this CA file; certificate checks stay on
    transports: ["websocket"],
    reconnection: false,
    ackTimeout: 10_000,
    auth: { deviceId: device.deviceId, deviceToken: device.deviceToken },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", (error: Error & { data?: { code?: string }; description?: { error?: Error } }) =>
      reject(new Error(`cannot connect: ${error.data?.code ? `${error.data.code}: ` : ""}${error.description?.error?.message ?? error.message}`)),
    );
  });

  const challenge = await findChallenge(socket, values.challenge, Number(values.wait));
  console.error(`login ${describe(challenge)}${challenge.newKey ? "; NEW MACHINE: its key has never logged in to this account" : ""}`);
  // The device is never told the number: it is read off the logging-in screen, and a wrong one denies the login.
  const number = values.number ?? (await createInterface({ input: process.stdin, output: process.stderr }).question("Type the number the logging-in screen shows: ")).trim();
  if (!/^\d{2}$/.test(number)) throw new Error(`the number must be two digits (got "${number}"); nothing was sent`);

  // Save the advanced counter first: if the program dies after this, a code is skipped, never reused.
  const otp = generateHotp(device.secret, device.counter, { digits: HOTP_DIGITS });
  if (values.device) writePrivateFile(values.device, `${JSON.stringify({ ...device, counter: device.counter + 1 }, null, 2)}\n`);
  else console.error(`this code used counter ${device.counter}: pass --counter ${device.counter + 1} next time`);
  const approval = await socket.emitWithAck("challenge:approve", { challengeId: challenge.challengeId, otp, numberMatch: number });
  if (!approval.ok) throw new Error(`challenge:approve refused: ${approval.error.code}: ${approval.error.message}`);
  console.log(JSON.stringify({ approved: challenge.challengeId }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`approve-as-device: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
