import { createContext, useContext, useEffect, useState } from "react";
import type { ConnectionState, HubConnection } from "./hub-connection.ts";

export const HubContext = createContext<HubConnection | null>(null);

/** The page's connection to the hub (provided once, in App). */
export function useHub(): HubConnection {
  const hub = useContext(HubContext);
  if (!hub) throw new Error("useHub needs a HubContext provider");
  return hub;
}

/** The socket's state, live: connected, reconnecting or offline. */
export function useConnectionState(): ConnectionState {
  const hub = useHub();
  const [state, setState] = useState(hub.state);
  useEffect(() => {
    setState(hub.state);
    return hub.onState(setState);
  }, [hub]);
  return state;
}
