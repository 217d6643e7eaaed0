/**
 * The partner sandboxes on their own (`npm run sandbox -- …`), for working on a client or a
 * worker against a DCMS or Card91 that misbehaves on demand. Ctrl-C stops them.
 *
 *   npm run sandbox -- --dcms-port 4010 --card91-port 4020 --error-rate 0.05 --latency-ms 50
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOCAL_CARD91_AUTH_URL_HEADERS } from '../shared/tooling/local-card91.js';
import { startCard91Sandbox, type RunningCard91Sandbox } from './card91/server.js';
import { parseFaultSettingsJson, startDcmsSandbox, type FaultSettings, type RunningDcmsSandbox } from './dcms/server.js';

interface Flags {
  dcmsPort: number;
  card91Port?: number;
  card91AuthWebhookUrl: string;
  errorRate?: number;
  hangRate?: number;
  throttleRate?: number;
  commitThenFailRate?: number;
  latencyMs?: number;
  latencyJitterMs?: number;
  seed?: number;
  dcmsFaults?: FaultSettings;
}

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return parsed;
};
const rate = (value: string): number => {
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed <= 1)) throw new InvalidArgumentError('must be a rate between 0 and 1, e.g. 0.05');
  return parsed;
};
const whole = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
};

const faultSettings = (value: string): FaultSettings => {
  try {
    return parseFaultSettingsJson(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const program = new Command('npm run sandbox --')
  .description('Starts the DCMS sandbox (and the Card91 sandbox with --card91-port) on 127.0.0.1 until Ctrl-C.')
  .addOption(new Option('--dcms-port <port>', 'DCMS sandbox port').argParser(port).default(4010))
  .addOption(new Option('--card91-port <port>', 'also start the Card91 sandbox on this port').argParser(port))
  .option('--card91-auth-webhook-url <url>', 'the auth-URL webhook Card91 calls on each login', 'http://127.0.0.1:3000/card91/auth')
  .addOption(new Option('--error-rate <rate>', 'share of calls answered with a 5xx, nothing applied').argParser(rate))
  .addOption(new Option('--hang-rate <rate>', 'share of calls never answered').argParser(rate))
  .addOption(new Option('--throttle-rate <rate>', 'share of calls answered 429 with Retry-After').argParser(rate))
  .addOption(new Option('--commit-then-fail-rate <rate>', 'share of calls applied, then answered with a 5xx').argParser(rate))
  .addOption(new Option('--latency-ms <ms>', 'delay added to every call').argParser(whole))
  .addOption(new Option('--latency-jitter-ms <ms>', 'up to this much more delay, drawn per call (150 with --latency-ms 150: 150–300 ms)').argParser(whole))
  .addOption(new Option('--seed <n>', 'seed for the fault draws, for a repeatable run').argParser(whole))
  .addOption(new Option('--dcms-faults <json>', 'DCMS sandbox only: fault settings as JSON (slow commits, an outage, errorStatus…), over the flags above').argParser(faultSettings))
  .addHelpText('after', '\nThe flag faults apply to both sandboxes. Change them while running: POST /__admin/faults (JSON body, same names).')
  .showHelpAfterError('(npm run sandbox -- --help lists every option)');

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<Flags>();
  const faults = {
    ...(flags.errorRate !== undefined && { errorRate: flags.errorRate }),
    ...(flags.hangRate !== undefined && { hangRate: flags.hangRate }),
    ...(flags.throttleRate !== undefined && { throttleRate: flags.throttleRate }),
    ...(flags.commitThenFailRate !== undefined && { commitThenFailRate: flags.commitThenFailRate }),
    ...(flags.latencyMs !== undefined && { latencyMs: flags.latencyMs }),
    ...(flags.latencyJitterMs !== undefined && { latencyJitterMs: flags.latencyJitterMs }),
    ...(flags.seed !== undefined && { seed: flags.seed }),
  };

  const running: Array<{ close(): Promise<void> }> = [];
  const stop = async () => {
    await Promise.allSettled(running.map((sandbox) => sandbox.close()));
  };
  try {
    const dcmsFaults = { ...faults, ...flags.dcmsFaults };
    const dcms: RunningDcmsSandbox = await listening('DCMS', flags.dcmsPort, '--dcms-port', () => startDcmsSandbox({ port: flags.dcmsPort, faults: dcmsFaults }));
    running.push(dcms);
    console.log(`DCMS sandbox    ${dcms.url}   (admin: GET ${dcms.url}/__admin/stats, GET ${dcms.url}/__admin/kits, POST ${dcms.url}/__admin/faults)`);
    if (flags.card91Port !== undefined) {
      const port = flags.card91Port;
      const card91: RunningCard91Sandbox = await listening('Card91', port, '--card91-port', () =>
        startCard91Sandbox({ port, authWebhookUrl: flags.card91AuthWebhookUrl, authWebhookHeaders: LOCAL_CARD91_AUTH_URL_HEADERS, faults }),
      );
      running.push(card91);
      console.log(`Card91 sandbox  ${card91.url}   (admin: GET ${card91.url}/__admin/stats; logins call ${flags.card91AuthWebhookUrl})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const dcmsOnly = flags.dcmsFaults === undefined ? '' : `; DCMS also ${JSON.stringify(flags.dcmsFaults)}`;
  console.log(`Faults: ${Object.keys(faults).length > 0 ? JSON.stringify(faults) : 'none'}${dcmsOnly}. Ctrl-C stops.`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // `npm run sandbox` runs us under `sh -c`: a SIGTERM to npm ends the shell, not us. An orphan is re-parented: stop then.
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && resolve(), 1_000).unref();
  });
  await stop();
}

/** Starts a sandbox, turning "port in use" and invalid fault settings into one clear line. */
async function listening<T>(name: string, port: number, flag: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} is in use: stop what holds it (\`lsof -i :${port}\`) or pass ${flag} <another port>`, { cause: error });
    throw new Error(`the ${name} sandbox did not start: ${(error as Error).message}`, { cause: error });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
