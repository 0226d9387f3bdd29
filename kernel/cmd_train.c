/* cmd_train.c: `train`, with a live display of the loss and accuracy curves.
 *
 * The live outputs are display_data messages with a display_id, updated in place with
 * update_display_data at least LIVE_UPDATE_SECONDS apart. jupyter-console ignores those
 * updates, so when training stops the curves, the first-layer weights and the confusion
 * matrix on the validation images are sent again as ordinary outputs, and the live
 * outputs are removed first (see close_live_outputs).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

/* About four updates a second keeps Notebook's iopub message rate limit far away. */
#define LIVE_UPDATE_SECONDS 0.25
/* Notebook 6 (6.4.12 checked) drops output beyond iopub_data_rate_limit, by default
 * 1 MB/s averaged over rate_limit_window, 3 s. Each live output may send this many bytes a second, so a large picture (the
 * 128 weight images of an mlp are about 0.5 MB in base64) is refreshed less often. */
#define LIVE_BYTES_PER_SECOND 200000.0
#define CHART_WIDTH 900
#define CHART_HEIGHT 330
#define PROGRESS_BAR_WIDTH 20

typedef struct {
    double *x, *loss, *accuracy;
    size_t n, capacity;
} curve;

/* One live output: its display id and when it may be updated next. */
typedef struct {
    char id[37];
    double next_update; /* monotonic seconds */
} live_output;

typedef struct {
    jk_exec *ex;
    nn_model *model;
    const char *model_name;
    const nn_settings *settings;
    long weighted_layer;       /* first layer with a kernel, or -1 */
    double epoch_offset;       /* epochs trained before this run, for the x axis */
    curve batches, epochs;     /* x in epochs over the model's life */
    live_output chart, weights; /* the two live outputs */
    int weights_live;          /* 1 when the weights output was sent */
    size_t outputs_before_live, outputs_with_live; /* jk_output_count around their start */
    double started;
    nn_batch_report last_batch;
    int have_batch;
    nn_epoch_report last_epoch;
    int have_epoch;
    double epoch_loss_sum, epoch_accuracy_sum; /* running means shown in the progress line */
    int epoch_batches;
    double first_batch_loss;   /* loss of this run's first batch, before any update */
    int warned_explosion;
} train_display;

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Returns the size of the bundle's image/png in bytes of base64, or a small estimate for
 * text only. */
static double bundle_bytes(json_t *bundle)
{
    json_t *png = json_object_get(bundle, "image/png");

    return png ? (double)json_string_length(png) : 1000.0;
}

/* Sends bundle as a display (first) or update of output, and sets when the next update
 * may go out: LIVE_UPDATE_SECONDS later, or later still for a large picture. */
static void live_send(jk_exec *ex, live_output *output, json_t *bundle, int first)
{
    double wait = bundle_bytes(bundle) / LIVE_BYTES_PER_SECOND;

    if (wait < LIVE_UPDATE_SECONDS)
        wait = LIVE_UPDATE_SECONDS;
    if (first)
        jk_emit_display(ex, bundle, NULL, output->id);
    else
        jk_emit_update(ex, bundle, NULL, output->id);
    output->next_update = now_seconds() + wait;
}

static void curve_add(curve *c, double x, double loss, double accuracy)
{
    if (c->n == c->capacity) {
        size_t capacity = c->capacity ? c->capacity * 2 : 256;
        double *x2 = realloc(c->x, capacity * sizeof *x2);
        double *l2 = x2 ? realloc(c->loss, capacity * sizeof *l2) : NULL;
        double *a2 = l2 ? realloc(c->accuracy, capacity * sizeof *a2) : NULL;

        if (x2)
            c->x = x2;
        if (l2)
            c->loss = l2;
        if (!a2)
            return;
        c->accuracy = a2;
        c->capacity = capacity;
    }
    c->x[c->n] = x;
    c->loss[c->n] = loss;
    c->accuracy[c->n] = accuracy;
    c->n++;
}

static void curve_free(curve *c)
{
    free(c->x);
    free(c->loss);
    free(c->accuracy);
}

