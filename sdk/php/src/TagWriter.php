<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Writes the `<img>` and `<picture>` tags of SPEC.md §12.2–§12.3 for a {@see UrlBuilder}.
 * Templates call {@see UrlBuilder::img()} and {@see UrlBuilder::picture()}.
 */
final class TagWriter
{
    /** Options img() reads besides the url() options. */
    private const IMG_OPTIONS = ['widths', 'sizes', 'sourceWidth', 'sourceHeight', 'alt', 'className', 'priority'];

    /** Options picture() reads besides those of img(). */
    private const PICTURE_OPTIONS = ['formats', 'art'];

    /** Fields of one art-direction source. */
    private const ART_FIELDS = ['media', 'preset', 'width', 'widths', 'fit', 'aspect', 'quality', 'sizes'];

    private const SOURCE_FORMATS = ['avif', 'webp'];

    public function __construct(private readonly UrlBuilder $builder)
    {
    }

    /**
     * See {@see UrlBuilder::img()}.
     *
     * @param array<string, mixed> $options
     * @throws SdkException naming the option at fault
     */
    public function img(string $key, array $options): string
    {
        $urlOptions = UrlOptions::from(self::urlPart($options), $this->builder->config(), self::IMG_OPTIONS);

        return $this->imgTag($key, $options, $urlOptions);
    }

    /**
     * See {@see UrlBuilder::picture()}.
     *
     * @param array<string, mixed> $options
     * @throws SdkException naming the option at fault
     */
    public function picture(string $key, array $options): string
    {
        $config = $this->builder->config();
        $extra = [...self::IMG_OPTIONS, ...self::PICTURE_OPTIONS];
        $urlOptions = UrlOptions::from(self::urlPart($options, $extra), $config, $extra);
        $formats = self::formats($options['formats'] ?? self::SOURCE_FORMATS);
        $sizes = self::text($options, 'sizes');
        $widths = array_key_exists('widths', $options) ? UrlBuilder::widths($options['widths']) : null;
        $sourceWidth = UrlBuilder::pixels($options, 'sourceWidth');

        $out = '<picture>';
        foreach (self::artList($options['art'] ?? []) as $index => $art) {
            $artOptions = UrlOptions::from(self::urlPart($art, ['media', 'widths', 'sizes']), $config, ['media',
                'widths', 'sizes']);
            $artWidths = array_key_exists('widths', $art) ? UrlBuilder::widths($art['widths']) : null;
            foreach ($formats as $format) {
                $out .= Html::tag('source', [
                    'media' => self::text($art, 'media', "art[$index].media") ?? '',
                    'type' => 'image/' . $format,
                    'srcset' => $this->sourceSet($key, $artOptions->with(format: $format), $artWidths, $sourceWidth),
                    'sizes' => self::text($art, 'sizes', "art[$index].sizes"),
                ]);
            }
        }
        foreach ($formats as $format) {
            $out .= Html::tag('source', [
                'type' => 'image/' . $format,
                'srcset' => $this->sourceSet($key, $urlOptions->with(format: $format), $widths, $sourceWidth),
                'sizes' => $sizes,
            ]);
        }

        return $out . $this->imgTag($key, $options, $urlOptions->with(format: 'jpeg')) . '</picture>';
    }

    /** @param array<string, mixed> $options */
    private function imgTag(string $key, array $options, UrlOptions $urlOptions): string
    {
        $widths = array_key_exists('widths', $options) ? UrlBuilder::widths($options['widths']) : null;
        $sourceWidth = UrlBuilder::pixels($options, 'sourceWidth');
        $sourceHeight = UrlBuilder::pixels($options, 'sourceHeight');
        $priority = $options['priority'] ?? false;
        if (!is_bool($priority)) {
            throw SdkException::invalid('priority', 'priority must be a boolean, got ' . SdkException::show($priority));
        }
        [$width, $height] = $this->dimensions($urlOptions, $sourceWidth, $sourceHeight);

        return Html::tag('img', [
            'src' => $this->builder->emit($key, $urlOptions),
            'srcset' => $widths === null ? null : $this->sourceSet($key, $urlOptions, $widths, $sourceWidth),
            'sizes' => self::text($options, 'sizes'),
            'width' => $width,
            'height' => $height,
            'alt' => self::text($options, 'alt') ?? '',
            'class' => self::text($options, 'className'),
            'loading' => $priority ? 'eager' : 'lazy',
            'decoding' => $priority ? 'sync' : 'async',
            'fetchpriority' => $priority ? 'high' : null,
        ]);
    }

