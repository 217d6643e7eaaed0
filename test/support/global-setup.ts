import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startEmulators } from '../../local/emulators.js';
import { freePort } from '../../local/free-port.js';

/**
 * One DynamoDB Local and one fauxqs for the whole suite; every test file creates its own queues
 * and tables under a unique prefix, so files never see each other's data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators({ dynamoPort: await freePort(), sqsPort: await freePort() });
  project.provide('dynamoEndpoint', emulators.dynamoEndpoint);
  project.provide('sqsEndpoint', emulators.sqsEndpoint);
  return () => emulators.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}
