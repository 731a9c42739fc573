import { render } from "ink";
import { App } from "./components/App.tsx";
import { runCommandLine } from "./program.ts";

// `pairgate-device` alone opens the app; with a command it runs that command for scripts.
process.exitCode = await runCommandLine(process.argv.slice(2), async (settings) => {
  await render(<App {...settings} />).waitUntilExit();
});
