/* nn.h: the nnscope neural-network engine.
 *
 * A small, self-contained engine for the networks students train in nnscope: dense and
 * convolutional classifiers on 28x28 grey images with 10 classes. It knows nothing of
 * Jupyter: it never prints and never exits. Every fallible call returns 0 on success and
 * -1 on failure, after filling an nn_error whose message names the value and the fix.
 *
 * Ownership: a pointer returned by a *_new, *_build or *_load function is owned by the
 * caller and released with the matching *_free. Views (nn_layer_info, nn_weight_view)
 * point into the model and stay valid until the model is freed or rebuilt.
 */
#ifndef NN_H
#define NN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*** errors ***/

typedef enum {
    NN_ERR_NONE = 0,
    NN_ERR_ARGUMENT,     /* a setting or option out of range */
    NN_ERR_DATA,         /* a data file missing, truncated, damaged or foreign */
    NN_ERR_IO,           /* reading or writing a file failed */
    NN_ERR_MODEL,        /* the model cannot do this (wrong kind, no such weight) */
    NN_ERR_DIVERGED,     /* the loss or a weight became NaN or infinite */
    NN_ERR_INTERRUPTED,  /* the stop flag was raised; the model is consistent */
    NN_ERR_MEMORY
} nn_error_code;

typedef struct {
    nn_error_code code;
    char message[512]; /* one or two sentences: what failed, on which value, what to do */
} nn_error;

/*** datasets ***/

#define NN_IMAGE_SIDE 28
#define NN_IMAGE_PIXELS (NN_IMAGE_SIDE * NN_IMAGE_SIDE)
#define NN_CLASSES 10

/* A dataset keeps its images as bytes (0..255) and scales them to [0,1] per batch. */
typedef struct {
    char name[64];                        /* "mnist", "fashion" or the directory given */
    char source[1024];                    /* directory the IDX files came from */
    uint8_t *train_images, *train_labels; /* n_train * 784 and n_train bytes */
    size_t n_train;
    uint8_t *test_images, *test_labels;
    size_t n_test;
    const char *class_names[NN_CLASSES];  /* "0".."9", or Fashion-MNIST's names */
} nn_dataset;

/* Loads the four standard IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz) from dir.
 * name sets ds->name and chooses the class names ("fashion" gives Fashion-MNIST's).
 * A missing, truncated or foreign file, images other than 28x28, image and label counts
 * that differ, or a label outside 0..9 fail with NN_ERR_DATA and a message naming the file. */
int nn_dataset_load_dir(nn_dataset *ds, const char *dir, const char *name, nn_error *err);
void nn_dataset_free(nn_dataset *ds);

/* One IDX file: magic, dimensions and bytes, checked against the file's length. */
typedef struct {
    int ndim;
    uint32_t dims[4];
    uint8_t *data;
    size_t size; /* product of dims */
} nn_idx;

int nn_idx_load(const char *path, nn_idx *out, nn_error *err);
int nn_idx_save(const char *path, const nn_idx *idx, nn_error *err);
void nn_idx_free(nn_idx *idx);

/*** random streams ***/

/* Each purpose draws from its own stream derived from the user's seed, so that, for
 * example, showing samples never changes how training shuffles. */
typedef enum {
    NN_STREAM_INIT,
    NN_STREAM_SUBSET,
    NN_STREAM_VALIDATION,
    NN_STREAM_SHUFFLE,
    NN_STREAM_DROPOUT,
    NN_STREAM_SAMPLES
} nn_stream;

typedef struct {
    uint64_t state[4];
} nn_rng;

void nn_rng_seed(nn_rng *rng, uint64_t seed, nn_stream stream);
uint64_t nn_rng_next(nn_rng *rng);
double nn_rng_uniform(nn_rng *rng);           /* [0,1) */
uint64_t nn_rng_below(nn_rng *rng, uint64_t n); /* [0,n), unbiased */

/*** settings and subsets ***/

typedef enum { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_ADAM } nn_optimizer_kind;

