/* save.c: saving and loading a model in the versioned nnscope model format.
 *
 * docs/model-format.md describes the layout field by field. In short: a 24-byte header
 * (magic, version, flags, payload size), the payload (architecture, weights, optimizer
 * state, settings, seed, training state and history, all little-endian), and a CRC-32 of
 * everything before it. A save goes to a temporary file in the target directory that is
 * renamed over the target only when complete. A load reads the whole file, checks it,
 * and builds a fresh model, so a failed load changes nothing the caller owns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "model_internal.h"

static const uint8_t model_magic[8] = {0x89, 'N', 'N', 'S', '\r', '\n', 0x1a, '\n'};

#define MODEL_FORMAT_VERSION 1
#define HEADER_SIZE 24
#define TRAILER_SIZE 4
/* The largest model the engine builds (an mlp with 8 hidden layers of 4,096 units) has
 * about 121 million weights, 1.45 GB with Adam's state. 4 GiB leaves room for the history,
 * so a larger size field means a damaged file. */
#define MAX_PAYLOAD_SIZE ((uint64_t)1 << 32)

/*** writing ***/

typedef struct {
    uint8_t *data;
    size_t size, capacity;
    int failed; /* set when memory ran out; later writes are ignored */
} byte_writer;

static void put_bytes(byte_writer *w, const void *bytes, size_t n)
{
    if (w->failed)
        return;
    if (w->size + n > w->capacity) {
        size_t capacity = w->capacity ? w->capacity : 4096;
        uint8_t *grown;

        while (capacity < w->size + n)
            capacity *= 2;
        grown = realloc(w->data, capacity);
        if (!grown) {
            w->failed = 1;
            return;
        }
        w->data = grown;
        w->capacity = capacity;
    }
    memcpy(w->data + w->size, bytes, n);
    w->size += n;
}

static void put_u32(byte_writer *w, uint32_t x)
{
    uint8_t b[4];

    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(x >> (8 * i));
    put_bytes(w, b, 4);
}

static void put_u64(byte_writer *w, uint64_t x)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(x >> (8 * i));
    put_bytes(w, b, 8);
}

static void put_i32(byte_writer *w, int x)
{
    put_u32(w, (uint32_t)(int32_t)x);
}

static void put_f64(byte_writer *w, double x)
{
    uint64_t bits;

    memcpy(&bits, &x, sizeof bits);
    put_u64(w, bits);
}

static void put_floats(byte_writer *w, const float *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;

        memcpy(&bits, &values[i], sizeof bits);
        put_u32(w, bits);
    }
}

static void put_spec(byte_writer *w, const nn_model_spec *spec)
{
    put_u32(w, (uint32_t)spec->type);
    put_i32(w, spec->layers);
    put_i32(w, spec->units);
    put_u32(w, (uint32_t)spec->activation);
    put_i32(w, spec->filters[0]);
    put_i32(w, spec->filters[1]);
    put_i32(w, spec->kernel_size);
    put_i32(w, spec->n_hidden);
    for (int i = 0; i < NN_MAX_HIDDEN; i++)
        put_i32(w, spec->hidden[i]);
    put_f64(w, spec->dropout);
}

static void put_settings(byte_writer *w, const nn_settings *s)
{
    put_f64(w, s->learning_rate);
    put_i32(w, s->epochs);
    put_i32(w, s->batch_size);
    put_i32(w, s->n_train);
    put_i32(w, s->n_test);
    put_i32(w, s->n_val);
    put_u32(w, (uint32_t)s->optimizer);
    put_u64(w, s->seed);
    put_i32(w, s->threads);
}

static void put_training_state(byte_writer *w, const nn_model *model)
{
    const nn_open_epoch *open = &model->open_epoch;

    put_u32(w, (uint32_t)model->has_optimizer);
    put_u32(w, (uint32_t)model->optimizer);
    put_u64(w, (uint64_t)model->opt_step);
    if (model->has_optimizer) {
        put_floats(w, model->opt_m, model->n_params);
        put_floats(w, model->opt_v, model->n_params);
    }

    put_u64(w, (uint64_t)model->step);
    put_i32(w, model->epochs_trained);
    put_i32(w, open->batches_done);
    put_i32(w, open->batch_size);
    put_u64(w, (uint64_t)open->n_train);
    put_u64(w, open->seed);
    put_f64(w, open->loss_sum);
    put_f64(w, open->correct_sum);
    put_f64(w, open->seconds);
    put_u64(w, (uint64_t)open->samples);
}

