<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * A refused argument: the builder will not emit a URL the edge would reject, nor guess what a
 * wrong option meant.
 *
 * `errorCode` is a code of the SPEC.md §11 catalogue when the edge would refuse the same URL
 * (`UNKNOWN_SIZE`, `WIDTH_OUT_OF_RANGE`, `BAD_OPTION_VALUE`, `OPTION_NOT_ALLOWED`, `BAD_KEY`,
 * `KEY_TOO_LONG`, `BAD_VERSION`, `SIGNATURE_REQUIRED`), or `INVALID_ARGUMENT` for misuse the
 * edge never sees. `argument` names the option or config field at fault, and the message
 * starts with it: `width must be an integer from 1 to 2560, got 0`.
 */
final class SdkException extends \InvalidArgumentException
{
    /**
     * @param string $errorCode a SPEC.md §11 code or `INVALID_ARGUMENT`
     * @param string $argument the option or config field at fault, e.g. `width` or `signing.keyId`
     * @param string $message names the argument, the expected form and the value received
     */
    public function __construct(
        public readonly string $errorCode,
        public readonly string $argument,
        string $message,
    ) {
        parent::__construct($message);
    }

    /** A refusal the edge never sees: a wrong type, a missing or unknown option, a bad config. */
    public static function invalid(string $argument, string $message): self
    {
        return new self('INVALID_ARGUMENT', $argument, $message);
    }

    /** How a value is shown in messages: strings quoted, lists as JSON, other types by name. */
    public static function show(mixed $value): string
    {
        return match (true) {
            is_string($value) => '"' . $value . '"',
            is_int($value), is_float($value) => (string) $value,
            is_array($value) => (string) json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE),
            default => get_debug_type($value),
        };
    }
}
