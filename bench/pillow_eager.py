"""The old procedure, in Python with Pillow, for the eager-rendition benchmark.

Two modes make the same three outputs per original as vetrina's eager presets
(320x240 and 800x600 centre crops, 1600 wide), JPEG quality 80, auto-rotated:

  straightforward  open, exif_transpose, resize and save once per size (three decodes)
  best             one decode in draft mode at the smallest scale that still covers 1600 px,
                   then the smaller sizes derived from the largest

Prints one JSON line: {"images": n, "renditions": n, "seconds": s, "cpu_seconds": s, "maxrss_kb": k}
(wall and CPU time of the work itself, not of the interpreter's start-up).
"""
import json
import os
import resource
import sys
import time

from PIL import Image, ImageOps

SIZES = [("large", 1600, None), ("card", 800, (4, 3)), ("thumb", 320, (4, 3))]


def fit(image, width, aspect):
    if aspect is None:
        if image.width <= width:
            return image.copy()
        height = round(image.height * width / image.width)
        return image.resize((width, height), Image.LANCZOS)
    height = round(width * aspect[1] / aspect[0])
    return ImageOps.fit(image, (width, height), Image.LANCZOS)


def rgb(image):
    return image.convert("RGB") if image.mode != "RGB" else image


def straightforward(path, out):
    for name, width, aspect in SIZES:
        with Image.open(path) as image:
            image = rgb(ImageOps.exif_transpose(image))
            fit(image, width, aspect).save(os.path.join(out, name + ".jpg"), quality=80)


def best(path, out):
    with Image.open(path) as image:
        if image.format == "JPEG":
            image.draft("RGB", (1600, 1600))
        image = rgb(ImageOps.exif_transpose(image))
        largest = fit(image, 1600, None)
        largest.save(os.path.join(out, "large.jpg"), quality=80)
        for name, width, aspect in SIZES[1:]:
            fit(largest, width, aspect).save(os.path.join(out, name + ".jpg"), quality=80)


def main():
    mode, out, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    run = straightforward if mode == "straightforward" else best
    started = time.perf_counter()
    cpu_started = time.process_time()
    for index, path in enumerate(paths):
        target = os.path.join(out, str(index))
        os.makedirs(target, exist_ok=True)
        run(path, target)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"images": len(paths), "renditions": 3 * len(paths), "seconds": seconds, "cpu_seconds": cpu_seconds, "maxrss_kb": rss}))


if __name__ == "__main__":
    main()
