/**
 * cdk-nag (AwsSolutions) acknowledgements. Each names its rule, the exact finding where the rule
 * reports several, and why it is accepted; any other finding fails the synth.
 */
import { Aspects, type CfnResource, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { VetrinaStack } from './vetrina-stack.js';

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function objectsFinding(bucket: IBucket): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnResource);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`;
}

const OBJECT_WILDCARD =
  'Object keys are the ERP\'s arbitrary source keys and their "/_r/" renditions, so the statement must cover ' +
  'bucket/*; it names single actions and exactly one bucket.';
const NODE_22 =
  'Node.js 22 is the runtime the bundles are built and tested for (scripts/build-bundles.mjs) and one that ' +
  'Lambda@Edge supports; moving to a newer runtime is a tested change, not a synth default.';
const BASIC_EXECUTION =
  'AWSLambdaBasicExecutionRole only allows writing CloudWatch Logs; Lambda@Edge replicas write to log groups ' +
  'in every region they run in, which a hand-written policy cannot list in advance.';

function regionalFunction(fn: LambdaFunction, buckets: readonly IBucket[]): void {
  acknowledge(fn, 'AwsSolutions-L1', NODE_22);
  if (fn.role)
    acknowledge(
      fn.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      BASIC_EXECUTION,
    );
  for (const bucket of buckets) acknowledge(fn, objectsFinding(bucket), OBJECT_WILDCARD);
}

/** Acknowledges IAM5 findings of every policy below it whose finding id matches a pattern. */
class WildcardAcknowledger implements IAspect {
  constructor(private readonly reasons: ReadonlyArray<readonly [RegExp, string]>) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnPolicy)) return;
    const findings = rules.iam.IAMNoWildcardPermissions(node);
    for (const finding of Array.isArray(findings) ? findings : []) {
      const reason = this.reasons.find(([pattern]) => pattern.test(finding))?.[1];
      if (reason) acknowledge(node, `AwsSolutions-IAM5[${finding}]`, reason);
    }
  }
}

/** Applies every acknowledgement to the stacks of one deployment. */
export function acknowledgeFindings(main: VetrinaStack): void {
  const { exchange, renditions } = main.storage;

  regionalFunction(main.processing.handler, [exchange, renditions]);
  regionalFunction(main.backfill.handler, [exchange, renditions]);
  regionalFunction(main.audit.handler, [exchange, renditions]);

  const edge = main.delivery.originResponse.lambda;
  acknowledge(edge, 'AwsSolutions-L1', NODE_22);
  if (edge.role)
    acknowledge(
      edge.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      BASIC_EXECUTION,
    );
  for (const name of [main.bucketNames.exchange, main.bucketNames.renditions]) {
    acknowledge(edge, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${name}/*]`, OBJECT_WILDCARD);
  }

  const stateMachine = main.backfill.stateMachine;
  acknowledge(
    stateMachine,
    'AwsSolutions-SF1',
    'The backfill runs thousands of child workflows; logging ALL events would cost more than the renders. ' +
      'Errors are logged and every run writes a per-batch report to backfill-reports/ in the operations bucket.',
  );
  // The state machine's policies are completed during synthesis and their finding ids embed
  // intrinsic functions, so an aspect asks the rule itself once the policies are final and only
  // accepts findings that match a known reason; anything else still fails the synth.
  const handlerId = Stack.of(main).getLogicalId(main.backfill.handler.node.defaultChild as CfnResource);
  const operationsId = Stack.of(main).getLogicalId(main.storage.operations.node.defaultChild as CfnResource);
  Aspects.of(stateMachine).add(
    new WildcardAcknowledger([
      [
        /^Resource::\*$/,
        'X-Ray PutTraceSegments and CloudWatch Logs delivery actions support no resource-level permissions.',
      ],
      [
        new RegExp(`^Resource::<${handlerId}\\.Arn>:\\*$`),
        'Invokes the backfill function by any of its versions; the function is fixed.',
      ],
      [
        new RegExp(`^Resource::.*${operationsId}.*/\\*$`),
        'Writes the backfill report files, whose names Step Functions chooses per run, into the operations bucket.',
      ],
      [
        /^Resource::.*:execution:.*:\*$/,
        "The distributed map describes and stops its own child executions, whose ids exist only at run time; the ARN is bound to this state machine's executions.",
      ],
    ]),
  );

  const notifications = main.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (notifications) {
    acknowledge(
      notifications,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK-provided custom resource that writes the exchange bucket notification configuration; logs only.',
    );
  }

  const distribution = main.delivery.distribution;
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'A public portal: the images must load wherever the portal is read, so no country is blocked.',
  );
  if (!main.settings.webAclArn) {
    acknowledge(
      distribution,
      'AwsSolutions-CFR2',
      'WAF costs more than the whole reference deployment (5 USD/month per web ACL plus rules); the viewer ' +
        'function rejects any URL outside the spec with a 4xx before the cache, and custom renditions need an ' +
        'HMAC signature. Set webAclArn to attach a web ACL.',
    );
  }
  if (!main.settings.certificateArn) {
    acknowledge(
      distribution,
      'AwsSolutions-CFR4',
      'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose minimum TLS ' +
        'version CloudFront fixes; with certificateArn the policy is TLSv1.2_2021.',
    );
  }
}
