import net from "node:net";

/**
 * A TCP proxy to `target`, on a port of its own, that the test can cut and restore: an outage of
 * the service behind it (refused connections, dropped ones) without touching the service itself.
 */
export interface TcpProxy {
  port: number;
  /** Refuses new connections and drops the open ones. */
  cut(): Promise<void>;
  /** Accepts and forwards again, on the same port. */
  restore(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let server = await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  function listen(onPort: number): Promise<net.Server> {
    const proxy = net.createServer((incoming) => {
      const outgoing = net.connect(target.port, target.host);
      for (const socket of [incoming, outgoing]) {
        open.add(socket);
        socket.on("close", () => open.delete(socket));
        socket.on("error", () => {});
      }
      incoming.pipe(outgoing).pipe(incoming);
      const closeBoth = () => (incoming.destroy(), outgoing.destroy());
      incoming.on("close", closeBoth);
      outgoing.on("close", closeBoth);
    });
    return new Promise((resolve, reject) => {
      proxy.once("error", reject);
      proxy.listen(onPort, "127.0.0.1", () => resolve(proxy));
    });
  }

  return {
    port,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of open) socket.destroy();
      await closed;
    },
    async restore() {
      server = await listen(port);
    },
  };
}
