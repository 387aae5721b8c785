"""Uploaded images: what is refused and why, and the renditions made of what is accepted."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from sessions.images import (
    HEADER_IMAGE,
    LOGO,
    MAX_UPLOAD_BYTES,
    ImageSpec,
    encode,
    process_upload,
    rendition_sizes,
)
from tests.images import photo, png_claiming, upload


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(
    ("spec", "size", "expected"),
    [
        (HEADER_IMAGE, (4000, 3000), [(480, 192), (800, 320), (1280, 512)]),
        (HEADER_IMAGE, (1000, 400), [(480, 192), (800, 320), (1000, 400)]),
        (HEADER_IMAGE, (600, 1200), [(480, 192), (600, 240)]),
        (HEADER_IMAGE, (300, 100), [(250, 100)]),
        (LOGO, (1200, 400), [(288, 96)]),
        (LOGO, (200, 50), [(200, 50)]),
    ],
    ids=["photo", "narrow", "portrait", "small", "wide-logo", "small-logo"],
)
def test_rendition_sizes_never_enlarge_and_keep_the_shape(spec, size, expected):
    assert rendition_sizes(spec, *size) == expected


def test_photo_becomes_webp_renditions_cropped_to_a_wide_band():
    # Act
    processed = process_upload(upload(photo(1400, 700)), HEADER_IMAGE)

    # Assert
    images = [opened(r.data) for r in processed.renditions]
    assert [(i.format, i.size) for i in images] == [
        ("WEBP", (480, 192)),
        ("WEBP", (800, 320)),
        ("WEBP", (1280, 512)),
    ]
    assert processed.name == f"{processed.stem}-1280w.webp"
    assert processed.read() == processed.renditions[-1].data


def test_same_upload_twice_gets_the_same_names_and_another_upload_other_names():
    # Act
    first = process_upload(upload(photo(600, 300)), HEADER_IMAGE)
    again = process_upload(upload(photo(600, 300)), HEADER_IMAGE)
    other = process_upload(upload(photo(600, 301)), HEADER_IMAGE)

    # Assert: a name always stands for the same bytes, so browsers may keep it for good.
    assert first.name == again.name
    assert other.name != first.name


def test_renditions_leave_out_the_photos_metadata_and_stand_upright():
    # Arrange: a camera photo stored on its side, with "rotate 90°" in its metadata.
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "Voorbeeldcamera"  # make
    sideways = photo(700, 1400, exif=exif.tobytes())

    # Act
    processed = process_upload(upload(sideways), HEADER_IMAGE)

    # Assert: shown 1400 wide and 700 high (then cropped to 5:2), and without any metadata.
    largest = opened(processed.renditions[-1].data)
    assert largest.size == (1280, 512)
    assert dict(largest.getexif()) == {}


def test_transparent_logo_keeps_its_transparency():
    # Arrange
    logo = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    logo.paste((11, 83, 148, 255), (50, 50, 550, 150))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")

    # Act
    processed = process_upload(upload(buffer.getvalue(), "logo.png", "image/png"), LOGO)

    # Assert
    (rendition,) = processed.renditions
    image = opened(rendition.data)
    assert (image.size, image.mode) == ((288, 96), "RGBA")
    assert image.getpixel((0, 0))[3] == 0


def test_encode_lowers_the_quality_until_the_image_fits_its_budget():
    # Arrange: a detailed picture, far larger than a calm one at the best quality.
    image = Image.effect_noise((640, 256), 40).convert("RGB")
    best = len(encode(image, max_bytes=10**9))
    budget = best * 3 // 4

    # Act
    fitted = encode(image, max_bytes=budget)

    # Assert
    assert len(fitted) <= budget < best


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "groot.jpg", "Dit bestand is te groot (10,0\xa0MB)."),
        (
            b"%PDF-1.4 een brief",
            "brief.jpg",
            "Dit bestand is geen afbeelding die wij kunnen lezen.",
        ),
        (png_claiming(30_000, 30_000), "bom.png", "Deze afbeelding heeft te veel beeldpunten."),
        (png_claiming(8_000, 6_000), "groot.png", "Deze afbeelding heeft te veel beeldpunten."),
        (photo(200, 100, format="GIF"), "plaatje.gif", "Dit soort afbeelding kunnen wij niet"),
    ],
    ids=["too-large", "not-an-image", "decompression-bomb", "48-megapixels", "gif"],
)
def test_refused_upload_says_why_in_dutch(content, name, message):
    # Act
    with pytest.raises(ValidationError) as refused:
        process_upload(upload(content, name), HEADER_IMAGE)

    # Assert
    (text,) = refused.value.messages
    assert text.startswith(message), text


def test_spec_without_aspect_keeps_the_whole_picture():
    # Arrange
    spec = ImageSpec(folder="test", widths=(300,), max_bytes=50_000)

    # Act
    processed = process_upload(upload(photo(900, 900)), spec)

    # Assert
    assert [(r.width, r.height) for r in processed.renditions] == [(300, 300)]
    assert processed.name.startswith("test/")