/* Loads the curves of earlier runs from the model's history, so that repeated `train`
 * continues the same picture. */
static void load_history(train_display *d)
{
    nn_history history;

    nn_model_history(d->model, &history);
    for (size_t i = 0; i < history.n_batches; i++) {
        const nn_batch_report *b = &history.batches[i];
        double x = b->batches > 0 ? (double)b->step / b->batches : (double)i;

        curve_add(&d->batches, x, b->loss, b->accuracy);
    }
    for (size_t i = 0; i < history.n_epochs; i++)
        curve_add(&d->epochs, (double)(i + 1), history.epochs[i].val_loss,
                  history.epochs[i].val_accuracy);
    d->epoch_offset = history.epochs_trained;
}

/*** pictures and text ***/

static int draw_curves(const train_display *d, render_png *out, render_error *err)
{
    render_series loss_series[2], accuracy_series[2];
    render_line_chart charts[2];
    /* The validation series is listed from the start, so the legend never moves. */
    size_t n_series = d->settings->n_val > 0 || d->epochs.n > 0 ? 2 : 1;
    char title[160];

    memset(loss_series, 0, sizeof loss_series);
    memset(accuracy_series, 0, sizeof accuracy_series);
    loss_series[0] = (render_series){"training (per batch)", d->batches.x, d->batches.loss,
                                     d->batches.n, 0};
    loss_series[1] = (render_series){"validation (per epoch)", d->epochs.x, d->epochs.loss,
                                     d->epochs.n, 1};
    accuracy_series[0] = (render_series){"training (per batch)", d->batches.x,
                                         d->batches.accuracy, d->batches.n, 0};
    accuracy_series[1] = (render_series){"validation (per epoch)", d->epochs.x,
                                         d->epochs.accuracy, d->epochs.n, 1};

    snprintf(title, sizeof title, "Loss of %s", d->model_name);
    charts[0] = (render_line_chart){NULL, "epoch", "cross-entropy loss", loss_series, n_series,
                                    0, NAN};
    charts[0].title = strdup(title);
    snprintf(title, sizeof title, "Accuracy of %s", d->model_name);
    charts[1] = (render_line_chart){NULL, "epoch", "accuracy", accuracy_series, n_series, 0, 1};
    charts[1].title = strdup(title);

    int rc = render_line_charts(charts, 2, CHART_WIDTH, CHART_HEIGHT, out, err);

    free((char *)charts[0].title);
    free((char *)charts[1].title);
    return rc;
}

/* Formats the progress line, e.g.
 * epoch 2/5 [=========>          ] 44%  loss 0.412  acc 0.882  val_loss 0.398  val_acc 0.890  1.3 s */
static void format_progress(const train_display *d, double elapsed, int finished, char *buf,
                            size_t size)
{
    const nn_batch_report *b = &d->last_batch;
    int epoch = d->have_batch ? b->epoch : 0;
    int epochs = d->settings->epochs;
    double fraction = 0;
    char bar[PROGRESS_BAR_WIDTH + 1];
    size_t used;

    if (d->have_batch && b->batches > 0)
        fraction = ((b->epoch - 1) + (double)b->batch / b->batches) / epochs;
    if (finished && !d->have_batch)
        fraction = 0;
    int filled = (int)(fraction * PROGRESS_BAR_WIDTH + 1e-9);
    for (int i = 0; i < PROGRESS_BAR_WIDTH; i++)
        bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
    if (filled >= PROGRESS_BAR_WIDTH)
        bar[PROGRESS_BAR_WIDTH - 1] = '=';
    bar[PROGRESS_BAR_WIDTH] = '\0';

    used = (size_t)snprintf(buf, size, "epoch %d/%d [%s] %3d%%", epoch, epochs, bar,
                            (int)(fraction * 100 + 1e-9));
    if (d->epoch_batches > 0 && used < size)
        used += (size_t)snprintf(buf + used, size - used, "  loss %.3f  acc %.3f",
                                 d->epoch_loss_sum / d->epoch_batches,
                                 d->epoch_accuracy_sum / d->epoch_batches);
    if (d->have_epoch && d->settings->n_val > 0 && used < size)
        used += (size_t)snprintf(buf + used, size - used, "  val_loss %.3f  val_acc %.3f",
                                 d->last_epoch.val_loss, d->last_epoch.val_accuracy);
    if (used < size)
        snprintf(buf + used, size - used, "  %.1f s", elapsed);
}

