import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROTOCOL_DOC_PATH, renderProtocolDoc } from "./protocol-doc/render.ts";

/**
 * Writes docs/PROTOCOL.md from the protocol's zod schemas (`npm run docs:protocol`).
 * test/protocol-doc.test.ts renders the same text and fails when the file differs.
 */
const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));
const target = path.join(repositoryRoot, PROTOCOL_DOC_PATH);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, renderProtocolDoc());
console.log(`wrote ${PROTOCOL_DOC_PATH}`);
