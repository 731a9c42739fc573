import { createRequire } from "node:module";
import type QRCodeModule from "qrcode";

// Loaded when a code is drawn (pairing a standard authenticator app), not for every command.
const require = createRequire(import.meta.url);

/**
 * A QR code drawn with block characters, two modules per character cell (▀ ▄ █), in black on
 * an explicit white background, so it scans on dark and light terminal themes alike.
 */

/** ISO/IEC 18004 asks for a quiet zone of 4 modules around the symbol; scanners need it. */
const QUIET_ZONE_MODULES = 4;
/** Black characters on a white background, whatever the terminal's own colours. */
export const QR_LINE_START = "\x1b[30;47m";
const RESET = "\x1b[0m";
const CELLS: Record<string, string> = { "00": " ", "10": "▀", "01": "▄", "11": "█" };

/** One terminal line per two rows of modules, each wrapped in its colours. */
export function renderTerminalQr(text: string): string[] {
  // M: 15% of the symbol can be lost (a glare on a screen) and it still reads.
  const { modules } = (require("qrcode") as typeof QRCodeModule).create(text, { errorCorrectionLevel: "M" });
  const size = modules.size;
  const dark = (x: number, y: number) => {
    const [mx, my] = [x - QUIET_ZONE_MODULES, y - QUIET_ZONE_MODULES];
    return mx >= 0 && my >= 0 && mx < size && my < size && modules.get(my, mx) ? "1" : "0";
  };
  const side = size + 2 * QUIET_ZONE_MODULES;
  const lines: string[] = [];
  for (let y = 0; y < side; y += 2) {
    let cells = "";
    for (let x = 0; x < side; x += 1) cells += CELLS[dark(x, y) + dark(x, y + 1)];
    lines.push(`${QR_LINE_START}${cells}${RESET}`);
  }
  return lines;
}
