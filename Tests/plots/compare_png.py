#!/usr/bin/env python3
"""Compares two PNG images pixel by pixel (8-bit RGB or RGBA, as rsvg-convert, cairo and
Chromium write them; alpha is composited on white). Prints one line:

    size WxH differing F mean M

F is the fraction of pixels whose largest channel difference exceeds 48 (of 255), M the mean
absolute channel difference. Exits 0 when F <= --max-differing (default 0.005) and sizes agree,
1 otherwise. Only the standard library and NumPy (both in the test dependencies).

Usage: compare_png.py A.png B.png [--max-differing F]
       compare_png.py --differ A.png B.png [--min-differing F]   (exit 0 when they differ enough)
"""
import struct, sys, zlib
import numpy as np


def load(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: only 8-bit RGB/RGBA non-interlaced PNGs are read")
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 0:
            cur = line
        elif kind == 2:
            cur = (line + previous) & 255
        else:
            cur = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                a = cur[x - channels] if x >= channels else 0
                b = previous[x]
                c = previous[x - channels] if x >= channels else 0
                if kind == 1:
                    p = a
                elif kind == 3:
                    p = (a + b) >> 1
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + p) & 255
        out[y] = cur
        previous = cur
    image = out.reshape(height, width, channels).astype(np.float64)
    if channels == 4:
        alpha = image[:, :, 3:4] / 255
        image = image[:, :, :3] * alpha + 255 * (1 - alpha)
    return image


def compare(a_path, b_path):
    a, b = load(a_path), load(b_path)
    if a.shape != b.shape:
        return None, f"size {a.shape[1]}x{a.shape[0]} vs {b.shape[1]}x{b.shape[0]}"
    diff = np.abs(a - b)
    differing = float(np.mean(diff.max(axis=2) > 48))
    return differing, f"size {a.shape[1]}x{a.shape[0]} differing {differing:.5f} mean {diff.mean():.3f}"


def main():
    args = sys.argv[1:]
    differ = "--differ" in args
    args = [a for a in args if a != "--differ"]
    limit = 0.005
    for flag in ("--max-differing", "--min-differing"):
        if flag in args:
            i = args.index(flag)
            limit = float(args[i + 1])
            del args[i:i + 2]
    fraction, line = compare(args[0], args[1])
    print(line)
    if fraction is None:
        sys.exit(1)
    sys.exit(0 if (fraction >= limit if differ else fraction <= limit) else 1)


if __name__ == "__main__":
    main()