static void put_history(byte_writer *w, const nn_model *model)
{
    put_u64(w, (uint64_t)model->n_batch_history);
    for (size_t i = 0; i < model->n_batch_history; i++) {
        const nn_batch_report *r = &model->batch_history[i];

        put_i32(w, r->epoch);
        put_i32(w, r->epochs);
        put_i32(w, r->batch);
        put_i32(w, r->batches);
        put_u64(w, (uint64_t)r->step);
        put_f64(w, r->loss);
        put_f64(w, r->accuracy);
    }
    put_u64(w, (uint64_t)model->n_epoch_history);
    for (size_t i = 0; i < model->n_epoch_history; i++) {
        const nn_epoch_report *r = &model->epoch_history[i];

        put_i32(w, r->epoch);
        put_i32(w, r->epochs);
        put_f64(w, r->loss);
        put_f64(w, r->accuracy);
        put_f64(w, r->val_loss);
        put_f64(w, r->val_accuracy);
        put_f64(w, r->seconds);
    }
}

/* Writes all of data to a new temporary file next to path, then renames it over path. */
static int write_file_atomically(const char *path, const uint8_t *data, size_t size,
                                 nn_error *err)
{
    size_t path_length = strlen(path);
    char *temp_path = malloc(path_length + 16);
    FILE *file = NULL;
    int fd, status = -1;

    if (!temp_path)
        return nn_fail(err, NN_ERR_MEMORY, "out of memory while saving %s", path);
    snprintf(temp_path, path_length + 16, "%s.tmp-XXXXXX", path);
    fd = mkstemp(temp_path);
    if (fd < 0) {
        nn_fail(err, NN_ERR_IO, "cannot create a temporary file next to %s: %s; check that "
                "the directory exists and is writable", path, strerror(errno));
        free(temp_path);
        return -1;
    }
    /* mkstemp creates the file readable by its owner only; a model is an ordinary file. */
    fchmod(fd, 0644);
    file = fdopen(fd, "wb");
    if (!file) {
        close(fd);
        nn_fail(err, NN_ERR_IO, "cannot write %s: %s", temp_path, strerror(errno));
        goto out;
    }
    if (fwrite(data, 1, size, file) != size || fflush(file) != 0 || fsync(fileno(file)) != 0) {
        nn_fail(err, NN_ERR_IO, "writing %s failed: %s; check the free disk space", temp_path,
                strerror(errno));
        goto out;
    }
    if (fclose(file) != 0) {
        file = NULL;
        nn_fail(err, NN_ERR_IO, "writing %s failed: %s", temp_path, strerror(errno));
        goto out;
    }
    file = NULL;
    if (rename(temp_path, path) != 0) {
        nn_fail(err, NN_ERR_IO, "cannot rename %s to %s: %s", temp_path, path, strerror(errno));
        goto out;
    }
    status = 0;

out:
    if (file)
        fclose(file);
    if (status != 0)
        unlink(temp_path);
    free(temp_path);
    return status;
}

int nn_model_save(const nn_model *model, const nn_settings *s, const char *path, nn_error *err)
{
    byte_writer w = {0};
    uint64_t payload_size;
    uint32_t crc;
    int status = -1;

    put_bytes(&w, model_magic, sizeof model_magic);
    put_u32(&w, MODEL_FORMAT_VERSION);
    put_u32(&w, 0); /* flags, none defined yet */
    put_u64(&w, 0); /* payload size, filled in below */

    put_spec(&w, &model->spec);
    put_u64(&w, model->init_seed);
    put_settings(&w, s);
    put_u64(&w, (uint64_t)model->n_params);
    put_floats(&w, model->params, model->n_params);
    put_training_state(&w, model);
    put_history(&w, model);
    if (w.failed) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory while saving %s", path);
        goto out;
    }

    payload_size = w.size - HEADER_SIZE;
    for (int i = 0; i < 8; i++)
        w.data[16 + i] = (uint8_t)(payload_size >> (8 * i));
    crc = (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), w.data, w.size);
    put_u32(&w, crc);
    if (w.failed) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory while saving %s", path);
        goto out;
    }

    status = write_file_atomically(path, w.data, w.size, err);

