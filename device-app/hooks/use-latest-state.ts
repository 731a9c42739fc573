import { type RefObject, useCallback, useRef, useState } from "react";

type Update<T> = T | ((previous: T) => T);

/**
 * State whose latest value key handlers can read at once through `latest.current`. Keys can
 * arrive faster than React re-renders (a paste, a quick "2" then "a"), and a handler from the
 * previous render would otherwise act on the state from before the previous key.
 */
export function useLatestState<T>(initial: T): [T, (update: Update<T>) => void, RefObject<T>] {
  const [state, setState] = useState(initial);
  const latest = useRef(initial);
  const set = useCallback((update: Update<T>) => {
    latest.current = typeof update === "function" ? (update as (previous: T) => T)(latest.current) : update;
    setState(latest.current);
  }, []);
  return [state, set, latest];
}