static json_t *progress_json(const train_display *d, double elapsed)
{
    json_t *o = json_pack("{s:s, s:i, s:i, s:f}", "model", d->model_name, "epochs",
                          d->settings->epochs, "batch_size", d->settings->batch_size, "seconds",
                          elapsed);

    if (d->have_batch) {
        json_object_set_new(o, "epoch", json_integer(d->last_batch.epoch));
        json_object_set_new(o, "batch", json_integer(d->last_batch.batch));
        json_object_set_new(o, "batches", json_integer(d->last_batch.batches));
        json_object_set_new(o, "step", json_integer(d->last_batch.step));
    }
    if (d->epoch_batches > 0) {
        json_object_set_new(o, "loss", json_real(d->epoch_loss_sum / d->epoch_batches));
        json_object_set_new(o, "accuracy", json_real(d->epoch_accuracy_sum / d->epoch_batches));
    }
    if (d->have_epoch) {
        json_object_set_new(o, "epoch_loss", json_real(d->last_epoch.loss));
        json_object_set_new(o, "epoch_accuracy", json_real(d->last_epoch.accuracy));
        if (d->settings->n_val > 0) {
            json_object_set_new(o, "val_loss", json_real(d->last_epoch.val_loss));
            json_object_set_new(o, "val_accuracy", json_real(d->last_epoch.val_accuracy));
        }
    }
    return o;
}

/* Builds the bundle of the curves: the progress line, the figures as JSON and, when
 * with_picture is 1, the PNG of the charts. */
static json_t *curves_bundle(const train_display *d, int with_picture, int finished)
{
    double elapsed = now_seconds() - d->started;
    char line[256];
    render_png png = {0};
    render_error err;
    json_t *bundle;

    format_progress(d, elapsed, finished, line, sizeof line);
    bundle = jk_bundle_new(line);
    if (with_picture && draw_curves(d, &png, &err) == 0)
        jk_bundle_add_png(bundle, NULL, &png);
    render_png_free(&png);
    jk_bundle_add_json(bundle, progress_json(d, elapsed));
    return bundle;
}

/* Statistics of the first layer's kernel, for graders reading the weights picture. */
static json_t *layer_stats_json(const train_display *d)
{
    char name[160];
    const nn_weight_view *w;
    nn_weight_stats stats;
    long index;

    snprintf(name, sizeof name, "%s/kernel", nn_model_layer(d->model, (size_t)d->weighted_layer)->name);
    index = nn_model_find_weight(d->model, name);
    if (index < 0)
        return json_object();
    w = nn_model_weight(d->model, (size_t)index);
    nn_weight_stats_compute(w->data, w->count, &stats);
    return json_pack("{s:s, s:s, s:f, s:f, s:f, s:f}", "model", d->model_name, "weight", w->name,
                     "min", stats.min, "max", stats.max, "mean", stats.mean, "stddev",
                     stats.stddev);
}

static json_t *weights_bundle(const train_display *d, const char *when)
{
    char title[160], text[512];
    render_png png = {0};
    render_error err;
    json_t *bundle;

    snprintf(title, sizeof title, "First-layer weights of %s %s", d->model_name, when);
    if (jk_draw_layer_weights(d->model, (size_t)d->weighted_layer, title, &png, text, sizeof text,
                              &err) != 0)
        return NULL;
    bundle = jk_bundle_new(text);
    jk_bundle_add_png(bundle, NULL, &png);
    render_png_free(&png);
    jk_bundle_add_json(bundle, layer_stats_json(d));
    return bundle;
}

/*** engine callbacks ***/

