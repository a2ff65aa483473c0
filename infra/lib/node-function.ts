/**
 * One way to make the regional Lambdas (S3 event, audit, backfill): Node.js 22, x86_64 (the
 * bundles ship sharp's linux-x64 binary), a log group with a fixed retention, JSON logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** What differs between the regional functions. */
export interface NodeFunctionProps {
  /** Asset directory with `index.js`/`index.mjs` exporting `handler`. */
  readonly codeDir: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetentionDays: number;
  /** Reserved concurrency; undefined draws from the account's unreserved pool. */
  readonly reservedConcurrency?: number;
}

/** Creates the function and its log group (`{id}Logs`). */
export function nodeFunction(scope: Construct, id: string, props: NodeFunctionProps): LambdaFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: props.logRetentionDays as RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  return new LambdaFunction(scope, id, {
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.X86_64,
    handler: 'index.handler',
    code: Code.fromAsset(props.codeDir),
    description: props.description,
    memorySize: props.memoryMb,
    timeout: props.timeout,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
  });
}

/** Seconds, for readability at call sites. */
export const seconds = (value: number): Duration => Duration.seconds(value);
