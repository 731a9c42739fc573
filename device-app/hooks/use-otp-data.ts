import { useCallback, useEffect, useState } from "react";
import type { ImportedCode } from "../imported-code.ts";
import type { DeviceAccount, OtpDataFile, OtpDataProblem } from "../otp-data.ts";

export type OtpDataState =
  | { status: "loading" }
  | { status: "ready"; accounts: DeviceAccount[]; imported: ImportedCode[] }
  | { status: "problem"; problem: OtpDataProblem };

/** The accounts in the data file, read at start and again whenever `reload` is called. */
export function useOtpData(file: OtpDataFile): { state: OtpDataState; reload: () => Promise<void> } {
  const [state, setState] = useState<OtpDataState>({ status: "loading" });
  const reload = useCallback(async () => {
    const read = await file.read();
    setState(read.ok ? { status: "ready", accounts: read.accounts, imported: read.imported } : { status: "problem", problem: read.problem });
  }, [file]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { state, reload };
}
