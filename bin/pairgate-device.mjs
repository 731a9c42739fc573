#!/usr/bin/env node
// The installed `pairgate-device` command: the compiled authenticator in dist/, or its sources
// (TypeScript and JSX) through tsx in a checkout that has not been built (bin/launch.mjs).
import { launch } from "./launch.mjs";

await launch("pairgate-device", "device-app/main.tsx");
