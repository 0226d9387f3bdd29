/* idx.c: reading and writing IDX files, plain or gzip-compressed.
 *
 * IDX is the format in which MNIST is distributed: a big-endian magic number 0x0000TTNN,
 * where TT is the element type and NN the number of dimensions, then NN big-endian uint32
 * dimensions, then the elements in row-major order.
 * nnscope only uses unsigned bytes (TT = 0x08), so images are 0x00000803 with dimensions
 * [count, 28, 28] and labels 0x00000801 with dimensions [count].
 *
 * zlib's gzread passes a file that is not gzip-compressed through unchanged, so one code
 * path reads both forms. nn_idx_save compresses when the path ends in ".gz".
 */
#include "error.h"
#include "nn.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IDX_TYPE_UNSIGNED_BYTE 0x08
#define IDX_MAX_DIMS 4

/* gzread and gzwrite take an unsigned length, so large files move in pieces this big. */
#define IDX_CHUNK_BYTES (1u << 24)

/* A limit on the element count, far above full MNIST (47 MB), so that a damaged header
 * cannot make the loader allocate gigabytes before it notices the file is short. */
#define IDX_MAX_ELEMENTS ((size_t)1 << 32)

static uint32_t idx_read_be32(const unsigned char bytes[4])
{
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) |
           ((uint32_t)bytes[2] << 8) | (uint32_t)bytes[3];
}

static void idx_write_be32(unsigned char bytes[4], uint32_t value)
{
    bytes[0] = (unsigned char)(value >> 24);
    bytes[1] = (unsigned char)(value >> 16);
    bytes[2] = (unsigned char)(value >> 8);
    bytes[3] = (unsigned char)value;
}

/* Reads up to n bytes and returns the count read, which is short only at the end of the
 * data. Returns -1 on a read or decompression error and points reason at zlib's message.
 * A gzip stream cut short is such an error, not a short read. */
static long long idx_read_bytes(gzFile file, void *buffer, size_t n, const char **reason)
{
    unsigned char *out = buffer;
    size_t done = 0;
    int errnum;

    while (done < n) {
        size_t want = n - done < IDX_CHUNK_BYTES ? n - done : IDX_CHUNK_BYTES;
        int got = gzread(file, out + done, (unsigned)want);

        if (got < 0) {
            *reason = gzerror(file, &errnum);
            return -1;
        }
        if (got == 0)
            break;
        done += (size_t)got;
    }

    /* At the end of a truncated gzip member gzread returns what it has and records
     * Z_BUF_ERROR ("unexpected end of file") instead of failing the call. */
    gzerror(file, &errnum);
    if (errnum == Z_BUF_ERROR || (errnum != Z_OK && errnum != Z_STREAM_END)) {
        *reason = gzerror(file, &errnum);
        return -1;
    }
    return (long long)done;
}

int nn_idx_load(const char *path, nn_idx *out, nn_error *err)
{
    gzFile file = NULL;
    unsigned char header[4 + 4 * IDX_MAX_DIMS];
    unsigned char extra;
    const char *reason = "";
    long long got;
    uint32_t magic;
    int type, ndim, rc = -1;
    size_t size = 1;
    size_t header_bytes;

    memset(out, 0, sizeof *out);

    /* Open the file. */
    errno = 0;
    file = gzopen(path, "rb");
    if (!file) {
        if (errno == ENOENT)
            return nn_fail(err, NN_ERR_DATA, "IDX file %s not found; check the path", path);
        return nn_fail(err, NN_ERR_IO, "cannot open IDX file %s: %s", path,
                        errno ? strerror(errno) : "out of memory");
    }

    /* Magic number: two zero bytes, the element type, the number of dimensions. */
    got = idx_read_bytes(file, header, 4, &reason);
    if (got < 0) {
        nn_fail(err, NN_ERR_DATA, "cannot read IDX file %s: %s; the file is damaged, fetch it again",
                 path, reason);
        goto out;
    }
    if (got < 4) {
        nn_fail(err, NN_ERR_DATA,
                 "IDX file %s is truncated: %lld bytes, shorter than the 4-byte magic number; fetch it again",
                 path, got);
        goto out;
    }
    magic = idx_read_be32(header);
    type = (int)((magic >> 8) & 0xff);
    ndim = (int)(magic & 0xff);
    if ((magic >> 16) != 0 || type != IDX_TYPE_UNSIGNED_BYTE || ndim < 1 || ndim > IDX_MAX_DIMS) {
        nn_fail(err, NN_ERR_DATA,
                 "%s is not an IDX file of unsigned bytes: magic number 0x%08x, expected 0x0000080N "
                 "with N from 1 to %d (0x00000803 for images, 0x00000801 for labels)",
                 path, (unsigned)magic, IDX_MAX_DIMS);
        goto out;
    }

    /* Dimensions, each a big-endian uint32. */
    header_bytes = 4 * (size_t)ndim;
    got = idx_read_bytes(file, header + 4, header_bytes, &reason);
    if (got < 0) {
        nn_fail(err, NN_ERR_DATA, "cannot read IDX file %s: %s; the file is damaged, fetch it again",
                 path, reason);
        goto out;
    }
    if ((size_t)got < header_bytes) {
        nn_fail(err, NN_ERR_DATA,
                 "IDX file %s is truncated inside its header: %d dimensions need %zu bytes after the "
                 "magic number, found %lld; fetch it again",
                 path, ndim, header_bytes, got);
        goto out;
    }
    out->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        out->dims[i] = idx_read_be32(header + 4 + 4 * i);
        if (out->dims[i] != 0 && size > IDX_MAX_ELEMENTS / out->dims[i]) {
            nn_fail(err, NN_ERR_DATA,
                     "IDX file %s declares more than %zu elements (dimension %d is %u); the header is damaged",
                     path, IDX_MAX_ELEMENTS, i + 1, (unsigned)out->dims[i]);
            goto out;
        }
        size *= out->dims[i];
    }

    /* Elements: exactly the product of the dimensions, with nothing after them. */
    out->data = malloc(size ? size : 1);
    if (!out->data) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory reading %zu bytes of IDX file %s", size, path);
        goto out;
    }
    out->size = size;
    got = idx_read_bytes(file, out->data, size, &reason);
    if (got < 0) {
        nn_fail(err, NN_ERR_DATA, "cannot read IDX file %s: %s; the file is damaged or truncated, fetch it again",
                 path, reason);
        goto out;
    }
    if ((size_t)got < size) {
        nn_fail(err, NN_ERR_DATA,
                 "IDX file %s is truncated: its header declares %zu data bytes, the file has %lld; fetch it again",
                 path, size, got);
        goto out;
    }
    got = idx_read_bytes(file, &extra, 1, &reason);
    if (got != 0) {
        nn_fail(err, NN_ERR_DATA,
                 "IDX file %s has bytes after the %zu its header declares; it is damaged or not an IDX file",
                 path, size);
        goto out;
    }
    rc = 0;

