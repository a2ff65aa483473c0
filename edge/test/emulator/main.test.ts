import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

/** A port on 127.0.0.1 that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('npm start', () => {
  it('exits 3 with the reason when an s3:// store cannot be reached, instead of serving 502s', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'edge/src/emulator/main.ts',
        '--port',
        '0',
        '--originals',
        's3://exchange',
        '--renditions',
        's3://renditions',
        '--endpoint',
        endpoint,
      ],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });

    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code).toBe(3);
    expect(stderr).toContain('vetrina emulator: the exchange store s3://exchange/ cannot be listed:');
    expect(stderr).toContain('ECONNREFUSED');
  }, 60_000);
});
