"""Card photos made in memory with Pillow: one that passes the GA 461 checks, and wrong ones."""

from __future__ import annotations

import io
import random

from PIL import Image

from medins_desk.domain.photo import PHOTO_SIZE, check_photo
from medins_desk.domain.policy import Policy

WHITE = (255, 255, 255)


def make_photo(
    *,
    size: tuple[int, int] = PHOTO_SIZE,
    background: tuple[int, int, int] = WHITE,
    image_format: str = "JPEG",
    mode: str = "RGB",
    noise: bool = True,
    quality: int = 90,
) -> bytes:
    """A picture of ``size`` on ``background`` with random noise (a stand-in for a face) in its
    centre, so it compresses like a photo; the edges stay plain for the background check."""
    width, height = size
    image = Image.new("RGB", size, background)
    if noise:
        box = (width // 4, height // 3, width - width // 4, height - height // 8)
        box_size = (box[2] - box[0], box[3] - box[1])
        pixels = random.Random(461).randbytes(box_size[0] * box_size[1] * 3)
        image.paste(Image.frombytes("RGB", box_size, pixels), box[:2])
    out = io.BytesIO()
    converted = image.convert(mode)
    if image_format == "JPEG":
        converted.save(out, format="JPEG", quality=quality)
    else:
        converted.save(out, format=image_format)
    return out.getvalue()


def valid_photo(policy: Policy | None = None) -> bytes:
    """A 358 x 441 RGB JPEG on white within the policy's size limits (default 9-40 KB)."""
    limits = policy or Policy()
    for quality in range(95, 4, -5):
        photo = make_photo(quality=quality)
        if len(photo) <= limits.photo_max_bytes:
            break
    problems = check_photo(photo, limits)
    assert not problems, [p.message for p in problems]
    return photo
