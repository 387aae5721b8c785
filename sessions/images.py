"""Uploaded images: checked, cropped, resized and compressed into WebP renditions on upload.

Every rendition is stored under a name made from a hash of the renditions' bytes
(`events/3f2a…-800w.webp`), so a name never changes what it shows: the app serves them with a
cache lifetime of a year, and a new upload simply gets new names. The original upload is not
kept, and neither is its metadata (a phone photo's location, for one).
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.forms import ImageField as ImageFormField
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A camera photo is at most a few MB; larger files are refused before Pillow reads them.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels holds any camera photo; an image claiming more (a "decompression bomb": a small
# file that unpacks into gigabytes) is refused after reading its header, before decoding.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: a JPEG as some cameras write it
# Tried in turn until a rendition fits its byte budget.
WEBP_QUALITIES = (80, 72, 64, 56, 48, 40)


@dataclass(frozen=True)
class ImageSpec:
    """What to make of an upload: which widths, which shape, how many bytes at most."""

    folder: str
    widths: tuple[int, ...]  # the renditions' widths, smallest first
    max_bytes: int  # the most bytes any one rendition may weigh
    aspect: tuple[int, int] | None = None  # crop to width:height
    max_height: int | None = None  # scale down further to this height
    keep_alpha: bool = False  # a logo may be transparent; a photo is flattened


# A wide band above the event's text: 5:2 keeps the key facts in view on a laptop. A page
# may weigh 100 kB with its image; HTML, CSS and icon take about 46 kB, so one rendition
# (a browser loads one) gets 50 kB.
HEADER_IMAGE = ImageSpec(folder="events", widths=(480, 800, 1280), max_bytes=50_000, aspect=(5, 2))
# The site's logo in the header: shown 48 px high, stored twice that for sharp screens.
LOGO = ImageSpec(folder="site", widths=(400,), max_bytes=20_000, max_height=96, keep_alpha=True)


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


class ProcessedImage(ContentFile):
    """The largest rendition, ready to store, carrying the smaller ones with it."""

    def __init__(self, renditions: list[Rendition], spec: ImageSpec) -> None:
        digest = hashlib.sha256(b"".join(r.data for r in renditions)).hexdigest()[:20]
        self.stem = f"{spec.folder}/{digest}"
        self.renditions = renditions
        largest = renditions[-1]
        super().__init__(largest.data, name=rendition_name(self.stem, largest.width))


RENDITION_NAME = re.compile(r"(?P<stem>.+)-(?P<width>[0-9]+)w\.webp")


def rendition_name(stem: str, width: int) -> str:
    return f"{stem}-{width}w.webp"


def open_upload(upload: File, spec: ImageSpec) -> Image.Image:
    """Read an upload as an image, or refuse it with a message staff understand."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Dit bestand is te groot (%(size)s). Kies een afbeelding van hoogstens %(max)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # reads the header only
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _(
                        "Dit soort afbeelding kunnen wij niet gebruiken. Kies een JPEG-, PNG- of "
                        "WebP-bestand."
                    ),
                    code="format",
                )
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError
            if image.format in {"JPEG", "MPO"}:
                # Decode a large photo at a fraction of its size (at least twice the largest
                # rendition, as Pillow's thumbnail does): far less memory, the same result.
                image.draft("RGB", draft_size(spec))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _(
                "Deze afbeelding heeft te veel beeldpunten. Verklein haar eerst tot hoogstens "
                "%(max)d megapixel, bijvoorbeeld 6000 × 4000."
            ),
            code="too_many_pixels",
            params={"max": MAX_PIXELS // 1_000_000},
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _(
                "Dit bestand is geen afbeelding die wij kunnen lezen. Kies een foto of tekening "
                "als JPEG-, PNG- of WebP-bestand."
            ),
            code="not_an_image",
        ) from error
    # A phone photo's orientation is in its metadata, which the renditions leave out.
    return ImageOps.exif_transpose(image)


def draft_size(spec: ImageSpec) -> tuple[int, int]:
    """Return twice the size of the largest rendition, as far as the spec fixes it."""
    width = spec.widths[-1]
    if spec.max_height:
        height = spec.max_height
    elif spec.aspect:
        height = width * spec.aspect[1] // spec.aspect[0]
    else:
        height = 1
    return 2 * width, 2 * height


