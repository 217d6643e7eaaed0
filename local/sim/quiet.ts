/** The simulated workers log, meter and trace nothing: a run is judged by its invariants, and millions of log lines would only slow it. */
export function quietWorkers(): void {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
}
