import type {
  ClientEventName,
  ClientPushName,
  DeviceEventInput,
  DeviceEventName,
  DeviceEventReply,
  DevicePushName,
  DevicePushPayload,
  EventInput,
  EventReply,
  PushPayload,
} from "#protocol";

/**
 * One example per event and push for docs/PROTOCOL.md. The generator parses every payload and
 * reply with its schema and refuses to write the document when one does not fit, so these stay
 * true. The key, challenge and signature belong together: the signature verifies against the key.
 */
export interface EventExample<E extends ClientEventName> {
  payload: EventInput<E>;
  reply: EventReply<E>;
}

export type EventExamples = { [E in ClientEventName]: EventExample<E> };
export type PushExamples = { [P in ClientPushName]: PushPayload<P> };
export type DeviceEventExamples = { [E in DeviceEventName]: { payload: DeviceEventInput<E>; reply: DeviceEventReply<E> } };
export type DevicePushExamples = { [P in DevicePushName]: DevicePushPayload<P> };

const USER_ID = "0b6f3c1e-7a42-4d8e-9f15-3c2a8e6d4b90";
const SESSION_ID = "c3e1a9f4-2b7d-4e6a-8c05-9d1f7b3a2e61";
const CHALLENGE_ID = "5f0c4b2e-8d1a-4c3f-9b7e-2a6d1e0f9c48";
const DEVICE_ID = "e2a7c9d1-4f36-4b8a-9d05-7c1e3b6f2a84";
const user = { id: USER_ID, username: "alice", email: "alice@example.org" };
/** The number the client shows, among the three the device offers. */
const NUMBER_MATCH = "47";
const pendingChallenge = {
  challengeId: CHALLENGE_ID,
  username: "alice",
  client: { name: "alice-laptop", address: "192.0.2.24" },
  createdAt: "2026-03-14T09:26:53.000Z",
  expiresAt: "2026-03-14T09:28:53.000Z",
  numberMatchOptions: ["82", NUMBER_MATCH, "13"],
};
const device = {
  id: DEVICE_ID,
  name: "alice-phone",
  createdAt: "2026-03-10T18:41:07.000Z",
  lastUsedAt: "2026-03-14T09:26:58.000Z",
  lockedUntil: null,
};

const PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvjOyWKeZeWuofNA5rgz9
ZelVGP8Xsggp4T9qRyUWFmeddhaDbfVZCeddP0evQvvEdZcNo5H1Xw3W8Guw8oe+
xyDWcWxVKFmCFwm2j+f7o+Z23fM7LtDSRBr8hao8bgwqto9MzRca0k1yuWfz4cH0
Z0hiA/rsJZVd7cOAPnb9dC328PMBO6eUnGBUsBpl2z+rF4NfaRUzjgL/T7P0fX7R
IGSd9076tWNPxHYWspcscv4pzCD6U1Yz1HaVdPJiJYVITgwwmgDRc6OUtykk6Liu
bA4DSoE9TSPa/tw8H02pTZkkFyOzHTbQicRsUMNBgeQLV94SVfveh3TQH8wzZOL/
VwIDAQAB
-----END PUBLIC KEY-----
`;

const SIGNATURE =
  "Bd3lRqQ46Ln+dgX63CxBmC76z+pYgZuETkQjaB2oI/b1/Gjf8GV60sH3rukYo2eyQtyj0fsClIilCE7UdYAMXul8/q9Fkb9kSqkCxtUQTnPEZtIjL1kb+XHy+pxzbjs2ZfoYMwapEZEULNj/PR8sHL3Gb+NdVTiu7zXaOZrb6aPpjkxt8uEDaR7ZEppDR4wJWnooTJsPAnQtJ6qdVxub4fApQ0rMppyWLXtsICGjYf0WyTEsjw0IbR77KfKpWjqejyeAP4gwN+P99nvG2YbjTBG/kGywHmgwFS7loIiVp9+W+wVZWiD1Dc+DjM3ufR6ZFJWxKt01YLADvFlYIMY+BQ==";

export const eventExamples: EventExamples = {
  "account:register": {
    payload: { username: "alice", email: "alice@example.org", password: "violet-ember-canyon-42", publicKey: PUBLIC_KEY_PEM },
    reply: { user, emailVerificationRequired: false },
  },
  "auth:login": {
    payload: { username: "alice", password: "violet-ember-canyon-42", clientName: "alice-laptop" },
    reply: {
      challengeId: CHALLENGE_ID,
      nonce: "kZZ6EVh5c6fQ-PQptj3cLuAizUmdtjEtdTFquNivZbc",
      expiresAt: "2026-03-14T09:28:53.000Z",
      factors: ["signature", "otp"],
      numberMatch: NUMBER_MATCH,
    },
  },
  "auth:complete": {
    payload: { challengeId: CHALLENGE_ID, signature: SIGNATURE, clientName: "alice-laptop", otp: "287082" },
    reply: { token: "gKxdAqVpPxvAjMjpecVwhaYay8Q4wKc3ChosZFVbhyw", expiresAt: "2026-04-13T09:26:55.000Z", user },
  },
  "auth:logout": { payload: {}, reply: { loggedOut: true } },
  "auth:logout-all": { payload: {}, reply: { sessionsEnded: 3 } },
  "account:me": {
    payload: {},
    reply: {
      user: { ...user, role: "user", createdAt: "2026-03-01T17:02:11.000Z", passwordChangedAt: "2026-03-01T17:02:11.000Z" },
      session: { id: SESSION_ID, expiresAt: "2026-04-13T09:26:55.000Z" },
    },
  },
  "password:change": {
    payload: { currentPassword: "violet-ember-canyon-42", newPassword: "quiet-harbour-lantern-17" },
    reply: { changed: true, sessionsEnded: 2 },
  },
  "session:list": {
    payload: {},
    reply: {
      sessions: [
        {
          id: SESSION_ID,
          clientName: "alice-laptop",
          address: "127.0.0.1",
          createdAt: "2026-03-14T09:26:55.000Z",
          lastSeenAt: "2026-03-14T11:40:02.000Z",
          expiresAt: "2026-04-13T09:26:55.000Z",
          current: true,
        },
      ],
    },
  },
  "session:revoke": { payload: { sessionId: SESSION_ID }, reply: { revoked: true } },
  "audit:list": {
    payload: { limit: 2 },
    reply: {
      events: [
        {
          id: "9a4e2c71-5b3d-4f08-a6e1-7c2b9d0f3e58",
          action: "login.succeeded",
          address: "127.0.0.1",
          details: { sessionId: SESSION_ID },
          createdAt: "2026-03-14T09:26:55.000Z",
        },
        {
          id: "1d7b5e39-0c8a-4a62-b4f7-e2913c6a8d05",
          action: "login.password_failed",
          address: "127.0.0.1",
          details: { username: "alice" },
          createdAt: "2026-03-14T09:25:40.000Z",
        },
      ],
      nextBefore: "1d7b5e39-0c8a-4a62-b4f7-e2913c6a8d05",
    },
  },
  "device:create-binding-code": { payload: { name: "alice-phone" }, reply: { code: "7K3M-Q9TD", expiresAt: "2026-03-10T18:45:12.000Z" } },
  "device:list": { payload: {}, reply: { devices: [device] } },
  "device:rename": { payload: { deviceId: DEVICE_ID, name: "alice-old-phone" }, reply: { device: { ...device, name: "alice-old-phone" } } },
  "device:revoke": { payload: { deviceId: DEVICE_ID }, reply: { revoked: true } },
};

export const pushExamples: PushExamples = {
  "session:revoked": { sessionId: SESSION_ID, reason: "revoked" },
  "security:notice": {
    kind: "password_changed",
    message: "Your password was changed; your other sessions were ended.",
    at: "2026-03-14T12:03:17.000Z",
  },
  "device:bound": { device: { id: DEVICE_ID, name: "alice-phone" } },
  "challenge:approved": { challengeId: CHALLENGE_ID },
  "challenge:denied": { challengeId: CHALLENGE_ID, reason: "wrong_number" },
};

/**
 * The device examples use RFC 4226's test secret (ASCII "12345678901234567890"), so the codes can
 * be checked: `oathtool --hotp 3132333435363738393031323334353637383930 -c 0` prints 755224.
 */
export const deviceEventExamples: DeviceEventExamples = {
  "device:bind": {
    payload: { code: "7K3M-Q9TD", name: "alice-phone" },
    reply: {
      deviceId: DEVICE_ID,
      deviceToken: "q2Vb8sYJm4Tz0cK7nWfR1xLd9pHu6gEa3NiO5jZyQtM",
      username: "alice",
      secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      counter: 0,
      digits: 6,
      algorithm: "SHA1",
    },
  },
  "challenge:list": { payload: {}, reply: { challenges: [pendingChallenge] } },
  "challenge:approve": { payload: { challengeId: CHALLENGE_ID, otp: "755224", numberMatch: NUMBER_MATCH }, reply: { approved: true } },
  "challenge:deny": { payload: { challengeId: CHALLENGE_ID }, reply: { denied: true } },
};

export const devicePushExamples: DevicePushExamples = {
  "challenge:new": pendingChallenge,
  "challenge:closed": { challengeId: CHALLENGE_ID, outcome: "approved" },
  "device:revoked": { deviceId: DEVICE_ID },
  "security:notice": {
    kind: "otp_locked",
    message: "10 wrong codes in a row: code checks for one of your devices are locked until 2026-03-14T09:45:02.000Z.",
    at: "2026-03-14T09:30:02.000Z",
  },
};

/** All of them, as the generator and its tests take them. */
export const protocolExamples = {
  events: eventExamples,
  pushes: pushExamples,
  deviceEvents: deviceEventExamples,
  devicePushes: devicePushExamples,
};
