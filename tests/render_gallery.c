/* render_gallery.c: writes one PNG of every kind render/ draws, for looking at by eye.
 *
 * Usage: render_gallery [DIRECTORY]   (default tests/out/gallery, created if missing)
 *
 * Besides the PNGs it writes table.html and table.txt, a model summary as HTML and text.
 *
 * The data are synthetic but shaped like nnscope's real outputs: a noisy falling loss
 * over 10,000 batches, softmax probabilities, Gaussian weights, digit-like strokes,
 * 5x5 filters and a confusion matrix with a strong diagonal. Built by `make check` but
 * not run by it, because judging legibility needs a person.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render/render.h"
#include "render_lsan.h"

static const char *directory = "tests/out/gallery";
static int failures;

/* A small linear congruential generator, so the gallery is the same on every run. */
static unsigned long long random_state = 12345;

static double uniform(void)
{
    random_state = random_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(random_state >> 11) / 9007199254740992.0;
}

static double gaussian(void)
{
    double u = uniform() + 1e-12, v = uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void save(const char *name, int status, render_png *png, const render_error *err)
{
    char path[512];

    if (status < 0) {
        fprintf(stderr, "%s: %s\n", name, err->message);
        failures++;
        return;
    }
    snprintf(path, sizeof path, "%s/%s.png", directory, name);
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(png->data, 1, png->size, file) != png->size) {
        fprintf(stderr, "%s: cannot write %s: %s\n", name, path, strerror(errno));
        failures++;
    } else {
        printf("%s (%dx%d, %zu bytes)\n", path, png->width, png->height, png->size);
    }
    if (file)
        fclose(file);
}

/*** line charts ***/

