#!/usr/bin/env node
// The installed `pairgate-hub` command: the hub (`start`, the default) and the commands that
// manage it (`check`, `backup`, `restore`, `rotate-secret-key`, `admin`). The hub is written in
// TypeScript and runs through tsx, registered here so that it also works outside `npm run`.
import { register } from "tsx/esm/api";

register();
await import("../server/main.ts");
