<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;

/**
 * Runs every PHP example of the SDK's README and compares what it prints with the text block
 * that follows it, so the documentation cannot drift from the code.
 */
final class ReadmeTest extends TestCase
{
    private const README = __DIR__ . '/../README.md';

    /** @return array<string, array{0: string, 1: string}> */
    public static function examples(): array
    {
        $readme = (string) file_get_contents(self::README);
        preg_match_all('/```php\n(.*?)```\s*```text\n(.*?)```/s', $readme, $matches, PREG_SET_ORDER);
        if (count($matches) < 5) {
            throw new \RuntimeException('README.md should hold at least 5 examples, found ' . count($matches));
        }

        $examples = [];
        foreach ($matches as $i => [, $code, $output]) {
            $examples['example ' . ($i + 1)] = [$code, $output];
        }

        return $examples;
    }

    /** @dataProvider examples */
    public function testReadmeExamplePrintsItsDocumentedOutput(string $code, string $expected): void
    {
        $cwd = (string) getcwd();
        chdir(dirname(__DIR__, 3));
        ob_start();
        try {
            eval($code);
        } finally {
            $printed = (string) ob_get_clean();
            chdir($cwd);
        }

        $this->assertSame($expected, $printed);
    }
}
