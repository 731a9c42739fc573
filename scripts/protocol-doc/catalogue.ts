import { clientEvents, clientPushes, deviceEvents, devicePushes, type EventDefinition, type PushSpec } from "#protocol";

/** The two kinds of peer the hub talks to, each on its own namespace. */
export type Side = "client" | "device";

export interface SideCatalogue {
  namespace: "/client" | "/device";
  /** Who sends the events and receives the pushes, as the document names them. */
  peer: "client" | "device";
  events: Readonly<Record<string, EventDefinition>>;
  pushes: Readonly<Record<string, PushSpec>>;
}

export const CATALOGUE: Readonly<Record<Side, SideCatalogue>> = {
  client: { namespace: "/client", peer: "client", events: clientEvents, pushes: clientPushes },
  device: { namespace: "/device", peer: "device", events: deviceEvents, pushes: devicePushes },
};

export const SIDES: readonly Side[] = ["client", "device"];

export const eventNamesOf = (side: Side) => Object.keys(CATALOGUE[side].events);
export const pushNamesOf = (side: Side) => Object.keys(CATALOGUE[side].pushes);

/**
 * A section's heading text. Names are unique within a namespace but not across the two
 * (`security:notice` is pushed on both), so a `/device` name also used on `/client` gets the
 * namespace appended, and each section keeps an anchor of its own.
 */
export function sectionTitle(side: Side, name: string): string {
  const clientNames = [...eventNamesOf("client"), ...pushNamesOf("client")];
  const shared = side === "device" && clientNames.includes(name);
  return shared ? `\`${name}\` (\`${CATALOGUE[side].namespace}\`)` : `\`${name}\``;
}
