#!/usr/bin/env node
// The installed `pairgate` command. The client is written in TypeScript and runs through tsx,
// registered here so that it also works from an installed package, outside `npm run`.
import { register } from "tsx/esm/api";
import { hideTypeahead } from "../terminal/typeahead-echo.mjs";

hideTypeahead();
register();
await import("../cli-client/main.ts");
