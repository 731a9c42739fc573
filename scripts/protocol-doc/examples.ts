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
const KEY_ID = "7d2c9e41-3a6b-4f85-b0d7-1e9a5c3f8b26";
const MESSAGE_ID = "a81f5d3c-6e20-4b97-8c4a-d2f0e7b1963e";
const BOB_ID = "4c8e2a7f-91d3-4b5e-a6f0-3d7b1c9e5a82";
const user = { id: USER_ID, username: "alice", email: "alice@example.org" };
/** Alice as an administrator sees her. */
const adminViewOfAlice = {
  ...user,
  role: "user" as const,
  createdAt: "2026-03-01T17:02:11.000Z",
  emailVerified: true,
  locked: false,
  lockReason: null,
  devices: 1,
};
const recoveryCodes = [
  "7K3MQ-9TD2X", "H4W8N-PZ6RB", "3FJ0C-VYQ5M", "XE2TK-8GH7D", "N9BR4-WS1ZP",
  "6QDVA-MJ3XT", "PZ5Y0-KC8RE", "T1GHN-4BW9F", "2MXE7-QR6JV", "WC8PD-5N3KH",
];
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
    reply: { user, emailVerificationRequired: true },
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
  "account:verify-email": { payload: { username: "alice", code: "493017" }, reply: { verified: true } },
  "account:resend-verification": { payload: { username: "alice" }, reply: { sent: true } },
  "password:forgot": { payload: { login: "alice@example.org" }, reply: { sent: true } },
  "password:reset": {
    payload: { username: "alice", code: "820465", newPassword: "quiet-harbour-lantern-17", otp: "359152" },
    reply: { reset: true },
  },
  "recovery:generate": { payload: {}, reply: { codes: recoveryCodes } },
  "key:list": {
    payload: {},
    reply: {
      keys: [
        {
          id: KEY_ID,
          fingerprint: "6e1f672c998939e4d7f6cd1ca1df67b1c901509fa89eb2986ec6638107d3eff6", // SHA-256 of the example key's DER
          createdAt: "2026-03-01T17:02:11.000Z",
          lastUsedAt: "2026-03-14T09:26:55.000Z",
          current: true,
        },
      ],
    },
  },
  "key:remove": { payload: { keyId: KEY_ID }, reply: { removed: true, sessionsEnded: 1 } },
  "message:send": { payload: { to: "bob", text: "Lunch at noon?" }, reply: { messageId: MESSAGE_ID, delivered: true } },
  "message:listen": {
    payload: { peer: "bob" },
    reply: {
      waiting: [{ messageId: MESSAGE_ID, from: "bob", text: "Are you back tomorrow?", sentAt: "2026-03-13T19:02:11.000Z" }],
      peer: { username: "bob", listening: true },
    },
  },
  "device:create-binding-code": { payload: { name: "alice-phone" }, reply: { code: "7K3M-Q9TD", expiresAt: "2026-03-10T18:45:12.000Z" } },
  "device:list": { payload: {}, reply: { devices: [device] } },
  "device:rename": { payload: { deviceId: DEVICE_ID, name: "alice-old-phone" }, reply: { device: { ...device, name: "alice-old-phone" } } },
  "device:revoke": { payload: { deviceId: DEVICE_ID }, reply: { revoked: true } },
  "admin:list-users": {
    payload: { search: "ali", page: 1, pageSize: 20 },
    reply: { users: [adminViewOfAlice], total: 1, page: 1, pageSize: 20 },
  },
  "admin:update-user": { payload: { userId: USER_ID, email: "alice@example.net" }, reply: { user: { ...adminViewOfAlice, email: "alice@example.net" } } },
  "admin:lock-user": {
    payload: { userId: USER_ID, reason: "Reported lost laptop" },
    reply: { user: { ...adminViewOfAlice, locked: true, lockReason: "Reported lost laptop" }, sessionsEnded: 2 },
  },
  "admin:unlock-user": { payload: { userId: USER_ID }, reply: { user: adminViewOfAlice } },
  "admin:delete-user": { payload: { userId: BOB_ID }, reply: { deleted: true } },
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
  "message:new": { messageId: MESSAGE_ID, from: "bob", text: "Noon works. See you there.", sentAt: "2026-03-14T11:58:40.000Z" },
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
      name: "alice-phone",
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
