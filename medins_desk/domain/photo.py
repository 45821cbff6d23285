"""Card photo checks (GA 461-2004 geometry, DESIGN §5) on the photo's bytes.

The card bureau rejects a photo that is not a 24-bit JPEG of 358 x 441 pixels on a white
background within the region's size limits; checking at the counter saves the citizen a second
visit. A larger photo is offered ``fit_photo`` rather than refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageOps

from medins_desk.domain.policy import Policy
from medins_desk.errors import ValidationError

__all__ = [
    "PHOTO_HEIGHT",
    "PHOTO_SIZE",
    "PHOTO_WIDTH",
    "PhotoProblem",
    "check_photo",
    "fit_photo",
]

PHOTO_WIDTH = 358
PHOTO_HEIGHT = 441
PHOTO_SIZE = (PHOTO_WIDTH, PHOTO_HEIGHT)  # 26 x 32 mm at 350 dpi
_DPI = (350, 350)

# A background pixel counts as white when every channel is bright and the channels agree
# (no tint); JPEG noise moves channels by a few levels, a blue or grey backdrop by far more.
_WHITE_MIN_CHANNEL = 225
_WHITE_MAX_SPREAD = 24
_WHITE_SHARE_REQUIRED = 0.90
# The sampled strip: the top edge, and both sides down to mid-height (below that, shoulders).
_STRIP_FRACTION = 0.04
_SIDE_DEPTH_FRACTION = 0.5

_MODE_NAMES = {
    "1": "黑白二值",
    "L": "灰度",
    "P": "调色板",
    "RGBA": "带透明通道",
    "CMYK": "CMYK 印刷色",
    "YCbCr": "YCbCr",
    "LA": "带透明通道的灰度",
    "I": "32 位灰度",
    "I;16": "16 位灰度",
}


@dataclass(frozen=True)
class PhotoProblem:
    """One reason the card bureau would refuse the photo; ``message`` is Chinese."""

    code: str
    message: str


# A 48-megapixel phone photo still opens; a decompression bomb (a small file that decodes to
# gigabytes) is refused from its header, before a pixel is decoded.
MAX_PHOTO_PIXELS = 50_000_000
_NOT_IMAGE = PhotoProblem("not_image", "照片文件不是可识别的图像，请重新拍摄或选择 JPEG 照片")


def _open(data: bytes, *, draft: bool = False) -> Image.Image | PhotoProblem:
    """The decoded image, or the problem that stops it being read. With ``draft`` a large JPEG
    is decoded at a reduced scale still larger than the card photo (enough for ``fit_photo``)."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        return _too_many_pixels(None)
    except Exception:  # Pillow raises a dozen exception types for malformed or hostile files.
        return _NOT_IMAGE
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        return _too_many_pixels(image.size)
    try:
        if draft and image.format == "JPEG":
            image.draft("RGB", (PHOTO_WIDTH * 2, PHOTO_HEIGHT * 2))
        image.load()
    except Exception:
        return _NOT_IMAGE
    return image


def _too_many_pixels(size: tuple[int, int] | None) -> PhotoProblem:
    what = f"为 {size[0]}×{size[1]} 像素" if size else "像素过多"
    return PhotoProblem(
        "too_many_pixels",
        f"照片{what}，超过 {MAX_PHOTO_PIXELS // 1_000_000} 百万像素，无法处理；"
        "请在相机或手机上导出较小的照片后再导入",
    )


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def check_photo(data: bytes, policy: Policy) -> list[PhotoProblem]:
    """Every problem found, each with the actual figure; an empty list means acceptable."""
    found = _image_findings(data)
    if found.unreadable is not None:
        return [found.unreadable]
    size = len(data)
    limits = f"{_kb(policy.photo_min_bytes)} 至 {_kb(policy.photo_max_bytes)}"
    too: list[PhotoProblem] = []
    if size < policy.photo_min_bytes:
        too.append(
            PhotoProblem("file_too_small", f"照片文件大小为 {_kb(size)}，应在 {limits} 之间")
        )
    elif size > policy.photo_max_bytes:
        too.append(
            PhotoProblem("file_too_large", f"照片文件大小为 {_kb(size)}，应在 {limits} 之间")
        )
    return [*found.image, *too, *found.background]


@dataclass(frozen=True)
class _ImageFindings:
    unreadable: PhotoProblem | None
    image: tuple[PhotoProblem, ...] = ()
    background: tuple[PhotoProblem, ...] = ()


