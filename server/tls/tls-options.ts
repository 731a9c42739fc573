import type { SecureContextOptions, TlsOptions } from "node:tls";

/**
 * Mozilla's "intermediate" choice: TLS 1.3 suites, and for TLS 1.2 only ephemeral ECDH key
 * exchange with an AEAD cipher, so that a recorded session stays sealed if the server key leaks
 * later (forward secrecy) and no CBC padding oracle is in play. RSA key exchange and CBC suites
 * (AES128-SHA, AES256-SHA, ECDHE-RSA-AES128-SHA, ...) are left out.
 */
export const TLS_13_CIPHER_SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
export const TLS_12_CIPHER_SUITES = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
];

/**
 * The hub's TLS settings. Node (OpenSSL) picks the highest version both sides offer, so a
 * client that can speak TLS 1.3 always gets it; 1.2 is kept for older clients.
 */
export const HUB_TLS_OPTIONS: Pick<TlsOptions & SecureContextOptions, "minVersion" | "ciphers" | "honorCipherOrder"> = {
  minVersion: "TLSv1.2",
  ciphers: [...TLS_13_CIPHER_SUITES, ...TLS_12_CIPHER_SUITES].join(":"),
  honorCipherOrder: true,
};
