/**
 * The number of a pushed login, drawn five lines tall, so that it can be read from across the
 * desk and typed on the authenticator without a slip. Plain ASCII `#`, so that every terminal and
 * font shows it alike.
 */
const GLYPHS: Record<string, readonly string[]> = {
  "0": ["#####", "#   #", "#   #", "#   #", "#####"],
  "1": ["  #  ", " ##  ", "  #  ", "  #  ", " ### "],
  "2": ["#####", "    #", "#####", "#    ", "#####"],
  "3": ["#####", "    #", " ####", "    #", "#####"],
  "4": ["#   #", "#   #", "#####", "    #", "    #"],
  "5": ["#####", "#    ", "#####", "    #", "#####"],
  "6": ["#####", "#    ", "#####", "#   #", "#####"],
  "7": ["#####", "    #", "   # ", "  #  ", "  #  "],
  "8": ["#####", "#   #", "#####", "#   #", "#####"],
  "9": ["#####", "#   #", "#####", "    #", "#####"],
};

/** `digits` as five text lines, indented, one space-separated glyph per digit. */
export function bigNumber(digits: string, indent = "    "): string[] {
  const glyphs = [...digits].map((digit) => {
    const glyph = GLYPHS[digit];
    if (!glyph) throw new TypeError(`Not a digit: ${digit}`);
    return glyph;
  });
  return GLYPHS["0"]!.map((_, row) => indent + glyphs.map((glyph) => glyph[row]).join("   "));
}
