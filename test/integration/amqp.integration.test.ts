/**
 * JAMP over AMQP 0-9-1 (amqplib) against the run's own RabbitMQ: see `support/broker-suite.ts`.
 */
import { inject } from "vitest";
import { connectAmqp, serveAmqp } from "../../src/runtime/transports/amqp.js";
import { brokerSuite } from "./support/broker-suite.js";

brokerSuite({
  name: "AMQP",
  port: () => inject("rabbitmq").amqpPort,
  url: (port) => `amqp://guest:guest@127.0.0.1:${port}`,
  connect: (url, options) => connectAmqp(url, options),
  serve: (options) => serveAmqp(options),
});
