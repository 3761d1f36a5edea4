"""Photos as they are stored: checked by their content, turned upright, stripped of every
metadata (EXIF, GPS, the device, XMP, comments), at most 1,600 px on the long side, re-encoded
as JPEG, with a small thumbnail.

What the EXIF said that is worth keeping (when the photo was taken; where, which the caller keeps
only with the officer's consent) is read before it is stripped and returned beside the image.
"""

import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from aoapp.common.geo import valid_coordinates

MAX_SIDE = 1600
THUMB_SIDE = 320
QUALITY, THUMB_QUALITY = 85, 80
CONTENT_TYPE = "image/jpeg"
ACCEPTED = ("JPEG", "PNG", "WEBP")
# ISO base media brands of HEIF/HEIC (iPhone's default) and AVIF: recognised to say what to do.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


class ImageRefused(Exception):
    """The upload is not a photo we take; `too_large` when it is refused for its size."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class CleanImage:
    """A photo ready to store, and what its EXIF said."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_at: datetime | None  # UTC
    gps: tuple[float, float] | None  # (latitude, longitude)
    content_type: str = CONTENT_TYPE


def is_heif(data: bytes) -> bool:
    """An ISO media file of a HEIF/AVIF brand (`....ftypheic`)."""
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


def clean_image(data: bytes, max_pixels: int, zone: ZoneInfo) -> CleanImage:
    """Check, orient, strip, resize and re-encode one upload; ImageRefused when it is not a
    JPEG, PNG or WebP photo, is damaged, or has more than `max_pixels` pixels."""
    if is_heif(data):
        raise ImageRefused(
            _(
                "HEIC photos are not accepted. Take the photo with this page's camera button, "
                "or set the camera to save JPEG (on an iPhone: Settings › Camera › Formats › "
                "Most Compatible)."
            )
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            _verify(data, max_pixels)
            image = _open(data)
            taken_at, gps = _exif_facts(image, zone)
            _shrink_while_decoding(image)
            image.load()
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_a_photo() from None
    # Smaller first, then upright (scaling into a square box commutes with turning), then bare:
    # only the decoded pixels are ever held at full size.
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image = _bare_rgb(ImageOps.exif_transpose(image))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return CleanImage(
        data=_jpeg(image, QUALITY),
        thumbnail=_jpeg(thumb, THUMB_QUALITY),
        width=image.width,
        height=image.height,
        taken_at=taken_at,
        gps=gps,
    )


def _not_a_photo() -> ImageRefused:
    return ImageRefused(_("This file is not a photo: send a JPEG, PNG or WebP image."))


def _too_many_pixels(max_pixels: int) -> ImageRefused:
    megapixels = max_pixels // 1_000_000
    return ImageRefused(
        _("The photo has too many pixels: at most %(count)s megapixels.", count=megapixels),
        too_large=True,
    )


def _open(data: bytes) -> Image.Image:
    """Identify by content alone (the name and the declared type are not trusted)."""
    return Image.open(io.BytesIO(data), formats=ACCEPTED)


def _verify(data: bytes, max_pixels: int) -> None:
    """Refuse an image too large before a pixel of it is decoded, then let Pillow check the
    file's structure (verify() leaves the image unusable: the caller opens it again)."""
    image = _open(data)
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if width < 1 or height < 1:
        raise _not_a_photo()
    image.verify()


def _shrink_while_decoding(image: Image.Image) -> None:
    """A large JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers the stored
    size: a 50-megapixel photo never sits whole in memory."""
    if image.format != "JPEG":
        return
    scale = MAX_SIDE / max(image.size)
    if scale < 1:
        image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))


def _bare_rgb(image: Image.Image) -> Image.Image:
    """The pixels alone, in RGB: transparency on white, and nothing of the file's metadata
    (a new image from the raw pixels carries no EXIF, XMP, ICC profile or comment)."""
    if image.mode in ("RGBA", "LA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    return Image.frombytes("RGB", image.size, image.tobytes())


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


# --- What the EXIF said --------------------------------------------------------------------------


def _exif_facts(image: Image.Image, zone: ZoneInfo) -> tuple[datetime | None, tuple | None]:
    """(when the photo was taken, in UTC; where, as decimal degrees): None for what the EXIF
    does not say, or says in a way that cannot be read (EXIF is often malformed)."""
    try:
        exif = image.getexif()
        details = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001 (a damaged EXIF block is not a damaged photo)
        return None, None
    return _taken_at(details, exif, zone), _position(gps)


def _taken_at(details, exif, zone: ZoneInfo) -> datetime | None:
    text = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    try:
        local = datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    offset = _offset(details.get(ExifTags.Base.OffsetTimeOriginal))
    moment = local.replace(tzinfo=offset or zone)
    return moment.astimezone(UTC)


def _offset(text) -> timezone | None:
    """`+07:00` as a time zone; None when absent or unreadable."""
    try:
        sign = -1 if str(text)[0] == "-" else 1
        hours, minutes = str(text)[1:6].split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except (IndexError, TypeError, ValueError):
        return None


def _position(gps) -> tuple[float, float] | None:
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef])
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef])
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    return (latitude, longitude) if valid_coordinates(latitude, longitude) else None


def _degrees(dms, ref) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip("\x00 ").upper() in ("S", "W") else value
