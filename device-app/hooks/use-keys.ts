import { type Key, useInput } from "ink";
import { createContext, createElement, type ReactNode, useCallback, useContext, useLayoutEffect, useRef, useState } from "react";

export type KeyHandler = (input: string, key: Key) => void;

type Route = { current: KeyHandler };

const KeyRoutes = createContext<Set<Route> | undefined>(undefined);

/**
 * Reads the keys once for the whole app and hands each to the handlers of what is on the screen.
 * Ink's `useInput` subscribes and unsubscribes in passive effects, which run only after the
 * commit that drew the screen; on a starved machine, the program can draw a new screen, lose the
 * CPU, and on getting it back read the next keys (a pasted URI) before those effects ran: the keys
 * went to the screen that was just left, and were lost. Routes are swapped in layout effects, in
 * the same task as the drawing, so a key read after a screen appears reaches that screen.
 */
export function KeyRouter({ children }: { children: ReactNode }) {
  const [routes] = useState(() => new Set<Route>());
  useInput((input, key) => {
    for (const route of [...routes]) route.current(input, key);
  });
  return createElement(KeyRoutes.Provider, { value: routes }, children);
}

/**
 * `useInput` with a handler that always sees the latest render, swapped in a layout effect: a key
 * pressed just after a screen appeared reaches that screen's handler (a digit typed at a login
 * request that had just arrived was once dropped, because the handler in place knew no request).
 * Inside a KeyRouter, the handler also starts and stops receiving keys in layout effects.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const routes = useContext(KeyRoutes);
  const active = options.isActive !== false;
  useLayoutEffect(() => {
    if (!routes || !active) return;
    routes.add(latest);
    return () => void routes.delete(latest);
  }, [routes, active]);
  const stable = useCallback<KeyHandler>((input, key) => latest.current(input, key), []);
  useInput(stable, { isActive: routes === undefined && active });
}
