import { useEffect, useRef, useState, type FormEvent } from "react";
import type { PushPayload } from "#protocol";
import { AccountShell } from "../account/AccountShell.tsx";
import { AccountCallError, request, when } from "../account/account-calls.ts";
import { Outcome, TextField, useAction } from "../account/parts.tsx";
import { useHub } from "../hub/use-hub.ts";

type Message = PushPayload<"message:new"> & { to?: string };

/** Live messages with another user; says plainly when they are not online. */
export function ChatPage() {
  return <AccountShell title="Chat">{(me) => <Chat username={me.user.username} />}</AccountShell>;
}

function Chat({ username }: { username: string }) {
  const hub = useHub();
  const [messages, setMessages] = useState<Message[]>([]);
  const [peer, setPeer] = useState("");
  const [presence, setPresence] = useState<string | undefined>();
  const action = useAction();
  const textRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Messages that waited while no page listened arrive in the reply; later ones live.
    const listen = () => void request(hub, "message:listen", {}).then(({ waiting }) => setMessages((shown) => [...shown, ...waiting])).catch(() => undefined);
    listen();
    hub.socket.on("connect", listen);
    const stop = hub.onPush("message:new", (message) => setMessages((shown) => [...shown, message]));
    return () => {
      hub.socket.off("connect", listen);
      stop();
    };
  }, [hub]);

  const choosePeer = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("peer") ?? "").trim();
    void action.run(async () => {
      const reply = await request(hub, "message:listen", { peer: name });
      setPeer(name);
      setPresence(reply.peer?.listening ? `${name} is online.` : `${name} is not online right now: messages wait for them (up to a few days).`);
      requestAnimationFrame(() => textRef.current?.focus());
    });
  };
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get("text") ?? "").trim();
    if (!text) return;
    void action.run(async () => {
      try {
        const sent = await request(hub, "message:send", { to: peer, text });
        setMessages((shown) => [...shown, { messageId: sent.messageId, from: username, to: peer, text, sentAt: new Date().toISOString() }]);
        form.reset();
        if (!sent.delivered) setPresence(`${peer} is not online: your message waits for them until ${when(sent.waitsUntil ?? null)}.`);
      } catch (error) {
        if (error instanceof AccountCallError && error.code === "recipient_offline") throw new Error(`${peer} is not online, and has as many messages waiting as they may. Try again when they are back.`);
        throw error;
      }
    });
  };

  const conversation = messages.filter((message) => !peer || message.from === peer || message.to === peer);
  return (
    <>
      <form className="inline-form" onSubmit={choosePeer}>
        <TextField label="Chat with (username)" name="peer" required autoComplete="off" defaultValue={peer} />
        <button type="submit" className="button button-secondary">
          Open chat
        </button>
      </form>
      <p className="presence" role="status" data-testid="presence">
        {presence ?? ""}
      </p>
      <Outcome error={action.error} />
      <ol className="messages" aria-label={peer ? `Messages with ${peer}` : "Messages"} aria-live="polite" data-testid="messages">
        {conversation.length === 0 && <li className="messages-empty">No messages yet.</li>}
        {conversation.map((message) => (
          <li key={message.messageId} className={message.from === username ? "message message-mine" : "message"}>
            <p className="message-meta">
              <strong>{message.from === username ? "You" : message.from}</strong> · {when(message.sentAt)}
            </p>
            <p className="message-text">{message.text}</p>
          </li>
        ))}
      </ol>
      {peer && (
        <form className="inline-form message-form" onSubmit={send}>
          <div className="field">
            <label htmlFor="chat-text">Message to {peer}</label>
            <input id="chat-text" ref={textRef} name="text" required maxLength={2000} autoComplete="off" />
          </div>
          <button type="submit" className="button" disabled={action.busy}>
            Send
          </button>
        </form>
      )}
    </>
  );
}
