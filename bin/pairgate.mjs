#!/usr/bin/env node
// The installed `pairgate` command: the compiled client in dist/, or its sources through tsx
// in a checkout that has not been built (bin/launch.mjs).
import { hideTypeahead } from "../terminal/typeahead-echo.mjs";
import { launch } from "./launch.mjs";

// First, before any module loads: keys typed ahead of the first prompt are not echoed.
hideTypeahead();
await launch("pairgate", "cli-client/main.ts");
