<?php

/**
 * Helpers of the example portal: configuration from the environment, the URL builder,
 * escaping and formatting. Declarations only; bootstrap.php loads this file.
 */

declare(strict_types=1);

/** The emulator's development key ring (edge/src/emulator/options.ts): public, development only. */
const DEV_SIGNING_KEY_ID = 'dev';
const DEV_SIGNING_SECRET = 'vetrina-dev-secret';

/** An environment variable, or `$default` when it is unset or empty. */
function env(string $name, string $default): string
{
    $value = getenv($name);

    return $value === false || $value === '' ? $default : $value;
}

/**
 * The one URL builder of the portal, configured from the environment.
 *
 * @throws RuntimeException naming the environment variable whose value the SDK refused
 */
function vetrina(): Vetrina\UrlBuilder
{
    static $builder = null;
    if ($builder !== null) {
        return $builder;
    }

    $config = [
        'baseUrl' => env('VETRINA_CDN', 'http://127.0.0.1:8080'),
        'signing' => [
            'keyId' => env('VETRINA_SIGNING_KEY_ID', DEV_SIGNING_KEY_ID),
            'secret' => env('VETRINA_SIGNING_KEY', DEV_SIGNING_SECRET),
        ],
    ];
    try {
        $builder = new Vetrina\UrlBuilder($config);
    } catch (Vetrina\SdkException $error) {
        $variable = [
            'baseUrl' => 'VETRINA_CDN',
            'signing.keyId' => 'VETRINA_SIGNING_KEY_ID',
            'signing.secret' => 'VETRINA_SIGNING_KEY',
        ][$error->argument] ?? $error->argument;
        throw new RuntimeException("$variable: " . $error->getMessage(), 0, $error);
    }

    return $builder;
}

/** The folder the "before" page serves originals from, as a real path. */
function originalsDir(): string
{
    $dir = realpath(env('VETRINA_ORIGINALS', __DIR__ . '/../originals'));
    if ($dir === false || !is_dir($dir)) {
        throw new RuntimeException('VETRINA_ORIGINALS must name a folder of originals, got '
            . env('VETRINA_ORIGINALS', __DIR__ . '/../originals'));
    }

    return $dir;
}

/** Escapes text for HTML, the same five replacements as the SDK's attributes. */
function e(string $text): string
{
    return Vetrina\Html::escape($text);
}

/** A price in euros, German style: `89.900 €`. */
function euros(int $amount): string
{
    return number_format($amount, 0, ',', '.') . "\u{a0}€";
}

/** The catalogue: dealer, hero photo, vehicles and magazine articles. */
function catalogue(): array
{
    static $catalogue = null;

    return $catalogue ??= require __DIR__ . '/catalogue.php';
}

/** A direct link to an original, as the templates wrote it before vetrina (before.php). */
function originalUrl(string $key): string
{
    return 'original.php?key=' . rawurlencode($key);
}

/** Ends the request with a status and a short plain-text reason (original.php). */
function refuse(int $status, string $reason): never
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    header('Cache-Control: no-store');
    echo $reason, "\n";
    exit;
}
