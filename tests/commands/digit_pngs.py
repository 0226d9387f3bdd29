"""Draw test PNGs of digits for `predict file=`: real MNIST test digits enlarged and
recoloured, written with a minimal PNG encoder (zlib only, no imaging library)."""
import gzip
import os
import struct
import zlib

import numpy as np


def write_png(path, pixels):
    """Write pixels (H x W uint8 grey, H x W x 3 RGB or H x W x 4 RGBA) as an 8-bit PNG."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim == 2:
        colour_type, channels = 0, 1
    elif pixels.shape[2] == 3:
        colour_type, channels = 2, 3
    else:
        colour_type, channels = 6, 4
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, width * channels)
    # Filter type 0 (none) before every scanline.
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def read_idx(path):
    """Read a (possibly gzip-compressed) IDX file into a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mnist_test_set(data_dir):
    """Return (images, labels) of the converted digits' test set in data_dir/mnist."""
    images = read_idx(os.path.join(data_dir, "mnist", "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, "mnist", "t10k-labels-idx1-ubyte.gz"))
    return images, labels


def enlarge(image, factor):
    """Enlarge a 2-D array of ink in [0, 1] by bilinear interpolation."""
    height, width = image.shape
    ys = (np.arange(height * factor) + 0.5) / factor - 0.5
    xs = (np.arange(width * factor) + 0.5) / factor - 0.5
    y0 = np.clip(np.floor(ys).astype(int), 0, height - 1)
    x0 = np.clip(np.floor(xs).astype(int), 0, width - 1)
    y1 = np.clip(y0 + 1, 0, height - 1)
    x1 = np.clip(x0 + 1, 0, width - 1)
    wy = np.clip(ys - y0, 0, 1)[:, None]
    wx = np.clip(xs - x0, 0, 1)[None, :]
    top = image[y0][:, x0] * (1 - wx) + image[y0][:, x1] * wx
    bottom = image[y1][:, x0] * (1 - wx) + image[y1][:, x1] * wx
    return top * (1 - wy) + bottom * wy


def place(ink, canvas_shape, top_left):
    """Put ink on a blank canvas of canvas_shape with its corner at top_left (y, x)."""
    canvas = np.zeros(canvas_shape)
    y, x = top_left
    canvas[y:y + ink.shape[0], x:x + ink.shape[1]] = ink
    return canvas


def colourise(ink, ink_rgb, background_rgb):
    """Blend from background_rgb (ink 0) to ink_rgb (ink 1); returns H x W x 3 uint8."""
    ink = np.clip(ink, 0, 1)[..., None]
    rgb = np.asarray(background_rgb, float) * (1 - ink) + np.asarray(ink_rgb, float) * ink
    return np.round(rgb).astype(np.uint8)


def grey(ink, dark_on_light):
    """Grey PNG pixels: black ink on white paper, or white ink on black."""
    values = 1 - ink if dark_on_light else ink
    return np.round(np.clip(values, 0, 1) * 255).astype(np.uint8)


def write_idx(path, array):
    """Write a uint8 numpy array as a gzip-compressed IDX file (magic 0x0000080N)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, 8, array.ndim)
    header += struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())
