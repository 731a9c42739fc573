import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const UNIT = path.resolve(import.meta.dirname, "../deploy/pairgate-hub.service");
const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"], { stdio: "ignore" }).status === 0;

/** The unit's settings: section → key → every value given (a key may repeat). */
function readUnit(): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(UNIT, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) sections.set(section[1]!, (current = new Map()));
    else {
      const [key, ...value] = line.split("=");
      current!.set(key!, [...(current!.get(key!) ?? []), value.join("=")]);
    }
  }
  return sections;
}

describe("deploy/pairgate-hub.service", () => {
  const service = readUnit().get("Service")!;
  const value = (key: string) => service.get(key)?.at(-1);

  it("runs the hub as a dedicated user, never as root", () => {
    expect(value("User")).toBe("pairgate");
    expect(value("Group")).toBe("pairgate");
    expect(value("ExecStart")).toBe("/usr/bin/env pairgate-hub start");
  });

  it("keeps the data in its StateDirectory, private", () => {
    expect(value("StateDirectory")).toBe("pairgate");
    expect(value("StateDirectoryMode")).toBe("0700");
    expect(service.get("Environment")).toContain("PAIRGATE_DATA_DIR=/var/lib/pairgate");
    expect(value("UMask")).toBe("0077");
  });

  it("is hardened: read-only system, no home, private tmp, no new privileges, no capabilities", () => {
    expect(value("ProtectSystem")).toBe("strict");
    expect(value("ProtectHome")).toBe("yes");
    expect(value("PrivateTmp")).toBe("yes");
    expect(value("NoNewPrivileges")).toBe("yes");
    expect(value("CapabilityBoundingSet")).toBe("");
    expect(value("AmbientCapabilities")).toBe("");
    expect(value("RestrictAddressFamilies")).toBe("AF_INET AF_INET6 AF_UNIX");
  });

  it("restarts on failure, but not on an invalid setting", () => {
    expect(value("Restart")).toBe("on-failure");
    expect(value("RestartPreventExitStatus")).toBe("78");
  });

  it.skipIf(!hasSystemdAnalyze)("passes systemd-analyze verify without a single warning", () => {
    const run = spawnSync("systemd-analyze", ["verify", UNIT], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it.runIf(!hasSystemdAnalyze)("cannot run systemd-analyze verify here (install Debian's systemd package); the keys above were checked instead", () => {
    expect(hasSystemdAnalyze).toBe(false);
  });
});
