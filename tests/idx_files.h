/* idx_files.h: helpers that write small IDX files, plain or gzip-compressed, into a
 * temporary directory, so the loader tests build every good and damaged file they read. */
#ifndef NNSCOPE_IDX_FILES_H
#define NNSCOPE_IDX_FILES_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* A byte buffer grown by the append functions below. */
typedef struct {
    unsigned char *bytes;
    size_t size;
} idx_buffer;

static inline void idx_buffer_append(idx_buffer *buffer, const void *bytes, size_t n)
{
    buffer->bytes = realloc(buffer->bytes, buffer->size + n + 1);
    if (!buffer->bytes) {
        perror("idx_buffer_append");
        exit(2);
    }
    memcpy(buffer->bytes + buffer->size, bytes, n);
    buffer->size += n;
}

static inline void idx_buffer_append_be32(idx_buffer *buffer, uint32_t value)
{
    unsigned char b[4] = {(unsigned char)(value >> 24), (unsigned char)(value >> 16),
                          (unsigned char)(value >> 8), (unsigned char)value};

    idx_buffer_append(buffer, b, 4);
}

/* Builds an IDX file of unsigned bytes: magic 0x0000080N, the N dimensions, then data. */
static inline idx_buffer idx_buffer_make(int ndim, const uint32_t *dims, const uint8_t *data, size_t n_data)
{
    idx_buffer buffer = {0};

    idx_buffer_append_be32(&buffer, 0x00000800u | (uint32_t)ndim);
    for (int i = 0; i < ndim; i++)
        idx_buffer_append_be32(&buffer, dims[i]);
    idx_buffer_append(&buffer, data, n_data);
    return buffer;
}

/* Writes bytes to dir/name, gzip-compressed when name ends in ".gz"; exits on failure
 * because a test that cannot write its input cannot test anything. */
static inline void idx_write_file(const char *dir, const char *name, const void *bytes, size_t n)
{
    char path[2048];
    size_t len = strlen(name);

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len > 3 && strcmp(name + len - 3, ".gz") == 0) {
        gzFile file = gzopen(path, "wb");

        if (!file || (n > 0 && gzwrite(file, bytes, (unsigned)n) != (int)n) || gzclose(file) != Z_OK) {
            fprintf(stderr, "idx_write_file: cannot write %s\n", path);
            exit(2);
        }
    } else {
        FILE *file = fopen(path, "wb");

        if (!file || fwrite(bytes, 1, n, file) != n || fclose(file) != 0) {
            fprintf(stderr, "idx_write_file: cannot write %s\n", path);
            exit(2);
        }
    }
}

/* Reads a whole file into a buffer; exits on failure. */
static inline idx_buffer idx_read_file(const char *dir, const char *name)
{
    char path[2048], chunk[4096];
    idx_buffer buffer = {0};
    FILE *file;
    size_t got;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "idx_read_file: cannot open %s\n", path);
        exit(2);
    }
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        idx_buffer_append(&buffer, chunk, got);
    fclose(file);
    return buffer;
}

/* Creates a fresh temporary directory; exits on failure. */
static inline void idx_temp_dir(char *dir, size_t size)
{
    const char *base = getenv("TMPDIR");

    snprintf(dir, size, "%s/nnscope-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
}

/* Removes a temporary directory and the plain files in it. */
static inline void idx_remove_dir(const char *dir)
{
    DIR *handle = opendir(dir);
    struct dirent *entry;
    char path[2048];

    if (!handle)
        return;
    while ((entry = readdir(handle)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(handle);
    rmdir(dir);
}

#endif /* NNSCOPE_IDX_FILES_H */
