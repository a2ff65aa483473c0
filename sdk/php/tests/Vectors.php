<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\Assert;
use Vetrina\SdkException;

/**
 * Loads the shared conformance vectors of `sdk/vectors/` (schemas in its README) as PHPUnit
 * data sets, one per case, named by the case.
 */
final class Vectors
{
    /** The folder of the vector files, shared with the TypeScript SDK and the edge. */
    public const DIR = __DIR__ . '/../../vectors';

    /**
     * One data set per case: `[case, config]`, where a case's own `config` replaces the file's.
     *
     * @return array<string, array{0: array<string, mixed>, 1: array<string, mixed>}>
     */
    public static function cases(string $file): array
    {
        $path = self::DIR . '/' . $file;
        $text = is_file($path) ? file_get_contents($path) : false;
        if ($text === false) {
            throw new \RuntimeException("vector file $file cannot be read from " . self::DIR);
        }
        $vectors = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        if (!is_array($vectors['cases'] ?? null) || $vectors['cases'] === []) {
            throw new \RuntimeException("vector file $file has no cases");
        }

        $sets = [];
        foreach ($vectors['cases'] as $case) {
            $name = (string) $case['name'];
            if (array_key_exists($name, $sets)) {
                throw new \RuntimeException("vector file $file has two cases named \"$name\"");
            }
            $sets[$name] = [$case, $case['config'] ?? $vectors['config'] ?? []];
        }

        return $sets;
    }

    /**
     * Runs `$act` and asserts that it throws the expected error of a vector:
     * `['error' => CODE, 'argument' => name]`, with the argument named in the message.
     *
     * @param array{error: string, argument?: string} $expect
     */
    public static function assertRefused(array $expect, callable $act): void
    {
        try {
            $result = $act();
        } catch (SdkException $error) {
            Assert::assertSame(
                [$expect['error'], $expect['argument'] ?? $error->argument],
                [$error->errorCode, $error->argument],
                'error code and argument; message: ' . $error->getMessage(),
            );
            Assert::assertStringContainsString($error->argument, $error->getMessage());
            return;
        }

        Assert::fail("expected {$expect['error']} naming " . ($expect['argument'] ?? '?') . ', got '
            . var_export($result, true));
    }
}
