#!/usr/bin/env python3
"""Writes themes/default/assets/icon.png, the PNG twin of icon.svg that
share previews (og:image) and feeds (<icon>) need: the same shapes, drawn
at 256 x 256 with 4 x 4 samples a pixel, written with zlib alone so the
file is the same bytes on any machine. Run it from the repository's top:
    python3 themes/tools/icon-png.py
"""
import struct
import zlib

SIZE, UNIT, SS = 256, 256 / 32, 4
BLUE, WHITE = (0x0B, 0x4F, 0x8A), (0xFF, 0xFF, 0xFF)
BUBBLE = [(7, 9), (25, 9), (25, 20), (15, 20), (10, 24), (10, 20), (7, 20)]
LINES = [(11, 12, 21, 14), (11, 15, 18, 17)]  # the svg's 2-wide strokes


def in_rounded_square(x, y, r=6):
    cx = min(max(x, r), 32 - r)
    cy = min(max(y, r), 32 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_polygon(x, y, pts):
    inside = False
    for i in range(len(pts)):
        (x1, y1), (x2, y2) = pts[i], pts[i - 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def colour(x, y):
    if not in_rounded_square(x, y):
        return WHITE
    if any(a <= x < c and b <= y < d for a, b, c, d in LINES):
        return BLUE
    return WHITE if in_polygon(x, y, BUBBLE) else BLUE


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


rows = bytearray()
for py in range(SIZE):
    rows.append(0)  # filter: none
    for px in range(SIZE):
        acc = [0, 0, 0]
        for sy in range(SS):
            for sx in range(SS):
                c = colour((px + (sx + .5) / SS) / UNIT,
                           (py + (sy + .5) / SS) / UNIT)
                for k in range(3):
                    acc[k] += c[k]
        rows.extend(round(a / (SS * SS)) for a in acc)

png = (b"\x89PNG\r\n\x1a\n"
       + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
       + chunk(b"IEND", b""))
with open("themes/default/assets/icon.png", "wb") as f:
    f.write(png)
