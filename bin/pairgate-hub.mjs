#!/usr/bin/env node
// The installed `pairgate-hub` command: the compiled hub in dist/, or its sources through tsx in
// a checkout that has not been built (bin/launch.mjs): the hub (`start`, the default) and the
// commands that manage it (`check`, `backup`, `restore`, `rotate-secret-key`, `admin`).
import { launch } from "./launch.mjs";

await launch("pairgate-hub", "server/main.ts");