static int on_batch(void *user, const nn_batch_report *report)
{
    train_display *d = user;
    double t = now_seconds();

    if (!d->have_batch)
        d->first_batch_loss = report->loss;
    if (!d->have_batch || report->epoch != d->last_batch.epoch) {
        d->epoch_loss_sum = d->epoch_accuracy_sum = 0;
        d->epoch_batches = 0;
    }
    d->last_batch = *report;
    d->have_batch = 1;
    d->epoch_loss_sum += report->loss;
    d->epoch_accuracy_sum += report->accuracy;
    d->epoch_batches++;
    curve_add(&d->batches,
              d->epoch_offset + (report->epoch - 1) + (double)report->batch / report->batches,
              report->loss, report->accuracy);

    if (t >= d->chart.next_update)
        live_send(d->ex, &d->chart, curves_bundle(d, 1, 0), 0);
    return 0;
}

/* Warns once per run when the epoch's loss grew to more than EXPLOSION_FACTOR times the
 * loss of the run's first batch. Such a loss is still finite, so the engine does not stop
 * with TrainingDiverged, but the run is lost unless lr comes down. */
#define EXPLOSION_FACTOR 100.0

static void warn_if_exploding(train_display *d, const nn_epoch_report *report)
{
    if (d->warned_explosion || !isfinite(report->loss) || !(d->first_batch_loss > 0))
        return;
    if (report->loss <= EXPLOSION_FACTOR * d->first_batch_loss)
        return;
    jk_emit_stderr_printf(d->ex, "warning: the loss exploded to %.4g in epoch %d, more than %.0f "
                          "times the %.4g of this run's first batch; lower lr=%g to "
                          "0.01 with adam or 0.1 with sgd, and build the model again for "
                          "fresh weights\n", report->loss, report->epoch, EXPLOSION_FACTOR,
                          d->first_batch_loss, d->settings->learning_rate);
    d->warned_explosion = 1;
}

static int on_epoch(void *user, const nn_epoch_report *report)
{
    train_display *d = user;
    char when[64];
    json_t *bundle;

    d->last_epoch = *report;
    d->have_epoch = 1;
    warn_if_exploding(d, report);
    if (d->settings->n_val > 0)
        curve_add(&d->epochs, d->epoch_offset + report->epoch, report->val_loss,
                  report->val_accuracy);

    /* An epoch end shows its validation point unless the last update was too recent;
     * the final picture shows every point anyway. */
    if (now_seconds() >= d->chart.next_update)
        live_send(d->ex, &d->chart, curves_bundle(d, 1, 0), 0);
    if (d->weighted_layer >= 0 && now_seconds() >= d->weights.next_update) {
        snprintf(when, sizeof when, "after epoch %d of %d", report->epoch, report->epochs);
        if ((bundle = weights_bundle(d, when)))
            live_send(d->ex, &d->weights, bundle, 0);
    }
    return 0;
}

/*** the command ***/

/* Removes the live outputs before the final ones are sent as ordinary outputs.
 *
 * The final pictures must arrive as ordinary outputs because jupyter-console 6.4.4
 * ignores update_display_data, so a live output left showing the final picture would
 * appear twice in Notebook and in the saved notebook. When the live outputs are all the
 * cell has shown, clear_output(wait=True) removes them: Notebook 6 and nbclient clear just
 * before the next output arrives, so nothing flickers, and jupyter-console only moves its
 * cursor to the start of the line. Otherwise clearing would also remove the outputs of
 * earlier commands of the cell (or a warning of this one), so the live outputs are
 * updated to an empty text instead, which Notebook shows as a blank line. */
static void close_live_outputs(train_display *d)
{
    if (d->outputs_before_live == 0 && jk_output_count(d->ex) == d->outputs_with_live) {
        jk_emit_clear(d->ex, 1);
        return;
    }
    jk_emit_update(d->ex, jk_bundle_new(""), NULL, d->chart.id);
    if (d->weights_live)
        jk_emit_update(d->ex, jk_bundle_new(""), NULL, d->weights.id);
}

