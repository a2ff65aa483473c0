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
     * @param string $code the error code (`BAD_OPTION_VALUE` for URL options, `INVALID_ARGUMENT` for config)
     * @return array{0: int, 1: int}
     * @throws SdkException with `$code`, naming `$argument` and the value received
     */
    public static function check(string $argument, mixed $aspect, string $code = 'BAD_OPTION_VALUE'): array
    {
        $ok = is_array($aspect) && array_is_list($aspect) && count($aspect) === 2;
        foreach ($ok ? $aspect : [] as $side) {
            $ok = $ok && is_int($side) && $side >= 1 && $side <= self::MAX_SIDE;
        }
        if (!$ok) {
            throw new SdkException($code, $argument, "$argument must be [a, b] with integers from 1 to 32, got "
                . SdkException::show($aspect));
        }

        return $aspect;
    }
}
