<?php

declare(strict_types=1);

/*
 * A vehicle's detail page: the chosen photo large (a <picture> with explicit AVIF and WebP
 * sources, the LCP image), then a strip of thumbnails linking to the other photos.
 */

require __DIR__ . '/bootstrap.php';

$catalogue = catalogue();
$vetrina = vetrina();
$id = $_GET['id'] ?? '';
$matches = array_values(array_filter(
    $catalogue['vehicles'],
    static fn (array $vehicle): bool => $vehicle['id'] === $id,
));
if ($matches === []) {
    http_response_code(404);
    layoutStart('Fahrzeug nicht gefunden', 'Dieses Fahrzeug ist nicht mehr im Bestand');
    echo '<h1>Fahrzeug nicht gefunden</h1><p><a href="listing.php">Zur Übersicht</a></p>';
    layoutEnd();
    return;
}
$vehicle = $matches[0];
$index = filter_var($_GET['photo'] ?? 0, FILTER_VALIDATE_INT, ['options' => ['min_range' => 0]]);
$index = is_int($index) && $index < count($vehicle['photos']) ? $index : 0;
$photo = $vehicle['photos'][$index];

layoutStart($vehicle['title'], $vehicle['title'] . ', ' . euros($vehicle['price']));
?>
<article class="vehicle">
  <div class="gallery">
    <?= $vetrina->picture($photo['key'], [
        'preset' => 'large',
        'widths' => [480, 640, 960, 1280, 1600, 1920],
        'sizes' => '(max-width: 1000px) 100vw, 960px',
        'sourceWidth' => $photo['width'],
        'sourceHeight' => $photo['height'],
        'alt' => $photo['alt'],
        'className' => 'main-photo',
        'priority' => true,
    ]) ?>
    <?php if (count($vehicle['photos']) > 1) : ?>
    <ul class="thumbs">
        <?php foreach ($vehicle['photos'] as $n => $thumb) : ?>
      <li<?= $n === $index ? ' class="current"' : '' ?>>
        <a href="vehicle.php?id=<?= rawurlencode($vehicle['id']) ?>&amp;photo=<?= $n ?>">
            <?= $vetrina->img($thumb['key'], [
                'preset' => 'thumb',
                'widths' => [160, 320],
                'sizes' => '160px',
                'sourceWidth' => $thumb['width'],
                'alt' => $thumb['alt'],
            ]) ?>
        </a>
      </li>
        <?php endforeach; ?>
    </ul>
    <?php endif; ?>
  </div>
  <div class="details">
    <h1><?= e($vehicle['title']) ?></h1>
    <p class="price"><?= e(euros($vehicle['price'])) ?></p>
    <dl>
      <dt>Erstzulassung</dt><dd><?= e((string) $vehicle['year']) ?></dd>
      <dt>Kilometerstand</dt><dd><?= e(number_format($vehicle['km'], 0, ',', '.')) ?> km</dd>
      <dt>Kraftstoff</dt><dd><?= e($vehicle['fuel']) ?></dd>
    </dl>
    <p><a href="listing.php">Zurück zur Übersicht</a></p>
  </div>
</article>
<?php
layoutEnd();