static void training_curves(const char *name, size_t batches, size_t epochs)
{
    double *x = malloc(batches * sizeof *x), *loss = malloc(batches * sizeof *loss);
    double *accuracy = malloc(batches * sizeof *accuracy);
    double epoch_x[32], val_loss[32], val_accuracy[32];
    render_png png = {0};
    render_error err;

    /* x counts epochs, as the train command plots it: batch i of an epoch of B batches
     * is at epoch i / B. */
    for (size_t i = 0; i < batches; i++) {
        double progress = (double)i / (batches > 1 ? batches - 1 : 1);
        x[i] = (double)i * epochs / batches;
        loss[i] = (0.08 + 2.2 * exp(-6 * progress)) * exp(0.35 * gaussian());
        accuracy[i] = fmin(1, 0.97 - 0.87 * exp(-7 * progress) + 0.03 * gaussian());
    }
    if (batches > 50) {
        loss[batches / 3] = NAN; /* a gap, as when a batch produced no metric */
        accuracy[batches / 3] = NAN;
    }
    for (size_t e = 0; e < epochs; e++) {
        double progress = (double)(e + 1) / epochs;
        epoch_x[e] = (double)(e + 1);
        val_loss[e] = 0.3 + 1.6 * exp(-5 * progress);
        val_accuracy[e] = 0.96 - 0.5 * exp(-6 * progress);
    }

    render_series loss_series[] = {{"training (per batch)", x, loss, batches, 0},
                                   {"validation (per epoch)", epoch_x, val_loss, epochs, 1}};
    render_series accuracy_series[] = {{"training (per batch)", x, accuracy, batches, 0},
                                       {"validation (per epoch)", epoch_x, val_accuracy, epochs, 1}};
    render_line_chart charts[] = {
        {"Loss of model dense", "epoch", "cross-entropy loss", loss_series, 2, 0, NAN},
        {"Accuracy of model dense", "epoch", "accuracy", accuracy_series, 2, 0, 1},
    };
    save(name, render_line_charts(charts, 2, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);
    free(x);
    free(loss);
    free(accuracy);
}

/*** bars and histograms ***/

static void probabilities(void)
{
    static const char *const labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double values[] = {0.001, 0.002, 0.013, 0.041, 0.003, 0.010, 0.0005, 0.874, 0.006, 0.0495};
    render_bar_chart chart = {"Prediction: 7 (87.4%)", "class", "probability", labels, values,
                              10, 7, 0, 1, 1};
    render_png png = {0};
    render_error err;

    save("bar_probabilities", render_bar_chart_png(&chart, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);
}

static void class_counts(void)
{
    static const char *const labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double values[] = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    render_bar_chart chart = {"Training images per class", "digit", "images", labels, values,
                              10, -1, NAN, NAN, 1};
    render_png png = {0};
    render_error err;

    save("bar_counts", render_bar_chart_png(&chart, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);
}

/* 128 unit activations, some negative, labelled every 8th unit as the show command does. */
static void unit_activations(void)
{
    double values[128];
    char label_text[128][8];
    const char *labels[128];
    render_png png = {0};
    render_error err;

    for (int u = 0; u < 128; u++) {
        values[u] = 1.5 * gaussian();
        if (u % 8 == 0)
            snprintf(label_text[u], sizeof label_text[u], "%d", u);
        else
            label_text[u][0] = '\0';
        labels[u] = label_text[u];
    }
    render_bar_chart chart = {"Activations of dense_Dense1", "unit", "activation", labels, values,
                              128, -1, NAN, NAN, 0};
    save("bar_units", render_bar_chart_png(&chart, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);
}

static void histograms(void)
{
    size_t n = 784 * 32;
    float *weights = malloc(n * sizeof *weights);
    render_histogram_data h;
    render_png png = {0};
    render_error err;

    for (size_t i = 0; i < n; i++)
        weights[i] = (float)(0.05 * gaussian());
    weights[10] = NAN;
    render_histogram_compute(weights, n, 0, &h, &err);
    save("histogram", render_histogram_png("dense_Dense1/kernel", &h, 0, 0, &png, &err), &png, &err);
    render_histogram_data_free(&h);
    render_png_free(&png);

    for (size_t i = 0; i < 10; i++)
        weights[i] = 0;
    render_histogram_compute(weights, 10, 0, &h, &err);
    save("histogram_equal", render_histogram_png("dense_Dense1/bias", &h, 0, 0, &png, &err), &png,
         &err);
    render_histogram_data_free(&h);
    render_png_free(&png);
    free(weights);
}

/*** images ***/

/* Draws a thick stroke from (r0, c0) to (r1, c1) into a 28x28 image. */
static void stroke(float *image, double r0, double c0, double r1, double c1)
{
    for (int step = 0; step <= 40; step++) {
        double t = step / 40.0, r = r0 + t * (r1 - r0), c = c0 + t * (c1 - c0);
        for (int dr = -2; dr <= 2; dr++)
            for (int dc = -2; dc <= 2; dc++) {
                int rr = (int)lround(r) + dr, cc = (int)lround(c) + dc;
                double d = sqrt(dr * dr + dc * dc);
                if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28 && d <= 2.2)
                    image[rr * 28 + cc] = fmaxf(image[rr * 28 + cc], (float)(1 - d / 3));
            }
    }
}

static void samples(void)
{
    float digits[10][784] = {{0}};
    const float *images[10];
    static const char *const captions[] = {"label 7", "label 1", "label 4", "label 0", "label 9",
                                           "label 2", "label 3", "label 5", "label 6", "label 8"};
    render_png png = {0};
    render_error err;

    for (int i = 0; i < 10; i++) {
        double a = 5 + uniform() * 4, b = 20 + uniform() * 3;
        stroke(digits[i], a, 7, a, 20);
        stroke(digits[i], a, 20, b, 10 + i);
        images[i] = digits[i];
    }
    render_image_grid grid = {"Training samples", images, 10, 28, 28, 0, captions,
                              RENDER_CMAP_GREY_INK, 0, 1, 0, 0, 0};
    save("grid_samples", render_image_grid_png(&grid, &png, &err), &png, &err);
    render_png_free(&png);
}

static void first_layer_weights(void)
{
    static float weights[32][784];
    const float *images[32];
    char caption_text[32][16];
    const char *captions[32];
    render_png png = {0};
    render_error err;

    for (int u = 0; u < 32; u++) {
        for (int p = 0; p < 784; p++) {
            int r = p / 28, c = p % 28;
            double blob = exp(-((r - 14 - 6 * sin(u)) * (r - 14 - 6 * sin(u)) +
                                (c - 14 - 6 * cos(u)) * (c - 14 - 6 * cos(u))) / 40.0);
            weights[u][p] = (float)(0.08 * (u % 2 ? blob : -blob) + 0.02 * gaussian());
        }
        snprintf(caption_text[u], sizeof caption_text[u], "unit %d", u);
        captions[u] = caption_text[u];
        images[u] = weights[u];
    }
    render_image_grid grid = {"Weights of dense_Dense1 in model dense", images, 32, 28, 28, 16,
                              captions, RENDER_CMAP_DIVERGING, 0, 0, 1, 0, 0};
    save("grid_weights", render_image_grid_png(&grid, &png, &err), &png, &err);
    render_png_free(&png);
}

static void filters(void)
{
    static float kernels[8][25];
    const float *images[8];
    static const char *const captions[] = {"filter 0", "filter 1", "filter 2", "filter 3",
                                           "filter 4", "filter 5", "filter 6", "filter 7"};
    render_png png = {0};
    render_error err;

    for (int f = 0; f < 8; f++) {
        for (int p = 0; p < 25; p++)
            kernels[f][p] = (float)(0.3 * gaussian() + (p % 5 < f % 5 ? 0.2 : -0.2));
        images[f] = kernels[f];
    }
    render_image_grid grid = {"conv2d_Conv2D1/kernel: 5x5 filters", images, 8, 5, 5, 0, captions,
                              RENDER_CMAP_DIVERGING, 0, 0, 1, 0, 0};
    save("grid_filters", render_image_grid_png(&grid, &png, &err), &png, &err);
    render_png_free(&png);
}

static void activations(render_png *input_png, render_png *maps_png)
{
    static float input[784], maps[8][24 * 24];
    const float *images[8], *input_images[1] = {input};
    static const char *const captions[] = {"map 0", "map 1", "map 2", "map 3",
                                           "map 4", "map 5", "map 6", "map 7"};
    static const char *const input_caption[] = {"input (label 7)"};
    render_error err;

    stroke(input, 6, 7, 6, 20);
    stroke(input, 6, 20, 22, 11);
    for (int m = 0; m < 8; m++) {
        for (int p = 0; p < 576; p++) {
            int r = p / 24 + 2, c = p % 24 + 2;
            double response = input[r * 28 + c] * (m % 3 + 1) - 0.4 * input[(r - 2) * 28 + c + m % 3];
            maps[m][p] = (float)fmax(0, response);
        }
        images[m] = maps[m];
    }

    render_image_grid input_grid = {"Input", input_images, 1, 28, 28, 0, input_caption,
                                    RENDER_CMAP_GREY_INK, 0, 1, 0, 84, 0};
    save("grid_input", render_image_grid_png(&input_grid, input_png, &err), input_png, &err);
    render_image_grid grid = {"conv2d_Conv2D1 activations", images, 8, 24, 24, 8, captions,
                              RENDER_CMAP_VIRIDIS, 0, 3, 1, 96, 0};
    save("grid_activations", render_image_grid_png(&grid, maps_png, &err), maps_png, &err);
}

static void confusion(void)
{
    static const char *const labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double counts[100];
    render_png png = {0};
    render_error err;

    for (int t = 0; t < 10; t++)
        for (int p = 0; p < 10; p++)
            counts[t * 10 + p] = t == p ? 950 + floor(uniform() * 180)
                                        : floor(pow(uniform(), 6) * 40);
    render_heatmap map = {"Confusion matrix (validation)", "predicted label", "true label",
                          counts, 10, 10, labels, labels, RENDER_CMAP_VIRIDIS, 1, "%.0f", 1};
    save("heatmap_confusion", render_heatmap_png(&map, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);
}

static void dense_kernel(void)
{
    static const char *const labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double kernel[100];
    render_png png = {0};
    render_error err;

    for (int i = 0; i < 100; i++)
        kernel[i] = 0.3 * gaussian() + (i % 11 == 0 ? 0.5 : 0);
    render_heatmap map = {"Weights of dense_Dense2 in model deep", "unit of this layer",
                          "input unit", kernel, 10, 10, labels, labels, RENDER_CMAP_DIVERGING, 1,
                          "%.2f", 1};
    save("heatmap_kernel", render_heatmap_png(&map, 0, 0, &png, &err), &png, &err);
    render_png_free(&png);

    /* A 128x10 kernel without labels, as the show command draws an MLP's output layer. */
    double tall[1280];
    for (int i = 0; i < 1280; i++)
        tall[i] = 0.1 * gaussian();
    render_heatmap tall_map = {"Weights of dense_Dense2 in model mlp", "unit of this layer",
                               "input unit", tall, 128, 10, NULL, NULL, RENDER_CMAP_DIVERGING, 0,
                               "%.2f", 1};
    save("heatmap_tall", render_heatmap_png(&tall_map, 0, 720, &png, &err), &png, &err);
    render_png_free(&png);
}

/* Writes text to DIRECTORY/name. */
static void save_text(const char *name, char *text)
{
    char path[512];

    if (!text) {
        fprintf(stderr, "%s: out of memory\n", name);
        failures++;
        return;
    }
    snprintf(path, sizeof path, "%s/%s", directory, name);
    FILE *file = fopen(path, "w");
    if (!file || fputs(text, file) < 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", name, path, strerror(errno));
        failures++;
    } else {
        printf("%s\n", path);
    }
    if (file)
        fclose(file);
    free(text);
}

/* A model summary as the summary command shows it, with a caption that needs escaping. */
static void tables(void)
{
    static const char *const headers[] = {"Layer (type)", "Output shape", "Param #"};
    static const char *const cells[] = {
        "flatten_Flatten1 (Flatten)", "[batch,784]", "0",
        "dense_Dense1 (Dense)", "[batch,32]", "25,120",
        "dense_Dense2 (Dense)", "[batch,10]", "330",
    };
    render_table table = {"Model \"dense\" <2 layers> & softmax", headers, NULL, cells, 3, 3,
                          "Total params: 25,450"};

    save_text("table.html", render_table_html(&table));
    save_text("table.txt", render_table_text(&table));
}

static void stack(void)
{
    render_png parts[2] = {{0}}, png = {0};
    render_error err;

    activations(&parts[0], &parts[1]);
    save("stack", render_png_stack(parts, 2, &png, &err), &png, &err);
    render_png_free(&parts[0]);
    render_png_free(&parts[1]);
    render_png_free(&png);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        directory = argv[1];
    if (mkdir(directory, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s: %s (create its parent or pass another directory)\n",
                directory, strerror(errno));
        return 1;
    }

    training_curves("line_training", 10000, 5);
    training_curves("line_one_point", 1, 1);
    probabilities();
    class_counts();
    unit_activations();
    histograms();
    samples();
    first_layer_weights();
    filters();
    confusion();
    dense_kernel();
    stack();
    tables();
    return failures ? 1 : 0;
}
