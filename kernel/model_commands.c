/* model_commands.c: the table of model commands (data, build, train, ...).
 *
 * The kernel's dispatcher looks commands up here after its own core table. Each entry's
 * run function lives in a cmd_*.c file of its own; the table is terminated by an entry
 * whose name is NULL. The option help lines are what `help COMMAND` and Shift-Tab show,
 * so each states what the option sets, its unit or range, and its default.
 */
#include "model_commands.h"
#include "session.h"

static const jk_option_help data_options[] = {
    {"train", "training images used by train (integer >= 1, default 5500); changes the setting"},
    {"test", "test images scored by evaluate (integer >= 1, default 1000); changes the setting"},
    {"val", "validation images held out of the training pool (integer >= 0, default 500)"},
    {"path", "directory with the four MNIST IDX files, for `data mnist` (default: the "
             "converted digits, or $NNSCOPE_MNIST_DIR)"},
    {NULL, NULL},
};

static const jk_option_help samples_options[] = {
    {"label", "show only images of this class (0-9, default all classes)"},
    {"from", "train or test: which set to draw from (default train)"},
    {NULL, NULL},
};

static const jk_option_help build_options[] = {
    {"name", "name of the model in this session (default the type: basic, conv or mlp); "
             "building a name again replaces that model"},
    {"layers", "basic: dense layers including the 10-unit output layer (1-9, default 1)"},
    {"units", "basic: units of each hidden layer (default 10)"},
    {"activation", "basic, mlp: hidden activation, relu, sigmoid, tanh or linear (default "
                   "sigmoid for basic, relu for mlp)"},
    {"filters", "conv: filters of the two conv layers, comma-separated (default 8,16)"},
    {"kernel", "conv: side of the square conv kernels in pixels (1-5, default 5)"},
    {"hidden", "mlp: units per hidden layer, comma-separated, e.g. 128,64 (up to 8 layers)"},
    {"dropout", "mlp: dropout rate after each hidden layer (0-0.95, default 0, no dropout)"},
    {"seed", "seed of the initial weights for this build (default the session's seed)"},
    {NULL, NULL},
};

static const jk_option_help histogram_options[] = {
    {"bins", "number of equal-width bins (2-200, default 30)"},
    {NULL, NULL},
};

static const jk_option_help evaluate_options[] = {
    {"test", "test images to score for this run (default the setting, 1000)"},
    {"seed", "seed that picks the test images for this run (default the session's seed)"},
    {NULL, NULL},
};

static const jk_option_help input_options[] = {
    {"sample", "index of a test image (0 to the test set size - 1)"},
    {"file", "path of a PNG of a digit, any size, grey or colour, dark on light or light on "
             "dark; cropped, scaled into 20x20 and centred in 28x28 like MNIST"},
    {NULL, NULL},
};

static const jk_option_help load_options[] = {
    {"name", "name of the loaded model in this session (default the file name without its "
             "extension)"},
    {NULL, NULL},
};

const jk_command_spec jk_model_commands[] = {
    {"data", "data [mnist|fashion|PATH] [train=N] [test=N] [path=DIR]",
     "Load a dataset and show its images per class with random samples.",
     "Loads mnist (the default, loaded by the first command that needs data), fashion "
     "(Fashion-MNIST) or a directory of the four IDX files, and shows a table of images per "
     "class in the training and test sets and 12 random training images. train= and test= "
     "change the session's settings.",
     data_options, jk_cmd_data, NULL},
    {"samples", "samples [N] [label=D] [from=train|test]",
     "Show N random images of the dataset with their labels (default 12).",
     "Each call shows new images; the sequence is fixed by the seed. N is at most 100.",
     samples_options, jk_cmd_samples, NULL},
    {"set", "set [lr=X] [epochs=N] [batch=N] [train=N] [test=N] [val=N] [optimizer=adam|sgd|momentum] [seed=N] [threads=N]",
     "Change the training settings, or show them when no option is given.",
     "Settings last for the session. The same options given to train apply to that run only. "
     "Values that usually train badly (such as lr above 1) are accepted with a warning.",
     jk_settings_help, jk_cmd_set, NULL},
    {"build", "build basic|conv|mlp [options] [name=NAME]",
     "Create and initialise a model and make it the current one.",
     "basic: flatten, then `layers` dense layers (default 1: softmax regression, 7,850 "
     "parameters). conv: two 5x5 conv layers with 8 and 16 filters, each followed by 2x2 max "
     "pooling, then dense 10. mlp: dense hidden layers of the given sizes. Shows the "
     "architecture table.",
     build_options, jk_cmd_build, NULL},
    {"models", "models", "List the models of this session.",
     "Shows each model's type, parameters, epochs trained and test accuracy; * marks the "
     "current one.",
     NULL, jk_cmd_models, NULL},
    {"use", "use NAME", "Make the model NAME the current one.", NULL, NULL, jk_cmd_use,
     jk_complete_model},
    {"summary", "summary", "Show the architecture table of the current model.",
     "Layer names, output shapes ([batch,...]), parameter counts and whether each layer "
     "is trainable, with the total below.",
     NULL, jk_cmd_summary, NULL},
    {"weights", "weights", "Show a table of every weight with min, max, zeros, NaNs and infinities.",
     NULL, NULL, jk_cmd_weights, NULL},
    {"histogram", "histogram WEIGHT|all [bins=N]",
     "Show the distribution of a weight's values as a histogram.",
     "WEIGHT is a name from `weights`, such as dense_Dense1/kernel (Tab completes it); all "
     "draws every weight.",
     histogram_options, jk_cmd_histogram, jk_complete_weight},
    {"train", "train [epochs=N] [lr=X] [batch=N] [and any other setting]",
     "Train the current model with live loss and accuracy charts.",
     "Continues from the current weights. Options apply to this run only. The charts show "
     "the training loss and accuracy per batch and the validation values per epoch; the "
     "first-layer weights refresh after every epoch. Interrupting keeps the model, which can "
     "train on.",
     jk_settings_help, jk_cmd_train, NULL},
    {"evaluate", "evaluate [test=N]",
     "Score the current model on the test images: loss, accuracy and confusion matrix.",
     NULL, evaluate_options, jk_cmd_evaluate, NULL},
    {"show", "show weights [LAYER] | show activations [sample=N|file=PNG]",
     "Draw a layer's weights, or the activations of every layer for one image.",
     "show weights draws the first layer with weights unless LAYER is given: a dense layer "
     "on the pixels as one 28x28 image per unit, conv layers as filter grids, a later dense "
     "layer as a heatmap. show activations draws the input, the feature maps of every conv "
     "and pooling layer and the units of dense layers as bar charts (default test image 0).",
     input_options, jk_cmd_show, jk_complete_show},
    {"predict", "predict sample=N | file=PNG",
     "Show the class probabilities of the current model for one image.",
     "Draws the 28x28 input as the model sees it and a bar chart of the 10 probabilities "
     "with the predicted class highlighted.",
     input_options, jk_cmd_predict, NULL},
    {"save", "save PATH", "Save the current model, its history and the settings to a file.",
     "Writes to a temporary file and renames it, so PATH is never left half-written.", NULL,
     jk_cmd_save, NULL},
    {"load", "load PATH [name=NAME]", "Load a saved model and its settings and make it current.",
     "A file that cannot be read leaves the current model and settings as they were.",
     load_options, jk_cmd_load, NULL},
    {"reset", "reset", "Drop the current model; data and settings stay.", NULL, NULL,
     jk_cmd_reset, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