# The view checks a photo as it is attached and the card application checks the same bytes again
# at the act: decoding it once serves both (a decode is most of an application's time).
@lru_cache(maxsize=8)
def _image_findings(data: bytes) -> _ImageFindings:
    """What the pixels say, whatever the region's byte limits."""
    image = _open(data)
    if isinstance(image, PhotoProblem):
        return _ImageFindings(image)
    problems: list[PhotoProblem] = []
    if image.format != "JPEG":
        problems.append(PhotoProblem("not_jpeg", f"照片格式为 {image.format or '未知'}，应为 JPEG"))
    if image.mode != "RGB":
        described = _MODE_NAMES.get(image.mode, image.mode)
        problems.append(
            PhotoProblem(
                "not_rgb", f"照片颜色模式为 {image.mode}（{described}），应为 24 位 RGB 彩色"
            )
        )
    if image.size != PHOTO_SIZE:
        width, height = image.size
        problems.append(
            PhotoProblem(
                "pixels",
                f"照片尺寸为 {width}×{height} 像素，应为 {PHOTO_WIDTH}×{PHOTO_HEIGHT} 像素",
            )
        )
    white_share = _background_white_share(image)
    background = (
        ()
        if white_share >= _WHITE_SHARE_REQUIRED
        else (
            PhotoProblem(
                "background",
                f"照片背景不是白色：边缘只有 {white_share:.0%} 接近白色"
                f"（应至少 {_WHITE_SHARE_REQUIRED:.0%}）",
            ),
        )
    )
    return _ImageFindings(None, tuple(problems), background)


def _background_white_share(image: Image.Image) -> float:
    rgb = image.convert("RGB")
    width, height = rgb.size
    strip_w = max(1, round(width * _STRIP_FRACTION))
    strip_h = max(1, round(height * _STRIP_FRACTION))
    side_depth = max(strip_h + 1, round(height * _SIDE_DEPTH_FRACTION))
    boxes = (
        (0, 0, width, strip_h),
        (0, strip_h, strip_w, side_depth),
        (width - strip_w, strip_h, width, side_depth),
    )
    white = total = 0
    for box in boxes:
        strip = rgb.crop(box)
        total += strip.width * strip.height
        white += _white_pixels(strip)
    return white / total if total else 0.0


def _white_pixels(strip: Image.Image) -> int:
    """Pixels whose darkest channel is at least _WHITE_MIN_CHANNEL and whose channels differ by
    at most _WHITE_MAX_SPREAD, counted with Pillow's per-pixel operations in C: a loop over the
    pixels in Python took two thirds of a card application."""
    red, green, blue = strip.split()
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    lightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    light = darkest.point([255 if v >= _WHITE_MIN_CHANNEL else 0 for v in range(256)])
    grey = ImageChops.subtract(lightest, darkest).point(
        [255 if v <= _WHITE_MAX_SPREAD else 0 for v in range(256)]
    )
    return ImageChops.multiply(light, grey).histogram()[255]


def fit_photo(data: bytes, policy: Policy) -> bytes:
    """Crop to the 358:441 aspect (centred), resize to 358 x 441, convert to RGB and re-compress
    as JPEG at the highest quality within ``photo_max_bytes``. The background is not touched."""
    image = _open(data, draft=True)
    if isinstance(image, PhotoProblem):
        raise ValidationError("photo", image.message)
    image = ImageOps.exif_transpose(image)  # phone photos are often stored rotated
    rgb = _to_rgb(image)
    fitted = ImageOps.fit(rgb, PHOTO_SIZE, method=Image.Resampling.LANCZOS)
    return _compress(fitted, policy)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas become white, the required background, not black.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int, subsampling: int = 2) -> bytes:
    out = io.BytesIO()
    image.save(
        out, format="JPEG", quality=quality, subsampling=subsampling, optimize=True, dpi=_DPI
    )
    return out.getvalue()


def _compress(image: Image.Image, policy: Policy) -> bytes:
    low_q, high_q = 5, 95
    smallest = _encode(image, low_q)
    if len(smallest) > policy.photo_max_bytes:
        raise ValidationError(
            "photo",
            f"照片压缩到最低质量仍有 {_kb(len(smallest))}，超过上限 {_kb(policy.photo_max_bytes)}",
        )
    best = _encode(image, high_q)
    if len(best) <= policy.photo_max_bytes:
        if len(best) < policy.photo_min_bytes:
            # A plain picture compresses very small; full chroma at top quality is the largest
            # an honest encoding gets.
            best = _encode(image, 100, subsampling=0)
    else:
        # Highest quality within the limit: size grows with quality, so bisect (about 7 encodes).
        best = smallest
        while high_q - low_q > 1:
            middle = (low_q + high_q) // 2
            encoded = _encode(image, middle)
            if len(encoded) <= policy.photo_max_bytes:
                low_q, best = middle, encoded
            else:
                high_q = middle
    if not policy.photo_min_bytes <= len(best) <= policy.photo_max_bytes:
        raise ValidationError(
            "photo",
            f"照片调整后为 {_kb(len(best))}，无法落在 {_kb(policy.photo_min_bytes)} 至 "
            f"{_kb(policy.photo_max_bytes)} 之间，请重新拍摄",
        )
    return best
