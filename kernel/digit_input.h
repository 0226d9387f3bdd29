/* digit_input.h: the input image of predict and show activations.
 *
 * An input is either a test image of the dataset (sample=N) or a PNG file (file=PATH)
 * turned into a 28x28 digit the way MNIST was made: crop to the ink, scale the crop to fit
 * 20x20 keeping its aspect ratio, and place it in 28x28 with its centre of mass at the
 * centre.
 */
#ifndef JK_DIGIT_INPUT_H
#define JK_DIGIT_INPUT_H

#include "command.h"
#include "nn/nn.h"
#include "render/render.h"

typedef struct {
    float pixels[NN_IMAGE_PIXELS]; /* ink in [0,1], row-major */
    int label;                     /* true label for sample=N, -1 for a file */
    long sample;                   /* test-set index, or -1 */
    char description[1200];        /* "test image 12 (label 7)" or "file digit.png (640x480)" */
} jk_digit_input;

/* Reads sample= or file= from cmd (exactly one must be given). Returns 0, or -1 after
 * jk_fail (OptionError for the options, DataError for an unreadable or empty PNG). */
int jk_digit_input_read(jk_exec *ex, const jk_command *cmd, const nn_dataset *ds,
                        jk_digit_input *out);

/* Converts a PNG file to a 28x28 MNIST-style digit. Returns 0, or -1 with message filled
 * (the file cannot be read as PNG, or it shows no ink). size_out receives the file's
 * width and height. */
int jk_digit_from_png(const char *path, float pixels[NN_IMAGE_PIXELS], int size_out[2],
                      char *message, size_t message_size);

/* Draws the 28x28 input that the model receives, as dark ink on white. Each pixel is cell
 * screen pixels wide, and the picture at most max_width wide (0 for render's default). */
int jk_digit_input_png(const float pixels[NN_IMAGE_PIXELS], const char *title, int cell,
                       int max_width, render_png *out, render_error *err);

#endif /* JK_DIGIT_INPUT_H */