/* Sends the final pictures as ordinary outputs after removing the live ones. */
static void emit_final(train_display *d, const nn_dataset *ds, const char *stop_note)
{
    json_t *result, *bundle;
    char when[96];

    close_live_outputs(d);
    result = curves_bundle(d, 1, 1);
    if (stop_note) {
        json_t *text = json_object_get(result, "text/plain");
        char *joined = jk_strdup_printf("%s\n%s", json_string_value(text), stop_note);

        json_object_set_new(result, "text/plain", json_string(joined));
        free(joined);
    }
    jk_emit_result(d->ex, result, NULL);

    if (d->weighted_layer >= 0) {
        nn_history history;

        nn_model_history(d->model, &history);
        snprintf(when, sizeof when, "after %d epoch%s", history.epochs_trained,
                 history.epochs_trained == 1 ? "" : "s");
        if ((bundle = weights_bundle(d, when)))
            jk_emit_display(d->ex, bundle, NULL, NULL);
    }

    if (d->settings->n_val > 0 && d->have_batch) {
        nn_evaluation ev;
        nn_error err;

        if (jk_confusion_on_validation(d->model, ds, d->settings, &ev, &err) == 0)
            jk_emit_confusion(d->ex, ds, &ev, "validation", 0);
        else
            jk_emit_stderr_printf(d->ex, "warning: scoring the validation images failed: %s\n",
                                  err.message);
    }
}

int jk_cmd_train(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    jk_model_entry *entry;
    const nn_dataset *ds;
    nn_settings settings;
    train_display d;
    nn_train_callbacks callbacks;
    nn_error err;
    json_t *bundle;
    int rc;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, jk_settings_keys) != 0)
        return -1;
    if (!(entry = jk_session_require_model(ex)))
        return -1;
    if (!(ds = jk_session_require_dataset(ex)))
        return -1;
    settings = session->settings;
    if (jk_settings_from_options(ex, cmd, ds, &settings) != 0)
        return -1;
    nn_set_threads(settings.threads);

    memset(&d, 0, sizeof d);
    d.ex = ex;
    d.model = entry->model;
    d.model_name = entry->name;
    d.settings = &settings;
    d.weighted_layer = jk_first_weighted_layer(entry->model);
    load_history(&d);
    d.started = now_seconds();
    jk_new_display_id(d.chart.id);
    jk_new_display_id(d.weights.id);

    d.outputs_before_live = jk_output_count(ex);
    live_send(ex, &d.chart, curves_bundle(&d, 1, 0), 1);
    if (d.weighted_layer >= 0 && (bundle = weights_bundle(&d, "before this run"))) {
        live_send(ex, &d.weights, bundle, 1);
        d.weights_live = 1;
    }
    d.outputs_with_live = jk_output_count(ex);

    callbacks.on_batch = on_batch;
    callbacks.on_epoch = on_epoch;
    callbacks.user = &d;
    callbacks.stop_flag = jk_interrupt_flag();
    rc = nn_train(entry->model, ds, &settings, &callbacks, &err);
    /* Training changed the weights, so an earlier test score no longer describes them. */
    entry->evaluated = 0;

    if (rc == 0) {
        emit_final(&d, ds, NULL);
    } else if (err.code == NN_ERR_INTERRUPTED) {
        char note[256];

        if (d.have_batch)
            snprintf(note, sizeof note,
                     "Interrupted after batch %d of %d in epoch %d of %d; the model keeps these "
                     "weights and `train` continues from them.",
                     d.last_batch.batch, d.last_batch.batches, d.last_batch.epoch,
                     d.last_batch.epochs);
        else
            snprintf(note, sizeof note, "Interrupted before the first batch; the model is "
                     "unchanged.");
        emit_final(&d, ds, note);
        rc = jk_fail(ex, JK_KEYBOARD_INTERRUPT, NULL, "%s", note);
    } else {
        close_live_outputs(&d);
        jk_emit_display(ex, curves_bundle(&d, 1, 1), NULL, NULL);
        rc = jk_fail_nn(ex, NULL, &err);
    }

    /* threads= applies to this run only. */
    nn_set_threads(session->settings.threads);
    curve_free(&d.batches);
    curve_free(&d.epochs);
    return rc;
}
