import { useEffect, useState } from "react";

/** The current time, refreshed every `intervalMs`, so countdowns and back-off timers move. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whole seconds from `now` until `at` (both Date.now() values), never below zero. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1_000));
}

/** "1:42" for a login request's remaining time. */
export function formatTimeLeft(expiresAt: string, now: number): string {
  const seconds = secondsUntil(Date.parse(expiresAt), now);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
