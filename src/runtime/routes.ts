/**
 * The bindings a peer serves, and which one a call is for: by address, or, for a call that names no
 * address (JSON-RPC, SOAPjr), by the interface name of its service, which the binding's descriptor carries.
 * Each binding's methods are looked up once, when it is added: a call then finds its method's route, with
 * what its context says, in one map.
 */

import type { MethodDescriptor, MethodKind } from "./descriptor.js";
import { JampError } from "./errors.js";
import type { ServiceBinding } from "./service.js";

/** One method of a binding served: what a call of it runs, and what the call's context says of it. */
export interface MethodRoute {
  readonly binding: ServiceBinding;
  /** The descriptor's name, `Calculator`. */
  readonly service: string;
  readonly method: string;
  readonly kind: MethodKind;
}

/** A binding served, with the routes of its descriptor's own methods. */
export interface ServedBinding {
  readonly binding: ServiceBinding;
  readonly methods: ReadonlyMap<string, MethodRoute>;
}

export class Routes {
  readonly #byAddress = new Map<string, ServedBinding>();
  /** By descriptor name; `null` when two bindings share it, so that the name reaches neither. */
  readonly #byName = new Map<string, ServedBinding | null>();

  /** Throws if another binding already has `binding`'s address. */
  add(binding: ServiceBinding): void {
    if (this.#byAddress.has(binding.address)) throw new Error(`a service is already bound at ${binding.address}`);
    const service = binding.descriptor.name;
    const methods = new Map<string, MethodRoute>();
    for (const method of Object.keys(binding.descriptor.methods)) {
      const { kind } = binding.descriptor.methods[method] as MethodDescriptor;
      methods.set(method, { binding, service, method, kind });
    }
    const served: ServedBinding = { binding, methods };
    this.#byAddress.set(binding.address, served);
    this.#byName.set(service, this.#byName.has(service) ? null : served);
  }

  /** The addresses served, in the order they were added. */
  addresses(): string[] {
    return [...this.#byAddress.keys()];
  }

  /**
   * The binding a call to `to` of `service` is for: by `service` when `to` is `""`, else the one at `to`
   * exactly, else the one at the path of `to` when it is a URL. Throws `service-not-found`.
   */
  find(to: string, service: string | undefined): ServedBinding {
    if (to === "" && service !== undefined) {
      const named = this.#byName.get(service);
      if (named !== undefined && named !== null) return named;
      throw new JampError(
        "service-not-found",
        named === null
          ? `two services are named ${quote(service)}: address them instead`
          : `no service named ${quote(service)}`,
      );
    }
    const exact = this.#byAddress.get(to);
    if (exact !== undefined) return exact;
    const path = pathOfUrl(to);
    const binding = path === undefined ? undefined : this.#byAddress.get(path);
    if (binding === undefined) throw new JampError("service-not-found", `no service at ${quote(to)}`);
    return binding;
  }
}

/** `/calculator` for `jamp+ws://host/calculator?x#y`; `undefined` when `address` is not a URL. */
function pathOfUrl(address: string): string | undefined {
  const scheme = address.indexOf("://");
  if (scheme <= 0) return undefined;
  const start = address.indexOf("/", scheme + 3);
  if (start < 0) return "/";
  let end = address.length;
  for (const mark of ["?", "#"]) {
    const at = address.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return address.slice(start, end);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
