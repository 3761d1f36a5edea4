"""Photos for the visit evidence tests: camera-like JPEGs (EXIF orientation, GPS, the device),
other formats, files that only pretend to be photos, and photo rows inserted directly."""

import hashlib
import io
import itertools
import struct
import zlib
from datetime import datetime

from PIL import ExifTags, Image

from aoapp.credit.visits.models import VisitPhoto
from aoapp.extensions import db

RED, BLUE = (200, 0, 0), (0, 0, 200)
GPS_JAKARTA = {  # 6°12'0" S, 106°49'0" E: -6.2, 106.81667
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (6.0, 12.0, 0.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (106.0, 49.0, 0.0),
}
_seq = itertools.count(1)


def halves(width: int, height: int, fmt: str = "JPEG", **save) -> bytes:
    """An image whose left half is red and right half blue (orientation shows in the pixels)."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def camera_jpeg(width=2400, height=1800, orientation=1, gps=True, taken="2026:11:02 09:15:00"):
    """A JPEG as a phone camera writes it: orientation, GPS, make and model, a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "SM-A546E"
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS_JAKARTA)
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    return halves(width, height, exif=exif, quality=90, comment=b"Galaxy A54 5G")


def png(width=800, height=600, alpha=False) -> bytes:
    """A PNG (with transparency when asked)."""
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (0, 128, 0, 0 if alpha else 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 40)).save(out, "GIF")
    return out.getvalue()


def heic() -> bytes:
    """The start of an iPhone's HEIC file (an ISO media `ftyp` box of brand heic)."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    """A stored file, opened with Pillow."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> tuple:
    """A file part for the test client's multipart body."""
    return (io.BytesIO(data), name, content_type)


def photo_row(uploader, *, visit=None, follow_up=None, **kw) -> VisitPhoto:
    """A photo row inserted directly (its files are not stored: for scoping tests)."""
    n = next(_seq)
    values = {
        "storage_key": hashlib.sha256(f"photo {n}".encode()).hexdigest(),
        "thumb_key": hashlib.sha256(f"thumb {n}".encode()).hexdigest(),
        "width": 1600,
        "height": 1200,
        "size_bytes": 123456,
        "content_type": "image/jpeg",
        "uploaded_by_id": uploader.id,
        "visit_id": visit.id if visit is not None else None,
        "follow_up_id": follow_up.id if follow_up is not None else None,
    } | kw
    row = VisitPhoto(**values)
    db.session.add(row)
    db.session.commit()
    return row


def taken(text: str) -> datetime:
    """An EXIF date as the naive datetime it writes."""
    return datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