out:
    free(w.data);
    return status;
}

/*** reading ***/

typedef struct {
    const uint8_t *data;
    size_t size, at;
    int short_read; /* set when a field ran past the payload */
} byte_reader;

static const uint8_t *take(byte_reader *r, size_t n)
{
    const uint8_t *p;

    if (r->short_read || r->size - r->at < n) {
        r->short_read = 1;
        return NULL;
    }
    p = r->data + r->at;
    r->at += n;
    return p;
}

static uint32_t get_u32(byte_reader *r)
{
    const uint8_t *b = take(r, 4);
    uint32_t x = 0;

    if (b)
        for (int i = 0; i < 4; i++)
            x |= (uint32_t)b[i] << (8 * i);
    return x;
}

static uint64_t get_u64(byte_reader *r)
{
    const uint8_t *b = take(r, 8);
    uint64_t x = 0;

    if (b)
        for (int i = 0; i < 8; i++)
            x |= (uint64_t)b[i] << (8 * i);
    return x;
}

static int get_i32(byte_reader *r)
{
    return (int)(int32_t)get_u32(r);
}

static double get_f64(byte_reader *r)
{
    uint64_t bits = get_u64(r);
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

static void get_floats(byte_reader *r, float *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t bits = get_u32(r);

        memcpy(&values[i], &bits, sizeof bits);
    }
}

static void get_spec(byte_reader *r, nn_model_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->type = (nn_model_type)get_u32(r);
    spec->layers = get_i32(r);
    spec->units = get_i32(r);
    spec->activation = (nn_activation)get_u32(r);
    spec->filters[0] = get_i32(r);
    spec->filters[1] = get_i32(r);
    spec->kernel_size = get_i32(r);
    spec->n_hidden = get_i32(r);
    for (int i = 0; i < NN_MAX_HIDDEN; i++)
        spec->hidden[i] = get_i32(r);
    spec->dropout = get_f64(r);
}

static void get_settings(byte_reader *r, nn_settings *s)
{
    memset(s, 0, sizeof *s);
    s->learning_rate = get_f64(r);
    s->epochs = get_i32(r);
    s->batch_size = get_i32(r);
    s->n_train = get_i32(r);
    s->n_test = get_i32(r);
    s->n_val = get_i32(r);
    s->optimizer = (nn_optimizer_kind)get_u32(r);
    s->seed = get_u64(r);
    s->threads = get_i32(r);
}

/* Fails unless count records of record_size bytes fit in what is left of the payload, so
 * a damaged count can never make the loader allocate more than the file holds. */
static int check_count(const byte_reader *r, uint64_t count, size_t record_size,
                       const char *path, const char *what, nn_error *err)
{
    if (count > (r->size - r->at) / record_size)
        return nn_fail(err, NN_ERR_DATA, "%s is damaged: it claims %llu %s, more than the "
                       "file holds", path, (unsigned long long)count, what);
    return 0;
}

