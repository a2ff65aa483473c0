/**
 * Environment variables of the regional Lambdas, read through helpers that fail fast and name
 * the variable. (Lambda@Edge has no environment: its configuration is baked into the bundle.)
 */

/**
 * The value of `name`.
 *
 * @throws Error naming the variable when it is unset or empty.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is required but not set`);
  }
  return value;
}

/** The value of `name`, or `fallback` when it is unset or empty. */
export function optionalEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * The JSON object in `name`, or `{}` when it is unset.
 *
 * @throws Error naming the variable when the value is not a JSON object.
 */
export function jsonEnv(name: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const raw = env[name];
  if (raw === undefined || raw === '') return {};

  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`environment variable ${name}: expected a JSON object, got invalid JSON (${String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`environment variable ${name}: expected a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
