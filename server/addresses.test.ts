import { describe, expect, it } from "vitest";
import { addressKey } from "./addresses.ts";

describe("addressKey", () => {
  it("keeps an IPv4 address whole", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(addressKey("::ffff:127.0.0.3")).toBe("127.0.0.3");
    expect(addressKey("::FFFF:203.0.113.9")).toBe("203.0.113.9");
  });

  it("counts every address of one IPv6 /64 as one", () => {
    const one = addressKey("2001:db8:aa:bb:1:2:3:4");
    expect(one).toBe("2001:db8:aa:bb::/64");
    expect(addressKey("2001:db8:aa:bb::ffff")).toBe(one);
    expect(addressKey("2001:0db8:00aa:00bb:dead:beef:0:1")).toBe(one);
    expect(addressKey("2001:db8:aa:bb::1%eth0")).toBe(one);
  });

  it("tells neighbouring IPv6 /64s apart", () => {
    expect(addressKey("2001:db8:aa:bc::1")).not.toBe(addressKey("2001:db8:aa:bb::1"));
  });

  it("expands :: wherever it stands", () => {
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(addressKey("fe80::1:2:3:4")).toBe("fe80:0:0:0::/64");
    expect(addressKey("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
  });

  it("keeps what is not an IP address as given", () => {
    expect(addressKey("unknown")).toBe("unknown");
  });
});
