/**
 * A protocol's state diagram, drawn from its declared transitions (the `TRANSITIONS` of each
 * machine in shared/protocol): docs/RELIABILITY.md carries these drawings, and a test fails when a
 * drawing and the code disagree.
 */
export type Transition = readonly [from: string, on: string, to: string];

/** Mermaid `stateDiagram-v2`, one arrow per (from, to) with the observations that take it. */
export function mermaidStateDiagram(initial: string, transitions: readonly Transition[]): string {
  const edges = new Map<string, string[]>();
  for (const [from, on, to] of transitions) {
    const key = `${from} --> ${to === 'finished' ? '[*]' : to}`;
    edges.set(key, [...new Set([...(edges.get(key) ?? []), on])]);
  }
  return ['stateDiagram-v2', `  [*] --> ${initial}`, ...[...edges].map(([edge, on]) => `  ${edge}: ${on.join(', ')}`)].join('\n');
}
