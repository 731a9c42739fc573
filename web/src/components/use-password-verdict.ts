import { useEffect, useState } from "react";
import type { PasswordVerdict } from "../../../common/password-rules.ts";

type Judge = (password: string, context: string[]) => PasswordVerdict;

// The hub's own rules (common/password-rules.ts, in ./password-judge.ts), loaded only by pages that take a new password:
// its dictionaries are most of its weight. The hub's verdict at submit time stays final.
let loading: Promise<Judge> | undefined;
function loadJudge(): Promise<Judge> {
  loading ??= import("./password-judge.ts").then((policy) => policy.judgePassword);
  return loading;
}

/** The policy's verdict on `password` as it is typed (null while the policy loads or nothing is typed). */
export function usePasswordVerdict(password: string, context: string[]): PasswordVerdict | null {
  const [judge, setJudge] = useState<Judge | null>(null);
  useEffect(() => {
    let live = true;
    void loadJudge().then((loaded) => live && setJudge(() => loaded));
    return () => {
      live = false;
    };
  }, []);
  const contextKey = context.join("\n");
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  useEffect(() => {
    setVerdict(judge && password ? judge(password, contextKey.split("\n").filter(Boolean)) : null);
  }, [judge, password, contextKey]);
  return verdict;
}
