"""The demo's card photo (演示照片): one valid GA 461 photo for every demo card application."""

from __future__ import annotations

import io
import random
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from medins_desk.domain.photo import check_photo, fit_photo
from medins_desk.domain.policy import Policy


@lru_cache(maxsize=4)
def demo_photo(policy: Policy | None = None) -> bytes:
    """A GA 461 card photo (358 x 441 JPEG, white background, within the size limits): a plain
    head-and-shoulders silhouette with slight sensor-like noise, so it compresses like a photo."""
    width, height = 358, 441
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    # Shoulders and a dark jacket, a white collar, the neck, the face and the hair.
    draw.ellipse((22, 318, 336, 600), fill=(46, 58, 88))
    draw.polygon(((150, 330), (208, 330), (179, 392)), fill=(246, 246, 246))
    draw.rectangle((152, 262, 206, 336), fill=(222, 184, 156))
    draw.ellipse((108, 92, 250, 282), fill=(236, 200, 172))
    draw.chord((104, 78, 254, 222), start=180, end=360, fill=(38, 30, 28))
    draw.ellipse((140, 168, 158, 178), fill=(60, 44, 40))
    draw.ellipse((200, 168, 218, 178), fill=(60, 44, 40))
    draw.arc((156, 220, 202, 246), start=20, end=160, fill=(170, 90, 90), width=3)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    # Noise of a few grey levels: enough texture for a real photo's file size, still a white
    # background to the checker. Seeded, so the photo is the same on every run.
    levels = random.Random(461).randbytes(width * height)
    noise = Image.frombytes("L", (width, height), levels).point(lambda v: 124 + v % 9)
    # subtract(band, noise, offset=128) moves each pixel by 128 - noise: -4..+4 levels.
    image = Image.merge(
        "RGB", [ImageChops.subtract(band, noise, offset=128) for band in image.split()]
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    limits = policy or Policy()
    photo = fit_photo(buffer.getvalue(), limits)
    problems = check_photo(photo, limits)
    if problems:  # a bug here, not the user's: the builder must make a valid photo
        raise AssertionError("; ".join(p.message for p in problems))
    return photo
