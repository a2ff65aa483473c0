/**
 * One CloudWatch dashboard with the alarmed signals plus cache hit rate and renditions made.
 * Dashboards may mix regions, so the CloudFront widgets read us-east-1 from the main region.
 */
import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  Metric,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { auditMetric, cloudFrontMetric } from './alarms.js';
import { AUDIT_METRICS, METRICS_NAMESPACE, RENDITIONS_MADE_METRIC } from './audit.js';

/** What the dashboard shows. */
export interface OperationsDashboardProps {
  readonly distributionId: string;
  readonly s3Event: LambdaFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarms: readonly Alarm[];
  /** Cache hit rate needs CloudFront's additional metrics. */
  readonly additionalMetrics: boolean;
}

/** The operations dashboard. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const cf = (name: string, statistic: string) => cloudFrontMetric(props.distributionId, name, statistic);
    const made = (service: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: RENDITIONS_MADE_METRIC,
        dimensionsMap: { service },
        statistic: 'Sum',
        period: Duration.hours(1),
        label: service,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms (main region)', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'CloudFront requests',
        left: [cf('Requests', 'Sum')],
        right: props.additionalMetrics ? [cf('CacheHitRate', 'Average')] : [],
        rightYAxis: { min: 0, max: 100, label: 'cache hit %' },
        width: 12,
      }),
      new GraphWidget({
        title: 'CloudFront error rates (%)',
        left: [cf('5xxErrorRate', 'Average'), cf('4xxErrorRate', 'Average')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda@Edge errors (origin-response)',
        left: [
          cf('LambdaExecutionError', 'Sum'),
          cf('LambdaValidationError', 'Sum'),
          cf('LambdaLimitExceededError', 'Sum'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Renditions made per hour',
        left: [made('s3-event'), made('backfill')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'S3-event Lambda',
        left: [props.s3Event.metricErrors(), props.s3Event.metricThrottles()],
        right: [props.s3Event.metricDuration({ statistic: 'Maximum' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'S3 event queue',
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible(),
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' }),
        ],
        right: [props.queue.metricApproximateAgeOfOldestMessage()],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Last audit',
        metrics: [
          auditMetric(AUDIT_METRICS.originals),
          auditMetric(AUDIT_METRICS.missing),
          auditMetric(AUDIT_METRICS.stale),
          auditMetric(AUDIT_METRICS.orphaned),
        ],
        width: 24,
      }),
    );
  }
}
