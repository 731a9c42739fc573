import { readFileSync } from "node:fs";

/**
 * Connections the kernel dropped because a listening socket's accept queue was full, machine-wide
 * since boot (Linux: TcpExt ListenOverflows in /proc/net/netstat); null elsewhere. A difference
 * across a measurement says whether a server fell behind accepting.
 */
export function listenOverflows(): number | null {
  let text: string;
  try {
    text = readFileSync("/proc/net/netstat", "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n").filter((line) => line.startsWith("TcpExt:"));
  const [names, values] = lines.map((line) => line.trim().split(/\s+/).slice(1));
  const index = names?.indexOf("ListenOverflows") ?? -1;
  return index < 0 || !values ? null : Number(values[index]);
}
