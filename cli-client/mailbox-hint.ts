const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A hub on this machine, whose outbox folder the person can open. */
export function isLocalHub(hubUrl: string): boolean {
  return LOCAL_HOSTS.has(new URL(hubUrl).hostname);
}

/**
 * Where to look for an email the hub sent. A hub without SMTP_URL writes its emails as .eml files
 * to `<data folder>/outbox/`; the client cannot know the hub's data folder, so it names the default.
 */
export function mailboxHint(hubUrl: string, email?: string): string[] {
  const lines = [email ? `Check the inbox of ${email}.` : "Check the account's email inbox."];
  if (isLocalHub(hubUrl)) {
    lines.push(
      "This hub runs on this machine: if it has no SMTP_URL, the email is an .eml file in its outbox folder,",
      "  data/outbox/ where the hub was started (or $PAIRGATE_DATA_DIR/outbox/); the code is on the line starting with code:",
    );
  }
  return lines;
}
