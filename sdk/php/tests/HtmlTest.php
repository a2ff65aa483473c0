<?php

declare(strict_types=1);

namespace Vetrina\Tests;

use PHPUnit\Framework\TestCase;
use Vetrina\Html;
use Vetrina\UrlBuilder;

final class HtmlTest extends TestCase
{
    public function testEscapesTheFiveCharactersAndNothingElse(): void
    {
        $text = "Tom's \"GT\" <neu> & gebraucht – 100 % é";

        $escaped = Html::escape($text);

        $this->assertSame('Tom&#39;s &quot;GT&quot; &lt;neu&gt; &amp; gebraucht – 100 % é', $escaped);
    }

    public function testDoesNotDecodeOrDoubleSkipExistingEntities(): void
    {
        $escaped = Html::escape('&amp; &#39;');

        $this->assertSame('&amp;amp; &amp;#39;', $escaped);
    }

    public function testEscapesAltClassAndSizesInsideImg(): void
    {
        $builder = new UrlBuilder(['baseUrl' => 'https://img.example.com']);

        $img = $builder->img('a.jpg', ['preset' => 'thumb', 'alt' => '"><script>alert(1)</script>',
            'className' => "card' onload='x", 'sizes' => '(max-width: 640px) 100vw, 50vw']);

        $this->assertSame('<img src="https://img.example.com/thumb/a.jpg"'
            . ' sizes="(max-width: 640px) 100vw, 50vw" width="320" height="240"'
            . ' alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" class="card&#39; onload=&#39;x"'
            . ' loading="lazy" decoding="async">', $img);
    }

    public function testEscapesAmpersandsOfTheQueryInsideUrls(): void
    {
        $builder = new UrlBuilder(['baseUrl' => 'https://img.example.com',
            'signing' => ['keyId' => 'k1', 'secret' => 'vetrina-test-secret-1']]);
        $url = $builder->url('a&b.jpg', ['width' => 640, 'quality' => 60, 'version' => '17']);

        $img = $builder->img('a&b.jpg', ['width' => 640, 'quality' => 60, 'version' => '17']);

        $this->assertStringContainsString('/w640,q60/a%26b.jpg?v=17&s=k1.', $url);
        $this->assertStringStartsWith('<img src="' . str_replace('&', '&amp;', $url) . '"', $img);
    }

    public function testAlwaysWritesAltEvenWhenEmpty(): void
    {
        $builder = new UrlBuilder(['baseUrl' => 'https://img.example.com']);

        $img = $builder->img('a.jpg', ['width' => 640]);

        $this->assertSame(
            '<img src="https://img.example.com/w640/a.jpg" alt="" loading="lazy" decoding="async">',
            $img,
        );
    }

    public function testPriorityMakesTheImageEagerHighAndSync(): void
    {
        $builder = new UrlBuilder(['baseUrl' => 'https://img.example.com']);

        $img = $builder->img('a.jpg', ['preset' => 'large', 'sourceWidth' => 3200, 'sourceHeight' => 2136,
            'priority' => true]);

        $this->assertSame('<img src="https://img.example.com/large/a.jpg" width="1600" height="1068" alt=""'
            . ' loading="eager" decoding="sync" fetchpriority="high">', $img);
    }

    public function testCapsWidthAndHeightAtANarrowOriginal(): void
    {
        $builder = new UrlBuilder(['baseUrl' => 'https://img.example.com']);

        $img = $builder->img('a.jpg', ['preset' => 'thumb', 'sourceWidth' => 200, 'sourceHeight' => 300]);

        $this->assertStringContainsString(' width="200" height="150" ', $img);
    }
}
