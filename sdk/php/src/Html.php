<?php

declare(strict_types=1);

namespace Vetrina;

/**
 * Escaping and attribute writing for the tags of SPEC.md §12.
 */
final class Html
{
    /**
     * SPEC.md §12.2's five replacements. htmlspecialchars() is not used because its ENT_HTML5
     * mode writes `&apos;` and its ENT_HTML401 mode `&#039;`, where the vectors expect `&#39;`.
     */
    private const ESCAPES = ['&' => '&amp;', '"' => '&quot;', '<' => '&lt;', '>' => '&gt;', "'" => '&#39;'];

    private function __construct()
    {
    }

    /**
     * Escapes text for a double-quoted attribute value: `&` `"` `<` `>` `'` become
     * `&amp;` `&quot;` `&lt;` `&gt;` `&#39;`; everything else is kept byte for byte.
     *
     * @example Html::escape('Tom\'s "GT" <new> & used') // 'Tom&#39;s &quot;GT&quot; &lt;new&gt; &amp; used'
     */
    public static function escape(string $text): string
    {
        return strtr($text, self::ESCAPES);
    }

    /**
     * Writes a start tag with the attributes in the given order; null values are left out.
     *
     * @param array<string, string|int|null> $attributes name => value
     */
    public static function tag(string $name, array $attributes): string
    {
        $out = "<$name";
        foreach ($attributes as $attribute => $value) {
            if ($value !== null) {
                $out .= " $attribute=\"" . self::escape((string) $value) . '"';
            }
        }

        return "$out>";
    }
}
