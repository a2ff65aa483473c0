import { describe, expect, it } from 'vitest';
import { DEV_SIGNING_KEYS, readCliOptions, UsageError } from '../../src/emulator/options.js';

const noFile = (path: string): string => {
  throw new Error(`ENOENT: no such file, open '${path}'`);
};

describe('readCliOptions', () => {
  it('uses the documented defaults and the development key ring', () => {
    const options = readCliOptions([], {}, noFile);

    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      originals: 'examples/originals',
      renditions: '.vetrina/renditions',
    });
    expect(options !== 'help' && options.config.signing.keys).toEqual(DEV_SIGNING_KEYS);
  });

  it('prefers flags over environment variables', () => {
    const env = { PORT: '9000', VETRINA_ORIGINALS: '/env/originals', VETRINA_RENDITIONS: '/env/renditions' };

    const options = readCliOptions(['--port', '0', '--originals=/flag/originals'], env, noFile);

    expect(options).toMatchObject({ port: 0, originals: '/flag/originals', renditions: '/env/renditions' });
  });

  it('reads a config file and keeps its own signing keys', () => {
    const file = JSON.stringify({ signing: { keys: { k1: 'secret-1' } }, background: '#000000' });

    const options = readCliOptions(['--config', 'vetrina.json'], {}, () => file);

    expect(options !== 'help' && options.config.signing.keys).toEqual({ k1: 'secret-1' });
    expect(options !== 'help' && options.config.background).toBe('#000000');
  });

  it.each([
    [['--port', 'abc'], {}, '--port: expected a port number 0-65535, got "abc"'],
    [[], { PORT: '70000' }, 'PORT: expected a port number 0-65535, got "70000"'],
    [['--colour', 'red'], {}, "Unknown option '--colour'"],
    [['--originals'], {}, "Option '--originals <value>' argument missing"],
    [['--config', 'missing.json'], {}, '--config: cannot read "missing.json"'],
    [['--originals', 'photos', '--renditions', 'photos/r'], {}, 'must not contain each other'],
    [['--originals', 'a/b', '--renditions', 'a'], {}, 'must not contain each other'],
    [['--originals', 'x', '--renditions', './x'], {}, 'must not contain each other'],
  ])('rejects %j %j with a usage error naming the problem', (argv, env, message) => {
    expect(() => readCliOptions(argv, env, noFile)).toThrow(UsageError);
    expect(() => readCliOptions(argv, env, noFile)).toThrow(message);
  });

  it('rejects a config file that fails validation, naming the field', () => {
    expect(() => readCliOptions(['--config', 'c.json'], {}, () => '{"background":"red"}')).toThrow(
      '--config: config background: expected #rrggbb, got "red"',
    );
    expect(() => readCliOptions(['--config', 'c.json'], {}, () => '[1]')).toThrow('must hold a JSON object');
  });

  it('answers help for --help', () => {
    expect(readCliOptions(['--help'], {}, noFile)).toBe('help');
  });
});
