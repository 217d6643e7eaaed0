import { describe, expect, it } from 'vitest';
import { alarmProblems, isInsightsQuery, type AlarmProperties, type MetricDataQuery } from './cloudwatch-alarm-rules.js';
import { synthStage } from './support.js';

const stages = { dev: synthStage('dev'), prod: synthStage('prod') };
const alarmsOf = (stage: keyof typeof stages) =>
  Object.values(stages[stage].template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as AlarmProperties & { AlarmName: string });

/** The DCMS error-rate alarm as it synthesizes: one Metrics Insights query, one series per endpoint, one math expression. */
const errorRate = (): AlarmProperties => structuredClone(alarmsOf('dev').find((a) => a.AlarmName.endsWith('core-banking-events-dcms-error-rate'))!);
const entry = (alarm: AlarmProperties, match: (q: MetricDataQuery) => boolean) => alarm.Metrics!.find(match)!;

describe('CloudWatch accepts every alarm as synthesized', () => {
  it.each(['dev', 'prod'] as const)('%s: no alarm breaks a PutMetricAlarm rule', (stage) => {
    const alarms = alarmsOf(stage);
    expect(alarms.length).toBeGreaterThan(20);
    expect(Object.fromEntries(alarms.map((a) => [a.AlarmName, alarmProblems(a)] as const).filter(([, problems]) => problems.length > 0))).toEqual({});
  });

  it('the platform error-rate alarms mix one Metrics Insights query with ordinary metrics, and return one math expression', () => {
    const rates = alarmsOf('dev').filter((a) => /-(dcms|card91)-error-rate$/.test(a.AlarmName));
    expect(rates.map((a) => a.AlarmName).sort()).toEqual([
      'card-issuance-dev-card-controls-card91-error-rate',
      'card-issuance-dev-core-banking-bulk-dcms-error-rate',
      'card-issuance-dev-core-banking-events-dcms-error-rate',
      'card-issuance-dev-courier-events-dcms-error-rate',
    ]);
    for (const alarm of rates) {
      const metrics = alarm.Metrics!;
      expect(metrics.filter(isInsightsQuery)).toEqual([expect.objectContaining({ Id: 'errors', Period: 300, ReturnData: false })]);
      expect(metrics.filter((q) => q.MetricStat).length).toBeGreaterThan(0);
      expect(metrics.filter((q) => q.ReturnData === true)).toEqual([expect.objectContaining({ Expression: expect.stringContaining('FILL(errors, 0)') })]);
      expect(alarmProblems(alarm)).toEqual([]);
    }
  });
});

describe('the rules are not vacuous: each refuses what CloudWatch refuses of the entries', () => {
  it('a Metrics Insights query without its own Period', () => {
    const alarm = errorRate();
    delete entry(alarm, isInsightsQuery).Period;
    expect(alarmProblems(alarm)).toEqual([expect.stringMatching(/errors: a Metrics Insights query in an alarm needs its own Period/)]);
  });

  it('two returned entries, or one left to default to true', () => {
    const alarm = errorRate();
    entry(alarm, isInsightsQuery).ReturnData = true;
    expect(alarmProblems(alarm)).toContainEqual(expect.stringMatching(/exactly one entry must have ReturnData true/));
    const defaulted = errorRate();
    delete entry(defaulted, (q) => q.Id === 'ok0').ReturnData;
    expect(alarmProblems(defaulted)).toContainEqual(expect.stringMatching(/not 2/));
  });

  it('ids that do not start with a lower-case letter, and references to ids that do not exist', () => {
    const alarm = errorRate();
    entry(alarm, isInsightsQuery).Id = 'Errors';
    expect(alarmProblems(alarm)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Id Errors must start with a lower-case letter/), expect.stringMatching(/refers to errors, which no entry defines/)]),
    );
  });
});

describe('the rules are not vacuous: each refuses what CloudWatch refuses of the metrics and periods', () => {
  it('more than 10 metrics, mixed periods, a second Insights query, a returned GROUP BY', () => {
    const many = errorRate();
    const stat = entry(many, (q) => q.MetricStat !== undefined);
    many.Metrics!.push(...Array.from({ length: 10 }, (_, i) => ({ ...structuredClone(stat), Id: `extra${i}` })));
    const stats = many.Metrics!.filter((q) => q.MetricStat !== undefined).length;
    expect(alarmProblems(many)).toContainEqual(`at most 10 metrics (MetricStat) in an alarm, not ${stats}`);

    const mixed = errorRate();
    entry(mixed, (q) => q.MetricStat !== undefined).MetricStat!.Period = 60;
    expect(alarmProblems(mixed)).toContainEqual(expect.stringMatching(/same period, not 300, 60|same period, not 60, 300/));

    const twice = errorRate();
    twice.Metrics!.push({ ...structuredClone(entry(twice, isInsightsQuery)), Id: 'more' });
    expect(alarmProblems(twice)).toContainEqual('one Metrics Insights query per alarm, not 2');

    const grouped: AlarmProperties = {
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      Threshold: 1,
      Metrics: [{ Id: 'q', Expression: `SELECT SUM(DcmsCalls) FROM "CardIssuance" GROUP BY outcome`, Period: 300, ReturnData: true }],
    };
    expect(alarmProblems(grouped)).toEqual([expect.stringMatching(/GROUP BY query returns several series/)]);
  });

  it('Period on a math expression or a metric entry, a query CloudWatch cannot parse, a too long window', () => {
    const alarm = errorRate();
    entry(alarm, (q) => q.ReturnData === true).Period = 300;
    entry(alarm, isInsightsQuery).Expression = `SELECT SUM(DcmsCalls) WHERE outcome != '200'`;
    alarm.EvaluationPeriods = 300;
    alarm.DatapointsToAlarm = 300;
    expect(alarmProblems(alarm)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/math expression takes its period from its metrics/),
        expect.stringMatching(/not a Metrics Insights query CloudWatch parses/),
        'Period × EvaluationPeriods exceeds one day',
      ]),
    );
  });
});
