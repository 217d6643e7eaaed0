import { Card91Client } from '../../shared/card91/index.js';
import { sdkAuthTokenProvider } from '../../shared/worker/card91-runtime.js';
import { DEFAULT_STACK_FILE } from '../../shared/tooling/stack-settings.js';
import { isRunning, readStackFile } from '../../shared/tooling/stack-file.js';
import { LOCAL_CARD91_SDK_AUTH_SECRETS, SANDBOX_ORG_ID } from '../../shared/tooling/local-card91.js';

/** The options of every lookup: the cardholder, which Card91, and how to print. */
export interface ConnectionOptions {
  mobile: string;
  baseUrl?: string;
  orgId?: string;
  json?: boolean;
}

async function localStackCard91Url(): Promise<string> {
  const file = process.env.STACK_FILE || DEFAULT_STACK_FILE;
  const stack = await readStackFile(file);
  if (stack === undefined) throw new Error('no Card91 to ask: pass --base-url, set CARD91_BASE_URL, or start the local stack (npm start)');
  if (!isRunning(stack)) throw new Error(`the local stack described in ${file} (pid ${stack.pid}) is not running: start it (npm start) or pass --base-url`);
  if (stack.card91Url === undefined) throw new Error('the running local stack has no Card91: pass --base-url or set CARD91_BASE_URL');
  return stack.card91Url;
}

/**
 * A client for the Card91 the options name (else the local stack's sandbox), signing with the
 * secrets the environment names (else the published local ones).
 */
export async function connect(options: ConnectionOptions): Promise<Card91Client> {
  const baseUrl = options.baseUrl ?? (await localStackCard91Url());
  const { CARD91_SDK_AUTH_SECRETS_ID, CARD91_SDK_AUTH_SECRETS_JSON } = process.env;
  const secrets =
    CARD91_SDK_AUTH_SECRETS_ID || CARD91_SDK_AUTH_SECRETS_JSON
      ? { CARD91_SDK_AUTH_SECRETS_ID, CARD91_SDK_AUTH_SECRETS_JSON }
      : { CARD91_SDK_AUTH_SECRETS_JSON: JSON.stringify(LOCAL_CARD91_SDK_AUTH_SECRETS) };
  return new Card91Client({ baseUrl, orgId: options.orgId ?? SANDBOX_ORG_ID, sdkAuthTokenProvider: sdkAuthTokenProvider(secrets) });
}
