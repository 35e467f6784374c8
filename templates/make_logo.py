#!/usr/bin/env python3
"""Writes templates/logo.png: the example brand logo used by templates/neon.json.

A 256x256 RGBA badge (a cyan ring around a yellow play triangle, transparent outside), drawn
with 4x4 supersampling for smooth edges. Needs only the Python standard library:

    python3 templates/make_logo.py
"""
import math
import os
import struct
import zlib

SIZE = 256
SUPER = 4
CENTRE = SIZE / 2
RING_OUTER, RING_INNER = 124.0, 100.0
CYAN = (0, 229, 255)
YELLOW = (255, 212, 0)
DARK = (16, 16, 24)


def inside_triangle(x, y):
    # A play triangle pointing right, centred a little right of the middle.
    ax, ay = 100.0, 76.0
    bx, by = 100.0, 180.0
    cx, cy = 184.0, 128.0

    def side(px, py, qx, qy, rx, ry):
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(ax, ay, bx, by, x, y)
    d2 = side(bx, by, cx, cy, x, y)
    d3 = side(cx, cy, ax, ay, x, y)
    return (d1 <= 0 and d2 <= 0 and d3 <= 0) or (d1 >= 0 and d2 >= 0 and d3 >= 0)


def sample(x, y):
    """Colour and alpha (0..1) of one supersample."""
    r = math.hypot(x - CENTRE, y - CENTRE)
    if r > RING_OUTER:
        return (0, 0, 0), 0.0
    if r >= RING_INNER:
        return CYAN, 1.0
    if inside_triangle(x, y):
        return YELLOW, 1.0
    return DARK, 0.8


def pixel(px, py):
    acc = [0.0, 0.0, 0.0]
    alpha = 0.0
    for sy in range(SUPER):
        for sx in range(SUPER):
            colour, a = sample(px + (sx + 0.5) / SUPER, py + (sy + 0.5) / SUPER)
            alpha += a
            for i in range(3):
                acc[i] += colour[i] * a
    n = SUPER * SUPER
    if alpha == 0:
        return (0, 0, 0, 0)
    return tuple(round(c / alpha) for c in acc) + (round(255 * alpha / n),)


def png(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in rows)
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    rows = [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logo.png")
    with open(out, "wb") as f:
        f.write(png(SIZE, SIZE, rows))


if __name__ == "__main__":
    main()
