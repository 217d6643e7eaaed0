import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../shared/config/lambda-credentials.js';

const VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const clear = () => VARIABLES.forEach((name) => delete process.env[name]);

describe('credential chain of the deployed bundles', () => {
  it('reads the role credentials Lambda puts in the environment', async () => {
    clear();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('falls back to a container credentials endpoint', async () => {
    clear();
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    const server = createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ AccessKeyId: 'ASIACONTAINER', SecretAccessKey: 'secret', Token: 'token', Expiration: expiration }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
    try {
      await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIACONTAINER', sessionToken: 'token' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says so when there are no credentials at all', async () => {
    clear();
    await expect(defaultProvider()()).rejects.toThrow(/AWS_CONTAINER_CREDENTIALS_FULL_URI|credentials/i);
  });
});
