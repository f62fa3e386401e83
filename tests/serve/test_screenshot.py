"""A headless browser renders an entity page (phone and desktop widths): a real, non-blank PNG.

Uses Debian's ``chromium`` when it is installed (skipped otherwise: nothing is installed for
the test). The PNG is checked with a small reader of its own (no imaging library): size,
dimensions, and enough distinct colours in the top of the page to rule out a blank render.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def read_png(data: bytes, rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first ``rows`` decoded pixel rows (8-bit RGB or RGBA only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8, f"unsupported PNG bit depth {depth}"
            assert colour in (2, 6), f"unsupported PNG colour type {colour}"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    stride = width * channels
    raw = zlib.decompressobj().decompress(idat, (stride + 1) * rows)
    out: list[bytes] = []
    prev = bytearray(stride)
    for r in range(min(rows, height)):
        kind, line = (
            raw[r * (stride + 1)],
            bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prev[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = prev[i - channels] if i >= channels else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        out.append(bytes(line))
        prev = line
    return width, height, out


def _colours(rows: list[bytes], channels: int) -> set[bytes]:
    return {row[i : i + 3] for row in rows for i in range(0, len(row), channels)}


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt install chromium)")
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_entity_page_screenshot(live_server: str, tmp_path: Path, width: int, height: int) -> None:
    """The person page renders to a non-blank screenshot at phone and desktop sizes."""
    page = live_server + "id/person/naoto-kan"
    html = httpx.get(page, headers={"Accept": "text/html"}, timeout=10).text
    # Posts and tenures read as their labels, not as IRIs.
    assert "Naoto Kan as Prime Minister of Japan, 2010–2011" in html
    assert ">Prime Minister of Japan<" in html
    assert ">http://127.0.0.1:8000/id/tenure/" not in html
    shot = tmp_path / "shot.png"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            f"--window-size={width},{height}",
            page,
        ],
        check=False,
        capture_output=True,
        timeout=90,
    )
    assert shot.is_file(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert len(data) > 5_000
    png_width, png_height, rows = read_png(data, rows=220)
    assert (png_width, png_height) == (width, height)
    channels = len(rows[0]) // png_width
    colours = _colours(rows, channels)
    assert len(colours) >= 16, f"the top of the page looks blank ({len(colours)} colours)"


def test_png_reader_sees_a_blank_image() -> None:
    """The reader decodes a uniform image (filtered rows) to one colour: a blank page fails."""
    width, height = 40, 30
    rows = b"".join(
        bytes([2]) + (b"\xff\xff\xff" * width if r == 0 else bytes(3 * width))
        for r in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    got_width, got_height, decoded = read_png(png, rows=height)
    assert (got_width, got_height) == (width, height)
    assert _colours(decoded, 3) == {b"\xff\xff\xff"}