static int get_training_state(byte_reader *r, nn_model *model, const char *path, nn_error *err)
{
    nn_open_epoch *open = &model->open_epoch;

    model->has_optimizer = (int)get_u32(r);
    model->optimizer = (nn_optimizer_kind)get_u32(r);
    model->opt_step = (long)get_u64(r);
    if (model->has_optimizer > 1 || model->optimizer > NN_OPT_ADAM || model->opt_step < 0)
        return nn_fail(err, NN_ERR_DATA, "%s is damaged: invalid optimizer state", path);
    if (model->has_optimizer) {
        if (check_count(r, 2 * (uint64_t)model->n_params, 4, path, "optimizer values", err))
            return -1;
        model->opt_m = malloc(model->n_params * sizeof(float));
        model->opt_v = malloc(model->n_params * sizeof(float));
        if (!model->opt_m || !model->opt_v)
            return nn_fail(err, NN_ERR_MEMORY, "out of memory while loading %s", path);
        get_floats(r, model->opt_m, model->n_params);
        get_floats(r, model->opt_v, model->n_params);
    }

    model->step = (long)get_u64(r);
    model->epochs_trained = get_i32(r);
    open->batches_done = get_i32(r);
    open->batch_size = get_i32(r);
    open->n_train = (size_t)get_u64(r);
    open->seed = get_u64(r);
    open->loss_sum = get_f64(r);
    open->correct_sum = get_f64(r);
    open->seconds = get_f64(r);
    open->samples = (size_t)get_u64(r);
    if (model->step < 0 || model->epochs_trained < 0 || open->batches_done < 0)
        return nn_fail(err, NN_ERR_DATA, "%s is damaged: negative training counters", path);
    return 0;
}

static int get_history(byte_reader *r, nn_model *model, const char *path, nn_error *err)
{
    uint64_t n_batches, n_epochs;

    n_batches = get_u64(r);
    if (check_count(r, n_batches, 40, path, "batch records", err) != 0)
        return -1;
    for (uint64_t i = 0; i < n_batches; i++) {
        nn_batch_report report;

        report.epoch = get_i32(r);
        report.epochs = get_i32(r);
        report.batch = get_i32(r);
        report.batches = get_i32(r);
        report.step = (long)get_u64(r);
        report.loss = get_f64(r);
        report.accuracy = get_f64(r);
        if (nn_history_add_batch(model, &report, err) != 0)
            return -1;
    }

    n_epochs = get_u64(r);
    if (check_count(r, n_epochs, 48, path, "epoch records", err) != 0)
        return -1;
    for (uint64_t i = 0; i < n_epochs; i++) {
        nn_epoch_report report;

        report.epoch = get_i32(r);
        report.epochs = get_i32(r);
        report.loss = get_f64(r);
        report.accuracy = get_f64(r);
        report.val_loss = get_f64(r);
        report.val_accuracy = get_f64(r);
        report.seconds = get_f64(r);
        if (nn_history_add_epoch(model, &report, err) != 0)
            return -1;
    }
    return 0;
}

