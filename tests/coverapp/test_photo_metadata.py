"""Reading a photo's credit, caption and alt text from its XMP, IPTC-IIM and EXIF, and writing
them into the rendered crops."""

from __future__ import annotations

import struct

import pytest
from PIL import Image, PngImagePlugin

from coverapp.covers.services.photo_metadata import (
    CAPTION_MAX,
    CREDIT_MAX,
    PhotoText,
    embedded_text,
    xmp_packet,
)
from tests.conftest import encode, photo

XMP = """<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'
  xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'
  xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/' photoshop:Credit='Reuters'>
 <dc:creator><rdf:Seq><rdf:li>Zoë Ångström</rdf:li><rdf:li>Li Wei</rdf:li></rdf:Seq></dc:creator>
 <dc:description><rdf:Alt><rdf:li xml:lang='fr'>Le port sous la tempête</rdf:li>
  <rdf:li xml:lang='x-default'>The harbour under the storm</rdf:li></rdf:Alt></dc:description>
 <Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang='x-default'>Waves break over
  the harbour wall at dusk</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"""

BOMB = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
<rdf:Description xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' photoshop:Credit='&c;'/>
</rdf:RDF></x:xmpmeta>"""


def iim(datasets: dict[tuple[int, int], bytes]) -> bytes:
    """IPTC-IIM datasets (record, number) -> value, as a photo desk's software writes them."""
    return b"".join(b"\x1c" + bytes(key) + struct.pack(">H", len(value)) + value
                    for key, value in datasets.items())


def with_iim(jpeg: bytes, datasets: dict[tuple[int, int], bytes] | bytes) -> bytes:
    """`jpeg` with an APP13 "Photoshop 3.0" segment holding the IPTC-IIM resource (0x0404):
    `datasets`, or a raw block."""
    block = datasets if isinstance(datasets, bytes) else iim(datasets)
    block += b"\x00" * (len(block) % 2)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(block))
    payload = b"Photoshop 3.0\x00" + resource + block
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def with_exif(**tags: str | bytes) -> bytes:
    exif = Image.Exif()
    names = {"description": 0x010E, "artist": 0x013B, "copyright": 0x8298}
    for name, value in tags.items():
        exif[names[name]] = value
    return encode(photo(64, 48), exif=exif)


@pytest.mark.parametrize("image_format", ["JPEG", "WEBP", "PNG"])
def test_xmp_gives_credit_caption_and_alt_text_in_every_format(image_format):
    if image_format == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP)
        content = encode(photo(64, 48), "PNG", pnginfo=info)
    else:
        content = encode(photo(64, 48), image_format, xmp=XMP.encode())

    assert embedded_text(content) == PhotoText(
        credit="Zoë Ångström, Li Wei / Reuters",
        caption="The harbour under the storm",  # the default language, not the first entry
        alt_text="Waves break over the harbour wall at dusk")  # one line


def test_iptc_iim_is_read_as_utf8_or_latin1():
    jpeg = encode(photo(64, 48))
    utf8 = with_iim(jpeg, {(1, 90): b"\x1b%G", (2, 80): "Zoë Ångström".encode(),
                           (2, 110): b"AFP", (2, 120): "Crowds in the Zócalo".encode()})
    assert embedded_text(utf8) == PhotoText(credit="Zoë Ångström / AFP",
                                            caption="Crowds in the Zócalo")
    latin1 = with_iim(jpeg, {(2, 80): "Zoë".encode("latin-1")})
    assert embedded_text(latin1).credit == "Zoë"


def test_exif_fills_what_nothing_else_gives_and_copyright_is_the_last_resort():
    assert embedded_text(with_exif(artist="Jane Doe", description="A quiet street")) == (
        PhotoText(credit="Jane Doe", caption="A quiet street"))
    utf8_copyright = with_exif(copyright="© 2026 City Desk".encode())  # as most writers store it
    assert embedded_text(utf8_copyright).credit == "© 2026 City Desk"


def test_xmp_wins_over_iptc_and_iptc_over_exif():
    exif = Image.Exif()
    exif[0x013B], exif[0x010E] = "Exif Artist", "Exif description"
    jpeg = encode(photo(64, 48), exif=exif, xmp=XMP.encode())
    text = embedded_text(with_iim(jpeg, {(2, 80): b"Iim Byline", (2, 120): b"Iim caption"}))
    assert text.credit == "Zoë Ångström, Li Wei / Reuters"
    assert text.caption == "The harbour under the storm"
    no_xmp = with_iim(encode(photo(64, 48), exif=exif), {(2, 120): b"Iim caption"})
    assert embedded_text(no_xmp) == PhotoText(credit="Exif Artist", caption="Iim caption")


def test_the_credit_line_is_not_repeated_when_it_names_the_photographer():
    content = with_iim(encode(photo(64, 48)), {(2, 80): b"Jane Doe",
                                               (2, 110): b"Jane Doe/Reuters"})
    assert embedded_text(content).credit == "Jane Doe/Reuters"


def test_damaged_or_hostile_metadata_is_skipped_and_the_rest_kept():
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe"
    for packet in (BOMB, "<x:xmpmeta><unclosed>", "\x00\xff not xml"):
        content = encode(photo(64, 48), exif=exif, xmp=packet.encode("utf-8", "replace"))
        assert embedded_text(content) == PhotoText(credit="Jane Doe")
    too_long = b"\x1c\x02\x50\xff\xffJane"  # a dataset longer than its block
    damaged_iim = with_iim(encode(photo(64, 48), exif=exif), too_long)
    assert embedded_text(damaged_iim) == PhotoText(credit="Jane Doe")
    assert embedded_text(b"not an image") == PhotoText()


def test_texts_are_tidied_and_cut_to_their_limits_at_a_word():
    content = with_exif(artist="Jane\tDoe\x00 ", description=("word " * 1000).strip())
    text = embedded_text(content)
    assert text.credit == "Jane Doe"
    assert len(text.caption) <= CAPTION_MAX
    assert text.caption.endswith("word…") and len(text.caption) > CAPTION_MAX - 6
    long_credit = with_iim(encode(photo(64, 48)), {(2, 110): b"A" * 400})
    assert len(embedded_text(long_credit).credit) == CREDIT_MAX


def test_the_xmp_written_reads_back_the_same_texts():
    text = PhotoText(credit="Zoë <Ångström> & Co / \"Reuters\"", caption="Storm's eye",
                     alt_text="A lighthouse; waves > 5 m")
    content = encode(photo(64, 48), xmp=xmp_packet(text))
    assert embedded_text(content) == text
    assert embedded_text(encode(photo(64, 48), xmp=xmp_packet(PhotoText()))) == PhotoText()

