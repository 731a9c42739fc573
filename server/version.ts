import { readFileSync } from "node:fs";
import { packageFile } from "../common/package-files.ts";

export const HUB_VERSION: string = (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;
