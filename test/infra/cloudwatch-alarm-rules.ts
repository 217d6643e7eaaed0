/**
 * What CloudWatch's PutMetricAlarm accepts, as its documentation states it, checked on a
 * synthesized AWS::CloudWatch::Alarm. CloudFormation's schema only checks types; these are the
 * rules that fail a deployment (or, worse, make an alarm that never evaluates):
 *
 * - PutMetricAlarm: an alarm is either one metric (MetricName, Namespace, Statistic, Period) or a
 *   `Metrics` array, not both. An alarm's total evaluation window (Period × EvaluationPeriods) is
 *   at most one day for periods under an hour; DatapointsToAlarm ≤ EvaluationPeriods.
 * - MetricDataQuery (in PutMetricAlarm): at most 20 entries, at most 10 with MetricStat and at most
 *   10 with Expression; each has exactly one of MetricStat and Expression; `Id` is unique, starts
 *   with a lower-case letter and holds only letters, digits and underscores; exactly one entry has
 *   ReturnData true (an omitted ReturnData counts as true), the result the alarm watches, and it
 *   must be a single time series. `Period` on an entry is only for an Expression, not a MetricStat.
 * - Metric math alarms: at most 10 metrics, all with the same period; SEARCH expressions cannot be
 *   used in alarms.
 * - Metrics Insights alarms: the query sits in an entry's Expression with its own Period (it has
 *   no MetricStat to take one from); one query per alarm (one per GetMetricData call); a query with
 *   GROUP BY returns several series and must be reduced by a math expression, never be the
 *   returned entry.
 */

export interface MetricDataQuery {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: unknown[] }; Period: number; Stat: string };
  Period?: number;
  ReturnData?: boolean;
}

export interface AlarmProperties {
  AlarmName?: string;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Metrics?: MetricDataQuery[];
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
}

const ID = /^[a-z][A-Za-z0-9_]{0,254}$/;
const INSIGHTS =
  /^\s*SELECT\s+(AVG|COUNT|MAX|MIN|SUM)\(\s*("[^"]+"|[A-Za-z0-9_.-]+)\s*\)\s+FROM\s+("[^"]+"|SCHEMA\([^)]*\))(\s+WHERE\s+.+?)?(\s+GROUP\s+BY\s+.+?)?(\s+ORDER\s+BY\s+.+?)?(\s+LIMIT\s+\d+)?\s*$/i;
const VALID_PERIOD = (period: number) => [10, 20, 30].includes(period) || (period > 0 && period % 60 === 0);
const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'];

export const isInsightsQuery = (query: MetricDataQuery): boolean => query.Expression !== undefined && /^\s*SELECT\b/i.test(query.Expression);

/** Identifiers a metric math expression refers to (function names and numbers left out). */
function referencedIds(expression: string): string[] {
  const withoutStrings = expression.replace(/"[^"]*"|'[^']*'/g, '');
  return [...withoutStrings.matchAll(/\b([a-z][A-Za-z0-9_]*)\b(?!\s*\()/g)].map((m) => m[1]!);
}

/** Every reason CloudWatch would refuse (or never evaluate) this alarm; empty when it is acceptable. */
export function alarmProblems(alarm: AlarmProperties): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  if (alarm.AlarmName !== undefined && !/^[\x20-\x7e]{1,255}$/.test(alarm.AlarmName)) fail('AlarmName must be 1 to 255 ASCII characters');
  if (!OPERATORS.includes(alarm.ComparisonOperator)) fail(`unknown ComparisonOperator ${alarm.ComparisonOperator}`);
  if (alarm.TreatMissingData !== undefined && !MISSING_DATA.includes(alarm.TreatMissingData)) fail(`unknown TreatMissingData ${alarm.TreatMissingData}`);
  if (alarm.Threshold === undefined) fail('Threshold is required');
  if ((alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods) > alarm.EvaluationPeriods) fail('DatapointsToAlarm exceeds EvaluationPeriods');

  const single = [alarm.MetricName, alarm.Namespace, alarm.Statistic ?? alarm.ExtendedStatistic, alarm.Period];
  let period: number | undefined;
  if (alarm.Metrics === undefined) {
    if (single.some((part) => part === undefined)) fail('a single-metric alarm needs MetricName, Namespace, a statistic and Period');
    period = alarm.Period;
  } else {
    if (single.some((part) => part !== undefined)) fail('Metrics cannot be combined with MetricName, Namespace, Statistic or Period');
    period = metricsProblems(alarm.Metrics, fail);
  }
  if (period !== undefined) {
    if (!VALID_PERIOD(period)) fail(`period ${period} must be 10, 20, 30 or a multiple of 60`);
    if (period < 3_600 && period * alarm.EvaluationPeriods > 86_400) fail('Period × EvaluationPeriods exceeds one day');
    if (period * alarm.EvaluationPeriods > 7 * 86_400) fail('Period × EvaluationPeriods exceeds seven days');
  }
  return problems;
}

