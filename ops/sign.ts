import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { courierEventsUrl, signCourierRequest, type SignedHeaders } from '../shared/tooling/courier-signing.js';

/**
 * The operator's `sign` command: prints the headers a courier must send and a curl command, for
 * operators testing an integration and for a courier's developers as the worked example.
 * `npm run ops -- sign …` exposes the same command.
 *
 *   COURIER_SIGNING_SECRET=… npx tsx ops/sign.ts --courier bluedart --file body.json
 */

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command sending the file byte for byte (`--data-binary`: `-d` would strip its newlines and break the signature). */
function curlCommand(url: string, headers: SignedHeaders, file: string): string {
  const headerArgs = Object.entries(headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`);
  return ['curl -sS -X POST', shellQuote(url), ...headerArgs, `--data-binary @${shellQuote(file)}`].join(' ');
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The `sign` command, for the operator CLI to mount (`program.addCommand(signCommand())`). */
export function signCommand(): Command {
  return new Command('sign')
    .description('sign a courier webhook body and print the headers and a curl command')
    .requiredOption('--courier <name>', 'courier integration (the {courier} path segment)')
    .requiredOption('--file <path>', 'JSON body to send, signed byte for byte')
    .addOption(new Option('--secret <key>', 'signing key; repeat for current + previous (visible in shell history: prefer --secret-env)').argParser(collect))
    .option('--secret-env <name>', 'environment variable holding the signing key', 'COURIER_SIGNING_SECRET')
    .option('--url <base>', 'webhook base URL', 'http://127.0.0.1:3000')
    .option('--timestamp <seconds>', 'unix seconds to sign with (default: now)', (value) => Number.parseInt(value, 10))
    .action((options: { courier: string; file: string; secret?: string[]; secretEnv: string; url: string; timestamp?: number }) => {
      const secrets = options.secret ?? [process.env[options.secretEnv]].filter((value): value is string => Boolean(value));
      if (secrets.length === 0) throw new Error(`no signing key: pass --secret or set ${options.secretEnv}`);
      const headers = signCourierRequest({ secrets, body: readFileSync(options.file), timestamp: options.timestamp });
      for (const [name, value] of Object.entries(headers)) console.log(`${name}: ${value}`);
      console.log();
      console.log(curlCommand(courierEventsUrl(options.url, options.courier), headers, options.file));
    });
}

if (import.meta.main) {
  await signCommand()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
