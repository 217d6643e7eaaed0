import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { QUEUES, type QueueKey } from '../config/resources.js';

/**
 * What a running local stack tells the operator CLI about itself (`.local/stack.json`): where the
 * emulators listen and which name prefix the queues and tables have. Written once everything is up,
 * removed on the way out.
 */
const stackDescription = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  region: z.string(),
  prefix: z.string(),
  endpoints: z.object({ sqs: z.string(), dynamodb: z.string() }),
  dcmsUrl: z.string(),
  card91Url: z.string().optional(),
  webhooksUrl: z.string().optional(),
  tenants: z.array(z.string()),
  /** Queues some worker of this stack consumes: `ops send` routes like the stack's own feed. */
  consumers: z.array(z.enum(Object.keys(QUEUES) as [QueueKey, ...QueueKey[]])),
  logFile: z.string(),
});
export type StackDescription = z.infer<typeof stackDescription>;

export async function writeStackFile(path: string, description: StackDescription): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Written aside and renamed: a reader never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(description, null, 2)}\n`);
  await rename(partial, path);
}

/** Removes the file if this process wrote it (another stack may have started since). */
export async function removeStackFile(path: string): Promise<void> {
  const current = await readStackFile(path).catch(() => undefined);
  if (current?.pid === process.pid) await rm(path, { force: true });
}

export async function readStackFile(path: string): Promise<StackDescription | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = stackDescription.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a stack description this version understands; remove it or restart npm start`);
  return parsed.data;
}

/** True when the process that wrote the description is still alive. */
export function isRunning(description: StackDescription): boolean {
  try {
    process.kill(description.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
