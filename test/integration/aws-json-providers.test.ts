import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dcmsCredentialsProvider, loadTenants } from '../../shared/config/remote-config.js';
import { SecretsManagerSecrets } from '../../shared/config/secrets.js';
import { SsmParameters } from '../../shared/config/ssm-parameters.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
const TENANTS = [{ tenant: 'ACME_BANK', business: 'ACME_BANK', businessId: '687', businessType: 'ACME_BANK', rateLimit: { perSecond: 100, burst: 200 } }];
const DCMS_CREDENTIALS = { ACME_BANK: { username: 'acme', password: 'not-a-real-password' } };

interface Received {
  name: string;
  target: string | undefined;
  signatureValid: boolean;
}

/**
 * A stand-in for SSM's and Secrets Manager's JSON 1.1 endpoints that checks every request's SigV4
 * signature by signing what it received itself, the way the services do, before answering.
 */
let server: Server;
let endpoint: string;
let received: Received[] = [];
let flakyFailures = 0;

async function signatureValid(request: IncomingMessage, body: string, service: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<boolean> {
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const [hostname, port] = String(request.headers.host).split(':');
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256, applyChecksum: false });
  const expected = await signer.sign(
    {
      method: request.method!,
      protocol: 'http:',
      hostname: hostname!,
      port: Number(port),
      path: request.url!,
      query: {},
      headers: { host: String(request.headers.host), 'content-type': String(request.headers['content-type']), 'x-amz-target': String(request.headers['x-amz-target']) },
      body,
    },
    { signingDate },
  );
  return expected.headers.authorization === request.headers.authorization && request.headers['x-amz-security-token'] === credentials.sessionToken;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const target = request.headers['x-amz-target'] as string | undefined;
      const service = target?.startsWith('secretsmanager.') ? 'secretsmanager' : 'ssm';
      const { Name = '', SecretId } = JSON.parse(body) as { Name?: string; SecretId?: string };
      const credentials = (SecretId ?? Name).startsWith('/env/') ? { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: undefined } : CREDENTIALS;
      const valid = await signatureValid(request, body, service, credentials);
      received.push({ name: SecretId ?? Name, target, signatureValid: valid });
      const answer = (status: number, json: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(json));
      };
      if (!valid) return answer(400, { __type: 'InvalidSignatureException', message: 'The request signature we calculated does not match' });
      if (SecretId?.endsWith('/missing')) return answer(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
      if (SecretId) return answer(200, { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}`, Name: SecretId, SecretString: JSON.stringify(DCMS_CREDENTIALS) });
      if (Name.endsWith('/missing')) return answer(400, { __type: 'com.amazonaws.ssm#ParameterNotFound', message: '' });
      if (Name.endsWith('/flaky') && flakyFailures++ < 2) return answer(503, { __type: 'InternalServerError' });
      answer(200, { Parameter: { Name, Type: 'String', Value: JSON.stringify(TENANTS), Version: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  flakyFailures = 0;
});

const provider = () => new SsmParameters({ region: 'us-east-1', endpoint, credentials: async () => CREDENTIALS });

describe('SSM parameters and Secrets Manager secrets without their SDK clients', () => {
  it('reads a parameter with a valid SigV4 signature, and serves it from the cache within maxAge', async () => {
    const ssm = provider();
    await expect(ssm.get('/prod/tenants', { maxAge: 300, transform: 'json' })).resolves.toEqual(TENANTS);
    await expect(ssm.get('/prod/tenants', { maxAge: 300, transform: 'json' })).resolves.toEqual(TENANTS);
    expect(received).toEqual([{ name: '/prod/tenants', target: 'AmazonSSM.GetParameter', signatureValid: true }]);
  });

  it('names a missing parameter, and retries throttling and server errors', async () => {
    await expect(provider().get('/prod/missing')).rejects.toThrow(/ParameterNotFound/);
    expect(received).toHaveLength(1);

    received = [];
    await expect(provider().get('/prod/flaky', { transform: 'json' })).resolves.toEqual(TENANTS);
    expect(received.map((r) => r.name)).toEqual(['/prod/flaky', '/prod/flaky', '/prod/flaky']);
  });

  it('is what loadTenants reads in AWS: the regional endpoint (here AWS_ENDPOINT_URL_SSM) with the SDK credential chain', async () => {
    process.env.AWS_ENDPOINT_URL_SSM = endpoint;
    try {
      const directory = await loadTenants({ TENANTS_PARAMETER: '/env/tenants' });
      expect(directory.get('ACME_BANK').businessId).toBe('687');
      expect(received).toEqual([{ name: '/env/tenants', target: 'AmazonSSM.GetParameter', signatureValid: true }]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SSM;
    }
  });

  it('reads a secret with a valid signature, names a missing one without any value, and is what the DCMS credentials come from', async () => {
    const secrets = new SecretsManagerSecrets({ region: 'us-east-1', endpoint, credentials: async () => CREDENTIALS });
    await expect(secrets.get('prod/dcms-credentials', { transform: 'json' })).resolves.toEqual(DCMS_CREDENTIALS);
    await expect(secrets.get('prod/missing')).rejects.toThrow(/ResourceNotFoundException/);
    expect(received.map((r) => [r.target, r.signatureValid])).toEqual([
      ['secretsmanager.GetSecretValue', true],
      ['secretsmanager.GetSecretValue', true],
    ]);

    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint;
    try {
      await expect(dcmsCredentialsProvider('/env/dcms-credentials')!('ACME_BANK')).resolves.toEqual(DCMS_CREDENTIALS.ACME_BANK);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    }
  });
});
