/**
 * Starts one real Prosody (Debian's package) for the whole integration run and stops it by its pid
 * afterwards, whatever the tests did: its own state folder under the OS temp dir, its own free loopback
 * ports, plaintext c2s with PLAIN allowed (loopback only, no certificate, so no `tls` module), BOSH at
 * `/http-bind`, and no offline storage, so that a message to an offline account bounces with
 * `service-unavailable` instead of waiting. Accounts: see `accounts`. Tests read it all with
 * `inject("prosody")`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

export interface ProsodyServer {
  /** `xmpp://127.0.0.1:<port>`, for @xmpp/client and `connectXmpp`. */
  readonly service: string;
  readonly domain: string;
  /** Prosody's own BOSH endpoint. */
  readonly bosh: string;
  /** Every account registered, by user name: its bare JID and password. */
  readonly accounts: Readonly<Record<string, { readonly jid: string; readonly password: string }>>;
}

declare module "vitest" {
  export interface ProvidedContext {
    prosody: ProsodyServer;
  }
}

/** alice and bob log in in most tests; carol never does (the offline recipient); the rest serve one file each. */
const accounts = ["alice", "bob", "carol", "dave", "erin", "frank"];
const domain = "localhost";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (spawnSync("sh", ["-c", "command -v prosody && command -v prosodyctl"]).status !== 0) {
    throw new Error(
      "Prosody is not installed, and the XMPP integration tests need a real server: " +
        "apt-get install -y --no-install-recommends prosody",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "jamp-prosody-"));
  // Prosody refuses to run as root: as root, run it as the package's user, which must own the folder
  // (prosodyctl checks that it can read the configuration, and writes the accounts as root).
  const asRoot = process.getuid?.() === 0;
  let ports: { c2s: number; http: number };
  try {
    ports = await configure(dir, asRoot);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const out = openSync(join(dir, "server.out"), "a");
  const args = ["--config", join(dir, "prosody.cfg.lua"), "-F"];
  const child = asRoot
    ? spawn("runuser", ["-u", "prosody", "--", "prosody", ...args], { stdio: ["ignore", out, out] })
    : spawn("prosody", args, { stdio: ["ignore", out, out] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let pid: number | undefined;
  const stop = async (): Promise<void> => {
    pid ??= readPid(dir);
    if (pid !== undefined) kill(pid, "SIGTERM");
    else child.kill("SIGTERM");
    const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!gone && pid !== undefined) kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  // Should the run itself die, Prosody must not outlive it.
  const onExit = (): void => void (pid !== undefined && kill(pid, "SIGKILL"));
  process.once("exit", onExit);
  try {
    await waitForPorts([ports.c2s, ports.http], child, dir);
    pid = readPid(dir);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide("prosody", {
    service: `xmpp://127.0.0.1:${ports.c2s}`,
    domain,
    bosh: `http://127.0.0.1:${ports.http}/http-bind`,
    accounts: Object.fromEntries(accounts.map((name) => [name, { jid: `${name}@${domain}`, password: `${name}-pw` }])),
  });
  return async () => {
    process.off("exit", onExit);
    await stop();
  };
}

/** Writes the configuration into `dir` and registers the accounts; resolves with the ports chosen. */
async function configure(dir: string, asRoot: boolean): Promise<{ c2s: number; http: number }> {
  const [c2s, http] = await Promise.all([freePort(), freePort()]);
  mkdirSync(join(dir, "data"));
  const config = join(dir, "prosody.cfg.lua");
  writeFileSync(
    config,
    `pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
certificates = "${dir}"
plugin_paths = { }
admins = { }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${c2s} }
http_ports = { ${http} }
http_interfaces = { "127.0.0.1" }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "posix"; "bosh" }
modules_disabled = { "s2s"; "offline" }
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_bosh_secure = true
log = { info = "${dir}/prosody.log"; error = "${dir}/prosody.err" }
VirtualHost "${domain}"
`,
  );
  if (asRoot) chownTree(dir);
  for (const name of accounts) {
    const registered = spawnSync("prosodyctl", ["--config", config, "register", name, domain, `${name}-pw`], {
      encoding: "utf8",
    });
    if (registered.status !== 0) {
      throw new Error(`prosodyctl could not register ${name}: ${registered.stdout}${registered.stderr}`);
    }
  }
  if (asRoot) chownTree(dir);
  return { c2s, http };
}

function chownTree(dir: string): void {
  const user = spawnSync("id", ["-u", "prosody"], { encoding: "utf8" });
  const group = spawnSync("id", ["-g", "prosody"], { encoding: "utf8" });
  if (user.status !== 0) throw new Error("the prosody user is missing; is the Debian package installed?");
  const uid = Number(user.stdout.trim());
  const gid = Number(group.stdout.trim());
  chownSync(dir, uid, gid);
  spawnSync("chown", ["-R", `${uid}:${gid}`, dir]);
}

async function waitForPorts(ports: readonly number[], child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        const log = readQuietly(join(dir, "prosody.err")) + readQuietly(join(dir, "server.out"));
        throw new Error(`Prosody did not start (port ${port} never accepted):\n${log}`);
      }
      await sleep(50);
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function readPid(dir: string): number | undefined {
  const pid = Number(readQuietly(join(dir, "prosody.pid")).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function readQuietly(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
