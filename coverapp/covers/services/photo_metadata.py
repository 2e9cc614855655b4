"""The credit, caption and alt text a photo carries in its file, and writing them back.

Agencies and photo desks embed them in every picture they send: XMP (the current standard, in
JPEG, PNG and WebP), IPTC-IIM (the older APP13 block of JPEGs) and EXIF. Where the sources
disagree XMP wins, then IPTC-IIM, then EXIF, as the Metadata Working Group's guidance says.
Reading never fails: a damaged or hostile block (an XML entity bomb) is skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from PIL import Image, IptcImagePlugin

CREDIT_MAX = 300
CAPTION_MAX = 2000
ALT_TEXT_MAX = 1000

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PHOTOSHOP = "{http://ns.adobe.com/photoshop/1.0/}"
_IPTC_CORE = "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}"

# IPTC-IIM record 2 datasets; record 1, dataset 90 names the character set.
_IIM_BYLINE, _IIM_CREDIT, _IIM_COPYRIGHT, _IIM_CAPTION = (2, 80), (2, 110), (2, 116), (2, 120)
_IIM_CHARSET, _IIM_UTF8 = (1, 90), b"\x1b%G"
# EXIF (IFD0) tags.
_EXIF_DESCRIPTION, _EXIF_ARTIST, _EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PhotoText:
    """What a reader or the CMS needs beside the picture; each "" when unknown."""

    credit: str = ""  # "Jane Doe / Reuters": the photographer and the agency or desk
    caption: str = ""
    alt_text: str = ""  # describes the picture to someone who cannot see it


@dataclass(frozen=True)
class _Fields:
    creator: str = ""
    credit_line: str = ""
    copyright: str = ""
    caption: str = ""
    alt_text: str = ""


def embedded_text(content: bytes) -> PhotoText:
    """The credit, caption and alt text embedded in an image file's bytes (any accepted
    format)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            sources = [_guarded(reader, image) for reader in (_xmp_fields, _iim_fields,
                                                             _exif_fields)]
    except (OSError, ValueError, Image.DecompressionBombError):
        return PhotoText()

    def first(name: str) -> str:
        return next((value for value in (getattr(s, name) for s in sources) if value), "")

    creator, credit_line = first("creator"), first("credit_line")
    if creator and credit_line and creator.casefold() not in credit_line.casefold():
        credit = f"{creator} / {credit_line}"
    else:
        credit = credit_line or creator or first("copyright")
    return PhotoText(credit=_clip(credit, CREDIT_MAX), caption=_clip(first("caption"), CAPTION_MAX),
                     alt_text=_clip(first("alt_text"), ALT_TEXT_MAX))


def xmp_packet(text: PhotoText) -> bytes:
    """An XMP packet holding `text` (photoshop:Credit, dc:description, the IPTC alt text), for
    the crops CoverApp renders: the picture keeps its credit wherever it is saved."""
    def lang_alt(tag: str, value: str) -> str:
        return (f"<{tag}><rdf:Alt><rdf:li xml:lang='x-default'>{escape(value)}</rdf:li>"
                f"</rdf:Alt></{tag}>") if value else ""

    credit = f"<photoshop:Credit>{escape(text.credit)}</photoshop:Credit>" if text.credit else ""
    return (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='" + _RDF[1:-1] + "'>"
        "<rdf:Description rdf:about='' xmlns:dc='" + _DC[1:-1] + "' xmlns:photoshop='"
        + _PHOTOSHOP[1:-1] + "' xmlns:Iptc4xmpCore='" + _IPTC_CORE[1:-1] + "'>"
        + credit + lang_alt("dc:description", text.caption)
        + lang_alt("Iptc4xmpCore:AltTextAccessibility", text.alt_text)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _guarded(reader: Callable[[Image.Image], _Fields], image: Image.Image) -> _Fields:
    try:
        return reader(image)
    except Exception:  # a damaged or hostile block is only a missing source
        return _Fields()


def _xmp_fields(image: Image.Image) -> _Fields:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return _Fields()
    root = ElementTree.fromstring(packet, forbid_dtd=True)
    descriptions = list(root.iter(f"{_RDF}Description"))

    def value(tag: str) -> str:
        for description in descriptions:
            if tag in description.attrib:
                return description.attrib[tag]
            element = description.find(tag)
            if element is not None:
                return _rdf_value(element)
        return ""

    return _Fields(creator=value(f"{_DC}creator"), credit_line=value(f"{_PHOTOSHOP}Credit"),
                   copyright=value(f"{_DC}rights"), caption=value(f"{_DC}description"),
                   alt_text=value(f"{_IPTC_CORE}AltTextAccessibility"))


def _rdf_value(element: Element) -> str:
    """A property's text: a simple value, a language alternative's default (or first) entry,
    or a sequence's or bag's entries joined ("Jane Doe, John Roe")."""
    items = element.findall(f"./*/{_RDF}li")
    if not items:
        return element.text or ""
    if element.find(f"{_RDF}Alt") is not None:
        default = [li for li in items if li.get(_XML_LANG) == "x-default"]
        return (default or items)[0].text or ""
    return ", ".join(li.text for li in items if li.text)


def _iim_fields(image: Image.Image) -> _Fields:
    info = IptcImagePlugin.getiptcinfo(image) or {}
    utf8 = info.get(_IIM_CHARSET) == _IIM_UTF8

    def value(key: tuple[int, int]) -> str:
        raw = info.get(key, b"")
        parts = raw if isinstance(raw, list) else [raw]
        return ", ".join(filter(None, (_decode(part, utf8) for part in parts)))

    return _Fields(creator=value(_IIM_BYLINE), credit_line=value(_IIM_CREDIT),
                   copyright=value(_IIM_COPYRIGHT), caption=value(_IIM_CAPTION))


def _decode(raw: bytes, utf8: bool) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Files that do not declare UTF-8 are mostly Latin-1 (the IIM default for Western desks).
        return "" if utf8 else raw.decode("latin-1")


def _exif_fields(image: Image.Image) -> _Fields:
    exif = image.getexif()

    def value(tag: int) -> str:
        raw = exif.get(tag, "")
        if isinstance(raw, bytes):
            return _decode(raw, utf8=False)
        try:  # Pillow reads EXIF text as Latin-1; most writers put UTF-8 there ("Â©" for "©")
            return str(raw).encode("latin-1").decode("utf-8")
        except UnicodeError:
            return str(raw)

    return _Fields(creator=value(_EXIF_ARTIST), copyright=value(_EXIF_COPYRIGHT),
                   caption=value(_EXIF_DESCRIPTION))


def _clip(text: str, limit: int) -> str:
    """One tidy line: control characters dropped, runs of white space made one space, at most
    `limit` characters (cut at a word, with an ellipsis)."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + "…"

