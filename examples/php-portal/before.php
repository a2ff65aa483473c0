<?php

declare(strict_types=1);

/*
 * The same listing as the portal had it before vetrina: every <img> links the full-size
 * original, with no srcset, no width/height and no lazy loading, so a phone downloads
 * megabytes and the grid shifts as each photo arrives. Kept for comparison.
 */

require __DIR__ . '/bootstrap.php';

$catalogue = catalogue();
$hero = $catalogue['hero'];

layoutStart('Fahrzeuge (vorher)', 'Gebrauchtwagen von ' . $catalogue['dealer'] . ', ohne vetrina');
?>
<section class="hero">
  <img src="<?= e(originalUrl($hero['key'])) ?>" alt="<?= e($hero['alt']) ?>" class="hero-img">
  <h1>Ihr nächstes Auto wartet schon</h1>
</section>

<h2>Aktuelle Fahrzeuge</h2>
<ul class="grid">
<?php foreach ($catalogue['vehicles'] as $vehicle) :
    $photo = $vehicle['photos'][0]; ?>
  <li class="card">
    <a href="vehicle.php?id=<?= rawurlencode($vehicle['id']) ?>">
      <img src="<?= e(originalUrl($photo['key'])) ?>" alt="<?= e($photo['alt']) ?>">
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
    <img src="<?= e(originalUrl($photo['key'])) ?>" alt="<?= e($photo['alt']) ?>">
    <h3><?= e($article['title']) ?></h3>
  </li>
<?php endforeach; ?>
</ul>
<?php
layoutEnd();
