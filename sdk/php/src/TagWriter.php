<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Writes the `<img>` and `<picture>` markup of SPEC.md §12.2–§12.3 for a {@see UrlBuilder}:
 * fixed attribute order, escaped values, `width`/`height` whenever they are known so the page
 * does not shift. Templates call {@see UrlBuilder::img()} and {@see UrlBuilder::picture()}.
 */
final class TagWriter
{
    /** Options img() takes. */
    public const IMG_OPTIONS = [
        ...UrlOptions::NAMES,
        'widths', 'sizes', 'sourceWidth', 'sourceHeight', 'alt', 'className', 'priority',
    ];

    /** Options picture() takes. */
    public const PICTURE_OPTIONS = [...self::IMG_OPTIONS, 'formats', 'art'];

    /** Fields of one art-direction source. */
    public const ART_OPTIONS = ['media', 'preset', 'width', 'widths', 'fit', 'aspect', 'quality', 'sizes'];

    private const SOURCE_FORMATS = ['avif', 'webp', 'png', 'jpeg'];
    private const MIME = ['jpeg' => 'image/jpeg', 'png' => 'image/png', 'webp' => 'image/webp', 'avif' => 'image/avif'];

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
        Arguments::rejectUnknown($options, self::IMG_OPTIONS, 'img');
        $urlOptions = UrlBuilder::pick($options, UrlOptions::NAMES);
        $src = $this->builder->url($key, $urlOptions);
        $resolved = UrlOptions::from($urlOptions, $this->builder->config());
        $srcset = ($options['widths'] ?? null) === null
            ? null
            : $this->builder->srcset($key, self::srcsetOptions($options));
        [$width, $height] = self::renderedSize(
            $resolved,
            $options['sourceWidth'] ?? null,
            $options['sourceHeight'] ?? null,
        );
        $alt = $options['alt'] ?? '';
        if (!is_string($alt)) {
            throw SdkException::invalid('alt', 'alt must be a string, got ' . SdkException::show($alt));
        }
        $priority = Arguments::flag($options['priority'] ?? null, 'priority');

        return Html::tag('img', [
            'src' => $src,
            'srcset' => $srcset,
            'sizes' => Arguments::text($options['sizes'] ?? null, 'sizes'),
            'width' => $width,
            'height' => $height,
            'alt' => $alt,
            'class' => Arguments::text($options['className'] ?? null, 'className'),
            'loading' => $priority ? 'eager' : 'lazy',
            'decoding' => $priority ? 'sync' : 'async',
            'fetchpriority' => $priority ? 'high' : null,
        ]);
    }

    /**
     * See {@see UrlBuilder::picture()}.
     *
     * @param array<string, mixed> $options
     * @throws SdkException naming the option at fault
     */
    public function picture(string $key, array $options): string
    {
        Arguments::rejectUnknown($options, self::PICTURE_OPTIONS, 'picture');
        $formats = $options['formats'] ?? ['avif', 'webp'];
        $valid = is_array($formats) && array_is_list($formats);
        foreach ($valid ? $formats : [] as $format) {
            $valid = $valid && in_array($format, self::SOURCE_FORMATS, true);
        }
        if (!$valid) {
            throw new SdkException('BAD_OPTION_VALUE', 'formats', 'formats must list avif, webp, png or jpeg, got '
                . SdkException::show($formats));
        }
        $art = $options['art'] ?? [];
        if (!is_array($art) || !array_is_list($art)) {
            throw SdkException::invalid('art', 'art must be a list of sources, got ' . SdkException::show($art));
        }

        $sources = '';
        foreach ($art as $i => $entry) {
            $media = self::checkArt($entry, $i);
            $artOptions = UrlBuilder::pick($entry, ['preset', 'width', 'widths', 'fit', 'aspect', 'quality'])
                + UrlBuilder::pick($options, ['version', 'sourceWidth']);
            foreach ($formats as $format) {
                $srcset = $this->sourceSrcset($key, ['format' => $format] + $artOptions);
                $sources .= self::source($media, $format, $srcset, $entry['sizes'] ?? null);
            }
        }
        $imgOptions = array_diff_key($options, ['formats' => true, 'art' => true]);
        foreach ($formats as $format) {
            $srcset = $this->sourceSrcset($key, ['format' => $format] + $imgOptions);
            $sources .= self::source(null, $format, $srcset, $options['sizes'] ?? null);
        }
        $img = $this->img($key, ['format' => $options['format'] ?? 'jpeg'] + $imgOptions);

        return "<picture>$sources$img</picture>";
    }

    /**
     * The size `src` is shown at, in CSS px (SPEC.md §12.2): the width slot, capped so the
     * original is never upscaled (a density-d file of a narrow original shows at
     * sourceWidth / d); the height from a fixed aspect, or from the original's aspect.
     *
     * @return array{0: ?int, 1: ?int} width and height, both null when they cannot be known
     */
    private static function renderedSize(UrlOptions $resolved, mixed $sourceWidth, mixed $sourceHeight): array
    {
        $sourceWidth = Arguments::pixels($sourceWidth, 'sourceWidth');
        $sourceHeight = Arguments::pixels($sourceHeight, 'sourceHeight');
        $width = $resolved->slotWidth;
        if ($sourceWidth !== null) {
            $width = min($width, (int) round($sourceWidth / $resolved->density));
        }
        if ($resolved->aspect !== null && $resolved->fit !== 'inside') {
            [$a, $b] = $resolved->aspect;
            // A cover crop never outgrows the original's height either (SPEC.md §3.3).
            if ($resolved->fit === 'cover' && $sourceHeight !== null) {
                $cropWidth = (int) round(intdiv($sourceHeight * $a, $b) / $resolved->density);
                $width = min($width, max(1, $cropWidth));
            }
            return [$width, (int) round($width * $b / $a)];
        }
        if ($sourceWidth === null || $sourceHeight === null) {
            return [null, null];
        }

        return [$width, (int) round($width * $sourceHeight / $sourceWidth)];
    }

    /** @param array<string, mixed> $options */
    private function sourceSrcset(string $key, array $options): string
    {
        if (($options['widths'] ?? null) !== null) {
            return $this->builder->srcset($key, self::srcsetOptions($options));
        }

        return $this->builder->url($key, UrlBuilder::pick($options, UrlOptions::NAMES));
    }

    /**
     * @param array<string, mixed> $options
     * @return array<string, mixed>
     */
    private static function srcsetOptions(array $options): array
    {
        return UrlBuilder::pick($options, UrlBuilder::SRCSET_OPTIONS);
    }

    private static function checkArt(mixed $entry, int $i): string
    {
        if (!is_array($entry)) {
            throw SdkException::invalid('art', "art[$i] must be an array with media, got "
                . SdkException::show($entry));
        }
        Arguments::rejectUnknown($entry, self::ART_OPTIONS, "picture art[$i]");
        $media = $entry['media'] ?? null;
        if (!is_string($media) || trim($media) === '') {
            throw SdkException::invalid('media', "media of art[$i] must be a media condition, got "
                . SdkException::show($media));
        }

        return $media;
    }

    private static function source(?string $media, string $format, string $srcset, mixed $sizes): string
    {
        return Html::tag('source', [
            'media' => $media,
            'type' => self::MIME[$format],
            'srcset' => $srcset,
            'sizes' => Arguments::text($sizes, 'sizes'),
        ]);
    }
}
