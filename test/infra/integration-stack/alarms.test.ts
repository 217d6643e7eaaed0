import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dlqExpiryAlarmSeconds } from '../../../infra/constructs/monitoring.js';
import { QUEUES, oldestMessageAlarmSeconds, queueName } from '../../../shared/config/resources.js';
import { getAtt, ref, synthStage } from '../support.js';
import { dev, prefix, queueId, template } from './stack-setup.js';

const prod = synthStage('prod');

describe('alarm topic and dashboard', () => {
  const topic = ref(Object.keys(template.findResources('AWS::SNS::Topic'))[0]!);

  it('every alarm notifies the topic, on alarm and on recovery', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
  });

  it('the alarm topic mails the stage’s on-call address from the settings', () => {
    for (const stage of [dev, prod]) {
      const topicId = Object.keys(stage.template.findResources('AWS::SNS::Topic'))[0]!;
      stage.template.resourcePropertiesCountIs('AWS::SNS::Subscription', { TopicArn: ref(topicId), Protocol: 'email', Endpoint: stage.settings.alarms.email }, 1);
    }
    expect(dev.settings.alarms.email).not.toBe(prod.settings.alarms.email);
  });

  it('one dashboard with the flows’ key figures', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const figure of ['EventsProcessed', 'DcmsCalls', 'DcmsLatency', 'Card91Calls', 'LoginValidations', 'WebhookRequests', 'ApproximateAgeOfOldestMessage', 'Invocations']) {
      expect(body).toContain(figure);
    }
  });
});

describe('DCMS worker alarms', () => {
  it.each([
    ['core-banking-events', 'coreBanking', oldestMessageAlarmSeconds(QUEUES.coreBanking)],
    // A migration is a backlog by design: its lane pages after half a day, not an hour into every import.
    ['core-banking-bulk', 'coreBankingBulk', 43_200],
    ['courier-events', 'courier', oldestMessageAlarmSeconds(QUEUES.courier)],
  ] as const)('%s: any DLQ message, oldest message past the retry ladder, errors, throttles, DCMS error rate', (service, key, oldestMessageSeconds) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dlq-not-empty`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key, true), 'QueueName') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-oldest-message`,
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key), 'QueueName') }],
      Threshold: oldestMessageSeconds,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-errors`, MetricName: 'Errors', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-${service}-throttles`, MetricName: 'Throttles', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dcms-error-rate`,
      Threshold: 10,
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(.* >= 20, 100 \\* FILL\\(errors, 0\\) / '), ReturnData: true }),
        Match.objectLike({
          Id: 'errors',
          Expression: `SELECT SUM(DcmsCalls) FROM "CardIssuance" WHERE service = '${service}' AND outcome != '200'`,
          ReturnData: false,
        }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'CardIssuance',
              MetricName: 'DcmsCalls',
              Dimensions: Match.arrayWith([
                { Name: 'outcome', Value: '200' },
                { Name: 'service', Value: service },
              ]),
            },
          }),
        }),
      ]),
    });
  });
});

describe('card-controls alarms', () => {
  it('card-controls: any DLQ message, oldest message, errors, throttles', () => {
    for (const alarm of ['dlq-not-empty', 'oldest-message', 'errors', 'throttles']) template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${prefix}-card-controls-${alarm}` });
  });

  it('card-controls: Card91 error rate, errors from Metrics Insights, successes per method card-controls calls', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-card-controls-card91-error-rate`,
      Threshold: 10,
      EvaluationPeriods: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(.* >= 20, 100 \\* FILL\\(errors, 0\\) / '), ReturnData: true }),
        Match.objectLike({ Id: 'errors', Expression: `SELECT SUM(Card91Calls) FROM "CardIssuance" WHERE service = 'card-controls' AND outcome != '200'`, Period: 300, ReturnData: false }),
        ...['loginWithToken', 'getCustomerDetail', 'blockCard', 'setCardLock', 'getCardSettings', 'setCardSettings'].map((method) =>
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'CardIssuance',
                MetricName: 'Card91Calls',
                Dimensions: [
                  { Name: 'method', Value: method },
                  { Name: 'outcome', Value: '200' },
                  { Name: 'service', Value: 'card-controls' },
                ],
              },
            }),
          }),
        ),
      ]),
    });
  });
});

describe('dead-letter queue alarms', () => {
  it.each(
    Object.entries({ 'core-banking-events': 'coreBanking', 'core-banking-bulk': 'coreBankingBulk', 'courier-events': 'courier', 'card-controls': 'cardControls' }) as [string, keyof typeof QUEUES][],
  )('%s: its DLQ rings again before a dead letter can expire', (service, key) => {
    const description = QUEUES[key];
    const threshold = dlqExpiryAlarmSeconds(description);
    // Before the earliest expiry: a standard queue's message expires counting from its first enqueue (up to the source retention earlier).
    expect(threshold).toBeLessThanOrEqual((description.dlqRetentionDays - 4 - 1) * 86_400);
    expect(threshold).toBeGreaterThan(86_400);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-${service}-dlq-expiring`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(key, true), 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: queueName(prefix, description), MessageRetentionPeriod: 4 * 86_400 });
  });
});
