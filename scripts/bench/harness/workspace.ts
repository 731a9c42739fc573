import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureCertificates } from "../../../server/tls/certificates.ts";
import { deriveKey, HUB_KEY_BYTES } from "../../../server/secret-key.ts";

/**
 * One run's temporary folder: logs, each hub's data folder, and the TLS material that every
 * hub and bare server of the run shares (so both sides of a comparison use the same certificate).
 */
export interface Workspace {
  root: string;
  logDir: string;
  certDir: string;
  certFile: string;
  keyFile: string;
  /** The CA clients trust, as PEM text. */
  ca: string;
  /** PAIRGATE_SECRET_KEY of every hub of the run, so that the run can seal device secrets itself. */
  hubKeyBase64: string;
  hotpSecretsKey: Buffer;
  /** A fresh folder under the root. */
  folder(name: string): string;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-bench-"));
  const logDir = path.join(root, "logs");
  mkdirSync(logDir);
  const certDir = path.join(root, "certs");
  const { files } = ensureCertificates(certDir);
  const hubKey = randomBytes(HUB_KEY_BYTES);
  return {
    root,
    logDir,
    certDir,
    certFile: files.certFile,
    keyFile: files.keyFile,
    ca: readFileSync(files.caFile, "utf8"),
    hubKeyBase64: hubKey.toString("base64"),
    hotpSecretsKey: deriveKey(hubKey, "hotp-secrets"),
    folder(name) {
      const folder = path.join(root, name);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      return folder;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
