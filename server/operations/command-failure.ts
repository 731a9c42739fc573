/** What `pairgate-hub` exits with, after sysexits.h, so scripts can tell the failures apart. */
export const EXIT = {
  ok: 0,
  failure: 1, // failed, or `check` found a problem
  usage: 64, // EX_USAGE: unknown command, missing or invalid argument
  dataError: 65, // EX_DATAERR: a backup file that cannot be restored
  noInput: 66, // EX_NOINPUT: no hub database where the settings point
  noUser: 67, // EX_NOUSER: no account with that username
  unavailable: 69, // EX_UNAVAILABLE: the database cannot be reached
  tempFail: 75, // EX_TEMPFAIL: a hub runs on the database (restore, rotate-secret-key)
  config: 78, // EX_CONFIG: a setting is invalid
} as const;

/** A refusal the command explains itself, with its exit code. */
export class CommandFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
