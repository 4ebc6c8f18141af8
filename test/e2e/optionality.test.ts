/**
 * Optional, `| undefined` and `| null` stay three different things end to end: left out, left out on
 * the wire because JSON has no undefined, and null, which travels.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Profile, ProfileChanges } from "../../fixtures/kind-optionality/profiles.js";
import { ProfilesClient, profilesResultValidators, ProfilesSkeleton, serveProfiles } from "../../fixtures/kind-optionality/expected/index.js";
import { connect, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

class Store extends ProfilesSkeleton {
  readonly received: unknown[][] = [];
  async update(id: string, changes: ProfileChanges): Promise<Profile> {
    this.received.push([id, changes]);
    return { id, avatar: changes.avatar, bio: changes.bio, pronouns: null };
  }
  async find(team: string | undefined, limit?: number): Promise<Profile[]> {
    this.received.push([team, limit]);
    return [{ id: "p1", avatar: undefined, bio: null }];
  }
}

let store: Store;
let server: Server;
let peer: Peer;
let profiles: ProfilesClient;

beforeAll(async () => {
  store = new Store();
  server = await listen({ port: 0, services: [serveProfiles(store)] });
  peer = await connect(server.url);
  profiles = new ProfilesClient(peer, undefined, { validateResults: profilesResultValidators });
});

afterAll(async () => {
  peer.close();
  await server.close();
});

it("carries an undefined member as a left-out key, and null as null", async () => {
  const result = await profiles.update("p1", { avatar: undefined, bio: null, inline: { note: undefined } });
  const [, changes] = store.received.at(-1) as [string, ProfileChanges];
  expect(changes).toEqual({ bio: null, inline: {} });
  expect("avatar" in changes).toBe(false);
  expect(changes.avatar).toBeUndefined();
  expect(result).toEqual({ id: "p1", bio: null, pronouns: null });
  expect(result.avatar).toBeUndefined();
});

it("still requires a member declared T | null, and refuses undefined for it", async () => {
  const error = await rejection(profiles.update("p1", { avatar: "a.png" } as unknown as ProfileChanges));
  expect(error.data).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: "/1", keyword: "required", message: "must have required property 'bio'" })]) });
});

it("passes an undefined positional parameter before a given one", async () => {
  expect(await profiles.find(undefined, 5)).toEqual([{ id: "p1", bio: null }]);
  expect(store.received.at(-1)).toEqual([undefined, 5]);
  await profiles.find("blue");
  expect(store.received.at(-1)).toEqual(["blue", undefined]);
});
