/**
 * A RabbitMQ of the test run's own: its state in a fresh folder under the OS temp folder, AMQP, STOMP and
 * Web-STOMP on free loopback ports, and an epmd of its own on another free port (so that it neither meets
 * nor stops another run's nodes), all stopped by pid. The broker can be stopped and started again on the
 * same folder and ports (a restart: durable queues and persistent messages survive it). Needs Debian's
 * `rabbitmq-server` package.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** What the tests need to reach the broker. */
export interface RabbitMqUrls {
  /** `amqp://guest:guest@127.0.0.1:<port>` */
  readonly amqp: string;
  /** `ws://127.0.0.1:<port>/ws` (Web-STOMP) */
  readonly stomp: string;
  readonly amqpPort: number;
  readonly stompWebPort: number;
}

export interface RabbitMq {
  readonly urls: RabbitMqUrls;
  /** Seconds from launch until AMQP and Web-STOMP accepted connections. */
  readonly startSeconds: number;
  /** Stops the broker and its epmd by pid and removes the state folder. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the broker process alone, by pid, with `signal` (`SIGKILL`: a crash; `SIGTERM`: a clean stop),
   * keeping its state folder, ports and epmd; resolves once it is gone.
   */
  halt(signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts a halted broker again on the same state; resolves with the seconds until AMQP and Web-STOMP accepted. */
  restart(): Promise<number>;
  /** The lines of the broker's own log files (and its console output) that match `pattern`. */
  logLines(pattern: RegExp): string[];
}

/** The server script itself: /usr/sbin/rabbitmq-server would switch to the rabbitmq user and /etc. */
const server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
const install = "apt-get install -y --no-install-recommends rabbitmq-server";

export async function startRabbitMq(): Promise<RabbitMq> {
  if (!existsSync(server)) {
    throw new Error(`RabbitMQ is not installed (no ${server}). The integration tests start their own broker: run \`${install}\` (as root), then run them again.`);
  }
  const epmdPath = findEpmd();
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-rabbitmq-"));
  const [amqp, stomp, webStomp, epmdPort, dist] = (await freePorts(5)) as [number, number, number, number, number];
  writeFileSync(
    path.join(dir, "rabbitmq.conf"),
    [
      `listeners.tcp.default = 127.0.0.1:${amqp}`,
      `stomp.listeners.tcp.1 = 127.0.0.1:${stomp}`,
      "web_stomp.tcp.ip = 127.0.0.1",
      `web_stomp.tcp.port = ${webStomp}`,
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "enabled_plugins"), "[rabbitmq_stomp,rabbitmq_web_stomp].\n");
  // Empty, so that /etc/rabbitmq/rabbitmq-env.conf is not read.
  writeFileSync(path.join(dir, "rabbitmq-env.conf"), "");
  const env = {
    ...process.env,
    HOME: dir,
    RABBITMQ_CONF_ENV_FILE: path.join(dir, "rabbitmq-env.conf"),
    RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
    RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(dir, "log"),
    RABBITMQ_PID_FILE: path.join(dir, "rabbit.pid"),
    RABBITMQ_NODENAME: `jamp-${process.pid}-${amqp}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(amqp),
    RABBITMQ_DIST_PORT: String(dist),
    ERL_EPMD_ADDRESS: "127.0.0.1",
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
  };
  const started = Date.now();
  const log = openSync(path.join(dir, "server.out"), "a");
  const epmd = spawn(epmdPath, ["-port", String(epmdPort), "-address", "127.0.0.1"], { stdio: ["ignore", log, log], env });
  await waitForPort(epmdPort, epmd, 10_000, () => "epmd did not start");
  let broker = spawn(server, [], { stdio: ["ignore", log, log], env });
  const ready = async (): Promise<void> => {
    await waitForPort(amqp, broker, 180_000, () => `RabbitMQ did not start; its output:\n${tail(path.join(dir, "server.out"))}`);
    await waitForPort(webStomp, broker, 30_000, () => "RabbitMQ started without Web-STOMP");
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", killNow);
    const beam = readPid(path.join(dir, "rabbit.pid"));
    // The script stops the VM on SIGTERM and waits for it; the VM is killed if it takes too long.
    await terminate([broker.pid, beam], 30_000);
    await terminate([epmd.pid], 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const halt = async (signal: "SIGTERM" | "SIGKILL"): Promise<void> => {
    const beam = readPid(path.join(dir, "rabbit.pid"));
    if (beam !== undefined && alive(beam)) process.kill(beam, signal);
    await terminate([beam], 30_000);
    // The script ends with its VM; it is told too, in case it waits.
    await terminate([broker.pid], 5_000);
  };
  const restart = async (): Promise<number> => {
    const at = Date.now();
    broker = spawn(server, [], { stdio: ["ignore", log, log], env });
    await ready();
    return (Date.now() - at) / 1000;
  };
  // Should the test process end without its teardown (Ctrl-C), the broker does not outlive it.
  const killNow = (): void => {
    for (const pid of [readPid(path.join(dir, "rabbit.pid")), broker.pid, epmd.pid]) {
      if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
    }
  };
  process.on("exit", killNow);
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: {
      amqp: `amqp://guest:guest@127.0.0.1:${amqp}`,
      stomp: `ws://127.0.0.1:${webStomp}/ws`,
      amqpPort: amqp,
      stompWebPort: webStomp,
    },
    startSeconds: (Date.now() - started) / 1000,
    stop,
    halt,
    restart,
    logLines: (pattern) => {
      const files = [path.join(dir, "server.out"), ...readdirSync(path.join(dir, "log")).map((name) => path.join(dir, "log", name))];
      return files.flatMap((file) => readFileSync(file, "utf8").split("\n")).filter((line) => pattern.test(line));
    },
  };
}

function findEpmd(): string {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/lib/erlang/bin"])) {
    const candidate = path.join(dir, "epmd");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  throw new Error(`epmd (Erlang) was not found; it comes with rabbitmq-server: \`${install}\``);
}

/** `count` distinct ports free on 127.0.0.1 now (held together, so that none is handed out twice). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const held = createServer();
      servers.push(held);
      await new Promise<void>((resolve, reject) => held.once("error", reject).listen(0, "127.0.0.1", resolve));
    }
    return servers.map((held) => (held.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((held) => new Promise((resolve) => held.close(resolve))));
  }
}

/** Resolves once `port` accepts a connection; rejects if `child` exits first or after `timeout` ms. */
async function waitForPort(port: number, child: ChildProcess, timeout: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(why());
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(why());
}

/** SIGTERM to each pid, then SIGKILL to those still alive after `grace` ms; resolves once all are gone. */
async function terminate(pids: readonly (number | undefined)[], grace: number): Promise<void> {
  const living = pids.filter((pid): pid is number => pid !== undefined && alive(pid));
  for (const pid of living) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + grace;
  while (living.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of living.filter(alive)) process.kill(pid, "SIGKILL");
  while (living.some(alive)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Whether `pid` runs: a zombie (state Z, left by a parent that did not reap it) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no output)";
  }
}
