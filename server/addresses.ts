import { isIPv4, isIPv6 } from "node:net";

const IPV6_GROUPS = 8;
const IPV6_NETWORK_GROUPS = 4; // a /64: what one subscriber line or cloud host is usually given

/**
 * The key every limit counted per address uses. An IPv4 address is itself (an IPv4-mapped IPv6
 * address is read as the IPv4 it carries); an IPv6 address stands for its /64, since one host
 * usually holds a whole /64 and could otherwise take a fresh address for every request.
 * Anything else (a unix socket, "unknown") is kept as given.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(address)) return address;
  const withoutZone = address.split("%")[0]!;
  if (!isIPv6(withoutZone)) return address;
  const network = expandIpv6(withoutZone).slice(0, IPV6_NETWORK_GROUPS);
  return `${network.map((group) => parseInt(group, 16).toString(16)).join(":")}::/64`;
}

/** The eight groups of a valid IPv6 address, `::` filled in; a dotted IPv4 tail counts as two. */
function expandIpv6(address: string): string[] {
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group])));
  const [head = "", tail] = address.split("::");
  const headGroups = groupsOf(head);
  if (tail === undefined) return headGroups;
  const tailGroups = groupsOf(tail);
  return [...headGroups, ...Array<string>(IPV6_GROUPS - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
}
