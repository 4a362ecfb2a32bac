// Alarms (to one SNS topic) and a dashboard for the things that go wrong silently: clicks piling up,
// clicks lost, batches given up on, functions failing or throttled, the API answering 5xx.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { LOST_CLICKS_METRIC } from '../../lambdas/domain/pending-clicks.ts';
import { acknowledge } from './nag.ts';
import type { ShortenerFunction } from './shortener-function.ts';

/** The EMF metric the redirect writes when a click could not be put on the stream, as the redirect names it. */
const lostClicksMetric = {
  namespace: LOST_CLICKS_METRIC.namespace,
  metricName: LOST_CLICKS_METRIC.name,
  dimensionsMap: { Service: LOST_CLICKS_METRIC.service },
};

/** Where each alarm's description points: `docs/runbooks.md`, one section per kind of alarm. */
export const RUNBOOKS = 'docs/runbooks.md';

/** The runbook section (a heading's anchor in `RUNBOOKS`) for each kind of alarm. */
export const RUNBOOK_ANCHORS = {
  iteratorAge: 'consumer-iterator-age',
  lostClicks: 'lost-clicks',
  failedBatches: 'failed-click-batches',
  api5xx: 'api-5xx',
  functionErrors: 'function-errors',
  functionThrottles: 'function-throttles',
} as const;

/** Clicks normally wait one batching window (7 s); a minute means the consumer is falling behind. */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(1);

export interface AlarmsProps {
  readonly functions: Record<string, ShortenerFunction>;
  readonly consumer: ShortenerFunction;
  readonly failedBatchTopic: sns.ITopic;
  readonly stage: apigw.HttpStage;
  readonly dashboardName: string;
  /** Subscribed to the alarm topic by e-mail. */
  readonly alarmEmail?: string;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'URL shortener alarms', enforceSSL: true });
    acknowledge(
      this.topic,
      'AwsSolutions-SNS2',
      'Alarm notifications carry alarm names and metric values only; CloudWatch cannot publish to a topic encrypted with the AWS managed key, and a customer managed key would cost more than the rest of an idle stack.',
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const period = Duration.minutes(5);

    const iteratorAge = props.consumer.function.metric('IteratorAge', {
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
    this.add('ConsumerIteratorAge', iteratorAge, {
      threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      evaluationPeriods: 3,
      description: 'Clicks wait more than a minute in the stream: the consumer is failing or falling behind.',
      runbook: 'iteratorAge',
    });

    const lostClicks = new cloudwatch.Metric({ ...lostClicksMetric, statistic: cloudwatch.Stats.SUM, period });
    this.add('LostClicks', lostClicks, {
      threshold: 1,
      description: 'The redirect could not put clicks on the stream (after a retry): they are missing from the counts.',
      runbook: 'lostClicks',
    });

    const failedBatches = props.failedBatchTopic.metric('NumberOfMessagesPublished', {
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    this.add('FailedClickBatches', failedBatches, {
      threshold: 1,
      description:
        'The consumer gave up on a batch; it is in the failed-batch bucket. Fix the cause, then npm run replay.',
      runbook: 'failedBatches',
    });

    const server5xx = props.stage.metricServerError({ statistic: cloudwatch.Stats.SUM, period });
    this.add('Api5xx', server5xx, { threshold: 1, description: 'The HTTP API answered 5xx.', runbook: 'api5xx' });

    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}-Errors`, fn.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period }), {
        threshold: 1,
        description: `The ${name} function failed (an unhandled error or a timeout).`,
        runbook: 'functionErrors',
      });
      this.add(`${name}-Throttles`, fn.function.metricThrottles({ statistic: cloudwatch.Stats.SUM, period }), {
        threshold: 1,
        description: `The ${name} function was throttled (account concurrency exhausted).`,
        runbook: 'functionThrottles',
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    const functions = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [props.stage.metricCount({ period }), props.stage.metricClientError({ period }), server5xx],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p50, p99)',
        left: [
          props.stage.metricLatency({ statistic: 'p50', period }),
          props.stage.metricLatency({ statistic: 'p99', period }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function duration (p99)',
        left: functions.map(([name, fn]) => fn.function.metricDuration({ statistic: 'p99', period, label: name })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors and throttles',
        left: functions.map(([name, fn]) => fn.function.metricErrors({ period, label: `${name} errors` })),
        right: functions.map(([name, fn]) => fn.function.metricThrottles({ period, label: `${name} throttles` })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Consumer iterator age (max, ms)', left: [iteratorAge], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Lost clicks', left: [lostClicks], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Failed click batches', left: [failedBatches], width: 8 }),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }

  private add(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      threshold: number;
      evaluationPeriods?: number;
      description: string;
      runbook: keyof typeof RUNBOOK_ANCHORS;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no traffic, which is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.description} What to do: ${RUNBOOKS}#${RUNBOOK_ANCHORS[options.runbook]}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
