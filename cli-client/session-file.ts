import { z } from "zod";
import { type HomePaths, readFileIfExists, removeFile, writePrivateFileAtomically } from "../terminal/home.ts";

/** What `session.json` holds after a login. The token is a bearer secret: the file is 0600. */
const storedSessionSchema = z.object({
  hub: z.string(),
  username: z.string(),
  token: z.string().min(1),
  expiresAt: z.iso.datetime(),
  sessionId: z.string().optional(),
});

export type StoredSession = z.infer<typeof storedSessionSchema>;

/**
 * The saved session, or `undefined` when there is none or it has passed its expiry time
 * (an expired or unreadable file is removed, so the next command says "log in" at once).
 */
export async function loadSession(paths: HomePaths, now: Date = new Date()): Promise<StoredSession | undefined> {
  const text = await readFileIfExists(paths.session);
  if (text === undefined) return undefined;
  const parsed = storedSessionSchema.safeParse(parseJson(text));
  if (!parsed.success || Date.parse(parsed.data.expiresAt) <= now.getTime()) {
    await forgetSession(paths);
    return undefined;
  }
  return parsed.data;
}

export async function saveSession(paths: HomePaths, session: StoredSession): Promise<void> {
  await writePrivateFileAtomically(paths.session, `${JSON.stringify(session, null, 2)}\n`);
}

export async function forgetSession(paths: HomePaths): Promise<void> {
  await removeFile(paths.session);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a damaged file is treated like no session: the person logs in again
  }
}
