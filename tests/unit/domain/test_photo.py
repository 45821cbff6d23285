"""Card photo checks and fitting, on images generated in memory."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from medins_desk.domain.photo import PHOTO_SIZE, PhotoProblem, check_photo, fit_photo
from medins_desk.domain.policy import Policy
from medins_desk.errors import ValidationError

POLICY = Policy()
WHITE = (255, 255, 255)


def portrait(
    *,
    size: tuple[int, int] = PHOTO_SIZE,
    background: tuple[int, int, int] = WHITE,
    mode: str = "RGB",
    image_format: str = "JPEG",
    quality: int = 85,
    subject: float = 0.22,
) -> bytes:
    """A white-background picture with a noisy 'head and shoulders' block in the lower middle;
    noise keeps the JPEG within 9-40 KB at the standard size."""
    width, height = size
    image = Image.new("RGB", size, background)
    box_w, box_h = max(1, round(width * subject)), max(1, round(height * 0.6))
    noise = Image.frombytes("RGB", (box_w, box_h), random.Random(1).randbytes(box_w * box_h * 3))
    image.paste(noise, ((width - box_w) // 2, height - box_h))
    if mode != "RGB":
        image = image.convert(mode)
    out = io.BytesIO()
    options: dict[str, object] = {"quality": quality} if image_format == "JPEG" else {}
    image.save(out, format=image_format, **options)
    return out.getvalue()


def codes(problems: list[PhotoProblem]) -> list[str]:
    return [problem.code for problem in problems]


def test_a_good_photo_has_no_problems() -> None:
    data = portrait()
    assert POLICY.photo_min_bytes <= len(data) <= POLICY.photo_max_bytes
    assert check_photo(data, POLICY) == []


def test_not_an_image() -> None:
    assert codes(check_photo(b"not a picture", POLICY)) == ["not_image"]
    assert codes(check_photo(b"", POLICY)) == ["not_image"]
    truncated = portrait()[:2000]
    assert codes(check_photo(truncated, POLICY)) == ["not_image"]


def test_png_is_not_jpeg() -> None:
    problems = check_photo(portrait(image_format="PNG"), POLICY)
    assert "not_jpeg" in codes(problems)
    assert "PNG" in problems[0].message


def test_greyscale_is_not_24_bit() -> None:
    problems = check_photo(portrait(mode="L"), POLICY)
    assert codes(problems) == ["not_rgb"]
    assert "L（灰度）" in problems[0].message


def test_wrong_pixel_size_names_the_actual_size() -> None:
    problems = check_photo(portrait(size=(390, 567)), POLICY)
    assert "pixels" in codes(problems)
    message = next(p.message for p in problems if p.code == "pixels")
    assert "390×567" in message and "358×441" in message


def test_file_too_small_or_large() -> None:
    plain = portrait(subject=0.01)
    assert len(plain) < POLICY.photo_min_bytes
    problems = check_photo(plain, POLICY)
    assert codes(problems) == ["file_too_small"]
    assert "KB" in problems[0].message

    heavy = portrait(subject=0.9, quality=95)
    assert len(heavy) > POLICY.photo_max_bytes
    assert "file_too_large" in codes(check_photo(heavy, POLICY))


def test_byte_limits_are_settings() -> None:
    data = portrait()
    assert codes(check_photo(data, Policy(photo_max_bytes=len(data) - 1))) == ["file_too_large"]
    assert codes(check_photo(data, Policy(photo_min_bytes=len(data) + 1))) == ["file_too_small"]
    # The same bytes' pixels are decoded once; the limits are still each policy's own.
    assert check_photo(data, POLICY) == []


@pytest.mark.parametrize("background", [(200, 220, 255), (128, 128, 128), (255, 0, 0)])
def test_background_not_white(background: tuple[int, int, int]) -> None:
    problems = check_photo(portrait(background=background), POLICY)
    assert "background" in codes(problems)


@pytest.mark.parametrize(
    ("background", "white"),
    [
        ((225, 249, 240), True),  # darkest channel 225, channels 24 apart: both limits met
        ((224, 240, 240), False),  # one level too dark
        ((226, 251, 240), False),  # channels one level too far apart (a tint)
    ],
)
def test_the_white_limits_are_exact(background: tuple[int, int, int], white: bool) -> None:
    # PNG keeps the levels exact; the format is reported too, but only the background counts.
    problems = check_photo(portrait(background=background, image_format="PNG"), POLICY)
    assert ("background" not in codes(problems)) is white


def test_near_white_background_with_jpeg_noise_passes() -> None:
    assert check_photo(portrait(background=(250, 250, 248), quality=70), POLICY) == []


def test_several_problems_are_all_reported() -> None:
    data = portrait(size=(200, 300), mode="L", image_format="PNG", background=(90, 90, 90))
    assert set(codes(check_photo(data, POLICY))) >= {"not_jpeg", "not_rgb", "pixels", "background"}


def test_fit_photo_makes_a_large_photo_acceptable() -> None:
    big = portrait(size=(1200, 1600), quality=95, subject=0.3)
    assert len(big) > POLICY.photo_max_bytes
    fitted = fit_photo(big, POLICY)
    assert check_photo(fitted, POLICY) == []
    with Image.open(io.BytesIO(fitted)) as image:
        assert image.size == PHOTO_SIZE and image.mode == "RGB" and image.format == "JPEG"


def test_fit_photo_crops_a_wide_photo_and_flattens_transparency() -> None:
    image = Image.new("RGBA", (900, 600), (0, 0, 0, 0))  # transparent: becomes white
    noise = Image.frombytes("RGB", (160, 360), random.Random(2).randbytes(160 * 360 * 3))
    image.paste(noise, (370, 240))
    out = io.BytesIO()
    image.save(out, format="PNG")
    fitted = fit_photo(out.getvalue(), POLICY)
    assert check_photo(fitted, POLICY) == []


def test_fit_photo_refuses_what_it_cannot_fix() -> None:
    with pytest.raises(ValidationError) as raised:
        fit_photo(b"garbage", POLICY)
    assert raised.value.field == "photo"
    # A plain white picture cannot honestly reach the 9 KB minimum.
    with pytest.raises(ValidationError, match="无法落在"):
        fit_photo(portrait(subject=0.0), POLICY)
    # Nor can pure noise be squeezed under a tiny maximum.
    with pytest.raises(ValidationError, match="超过上限"):
        fit_photo(portrait(subject=1.0), Policy(photo_min_bytes=0, photo_max_bytes=2000))
