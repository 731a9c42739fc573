import type { EventReply } from "#protocol";
import { formatTime } from "../terminal/output.ts";

export type ListedSession = EventReply<"session:list">["sessions"][number];

/** Ids are shown this short at least; longer where two sessions would otherwise look alike. */
const SHORT_ID_MIN_LENGTH = 8;

/** The shortest prefix, from SHORT_ID_MIN_LENGTH characters, that tells each id from the others. */
export function shortIds(ids: string[]): Map<string, string> {
  const short = new Map<string, string>();
  for (const id of ids) {
    let length = Math.min(SHORT_ID_MIN_LENGTH, id.length);
    while (length < id.length && ids.some((other) => other !== id && other.startsWith(id.slice(0, length)))) length += 1;
    short.set(id, id.slice(0, length));
  }
  return short;
}

/** "pairgate cli on laptop at 192.0.2.7, last used 2026-11-21 09:03Z (this session)". */
export function sessionLabel(session: ListedSession): string {
  const client = session.clientName ?? "a client that gave no name";
  const address = session.address ? ` at ${session.address}` : "";
  return `${client}${address}, last used ${formatTime(session.lastSeenAt)}${session.current ? " (this session)" : ""}`;
}

export type SessionMatch = { ok: true; session: ListedSession } | { ok: false; reason: "none" | "ambiguous"; candidates: ListedSession[] };

/** The session an id or a unique id prefix names. */
export function findSessionByPrefix(sessions: ListedSession[], typed: string): SessionMatch {
  const wanted = typed.trim().toLowerCase();
  const exact = sessions.find((session) => session.id.toLowerCase() === wanted);
  if (exact) return { ok: true, session: exact };
  const candidates = wanted.length === 0 ? [] : sessions.filter((session) => session.id.toLowerCase().startsWith(wanted));
  if (candidates.length === 1) return { ok: true, session: candidates[0]! };
  return { ok: false, reason: candidates.length === 0 ? "none" : "ambiguous", candidates };
}
