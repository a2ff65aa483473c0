<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * The one canonical percent-encoding of S3 keys in URL paths (SPEC.md §2).
 *
 * Each byte of the UTF-8 key stays as itself when it is unreserved (`A–Z a–z 0–9 - . _ ~`)
 * or `/`, and becomes `%XX` with upper-case hex otherwise: a space is `%20` (never `+`),
 * `+` is `%2B`, `%` is `%25`, `#` is `%23`, `ü` is `%C3%BC`.
 */
final class KeyEncoder
{
    /** Longest key, in bytes of UTF-8, that can still have renditions (S3 keys stop at 1024). */
    public const MAX_KEY_BYTES = 960;

    /** The path segment reserved for rendition keys (SPEC.md §9). */
    public const RENDITION_SEGMENT = '_r';

    private function __construct()
    {
    }

    /**
     * Encodes a key for a URL path. The key is used byte for byte: no Unicode normalisation,
     * no case folding, no validation (the builders call {@see check()} first).
     *
     * @param string $key the S3 key as UTF-8 bytes
     * @return string the encoded path, e.g. `fahrzeuge/E%2BP%201.jpg`
     *
     * @example KeyEncoder::encode('fahrzeuge/E+P 1.jpg') // 'fahrzeuge/E%2BP%201.jpg'
     */
    public static function encode(string $key): string
    {
        // rawurlencode() keeps exactly the unreserved set of RFC 3986 (`~` included since PHP 5.3)
        // and writes upper-case hex; only `/` has to come back.
        return str_replace('%2F', '/', rawurlencode($key));
    }

    /**
     * Checks a key against the rules of SPEC.md §2, so a builder never emits a URL the edge
     * rejects.
     *
     * @throws SdkException naming `key`: `KEY_TOO_LONG` above 960 bytes; `BAD_KEY` when it is
     *   empty, not UTF-8, holds a control character, a `.`, `..` or `_r` segment, or ends in `/`
     */
    public static function check(string $key): void
    {
        if ($key === '') {
            throw new SdkException('BAD_KEY', 'key', 'key must be 1 to 960 bytes of UTF-8, got an empty string');
        }
        if (preg_match('/[\x00-\x1F\x7F]/', $key) === 1) {
            throw new SdkException('BAD_KEY', 'key', 'key must not hold control characters (U+0000-U+001F, U+007F),'
                . ' got "' . self::show($key) . '"');
        }
        // PCRE's UTF-8 check also refuses overlong forms and surrogates, which have no scalar value.
        if (preg_match('//u', $key) !== 1) {
            throw new SdkException('BAD_KEY', 'key', 'key must be valid UTF-8, got "' . self::show($key) . '"');
        }
        if (str_ends_with($key, '/')) {
            throw new SdkException('BAD_KEY', 'key', "key must name an object, not a folder ending in /, got \"$key\"");
        }
        foreach (explode('/', $key) as $segment) {
            if ($segment === '.' || $segment === '..' || $segment === self::RENDITION_SEGMENT) {
                throw new SdkException('BAD_KEY', 'key', "key must not have a \"$segment\" segment, got \"$key\"");
            }
        }
        if (strlen($key) > self::MAX_KEY_BYTES) {
            throw new SdkException('KEY_TOO_LONG', 'key', 'key must be 1 to 960 bytes of UTF-8, got '
                . strlen($key) . ' bytes');
        }
    }

    /** The key with every byte outside printable ASCII written as `%XX`, for messages. */
    private static function show(string $key): string
    {
        return (string) preg_replace_callback(
            '/[^\x20-\x7E]/',
            static fn (array $m): string => sprintf('%%%02X', ord($m[0])),
            $key,
        );
    }
}
