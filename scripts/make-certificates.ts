import path from "node:path";
import { ensureCertificates } from "../server/tls/certificates.ts";

// Several hub processes sharing one certificate folder should find it ready, not each make a CA.
const certDir = path.resolve(process.env.PAIRGATE_CERT_DIR ?? "./certs");
const { files, created } = ensureCertificates(certDir);
console.log(created.length > 0 ? `Created ${created.join(" and ")} certificate in ${certDir}` : `Certificates in ${certDir} are current`);
console.log(`Clients trust: ${files.caFile}`);
