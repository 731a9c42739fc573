import { runCommandLine } from "./program.ts";

// `pairgate-device` alone opens the app; with a command it runs that command for scripts. Ink,
// React and the screens load only for the app: they take longer to load than everything a
// command or `--help` needs. (No JSX here, so that React itself is not loaded for a command.)
process.exitCode = await runCommandLine(process.argv.slice(2), async (settings) => {
  const [{ render }, { createElement }, { App }] = await Promise.all([import("ink"), import("react"), import("./components/App.tsx")]);
  await render(createElement(App, settings)).waitUntilExit();
});
