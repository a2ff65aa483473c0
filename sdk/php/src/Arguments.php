<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Checks shared by the builder's calls: unknown option names, widths, pixel counts, text.
 * Every failure is an {@see SdkException} naming the argument.
 */
final class Arguments
{
    private function __construct()
    {
    }

    /**
     * Refuses the first option name `$call` does not take, so a typo never goes unnoticed.
     *
     * @param array<string, mixed> $options
     * @param list<string> $allowed
     * @throws SdkException (`INVALID_ARGUMENT`) naming the unknown option
     */
    public static function rejectUnknown(array $options, array $allowed, string $call): void
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, $allowed, true)) {
                throw SdkException::invalid((string) $name, "$name is not an option of $call(); it takes "
                    . implode(', ', $allowed));
            }
        }
    }

    /**
     * Snaps a width up to the next ladder step.
     *
     * @param list<int> $ladder ascending px
     * @return int the ladder step in px
     * @throws SdkException naming `$argument`: `INVALID_ARGUMENT` for a non-number,
     *   `WIDTH_OUT_OF_RANGE` below 1 or above the top of the ladder
     */
    public static function snap(mixed $width, array $ladder, string $argument): int
    {
        $top = $ladder[count($ladder) - 1];
        // A fractional width (say 640.5 from a layout computation) snaps like any other.
        if ((!is_int($width) && !is_float($width)) || is_nan($width)) {
            throw SdkException::invalid($argument, "$argument must be a number of px from 1 to $top, got "
                . SdkException::show($width));
        }
        foreach ($width >= 1 ? $ladder : [] as $step) {
            if ($step >= $width) {
                return $step;
            }
        }

        throw new SdkException('WIDTH_OUT_OF_RANGE', $argument, "$argument must be a number of px from 1 to $top,"
            . ' got ' . SdkException::show($width));
    }

    /**
     * A non-empty list of widths in px (each checked later by {@see snap()}).
     *
     * @return list<mixed>
     * @throws SdkException (`INVALID_ARGUMENT`) naming `widths`
     */
    public static function widths(mixed $widths): array
    {
        if (!is_array($widths) || $widths === [] || !array_is_list($widths)) {
            throw SdkException::invalid('widths', 'widths must be a non-empty list of px, got '
                . SdkException::show($widths));
        }

        return $widths;
    }

    /**
     * A positive pixel count, or null when absent.
     *
     * @throws SdkException (`INVALID_ARGUMENT`) naming `$argument`
     */
    public static function pixels(mixed $value, string $argument): ?int
    {
        if ($value !== null && (!is_int($value) || $value < 1)) {
            throw SdkException::invalid($argument, "$argument must be a positive integer of px, got "
                . SdkException::show($value));
        }

        return $value;
    }

    /**
     * An optional attribute text: null when absent or empty.
     *
     * @throws SdkException (`INVALID_ARGUMENT`) naming `$argument`
     */
    public static function text(mixed $value, string $argument): ?string
    {
        if ($value === null || $value === '') {
            return null;
        }
        if (!is_string($value)) {
            throw SdkException::invalid($argument, "$argument must be a string, got " . SdkException::show($value));
        }

        return $value;
    }

    /**
     * A boolean flag, false when absent.
     *
     * @throws SdkException (`INVALID_ARGUMENT`) naming `$argument`
     */
    public static function flag(mixed $value, string $argument): bool
    {
        if ($value !== null && !is_bool($value)) {
            throw SdkException::invalid($argument, "$argument must be a boolean, got " . SdkException::show($value));
        }

        return $value ?? false;
    }
}
