/**
 * Example values for docs/PROTOCOL.md, shared by the event declarations. The key, challenge and
 * signature belong together: the signature verifies against the key. The device examples use
 * RFC 4226's test secret (ASCII "12345678901234567890"), so their codes can be checked:
 * `oathtool --hotp 3132333435363738393031323334353637383930 -c 0` prints 755224.
 */

export const USER_ID = "0b6f3c1e-7a42-4d8e-9f15-3c2a8e6d4b90";
export const SESSION_ID = "c3e1a9f4-2b7d-4e6a-8c05-9d1f7b3a2e61";
export const CHALLENGE_ID = "5f0c4b2e-8d1a-4c3f-9b7e-2a6d1e0f9c48";
export const DEVICE_ID = "e2a7c9d1-4f36-4b8a-9d05-7c1e3b6f2a84";
export const KEY_ID = "7d2c9e41-3a6b-4f85-b0d7-1e9a5c3f8b26";
export const MESSAGE_ID = "a81f5d3c-6e20-4b97-8c4a-d2f0e7b1963e";
export const BOB_ID = "4c8e2a7f-91d3-4b5e-a6f0-3d7b1c9e5a82";
export const exampleUser = { id: USER_ID, username: "alice", email: "alice@example.org" };
/** Alice as an administrator sees her. */
export const adminViewOfAlice = {
  ...exampleUser,
  role: "user" as const,
  createdAt: "2026-03-01T17:02:11.000Z",
  emailVerified: true,
  locked: false,
  lockReason: null,
  devices: 1,
};
export const exampleRecoveryCodes = [
  "7K3MQ-9TD2X", "H4W8N-PZ6RB", "3FJ0C-VYQ5M", "XE2TK-8GH7D", "N9BR4-WS1ZP",
  "6QDVA-MJ3XT", "PZ5Y0-KC8RE", "T1GHN-4BW9F", "2MXE7-QR6JV", "WC8PD-5N3KH",
];
/** The number the client shows and the person types on the device. */
export const NUMBER_MATCH = "47";
export const examplePendingChallenge = {
  challengeId: CHALLENGE_ID,
  username: "alice",
  client: { name: "alice-laptop", address: "192.0.2.24" },
  createdAt: "2026-03-14T09:26:53.000Z",
  expiresAt: "2026-03-14T09:28:53.000Z",
  newKey: false,
};
export const exampleDevice = {
  id: DEVICE_ID,
  name: "alice-phone",
  createdAt: "2026-03-10T18:41:07.000Z",
  lastUsedAt: "2026-03-14T09:26:58.000Z",
  lockedUntil: null,
  needsOwnerUnlock: false,
};

export const PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvjOyWKeZeWuofNA5rgz9
ZelVGP8Xsggp4T9qRyUWFmeddhaDbfVZCeddP0evQvvEdZcNo5H1Xw3W8Guw8oe+
xyDWcWxVKFmCFwm2j+f7o+Z23fM7LtDSRBr8hao8bgwqto9MzRca0k1yuWfz4cH0
Z0hiA/rsJZVd7cOAPnb9dC328PMBO6eUnGBUsBpl2z+rF4NfaRUzjgL/T7P0fX7R
IGSd9076tWNPxHYWspcscv4pzCD6U1Yz1HaVdPJiJYVITgwwmgDRc6OUtykk6Liu
bA4DSoE9TSPa/tw8H02pTZkkFyOzHTbQicRsUMNBgeQLV94SVfveh3TQH8wzZOL/
VwIDAQAB
-----END PUBLIC KEY-----
`;

export const SIGNATURE =
  "Bd3lRqQ46Ln+dgX63CxBmC76z+pYgZuETkQjaB2oI/b1/Gjf8GV60sH3rukYo2eyQtyj0fsClIilCE7UdYAMXul8/q9Fkb9kSqkCxtUQTnPEZtIjL1kb+XHy+pxzbjs2ZfoYMwapEZEULNj/PR8sHL3Gb+NdVTiu7zXaOZrb6aPpjkxt8uEDaR7ZEppDR4wJWnooTJsPAnQtJ6qdVxub4fApQ0rMppyWLXtsICGjYf0WyTEsjw0IbR77KfKpWjqejyeAP4gwN+P99nvG2YbjTBG/kGywHmgwFS7loIiVp9+W+wVZWiD1Dc+DjM3ufR6ZFJWxKt01YLADvFlYIMY+BQ==";

/** SHA-256 of the example public key's DER SPKI form. */
export const KEY_FINGERPRINT = "6e1f672c998939e4d7f6cd1ca1df67b1c901509fa89eb2986ec6638107d3eff6";
