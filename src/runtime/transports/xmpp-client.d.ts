/**
 * The part of @xmpp/client (0.14, which ships no types) that the XMPP transport uses. Local rather than
 * `@types/xmpp__client`, which pulls in the types of ten more packages; none of these types is exported,
 * so users of the runtime never need them.
 */
declare module "@xmpp/client" {
  /** An ltx element: what the client parses stanzas into and serialises with `toString()`. */
  export interface XmppElement {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (XmppElement | string)[];
    getChild(name: string, xmlns?: string): XmppElement | undefined;
    getChildren(name: string, xmlns?: string): XmppElement[];
    toString(): string;
  }

  export interface XmppJid {
    toString(): string;
  }

  /** What `credentials` is handed: a function that logs in with a given mechanism. */
  export type Authenticate = (credentials: { username: string; password: string }, mechanism: string) => Promise<void>;

  export interface XmppClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    credentials?: (authenticate: Authenticate, mechanisms: string[]) => Promise<void>;
  }

  export interface XmppEntity {
    jid: XmppJid | null;
    status: string;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: XmppElement): Promise<void>;
    on(event: "stanza", listener: (element: XmppElement) => void): this;
    on(event: "error", listener: (error: Error & { condition?: string; text?: string }) => void): this;
    on(event: "disconnect" | "offline", listener: () => void): this;
    reconnect: { stop(): void };
    iqCallee: {
      get(xmlns: string, name: string, handler: (context: { stanza: XmppElement }) => XmppElement | undefined): void;
    };
    iqCaller: {
      get(element: XmppElement, to?: string, timeout?: number): Promise<XmppElement | undefined>;
    };
  }

  export function client(options: XmppClientOptions): XmppEntity;
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | string | null,
    ...children: (XmppElement | string)[]
  ): XmppElement;
}
