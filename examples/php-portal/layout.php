<?php

/**
 * Page layout of the example portal: head, site header and footer. Declarations only.
 */

declare(strict_types=1);

/** Writes the page head and the site header. */
function layoutStart(string $title, string $description): void
{
    $dealer = catalogue()['dealer'];
    $cdn = vetrina()->config()->baseUrl;
    ?>
<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?= e("$title – $dealer") ?></title>
<meta name="description" content="<?= e($description) ?>">
<link rel="preconnect" href="<?= e($cdn) ?>">
<link rel="stylesheet" href="style.css">
</head>
<body>
<header class="site">
  <a class="brand" href="listing.php"><?= e($dealer) ?></a>
  <nav><a href="listing.php">Fahrzeuge</a> <a href="before.php">Vorher (Originale)</a></nav>
</header>
<main>
    <?php
}

/** Writes the site footer and closes the page. */
function layoutEnd(): void
{
    ?>
</main>
<footer class="site">Beispielseite von vetrina · Fotos: siehe examples/originals/LICENSES.md</footer>
</body>
</html>
    <?php
}

/** The facts line of a vehicle card: year, mileage, fuel. */
function facts(array $vehicle): string
{
    return e($vehicle['year'] . ' · ' . number_format($vehicle['km'], 0, ',', '.') . ' km · ' . $vehicle['fuel']);
}
