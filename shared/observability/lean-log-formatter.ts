import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Powertools' JSON lines without the keys every line of a function repeats and nobody queries per
 * line: function ARN, name and memory size (the log group and stream say them), the sample rate,
 * the cold-start flag (a metric of its own), the X-Ray trace id (an invocation's, not the event's:
 * an SQS batch spans several traces; every event's line carries its eventId) and, on INFO lines,
 * the request id. About 240 bytes less per INFO line: CloudWatch Logs ingestion is billed by the
 * byte, and a happy-path event writes one INFO line (docs/PERFORMANCE.md, log bytes per event).
 */
export class LeanLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        // INFO lines are the happy path's record of each event, found by its eventId; a warning, an
        // error or a sampled debug line is read beside its invocation (REPORT line, trace).
        ...(attributes.logLevel !== 'INFO' && { function_request_id: attributes.lambdaContext?.awsRequestId }),
      },
    }).addAttributes(additionalLogAttributes);
  }
}
