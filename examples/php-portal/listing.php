<?php

declare(strict_types=1);

/*
 * The vehicle listing as it is with vetrina: one LCP hero, a grid of cards, a magazine
 * section below the fold. Every image tag comes from the PHP SDK, with srcset, sizes and
 * width/height, so phones download phone-sized renditions and nothing shifts.
 */

require __DIR__ . '/bootstrap.php';

/** The `sizes` of a card: one column on phones, two on tablets, three (about 380 px) above. */
$cardSizes = '(max-width: 600px) 100vw, (max-width: 1000px) 50vw, 380px';

$catalogue = catalogue();
$vetrina = vetrina();
$hero = $catalogue['hero'];

layoutStart('Fahrzeuge', 'Gebrauchtwagen von ' . $catalogue['dealer']);
?>
<section class="hero">
  <?= $vetrina->img($hero['key'], [
      'width' => 1280,
      'widths' => [640, 960, 1280, 1920, 2560],
      'sizes' => '100vw',
      'sourceWidth' => $hero['width'],
      'sourceHeight' => $hero['height'],
      'alt' => $hero['alt'],
      'className' => 'hero-img',
      'priority' => true,
  ]) ?>
  <h1>Ihr nächstes Auto wartet schon</h1>
</section>

<h2>Aktuelle Fahrzeuge</h2>
<ul class="grid">
<?php foreach ($catalogue['vehicles'] as $vehicle) :
    $photo = $vehicle['photos'][0]; ?>
  <li class="card">
    <a href="vehicle.php?id=<?= rawurlencode($vehicle['id']) ?>">
      <?= $vetrina->img($photo['key'], [
          'preset' => 'card',
          'widths' => [320, 480, 640, 800, 960],
          'sizes' => $cardSizes,
          'sourceWidth' => $photo['width'],
          'sourceHeight' => $photo['height'],
          'alt' => $photo['alt'],
      ]) ?>
      <h3><?= e($vehicle['title']) ?></h3>
      <p class="facts"><?= facts($vehicle) ?></p>
      <p class="price"><?= e(euros($vehicle['price'])) ?></p>
    </a>
  </li>
<?php endforeach; ?>
</ul>

<h2>Aus unserem Magazin</h2>
<ul class="grid magazine">
<?php foreach ($catalogue['articles'] as $article) :
    $photo = $article['photo']; ?>
  <li class="card">
    <?= $vetrina->img($photo['key'], [
        'preset' => 'thumb',
        'widths' => [320, 480, 640],
        'sizes' => $cardSizes,
        'sourceWidth' => $photo['width'],
        'sourceHeight' => $photo['height'],
        'alt' => $photo['alt'],
    ]) ?>
    <h3><?= e($article['title']) ?></h3>
  </li>
<?php endforeach; ?>
</ul>
<?php
layoutEnd();
