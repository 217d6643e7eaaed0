/**
 * What the code under test writes to stdout and stderr, for tests of what its logs may carry.
 * Powertools Logger writes INFO to stdout and WARN/ERROR to stderr: both are captured, and still
 * passed through.
 */
export interface OutputCapture {
  /** Everything written since the capture began. */
  text(): string;
  /** Gives the streams their own `write` back. */
  stop(): void;
}

export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(String(chunk));
      return writes[i]!(chunk as never, ...(rest as []));
    }) as typeof stream.write;
  });
  return {
    text: () => chunks.join(''),
    stop: () => streams.forEach((stream, i) => (stream.write = writes[i]!)),
  };
}

/** Everything written to stdout and stderr while `run` runs. */
export async function capturedOutput(run: () => Promise<void>): Promise<string> {
  const capture = captureOutput();
  try {
    await run();
  } finally {
    capture.stop();
  }
  return capture.text();
}
