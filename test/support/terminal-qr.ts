import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

/**
 * Turns a QR code printed with block characters back into an image and reads it with a real
 * decoder, zbar's `zbarimg` (Debian package zbar-tools), as a phone's camera would read the screen.
 */

/** Pixels per half-character module in the PNG: large enough for zbar to find the finder patterns. */
const PIXELS_PER_MODULE = 6;
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;
const TOP: Record<string, [boolean, boolean]> = { " ": [false, false], "▀": [true, false], "▄": [false, true], "█": [true, true] };

/** The lines of `printed` that hold the QR code: those made only of block characters (and colours). */
export function qrBlockLines(printed: string): string[] {
  return printed
    .split(/\r?\n/)
    .map((line) => line.replace(ANSI_ESCAPE, ""))
    .filter((line) => /[▀▄█]/.test(line) && /^[ ▀▄█]+$/.test(line));
}

/** Dark modules as a grid: each character is one column and two rows. */
export function modulesOf(lines: string[]): boolean[][] {
  const width = Math.max(...lines.map((line) => [...line].length));
  const rows: boolean[][] = [];
  for (const line of lines) {
    const cells: Array<[boolean, boolean]> = [...line.padEnd(width, " ")].map((cell) => TOP[cell] ?? [false, false]);
    rows.push(cells.map(([top]) => top), cells.map(([, bottom]) => bottom));
  }
  return rows;
}

/** An 8-bit greyscale PNG of the modules, black on white with a white margin. */
export function writeModulesPng(file: string, modules: boolean[][], margin = 4): void {
  const size = (modules[0]?.length ?? 0) + 2 * margin;
  const height = modules.length + 2 * margin;
  const width = size * PIXELS_PER_MODULE;
  const raw = Buffer.alloc((width + 1) * height * PIXELS_PER_MODULE, 0xff);
  for (let y = 0; y < height * PIXELS_PER_MODULE; y += 1) {
    const row = y * (width + 1);
    raw[row] = 0; // filter: none
    const moduleRow = modules[Math.floor(y / PIXELS_PER_MODULE) - margin];
    for (let x = 0; x < width; x += 1) {
      if (moduleRow?.[Math.floor(x / PIXELS_PER_MODULE) - margin]) raw[row + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height * PIXELS_PER_MODULE, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  writeFileSync(file, Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, check]);
}

/** What `zbarimg` reads from a PNG: the text of its one QR code. */
export function decodeQrPng(file: string): string {
  try {
    return execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], { encoding: "utf8" }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("zbarimg is not installed: apt-get install -y zbar-tools");
    throw error;
  }
}
