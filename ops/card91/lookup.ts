import type { Command } from 'commander';
import type { Card91Client } from '../../shared/card91/index.js';
import type { ConnectionOptions } from './connect.js';

/** One `card91` subcommand: what it reads at Card91 and how it shows it. */
export interface Lookup<T, O extends object = object> {
  name: string;
  description: string;
  options?: (command: Command) => Command;
  /** Reads Card91. The result is masked before anything is printed. */
  fetch: (client: Card91Client, options: ConnectionOptions & O) => Promise<T>;
  /** Human output, from the masked result. */
  render: (masked: T) => string;
}