typedef struct {
    double learning_rate; /* default 0.01 */
    int epochs;           /* default 5 */
    int batch_size;       /* default 512 */
    int n_train;          /* images trained on, default 5500 */
    int n_test;           /* images scored by nn_evaluate, default 1000 */
    int n_val;            /* images held out of the training pool for validation, default 500 */
    nn_optimizer_kind optimizer; /* default adam */
    uint64_t seed;        /* default NN_DEFAULT_SEED */
    int threads;          /* 0 means all cores */
} nn_settings;

#define NN_DEFAULT_SEED 42

void nn_settings_default(nn_settings *s);
/* Checks every setting against the dataset (train + val within the training pool, test
 * within the test set, batch no larger than train); NULL ds checks ranges only. */
int nn_settings_check(const nn_settings *s, const nn_dataset *ds, nn_error *err);

/* Indices into the dataset chosen by the seed: train and val are disjoint parts of the
 * training pool, test comes from the test set. */
typedef struct {
    uint32_t *train, *val, *test;
    size_t n_train, n_val, n_test;
} nn_subsets;

int nn_subsets_make(nn_subsets *out, const nn_dataset *ds, const nn_settings *s, nn_error *err);
void nn_subsets_free(nn_subsets *sub);

/*** models ***/

typedef enum { NN_MODEL_BASIC, NN_MODEL_CONV, NN_MODEL_MLP } nn_model_type;
typedef enum { NN_ACT_LINEAR, NN_ACT_RELU, NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_SOFTMAX } nn_activation;
typedef enum {
    NN_LAYER_FLATTEN,
    NN_LAYER_DENSE,
    NN_LAYER_CONV2D,
    NN_LAYER_MAX_POOLING2D,
    NN_LAYER_DROPOUT
} nn_layer_kind;

#define NN_MAX_HIDDEN 8

typedef struct {
    nn_model_type type;
    /* basic */
    int layers;                /* dense layers including the output layer, default 1 */
    int units;                 /* units of each hidden layer, default 10 */
    nn_activation activation;  /* hidden activation: basic default sigmoid, mlp default relu */
    /* conv */
    int filters[2];            /* default 8,16 */
    int kernel_size;           /* default 5 */
    /* mlp */
    int hidden[NN_MAX_HIDDEN]; /* units per hidden layer, e.g. 128,64 */
    int n_hidden;
    double dropout;            /* rate after each hidden layer, 0 means no dropout layer */
} nn_model_spec;

/* Fills spec with the defaults of type. */
void nn_model_spec_default(nn_model_spec *spec, nn_model_type type);

typedef struct nn_model nn_model;

/* Builds and initialises a model (Glorot uniform dense kernels, fan-in truncated normal
 * conv kernels, zero biases) from the NN_STREAM_INIT stream of seed. */
nn_model *nn_model_build(const nn_model_spec *spec, uint64_t seed, nn_error *err);
void nn_model_free(nn_model *model);
const nn_model_spec *nn_model_get_spec(const nn_model *model);
const char *nn_model_type_name(nn_model_type type);       /* "basic", "conv", "mlp" */
const char *nn_activation_name(nn_activation activation); /* "relu", ... */
size_t nn_model_param_count(const nn_model *model);

typedef struct {
    const char *name;      /* Keras / TensorFlow.js style: "dense_Dense1", "conv2d_Conv2D1" */
    nn_layer_kind kind;
    nn_activation activation;
    int output_shape[3];   /* without the batch axis, Keras order (h, w, c) or (units) */
    int output_ndim;
    size_t params;
    int trainable;         /* 1 when the layer has weights */
} nn_layer_info;

size_t nn_model_layer_count(const nn_model *model);
const nn_layer_info *nn_model_layer(const nn_model *model, size_t index);

typedef struct {
    const char *name;  /* "dense_Dense1/kernel", "dense_Dense1/bias" */
    size_t layer;      /* index of the owning layer */
    int shape[4];      /* Keras order: dense kernel [in, out], conv kernel [kh, kw, in, out] */
    int ndim;
    size_t count;
    const float *data; /* the engine's own layout; use nn_weight_copy_keras for Keras order */
} nn_weight_view;

size_t nn_model_weight_count(const nn_model *model);
const nn_weight_view *nn_model_weight(const nn_model *model, size_t index);
/* Returns the index of the weight called name, or -1. */
long nn_model_find_weight(const nn_model *model, const char *name);
/* Copies a weight into out (view->count floats) in Keras order. */
void nn_weight_copy_keras(const nn_model *model, size_t index, float *out);

