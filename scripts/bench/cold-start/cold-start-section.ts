/** The cold-start section of docs/PERFORMANCE.md lies between these; `npm run bench` keeps it. */
export const COLD_START_BEGIN = "<!-- cold-start:begin (written by `npm run bench:cold-start`) -->";
export const COLD_START_END = "<!-- cold-start:end -->";

/** The section as it stands in `text`, markers included, or "" when there is none. */
export function coldStartSection(text: string): string {
  const begin = text.indexOf(COLD_START_BEGIN);
  const end = text.indexOf(COLD_START_END);
  return begin === -1 || end < begin ? "" : text.slice(begin, end + COLD_START_END.length);
}
