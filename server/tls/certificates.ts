import { randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type Forge from "node-forge";
import { writeFileAtomic } from "../files.ts";
import { systemClock } from "../clock.ts";

const require = createRequire(import.meta.url);
let loadedForge: typeof Forge | undefined;

/** node-forge, loaded only when certificates are made: a hub whose certificates exist starts without it. */
function forge(): typeof Forge {
  loadedForge ??= require("node-forge") as typeof Forge;
  return loadedForge;
}

/**
 * Development TLS material: a local CA and a server certificate for localhost, 127.0.0.1 and ::1,
 * made with node-forge on first start. Clients trust `ca.pem`; keys are written 0600.
 * `npx tsx scripts/make-certificates.ts` creates them without starting the hub.
 */
export const CA_VALIDITY_DAYS = 3650;
// Browsers and Apple clients refuse leaf certificates valid for more than 398 days.
export const SERVER_CERT_VALIDITY_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;
const KEY_BITS = 2048;
export const SERVER_HOSTNAMES = ["localhost"];
export const SERVER_ADDRESSES = ["127.0.0.1", "::1"];

export interface CertificateFiles {
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
}

export function certificateFiles(certDir: string): CertificateFiles {
  return {
    caFile: path.join(certDir, "ca.pem"),
    caKeyFile: path.join(certDir, "ca-key.pem"),
    certFile: path.join(certDir, "server.pem"),
    keyFile: path.join(certDir, "server-key.pem"),
  };
}

/** Creates whatever is missing or due for renewal; returns the file paths and what it made. */
export function ensureCertificates(certDir: string): { files: CertificateFiles; created: string[] } {
  mkdirSync(certDir, { recursive: true, mode: 0o700 });
  const files = certificateFiles(certDir);
  const created: string[] = [];
  if (!existsSync(files.caFile) || !existsSync(files.caKeyFile)) {
    writeCa(files);
    created.push("ca");
  }
  if (created.length > 0 || !serverCertificateIsCurrent(files)) {
    writeServerCertificate(files);
    created.push("server");
  }
  return { files, created };
}

function newSerialNumber(): string {
  // Positive 16-byte serial: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString("hex");
}

function validity(cert: Forge.pki.Certificate, days: number): void {
  cert.validity.notBefore = new Date(systemClock.now().getTime() - 60_000);
  cert.validity.notAfter = new Date(systemClock.now().getTime() + days * 86_400_000);
}

function writeCa(files: CertificateFiles): void {
  const keys = forge().pki.rsa.generateKeyPair({ bits: KEY_BITS });
  const cert = forge().pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = newSerialNumber();
  validity(cert, CA_VALIDITY_DAYS);
  const subject = [{ name: "commonName", value: "PairGate local CA" }, { name: "organizationName", value: "PairGate" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge().md.sha256.create());
  writeFileAtomic(files.caKeyFile, forge().pki.privateKeyToPem(keys.privateKey), 0o600);
  writeFileAtomic(files.caFile, forge().pki.certificateToPem(cert), 0o644);
}

function writeServerCertificate(files: CertificateFiles): void {
  const ca = forge().pki.certificateFromPem(readFileSync(files.caFile, "utf8"));
  const caKey = forge().pki.privateKeyFromPem(readFileSync(files.caKeyFile, "utf8"));
  const keys = forge().pki.rsa.generateKeyPair({ bits: KEY_BITS });
  const cert = forge().pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = newSerialNumber();
  validity(cert, SERVER_CERT_VALIDITY_DAYS);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        ...SERVER_HOSTNAMES.map((value) => ({ type: 2, value })),
        ...SERVER_ADDRESSES.map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge().md.sha256.create());
  writeFileAtomic(files.keyFile, forge().pki.privateKeyToPem(keys.privateKey), 0o600);
  writeFileAtomic(files.certFile, forge().pki.certificateToPem(cert), 0o644);
}

function serverCertificateIsCurrent(files: CertificateFiles): boolean {
  if (!existsSync(files.certFile) || !existsSync(files.keyFile)) return false;
  // Node's own X.509 parser: a hub whose certificate is current never loads node-forge.
  const cert = new X509Certificate(readFileSync(files.certFile));
  const renewAt = new Date(cert.validTo).getTime() - RENEW_BEFORE_DAYS * 86_400_000;
  return systemClock.now().getTime() < renewAt;
}