typedef struct {
    double min, max, mean, stddev; /* over finite values only */
    size_t count, zeros, nans, infinities;
} nn_weight_stats;

void nn_weight_stats_compute(const float *values, size_t n, nn_weight_stats *out);

/*** training ***/

typedef struct {
    int epoch, epochs;          /* 1-based epoch of this run */
    int batch, batches;         /* 1-based batch within the epoch */
    long step;                  /* batches trained by this model over its whole life */
    double loss, accuracy;      /* of this batch */
} nn_batch_report;

typedef struct {
    int epoch, epochs;
    double loss, accuracy;         /* mean over the epoch's images */
    double val_loss, val_accuracy; /* on the held-out validation images; NaN when val is 0 */
    double seconds;                /* wall time of the epoch */
} nn_epoch_report;

typedef struct {
    /* Called after every batch and every epoch; return non-zero to stop after this batch. */
    int (*on_batch)(void *user, const nn_batch_report *report);
    int (*on_epoch)(void *user, const nn_epoch_report *report);
    void *user;
    /* Checked between batches; set asynchronously (for example by a SIGINT handler). */
    volatile sig_atomic_t *stop_flag;
} nn_train_callbacks;

/* Trains for s->epochs epochs, continuing from the current weights. On NN_ERR_INTERRUPTED
 * the model holds the weights after the last completed batch and can keep training. On
 * NN_ERR_DIVERGED the weights from before the failing batch are restored. A change of
 * optimizer kind resets the optimizer state. */
int nn_train(nn_model *model, const nn_dataset *ds, const nn_settings *s,
             const nn_train_callbacks *callbacks, nn_error *err);

/* Training history kept with the model, so curves can be redrawn after a load. */
typedef struct {
    const nn_batch_report *batches;
    size_t n_batches;
    const nn_epoch_report *epochs;
    size_t n_epochs;
    int epochs_trained;
} nn_history;

void nn_model_history(const nn_model *model, nn_history *out);

/*** evaluation and inference ***/

typedef struct {
    double loss, accuracy;
    size_t count;
    uint32_t confusion[NN_CLASSES][NN_CLASSES]; /* [true label][predicted label] */
} nn_evaluation;

/* Scores the test subset chosen by s (first s->n_test images of the seeded shuffle). */
int nn_evaluate(nn_model *model, const nn_dataset *ds, const nn_settings *s,
                nn_evaluation *out, nn_error *err);

/* Class probabilities for one image of 784 values in [0,1]. */
int nn_predict(nn_model *model, const float *image, float probs[NN_CLASSES], nn_error *err);

/* The output of every layer for one image; layer i's values are at values[i] with the
 * layer's output_shape (Keras order, h*w*c laid out channel-last). */
typedef struct {
    size_t n_layers;
    float **values;
    size_t *counts;
} nn_activations;

int nn_model_activations(nn_model *model, const float *image, nn_activations *out, nn_error *err);
void nn_activations_free(nn_activations *acts);

/* Gradient with respect to the 784 input pixels of either the cross-entropy loss for
 * label (target = NN_GRAD_LOSS) or the logit of class target (0..9). */
#define NN_GRAD_LOSS (-1)
int nn_input_gradient(nn_model *model, const float *image, int label, int target,
                      float *grad, nn_error *err);

/*** save and load ***/

/* Writes architecture, weights, optimizer state, settings, seed and history to path
 * through a temporary file and a rename, so a failure never leaves a half-written file. */
int nn_model_save(const nn_model *model, const nn_settings *s, const char *path, nn_error *err);
/* Reads a file written by nn_model_save, checking magic, version, sizes and checksum.
 * On failure nothing is returned and the caller's model is untouched. */
nn_model *nn_model_load(const char *path, nn_settings *s, nn_error *err);

/*** threads ***/

/* Sets the engine's thread count; 0 means all online cores. Each batch is split across
 * these threads, and BLAS runs single-threaded inside each of them. */
void nn_set_threads(int threads);
int nn_get_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* NN_H */
