/**
 * One RPC contender (raw-parse, raw-parse-corked or jamp-gen) on one workload for a long steady run, clients
 * and servers in this process: it prints the CPU time per call, and with `--profile <file>` writes a V8 CPU
 * profile of the measured calls alone (both sides; open it in Chrome's DevTools), sampled every 100 µs, sums it
 * up by where the time went (ws sending, ws receiving, garbage collection, jamp-gen's runtime, the bench's
 * own code, the rest) and lists the frames that took the most time themselves.
 *
 *   node --import tsx --import ./bench/runtime-alias.mjs bench/profile-rpc.ts \
 *     --contender jamp-gen --call add --window 100 --calls 100000 --profile jamp-gen.cpuprofile
 */

import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { jampGenClient, rawParseClient, type Contender } from "./clients.js";
import { generateMirror, loadMirror, removeMirror, type Call } from "./rpc-workloads.js";
import { startServers } from "./servers.js";

const { values: args } = parseArgs({
  options: {
    contender: { type: "string", default: "jamp-gen" },
    call: { type: "string", default: "add" },
    window: { type: "string", default: "100" },
    calls: { type: "string", default: "100000" },
    profile: { type: "string" },
  },
});

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

/** Where a sample's time went: the first rule matching the sample's frame or one of its callers wins. */
const groups: readonly (readonly [string, RegExp])[] = [
  ["garbage collection", /^\(garbage collector\)@/],
  // Idle, and the profiler's own start (the first sample, inside the inspector's `post`, spans it).
  ["idle", /^\((idle|program)\)@|^post@node:inspector$/],
  ["JSON.parse / JSON.stringify", /^(parse|stringify)@$/],
  ["ws: sending (framing, writev)", /^(send|sendFrame|dispatch)@.*ws\/lib\/sender\.js$/],
  // Coalesced writes leave when the socket is uncorked, outside ws's send.
  ["network writes let out by uncork (writev)", /^(Writable\.)?uncork@node:internal\/streams\/writable$/],
  ["ws: receiving (reading, parsing frames)", /^(startLoop|getData|dataMessage|receiverOnMessage)@.*ws\/lib\/receiver\.js$|socketOnData@.*ws\/lib\/websocket\.js$/],
  ["jamp-gen runtime", /@.*src\/runtime\//],
  ["bench (clients, servers, driver)", /@.*bench\//],
];

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** The frames that took the most time themselves (self time), in µs per call, busy time only. */
function topFrames(profile: Profile, microsPerCall: number, count = 12): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const idle = (sample: number): boolean => {
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = byId.get(id)!.callFrame;
      if (groups[1]![1].test(`${functionName}@${url}`)) return true;
    }
    return false;
  };
  const self = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((sample, i) => {
    const frame = byId.get(sample)!.callFrame;
    if (idle(sample)) return;
    const time = profile.timeDeltas[i] ?? 0;
    busy += time;
    const where = frame.url.replace(/^.*\/(node_modules|src|bench)\//, "$1/");
    const name = `${frame.functionName || "(anonymous)"} ${where}`.trimEnd();
    self.set(name, (self.get(name) ?? 0) + time);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `${((time / busy) * microsPerCall).toFixed(1).padStart(5)} µs  ${name}`)
    .join("\n");
}

/** The share of the busy time each group took, and that share in µs per call. */
function summarize(profile: Profile, microsPerCall: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((sample, i) => {
    const time = profile.timeDeltas[i] ?? 0;
    all += time;
    let group = "other (Node's streams and timers, microtasks)";
    // The innermost frame that matches a rule names the group: JSON called by the runtime is JSON.
    search: for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const name = `${frame.functionName}@${frame.url}`;
      for (const [label, rule] of groups) {
        if (rule.test(name)) {
          group = label;
          break search;
        }
      }
    }
    totals.set(group, (totals.get(group) ?? 0) + time);
  });
  const busy = all - (totals.get("idle") ?? 0);
  return [...totals]
    .filter(([group]) => group !== "idle")
    .sort((a, b) => b[1] - a[1])
    .map(([group, time]) => {
      const share = time / busy;
      return `${(100 * share).toFixed(1).padStart(5)}%  ${(share * microsPerCall).toFixed(1).padStart(5)} µs  ${group}`;
    })
    .join("\n");
}

async function run(): Promise<void> {
  const mirror = await generateMirror();
  const mirrorModule = await loadMirror(mirror);
  const servers = await startServers(mirrorModule);
  const contender: Contender =
    args.contender === "raw-parse" || args.contender === "raw-parse-corked"
      ? await rawParseClient(servers.urls[args.contender], args.contender === "raw-parse-corked")
      : await jampGenClient(servers.urls["jamp-gen"], mirrorModule);
  const call = args.call as Call;
  const window = Number(args.window);
  const calls = Number(args.calls);
  await contender.run(call, Math.min(20_000, calls), window);
  const session = new Session();
  if (args.profile !== undefined) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
  }
  const before = process.cpuUsage();
  await contender.run(call, calls, window);
  const used = process.cpuUsage(before);
  const micros = (used.user + used.system) / calls;
  console.log(`${contender.name} ${call}, window ${window}: ${micros.toFixed(1)} µs of CPU per call, both sides`);
  if (args.profile !== undefined) {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    writeFileSync(args.profile, JSON.stringify(profile));
    console.log(summarize(profile as unknown as Profile, micros));
    console.log(`\nTop frames by self time:\n${topFrames(profile as unknown as Profile, micros)}`);
  }
  await contender.close();
  await servers.close();
  removeMirror(mirror);
}

await run();
process.exit(0);
