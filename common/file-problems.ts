// The file-system errors a person can fix, in words; the path is theirs (PAIRGATE_HOME, --ca,
// PAIRGATE_DATA_DIR), so the sentence names the problem, never the error code.
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: "it does not exist",
  ENOTDIR: "a part of that path is a file, not a folder",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  ELOOP: "it is a loop of symbolic links",
  ENAMETOOLONG: "the path is too long",
};

/** Words for a file-system error a person can fix, or undefined for any other error. */
export function describeFileProblem(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? FILE_PROBLEMS[code] : undefined;
}

/** The reason to show for a failed file operation: the words above, else the error's own message. */
export function fileProblemReason(error: unknown): string {
  return describeFileProblem(error) ?? (error instanceof Error ? error.message : String(error));
}
