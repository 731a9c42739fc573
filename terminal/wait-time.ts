/** How long to wait, for a sentence: "1 second", "90 seconds", "3 minutes", or "a little while" when unknown. */
export function formatWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "a little while";
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 120) return `${whole} second${whole === 1 ? "" : "s"}`;
  return `${Math.ceil(whole / 60)} minutes`;
}
