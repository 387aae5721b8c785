"""Image files for the upload tests, made with Pillow: photos and a decompression bomb."""

import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter


def photo(width: int = 2400, height: int = 1600, *, format: str = "JPEG", **save) -> bytes:
    """Return a photo-like image: a gradient, shapes and fine grain, as a camera makes it."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(12):
        left, top = (n * 397) % width, (n * 251) % height
        draw.ellipse(
            [left, top, left + width // 5, top + height // 4],
            fill=(40 + n * 15, 120 + n * 7, 200 - n * 11),
        )
    # Grain from a seeded generator: the same arguments give the same bytes.
    noise = random.Random(width * height).randbytes(width * height)
    grain = Image.frombytes("L", (width, height), noise).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), grain, 0.08)
    buffer = io.BytesIO()
    image.save(buffer, format=format, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_claiming(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims `width` by `height` pixels: a decompression bomb.

    Decoded, it would need three bytes of memory per pixel; only its header is real.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )
