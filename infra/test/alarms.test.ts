import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { type Synthesised, synthesise } from './support/synth.js';

const EMAILS = ['oncall@example.com', 'ops@example.com'];
const PHONES = ['+491701234567'];

let s: Synthesised;
type Resource = { Type: string; Properties: Record<string, unknown> };

beforeAll(() => {
  s = synthesise({ alarmEmails: EMAILS, alarmPhoneNumbers: PHONES });
});

function alarms(template: Synthesised['main']): Array<[string, Resource]> {
  return Object.entries(template.findResources('AWS::CloudWatch::Alarm')) as Array<[string, Resource]>;
}

function topicId(template: Synthesised['main']): string {
  const [id] = Object.keys(template.findResources('AWS::SNS::Topic'));
  if (!id) throw new Error('no SNS topic');
  return id;
}

describe('alarm topics', () => {
  test('subscribe every e-mail address and phone number, in the main region and in us-east-1', () => {
    for (const template of [s.main, s.edgeAlarms]) {
      const subscriptions = Object.values(template?.findResources('AWS::SNS::Subscription') ?? {}) as Resource[];

      expect(subscriptions.map((sub) => [sub.Properties.Protocol, sub.Properties.Endpoint]).sort()).toEqual([
        ['email', 'oncall@example.com'],
        ['email', 'ops@example.com'],
        ['sms', '+491701234567'],
      ]);
    }
  });

  test('refuse plain-HTTP publishing', () => {
    s.main.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('regional alarms', () => {
  test('cover the S3-event Lambda, both queues, the audit and the backfill', () => {
    const names = alarms(s.main).map(([id]) => id.replace(/^RegionalAlarms/, '').replace(/[0-9A-F]{8}$/, ''));

    expect(names.sort()).toEqual(
      [
        'AuditFailed',
        'BackfillFailed',
        'DeadLetters',
        'DeadLettersOldest',
        'QueueBacklog',
        'RenditionsOutOfDate',
        'S3EventDurationNearTimeout',
        'S3EventErrors',
        'S3EventThrottles',
      ].sort(),
    );
  });

  test('each notify the topic on ALARM and on OK and say what to do', () => {
    const topic = topicId(s.main);

    for (const [id, alarm] of alarms(s.main)) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topic }]);
      expect(JSON.stringify(alarm.Properties.AlarmDescription).length, id).toBeGreaterThan(120);
    }
  });

  test('fire on the S3-event Lambda running past 80% of its 120 s timeout', () => {
    s.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 96_000,
    });
  });

  test('fire on the first dead-lettered event', () => {
    s.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('fire when two audits in a row find missing or stale renditions', () => {
    s.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'missing + stale' }),
        Match.objectLike({
          Id: 'missing',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'Vetrina',
              MetricName: 'MissingRenditions',
              Dimensions: [{ Name: 'service', Value: 'audit' }],
            },
            Period: 86_400,
          }),
        }),
      ]),
    });
  });
});

describe('CloudFront alarms', () => {
  test('live in us-east-1 and watch Lambda@Edge errors, 5xx and 4xx of the distribution', () => {
    const template = s.edgeAlarms;
    const metricNames = alarms(template ?? s.main).flatMap(([, alarm]) =>
      ((alarm.Properties.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string } } }> | undefined) ?? [])
        .map((m) => m.MetricStat?.Metric.MetricName)
        .concat(alarm.Properties.MetricName as string | undefined)
        .filter((name): name is string => name !== undefined),
    );

    expect(s.stacks.edgeAlarms?.region).toBe('us-east-1');
    expect(new Set(metricNames)).toEqual(
      new Set([
        'LambdaExecutionError',
        'LambdaLimitExceededError',
        'LambdaValidationError',
        'Requests',
        '5xxErrorRate',
        '4xxErrorRate',
      ]),
    );
  });

  test('each notify the us-east-1 topic on ALARM and on OK', () => {
    const template = s.edgeAlarms;
    if (!template) throw new Error('no us-east-1 alarm stack');
    const topic = topicId(template);

    expect(alarms(template)).toHaveLength(4);
    for (const [id, alarm] of alarms(template)) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topic }]);
    }
  });

  test('only judge error rates over five minutes with 100 requests or more', () => {
    s.edgeAlarms?.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests >= 100, rate, 0)' })]),
    });
  });
});

describe('dashboard', () => {
  test('shows cache hit rate and renditions made next to the alarmed signals', () => {
    const [dashboard] = Object.values(s.main.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);

    for (const signal of [
      'CacheHitRate',
      'RenditionsMade',
      'LambdaValidationError',
      '5xxErrorRate',
      'MissingRenditions',
    ]) {
      expect(body, signal).toContain(signal);
    }
  });
});

describe('main region us-east-1', () => {
  test('keeps the CloudFront alarms in the main stack and makes no extra stack', () => {
    const east = synthesise({}, 'us-east-1');

    expect(east.edgeAlarms).toBeUndefined();
    expect(alarms(east.main)).toHaveLength(13);
  });
});