def rendition_sizes(spec: ImageSpec, width: int, height: int) -> list[tuple[int, int]]:
    """Return the renditions' sizes for an image of `width` by `height`; never larger than it."""
    if spec.aspect:
        aspect_w, aspect_h = spec.aspect
        width = min(width, height * aspect_w // aspect_h)
        height = round(width * aspect_h / aspect_w)
    sizes: list[tuple[int, int]] = []
    for target in spec.widths:
        w = min(target, width)
        h = max(1, round(w * height / width))
        if spec.max_height and h > spec.max_height:
            h = spec.max_height
            w = max(1, round(h * width / height))
        if (w, h) not in sizes:
            sizes.append((w, h))
    return sizes


def encode(image: Image.Image, max_bytes: int) -> bytes:
    """Encode as WebP at the best quality that fits `max_bytes` (or the lowest tried)."""
    for quality in WEBP_QUALITIES:
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=quality, method=6)
        if buffer.tell() <= max_bytes:
            break
    return buffer.getvalue()


def make_renditions(image: Image.Image, spec: ImageSpec) -> ProcessedImage:
    """Crop, resize and compress an image into the renditions `spec` asks for."""
    if spec.keep_alpha:
        image = image.convert("RGBA")
    else:
        if image.mode in {"RGBA", "LA", "P"}:
            background = Image.new("RGBA", image.size, "white")
            image = Image.alpha_composite(background, image.convert("RGBA"))
        image = image.convert("RGB")
    renditions = []
    for w, h in rendition_sizes(spec, *image.size):
        resized = ImageOps.fit(image, (w, h), method=Image.Resampling.LANCZOS)
        renditions.append(Rendition(w, h, encode(resized, spec.max_bytes)))
    return ProcessedImage(renditions, spec)


def process_upload(upload: File, spec: ImageSpec) -> ProcessedImage:
    """Check an upload and turn it into renditions; raises ValidationError when refused."""
    return make_renditions(open_upload(upload, spec), spec)


class ResponsiveImageFormField(ImageFormField):
    """An image upload field that refuses what `open_upload` refuses and makes renditions."""

    def __init__(self, *, spec: ImageSpec, **kwargs) -> None:
        self.spec = spec
        super().__init__(**kwargs)

    def to_python(self, data):
        # Skip ImageField's own check: open_upload checks more, with clearer messages.
        upload = super(ImageFormField, self).to_python(data)
        if upload is None:
            return None
        return process_upload(upload, self.spec)

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "accept": "image/jpeg,image/png,image/webp"}


class ResponsiveImageFieldFile(ImageFieldFile):
    """The stored largest rendition, which knows where its smaller siblings are."""

    def renditions(self) -> list[tuple[int, str]]:
        """Return (width, url) of every rendition, smallest first."""
        match = RENDITION_NAME.fullmatch(self.name)
        if match is None:
            return [(self.width, self.url)]  # not one of ours: serve it as it is
        widths = [w for w, _h in rendition_sizes(self.field.spec, self.width, self.height)]
        return [(w, self.storage.url(rendition_name(match["stem"], w))) for w in widths]

    @property
    def srcset(self) -> str:
        return ", ".join(f"{url} {width}w" for width, url in self.renditions())

    def _get_image_dimensions(self) -> tuple[int, int]:
        # Known without opening the file: from a new upload's renditions, or from the
        # model's dimension fields for a stored one.
        if not hasattr(self, "_dimensions_cache"):
            new = getattr(self, "_file", None)
            stored = (
                getattr(self.instance, self.field.width_field),
                getattr(self.instance, self.field.height_field),
            )
            if isinstance(new, ProcessedImage):
                self._dimensions_cache = (new.renditions[-1].width, new.renditions[-1].height)
            elif self._committed and all(stored):
                self._dimensions_cache = stored
            else:
                return super()._get_image_dimensions()
        return self._dimensions_cache


class ResponsiveImageField(models.ImageField):
    """An image stored as WebP renditions made on upload (see `ImageSpec`).

    The field holds the largest rendition; the smaller ones are stored beside it at save time,
    so a form that is refused stores nothing.
    """

    attr_class = ResponsiveImageFieldFile

    # The spec shapes new uploads only; the column does not depend on it, so migrations
    # leave it out.
    def __init__(self, *args, spec: ImageSpec = HEADER_IMAGE, **kwargs) -> None:
        self.spec = spec
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": ResponsiveImageFormField, "spec": self.spec, **kwargs}
        )

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed and isinstance(file.file, ProcessedImage):
            processed = file.file
            for rendition in processed.renditions:
                name = rendition_name(processed.stem, rendition.width)
                # Same name, same bytes: an image uploaded twice is stored once.
                if not self.storage.exists(name):
                    self.storage.save(name, ContentFile(rendition.data))
            file.name = processed.name
            file._committed = True
        return super().pre_save(model_instance, add)
