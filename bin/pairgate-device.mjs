#!/usr/bin/env node
// The installed `pairgate-device` command. The authenticator is written in TypeScript and JSX
// and runs through tsx, registered here so that it also works outside `npm run`. tsx reads the
// tsconfig of the working directory unless told otherwise; the package's own one is named so
// that JSX is compiled the same way from any folder.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../device-app/main.tsx");