out:
    if (file)
        gzclose(file);
    if (rc != 0)
        nn_idx_free(out);
    return rc;
}

static int idx_suffix_is_gz(const char *path)
{
    size_t len = strlen(path);

    return len >= 3 && strcmp(path + len - 3, ".gz") == 0;
}

/* Writes n bytes to a plain FILE or a gzFile, whichever is open. */
static int idx_write_bytes(FILE *plain, gzFile compressed, const void *bytes, size_t n)
{
    const unsigned char *in = bytes;

    if (plain)
        return fwrite(bytes, 1, n, plain) == n ? 0 : -1;
    while (n > 0) {
        size_t piece = n < IDX_CHUNK_BYTES ? n : IDX_CHUNK_BYTES;

        if (gzwrite(compressed, in, (unsigned)piece) != (int)piece)
            return -1;
        in += piece;
        n -= piece;
    }
    return 0;
}

int nn_idx_save(const char *path, const nn_idx *idx, nn_error *err)
{
    unsigned char header[4 + 4 * IDX_MAX_DIMS];
    char *temp_path = NULL;
    FILE *plain = NULL;
    gzFile compressed = NULL;
    size_t size = 1, header_bytes;
    int rc = -1, closed;

    /* Check the description before touching the file system. */
    if (idx->ndim < 1 || idx->ndim > IDX_MAX_DIMS)
        return nn_fail(err, NN_ERR_ARGUMENT, "cannot save %s: an IDX file has 1 to %d dimensions, not %d",
                        path, IDX_MAX_DIMS, idx->ndim);
    for (int i = 0; i < idx->ndim; i++)
        size *= idx->dims[i];
    if (size != idx->size)
        return nn_fail(err, NN_ERR_ARGUMENT,
                        "cannot save %s: the dimensions give %zu elements but size is %zu; make them agree",
                        path, size, idx->size);

    idx_write_be32(header, 0x00000800u | (uint32_t)idx->ndim);
    for (int i = 0; i < idx->ndim; i++)
        idx_write_be32(header + 4 + 4 * i, idx->dims[i]);
    header_bytes = 4 + 4 * (size_t)idx->ndim;

    /* Write a temporary file beside the target and rename it, so readers never see half a file. */
    temp_path = malloc(strlen(path) + 5);
    if (!temp_path)
        return nn_fail(err, NN_ERR_MEMORY, "out of memory saving %s", path);
    sprintf(temp_path, "%s.tmp", path);

    errno = 0;
    if (idx_suffix_is_gz(path))
        compressed = gzopen(temp_path, "wb9");
    else
        plain = fopen(temp_path, "wb");
    if (!plain && !compressed) {
        nn_fail(err, NN_ERR_IO, "cannot create %s: %s; check that the directory exists and is writable",
                 temp_path, errno ? strerror(errno) : "out of memory");
        goto out;
    }
    if (idx_write_bytes(plain, compressed, header, header_bytes) != 0 ||
        idx_write_bytes(plain, compressed, idx->data, idx->size) != 0) {
        nn_fail(err, NN_ERR_IO, "writing %s failed: %s; check the free space", temp_path,
                 errno ? strerror(errno) : "compression error");
        goto out;
    }
    closed = plain ? fclose(plain) : gzclose(compressed);
    plain = NULL;
    compressed = NULL;
    if (closed != 0) {
        nn_fail(err, NN_ERR_IO, "writing %s failed when closing it: %s; check the free space", temp_path,
                 errno ? strerror(errno) : "compression error");
        goto out;
    }
    if (rename(temp_path, path) != 0) {
        nn_fail(err, NN_ERR_IO, "cannot rename %s to %s: %s", temp_path, path, strerror(errno));
        goto out;
    }
    rc = 0;

out:
    if (plain)
        fclose(plain);
    if (compressed)
        gzclose(compressed);
    if (rc != 0)
        remove(temp_path);
    free(temp_path);
    return rc;
}

void nn_idx_free(nn_idx *idx)
{
    free(idx->data);
    memset(idx, 0, sizeof *idx);
}
