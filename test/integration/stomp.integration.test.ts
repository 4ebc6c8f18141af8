/**
 * JAMP over STOMP (@stomp/stompjs over RabbitMQ's Web-STOMP) against the run's own RabbitMQ: see
 * `support/broker-suite.ts`; then STOMP and AMQP mixed on the same queues.
 */
import { describe, expect, inject, it } from "vitest";
import { CalculatorClient, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { Peer } from "../../src/runtime/index.js";
import { connectAmqp, serveAmqp } from "../../src/runtime/transports/amqp.js";
import { connectStomp, serveStomp } from "../../src/runtime/transports/stomp.js";
import { rejection } from "../support/rejection.js";
import { brokerSuite, TestCalculator } from "./support/broker-suite.js";

brokerSuite({
  name: "STOMP",
  port: () => inject("rabbitmq").stompWebPort,
  url: (port) => `ws://127.0.0.1:${port}/ws`,
  connect: (url, options) => connectStomp(url, options),
  serve: (options) => serveStomp(options),
});

describe("STOMP and AMQP on the same queues", () => {
  it("serves STOMP clients from an AMQP server and AMQP clients from a STOMP server", async () => {
    const { amqp, stomp } = inject("rabbitmq");
    const queuePrefix = `test.mixed.${process.pid}`;
    const viaAmqp = new TestCalculator();
    const amqpServer = await serveAmqp({ url: amqp, services: [serveCalculator(viaAmqp)], queuePrefix });
    const stompClient = new Peer(await connectStomp(stomp, { queuePrefix }), { codec: "jsonrpc2" });
    expect(await new CalculatorClient(stompClient).add(20, 22)).toBe(42);
    expect(viaAmqp.adds).toBe(1);
    await amqpServer.close();

    const viaStomp = new TestCalculator();
    const stompServer = await serveStomp({ url: stomp, services: [serveCalculator(viaStomp)], queuePrefix });
    const amqpClient = new Peer(await connectAmqp(amqp, { queuePrefix }), { codec: "jamp-b" });
    expect((await rejection(new CalculatorClient(amqpClient).divide(1, 0))).type).toBe("division-by-zero");
    expect(await new CalculatorClient(stompClient).add(1, 1)).toBe(2);
    expect(viaStomp.adds).toBe(1);
    stompClient.close();
    amqpClient.close();
    await stompServer.close();
  });

  it("refuses a wrong password and an unreachable broker with connection-closed", async () => {
    const { stomp, amqp } = inject("rabbitmq");
    expect((await rejection(connectStomp(stomp, { passcode: "wrong" }))).type).toBe("connection-closed");
    expect((await rejection(connectAmqp(amqp.replace("guest@", "wrong@")))).type).toBe("connection-closed");
    expect((await rejection(connectStomp("ws://127.0.0.1:1/ws"))).message).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:1\/ws/);
  });
});
