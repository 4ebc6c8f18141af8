/**
 * vitest globalSetup of `npm run test:integration`: one RabbitMQ for the whole run, started before the
 * first test file and stopped (with its epmd, by pid) after the last, whether tests passed or not. The
 * tests read its URLs with `inject("rabbitmq")`.
 */
import type { TestProject } from "vitest/node";
import { startRabbitMq, type RabbitMqUrls } from "./support/rabbitmq.js";

declare module "vitest" {
  export interface ProvidedContext {
    rabbitmq: RabbitMqUrls;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await startRabbitMq();
  console.log(`RabbitMQ ready in ${broker.startSeconds.toFixed(1)} s: ${broker.urls.amqp}, ${broker.urls.stomp}`);
  project.provide("rabbitmq", broker.urls);
  return () => broker.stop();
}