    /**
     * The srcset of one source: width candidates, or the single URL when no widths are given.
     *
     * @param list<int>|null $widths
     */
    private function sourceSet(string $key, UrlOptions $options, ?array $widths, ?int $sourceWidth): string
    {
        if ($widths === null) {
            return $this->builder->emit($key, $options);
        }

        return $this->builder->candidates($key, $widths, $sourceWidth, $options);
    }

    /**
     * The rendered size of `src` in px: the preset's or the snapped width, capped at the
     * original's width; the height from a fixed aspect, or from the original's aspect.
     *
     * @return array{0: ?int, 1: ?int} width and height, both null when they cannot be known
     */
    private function dimensions(UrlOptions $options, ?int $sourceWidth, ?int $sourceHeight): array
    {
        $config = $this->builder->config();
        if ($options->preset !== null) {
            $preset = $config->presets[$options->preset];
            $width = $options->mobile ? $preset->mobileWidth : $preset->desktopWidth;
            $aspect = $preset->aspect;
        } else {
            $width = UrlOptions::snap((int) $options->width, $config->widthLadder);
            $aspect = $options->aspect;
        }
        if ($sourceWidth !== null) {
            $width = min($width, $sourceWidth);
        }
        if ($aspect !== null) {
            return [$width, (int) round($width * $aspect[1] / $aspect[0])];
        }
        if ($sourceWidth === null || $sourceHeight === null) {
            return [null, null];
        }

        return [$width, (int) round($width * $sourceHeight / $sourceWidth)];
    }

    /**
     * The url() options among `$options`, without the names the tag writer reads itself.
     *
     * @param array<string, mixed> $options
     * @param list<string> $extra
     * @return array<string, mixed>
     */
    private static function urlPart(array $options, array $extra = self::IMG_OPTIONS): array
    {
        return array_diff_key($options, array_flip($extra));
    }

    /** @return list<string> */
    private static function formats(mixed $formats): array
    {
        $ok = is_array($formats) && array_is_list($formats);
        foreach ($ok ? $formats : [] as $format) {
            $ok = $ok && in_array($format, UrlOptions::FORMATS, true);
        }
        if (!$ok) {
            throw SdkException::invalid('formats', 'formats must be a list of ' . implode(', ', UrlOptions::FORMATS)
                . ', got ' . SdkException::show($formats));
        }

        return $formats;
    }

    /** @return list<array<string, mixed>> */
    private static function artList(mixed $art): array
    {
        if (!is_array($art) || !array_is_list($art)) {
            throw SdkException::invalid('art', 'art must be a list of sources, got ' . SdkException::show($art));
        }
        foreach ($art as $index => $source) {
            if (!is_array($source) || !is_string($source['media'] ?? null)) {
                throw SdkException::invalid('art', "art[$index] must be an array with a media condition, got "
                    . SdkException::show($source));
            }
            foreach (array_keys($source) as $field) {
                if (!in_array($field, self::ART_FIELDS, true)) {
                    throw SdkException::invalid('art', "art[$index].$field is unknown; expected one of "
                        . implode(', ', self::ART_FIELDS));
                }
            }
        }

        return $art;
    }

    /**
     * A string option, or null when absent.
     *
     * @param array<string, mixed> $options
     */
    private static function text(array $options, string $name, ?string $argument = null): ?string
    {
        $value = $options[$name] ?? null;
        if ($value !== null && !is_string($value)) {
            $argument ??= $name;
            throw SdkException::invalid($argument, "$argument must be a string, got " . SdkException::show($value));
        }

        return $value;
    }
}
