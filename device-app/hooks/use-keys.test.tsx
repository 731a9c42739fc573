import { Text } from "ink";
import { render } from "ink-testing-library";
import { type ReactNode, useState } from "react";
import { describe, expect, it } from "vitest";
import { KeyRouter, useKeys } from "./use-keys.ts";

/** A list that opens an input screen on "i", as the authenticator's accounts screen does. */
function List({ onOpen, heard }: { onOpen(): void; heard: string[] }) {
  useKeys((input) => {
    heard.push(`list: ${input}`);
    if (input === "i") onOpen();
  });
  return <Text>list</Text>;
}

function Field({ heard }: { heard: string[] }) {
  const [text, setText] = useState("");
  useKeys((input) => {
    heard.push(`field: ${input}`);
    setText((previous) => previous + input);
  });
  return <Text>field [{text}]</Text>;
}

function Switcher({ heard }: { heard: string[] }) {
  const [open, setOpen] = useState(false);
  return open ? <Field heard={heard} /> : <List onOpen={() => setOpen(true)} heard={heard} />;
}

/**
 * Presses "i", and sends the pasted text the moment the new screen has been drawn: in a microtask
 * queued from that drawing, after the commit and before React's passive effects, which is where a
 * starved process that reads its next keys on getting the CPU back would read them.
 */
async function pasteRightAfterSwitch(wrap: (children: ReactNode) => ReactNode) {
  const heard: string[] = [];
  const screen = render(<>{wrap(<Switcher heard={heard} />)}</>);
  await expect.poll(() => screen.lastFrame()).toBe("list");
  await new Promise((resolve) => setImmediate(resolve)); // the first screen's passive effects have run
  const stdout = screen.stdout as unknown as { write(frame: string): void };
  const draw = stdout.write.bind(stdout);
  let pasted = false;
  stdout.write = (frame: string) => {
    draw(frame);
    if (pasted || !frame.includes("field []")) return;
    pasted = true;
    queueMicrotask(() => screen.stdin.write("otpauth://totp/x"));
  };
  screen.stdin.write("i");
  await expect.poll(() => heard.length).toBe(2);
  return { heard, screen };
}

describe("useKeys inside a KeyRouter", () => {
  it("hands a key read right after a new screen was drawn to that screen, not to the one just left", async () => {
    const { heard, screen } = await pasteRightAfterSwitch((children) => <KeyRouter>{children}</KeyRouter>);
    expect(heard).toEqual(["list: i", "field: otpauth://totp/x"]);
    await expect.poll(() => screen.lastFrame()).toContain("field [otpauth://totp/x]");
    screen.unmount();
  });

  it("without the router, Ink's own subscription loses that key to the screen just left (what the router is for)", async () => {
    const { heard, screen } = await pasteRightAfterSwitch((children) => children);
    expect(heard).toEqual(["list: i", "list: otpauth://totp/x"]);
    expect(screen.lastFrame()).toBe("field []");
    screen.unmount();
  });

  it("stops handing keys to a handler whose isActive is false", () => {
    const heard: string[] = [];
    function Gated({ active }: { active: boolean }) {
      useKeys((input) => heard.push(input), { isActive: active });
      return <Text>gated</Text>;
    }
    const screen = render(
      <KeyRouter>
        <Gated active={false} />
      </KeyRouter>,
    );
    screen.stdin.write("a");
    screen.rerender(
      <KeyRouter>
        <Gated active />
      </KeyRouter>,
    );
    screen.stdin.write("b");
    expect(heard).toEqual(["b"]);
    screen.unmount();
  });
});