/** Checks the Metrics array; returns the alarm's period when it has one. */
function metricsProblems(metrics: MetricDataQuery[], fail: (message: string) => void): number | undefined {
  if (metrics.length === 0 || metrics.length > 20) fail(`Metrics must hold 1 to 20 entries, not ${metrics.length}`);
  const stats = metrics.filter((q) => q.MetricStat !== undefined);
  const expressions = metrics.filter((q) => q.Expression !== undefined);
  if (stats.length > 10) fail(`at most 10 metrics (MetricStat) in an alarm, not ${stats.length}`);
  if (expressions.length > 10) fail(`at most 10 expressions in an alarm, not ${expressions.length}`);

  const ids = new Set<string>();
  for (const query of metrics) {
    if (!ID.test(query.Id)) fail(`Id ${query.Id} must start with a lower-case letter and hold only letters, digits and _`);
    if (ids.has(query.Id)) fail(`Id ${query.Id} is used twice`);
    ids.add(query.Id);
    if ((query.MetricStat === undefined) === (query.Expression === undefined)) fail(`${query.Id}: exactly one of MetricStat and Expression`);
    if (query.MetricStat !== undefined && query.Period !== undefined) fail(`${query.Id}: Period belongs in MetricStat, not on a metric entry`);
  }

  const returned = metrics.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1) fail(`exactly one entry must have ReturnData true (an omitted ReturnData counts as true), not ${returned.length}`);

  const insights = metrics.filter(isInsightsQuery);
  if (insights.length > 1) fail(`one Metrics Insights query per alarm, not ${insights.length}`);
  for (const query of insights) {
    if (!INSIGHTS.test(query.Expression!)) fail(`${query.Id}: not a Metrics Insights query CloudWatch parses: ${query.Expression}`);
    if (query.Period === undefined) fail(`${query.Id}: a Metrics Insights query in an alarm needs its own Period`);
    if (/\bGROUP\s+BY\b/i.test(query.Expression!) && query.ReturnData !== false) fail(`${query.Id}: a GROUP BY query returns several series; wrap it in a math expression that reduces it to one`);
  }
  for (const query of expressions.filter((q) => !isInsightsQuery(q))) {
    if (/\bSEARCH\s*\(/i.test(query.Expression!)) fail(`${query.Id}: SEARCH expressions cannot be used in alarms`);
    if (query.Period !== undefined) fail(`${query.Id}: a math expression takes its period from its metrics; Period is for GetMetricData`);
    for (const id of referencedIds(query.Expression!)) if (!ids.has(id)) fail(`${query.Id}: refers to ${id}, which no entry defines`);
  }

  const periods = new Set([...stats.map((q) => q.MetricStat!.Period), ...insights.map((q) => q.Period).filter((p) => p !== undefined)]);
  if (periods.size > 1) fail(`every metric of a math alarm must have the same period, not ${[...periods].join(', ')}`);
  return periods.size === 1 ? [...periods][0] : undefined;
}