/* Reads the whole file into memory; fails on files too large to be a model. */
static uint8_t *read_file(const char *path, size_t *size, nn_error *err)
{
    FILE *file = fopen(path, "rb");
    uint8_t *data = NULL;
    long length;

    if (!file) {
        nn_fail(err, errno == ENOENT ? NN_ERR_DATA : NN_ERR_IO, "cannot open %s: %s", path,
                strerror(errno));
        return NULL;
    }
    if (fseek(file, 0, SEEK_END) != 0 || (length = ftell(file)) < 0 ||
        fseek(file, 0, SEEK_SET) != 0) {
        nn_fail(err, NN_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if ((uint64_t)length > MAX_PAYLOAD_SIZE + HEADER_SIZE + TRAILER_SIZE) {
        nn_fail(err, NN_ERR_DATA, "%s is not an nnscope model: %ld bytes is larger than any "
                "model", path, length);
        goto out;
    }
    data = malloc(length > 0 ? (size_t)length : 1);
    if (!data) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory reading %s (%ld bytes)", path, length);
        goto out;
    }
    if (fread(data, 1, (size_t)length, file) != (size_t)length) {
        nn_fail(err, NN_ERR_IO, "reading %s failed", path);
        free(data);
        data = NULL;
        goto out;
    }
    *size = (size_t)length;

out:
    fclose(file);
    return data;
}

/* Checks magic, version, size and checksum; on success r covers the payload. */
static int check_envelope(const uint8_t *data, size_t size, const char *path, byte_reader *r,
                          nn_error *err)
{
    byte_reader header = {.data = data, .size = size};
    uint32_t version, flags, stored_crc, crc;
    uint64_t payload_size;

    if (size < sizeof model_magic || memcmp(data, model_magic, sizeof model_magic) != 0)
        return nn_fail(err, NN_ERR_DATA, "%s is not an nnscope model file (wrong magic "
                       "number); choose a file written by the save command", path);
    if (size < HEADER_SIZE + TRAILER_SIZE)
        return nn_fail(err, NN_ERR_DATA, "%s is truncated: %zu bytes is shorter than the "
                       "header", path, size);
    header.at = sizeof model_magic;
    version = get_u32(&header);
    flags = get_u32(&header);
    payload_size = get_u64(&header);
    if (version != MODEL_FORMAT_VERSION)
        return nn_fail(err, NN_ERR_DATA, "%s has model format version %u, but this nnscope "
                       "reads version %d; save it again with this version", path, version,
                       MODEL_FORMAT_VERSION);
    if (flags != 0)
        return nn_fail(err, NN_ERR_DATA, "%s uses format flags 0x%x that this nnscope does "
                       "not know", path, flags);
    if (payload_size != size - HEADER_SIZE - TRAILER_SIZE)
        return nn_fail(err, NN_ERR_DATA, "%s is %s: the header announces %llu bytes of data "
                       "but the file has %zu", path,
                       payload_size > size - HEADER_SIZE - TRAILER_SIZE ? "truncated" : "damaged",
                       (unsigned long long)payload_size, size - HEADER_SIZE - TRAILER_SIZE);

    header.at = size - TRAILER_SIZE;
    stored_crc = get_u32(&header);
    crc = (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), data, size - TRAILER_SIZE);
    if (crc != stored_crc)
        return nn_fail(err, NN_ERR_DATA, "%s is damaged: its CRC-32 checksum is 0x%08x but "
                       "the contents give 0x%08x", path, stored_crc, crc);

    r->data = data + HEADER_SIZE;
    r->size = (size_t)payload_size;
    r->at = 0;
    r->short_read = 0;
    return 0;
}

nn_model *nn_model_load(const char *path, nn_settings *s, nn_error *err)
{
    uint8_t *data;
    size_t size = 0;
    byte_reader r = {0}; /* check_envelope fills it; zeroed so that GCC finds it defined on every path */
    nn_model_spec spec;
    nn_settings settings;
    uint64_t init_seed, n_params;
    nn_model *model = NULL;

    data = read_file(path, &size, err);
    if (!data)
        return NULL;
    if (check_envelope(data, size, path, &r, err) != 0)
        goto err;

    get_spec(&r, &spec);
    init_seed = get_u64(&r);
    get_settings(&r, &settings);
    n_params = get_u64(&r);
    if (r.short_read) {
        nn_fail(err, NN_ERR_DATA, "%s is damaged: it ends inside the model description", path);
        goto err;
    }
    if (nn_model_spec_check(&spec, err) != 0 || nn_settings_check(&settings, NULL, err) != 0) {
        /* Restate the problem as a damaged file: the user chose a file, not these values. */
        char reason[sizeof err->message];

        snprintf(reason, sizeof reason, "%s", err->message);
        nn_fail(err, NN_ERR_DATA, "%s is damaged: it describes an invalid model (%s)", path,
                reason);
        goto err;
    }
    model = nn_model_build(&spec, init_seed, err);
    if (!model)
        goto err;
    if (n_params != model->n_params) {
        nn_fail(err, NN_ERR_DATA, "%s is damaged: it holds %llu weights but its %s model has "
                "%zu", path, (unsigned long long)n_params, nn_model_type_name(spec.type),
                model->n_params);
        goto err;
    }
    if (check_count(&r, n_params, 4, path, "weights", err) != 0)
        goto err;
    get_floats(&r, model->params, model->n_params);
    if (get_training_state(&r, model, path, err) != 0 || get_history(&r, model, path, err) != 0)
        goto err;
    if (r.short_read || r.at != r.size) {
        nn_fail(err, NN_ERR_DATA, "%s is damaged: its fields do not fill the %zu bytes of data "
                "exactly", path, r.size);
        goto err;
    }

    free(data);
    *s = settings;
    return model;

err:
    nn_model_free(model);
    free(data);
    return NULL;
}
