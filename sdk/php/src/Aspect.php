<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Validation of aspect ratios `a:b`, each side an integer from 1 to 32 (SPEC.md §4).
 */
final class Aspect
{
    /** Largest side of an aspect ratio. */
    public const MAX_SIDE = 32;

    private function __construct()
    {
    }

    /**
     * Checks that `$aspect` is a list of two integers from 1 to 32.
     *
     * @param string $argument the argument's name, used in the message
     * @param string $code the error code for a value out of range (`BAD_OPTION_VALUE` for URLs)
     * @return array{0: int, 1: int}
     * @throws SdkException naming `$argument`: `INVALID_ARGUMENT` when it is not a pair of
     *   integers, `$code` when a side is out of range
     */
    public static function check(string $argument, mixed $aspect, string $code = 'BAD_OPTION_VALUE'): array
    {
        $pair = is_array($aspect) && array_is_list($aspect) && count($aspect) === 2
            && is_int($aspect[0]) && is_int($aspect[1]);
        if (!$pair) {
            throw SdkException::invalid($argument, "$argument must be [a, b] with integers from 1 to 32, got "
                . SdkException::show($aspect));
        }
        foreach ($aspect as $side) {
            if ($side < 1 || $side > self::MAX_SIDE) {
                throw new SdkException($code, $argument, "$argument must be [a, b] with integers from 1 to 32, got "
                    . SdkException::show($aspect));
            }
        }

        return $aspect;
    }
}
