import { userInfo } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { maskText } from '../shared/observability/masking.js';
import { maskPersonalData } from '../shared/observability/personal-data.js';

/**
 * How much of the personal data in what a command prints is shown: masked by the operator policy
 * (shared/observability/personal-data.ts), or, with `--reveal`, whole.
 */
export interface Disclosure {
  reveal: boolean;
  /** An event, a record or a lookup result, judged key by key. */
  data<T>(value: T): T;
  /** Free text: a failure's reason, a refusal. */
  text(value: string): string;
}

export const masked: Disclosure = { reveal: false, data: (value) => maskPersonalData(value), text: maskText };

const revealed: Disclosure = { reveal: true, data: (value) => value, text: (value) => value };

/**
 * The disclosure a command runs with. Revealing leaves a warning on stderr, as JSON a log shipper
 * keeps: which command, by whom; never what was shown.
 */
export function disclosure(reveal: boolean | undefined, action: string): Disclosure {
  if (reveal !== true) return masked;
  new Logger({ serviceName: 'ops' }).warn('personal data revealed to the operator', { action, operator: userInfo().username });
  return revealed;
}
