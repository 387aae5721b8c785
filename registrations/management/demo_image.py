"""The demo event's header image, drawn with Pillow: a small castle among green hills.

Drawn rather than downloaded, so the demo needs no file from elsewhere and shows nobody.
The drawing is the same on every run, so its renditions keep their names.
"""

import io

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 640
ALT_TEXT = "Tekening van een wit kasteel met een toren tussen groene heuvels en bomen."


def blend(top: tuple[int, int, int], bottom: tuple[int, int, int], t: float) -> tuple:
    return tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))


def hill(draw: ImageDraw.ImageDraw, *, left: int, right: int, top: int, fill: tuple) -> None:
    """Draw a soft hill: the upper half of a wide ellipse reaching down past the bottom."""
    draw.ellipse([left, top, right, top + 2 * (HEIGHT - top) + 200], fill=fill)


def tree(draw: ImageDraw.ImageDraw, x: int, base: int, size: int, fill: tuple) -> None:
    draw.rectangle([x - size // 10, base - size // 2, x + size // 10, base], fill=(92, 74, 58))
    draw.ellipse([x - size // 2, base - size * 3 // 2, x + size // 2, base - size // 3], fill=fill)


def castle(draw: ImageDraw.ImageDraw, x: int, base: int) -> None:
    """Draw a white manor with a tower, a dark roof and windows, standing at (x, base)."""
    wall, roof, window = (246, 243, 236), (70, 78, 92), (96, 116, 140)
    draw.rectangle([x, base - 150, x + 330, base], fill=wall)
    draw.polygon([(x - 15, base - 150), (x + 165, base - 235), (x + 345, base - 150)], fill=roof)
    draw.rectangle([x + 250, base - 270, x + 330, base], fill=wall)  # the tower
    for n in range(4):  # its battlements
        left = x + 250 + n * 22
        draw.rectangle([left, base - 295, left + 14, base - 270], fill=wall)
    for column in range(4):
        for row in range(2):
            left, top = x + 25 + column * 55, base - 125 + row * 60
            draw.rectangle([left, top, left + 26, top + 38], fill=window)
    draw.rectangle([x + 275, base - 230, x + 305, base - 190], fill=window)
    draw.rounded_rectangle([x + 270, base - 80, x + 310, base], radius=18, fill=(120, 86, 60))


def draw_demo_image() -> bytes:
    """Return the picture as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):  # a calm sky, light near the horizon
        draw.line([(0, y), (WIDTH, y)], fill=blend((120, 170, 214), (236, 241, 232), y / HEIGHT))
    draw.ellipse([1240, 70, 1360, 190], fill=(255, 236, 179))
    hill(draw, left=-300, right=900, top=330, fill=(150, 190, 140))
    hill(draw, left=700, right=1900, top=360, fill=(136, 178, 128))
    castle(draw, 640, 470)
    hill(draw, left=-200, right=1800, top=450, fill=(104, 150, 100))
    for x, size in [(140, 120), (260, 90), (1180, 130), (1320, 100), (1460, 140)]:
        tree(draw, x, 520, size, (62, 110, 72))
    hill(draw, left=-400, right=2000, top=540, fill=(84, 130, 84))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
