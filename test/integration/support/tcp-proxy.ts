/**
 * A TCP relay on 127.0.0.1 in front of the broker, so that a test can break a client's or a server's
 * connection as a network would, while the broker itself keeps running for the other tests.
 */

import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Holds the bytes of open connections in both directions (nothing arrives, nothing is lost yet). */
  freeze(): void;
  /** Drops every open connection at once, as a failed network does. */
  cut(): void;
  /** While refusing, new connections are dropped as soon as they arrive. */
  refuse(on: boolean): void;
  /** How many connections were accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let accepted = 0;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once("error", drop).once("close", drop);
    upstream.once("error", drop).once("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = (): void => {
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as { port: number }).port,
    get accepted() {
      return accepted;
    },
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    cut,
    refuse(on) {
      refusing = on;
    },
    async close() {
      cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
