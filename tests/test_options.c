/* test_options.c: option helpers and cell execution through the real command path:
 * OptionError messages, "did you mean", error tracebacks with carets, and the rule
 * that only a cell's last command sends an execute_result. */
#include <stdlib.h>

#include "check.h"
#include "kernel/command.h"
#include "kernel/kernel.h"
#include "kernel_test_commands.h"

static const char *result_text(const recorded_output *record, size_t index)
{
    json_t *output = json_array_get(record->outputs, index);

    return json_string_value(
        json_object_get(json_object_get(json_object_get(output, "content"), "data"), "text/plain"));
}

static int contains(const char *text, const char *part)
{
    return text && strstr(text, part) != NULL;
}

static const char *traceback_line(const jk_cell_outcome *outcome, size_t index)
{
    return json_string_value(json_array_get(outcome->traceback, index));
}

static void test_defaults_when_options_absent(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit", &record, &outcome);
    CHECK_INT_EQ(outcome.failed, 0);
    CHECK_STR_EQ(result_text(&record, 0),
                 "epochs=5 lr=0.01 optimizer=sgd name=model hidden=1:128");
    recording_clear(&record, &outcome);
}

static void test_every_option_kind_read(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit epochs=12 lr=0.5 optimizer=adam name='run one' hidden=256,64", &record,
                 &outcome);
    CHECK_INT_EQ(outcome.failed, 0);
    CHECK_STR_EQ(result_text(&record, 0),
                 "epochs=12 lr=0.5 optimizer=adam name=run one hidden=2:64");
    recording_clear(&record, &outcome);
}

static void test_integer_out_of_range(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit epochs=500", &record, &outcome);
    CHECK_INT_EQ(outcome.failed, 1);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "epochs=500"));
    CHECK(contains(outcome.evalue, "from 1 to 100"));
    /* The caret points at the value: "  line 1: fit epochs=500" then the caret under 5. */
    CHECK_STR_EQ(traceback_line(&outcome, 1), "  line 1: fit epochs=500");
    CHECK_STR_EQ(traceback_line(&outcome, 2), "                     ^");
    CHECK_INT_EQ(json_array_size(record.outputs), 0);
    recording_clear(&record, &outcome);
}

static void test_integer_not_a_number(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit epochs=many", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "epochs=many is not a whole number"));
    CHECK(contains(outcome.evalue, "from 1 to 100"));
    recording_clear(&record, &outcome);

    run_recorded("fit epochs=2.5", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    recording_clear(&record, &outcome);
}

static void test_double_checks_range(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit lr=20", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "lr=20 is out of range"));
    CHECK(contains(outcome.evalue, "0.0001 to 10"));
    recording_clear(&record, &outcome);

    run_recorded("fit lr=nan", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "not a number"));
    recording_clear(&record, &outcome);
}

static void test_choice_suggests_closest(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit optimizer=adma", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "did you mean optimizer=adam?"));
    CHECK(contains(outcome.evalue, "sgd, adam, rmsprop"));
    recording_clear(&record, &outcome);
}

static void test_empty_string_rejected(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit name=", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "name= has no value"));
    recording_clear(&record, &outcome);
}

static void test_int_list_checks_each_value(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit hidden=128,0", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "0 is out of range"));
    recording_clear(&record, &outcome);

    run_recorded("fit hidden=1,2,3,4", &record, &outcome);
    CHECK(contains(outcome.evalue, "more than 3 values"));
    recording_clear(&record, &outcome);

    run_recorded("fit hidden=64,x", &record, &outcome);
    CHECK(contains(outcome.evalue, "'x' is not a whole number"));
    recording_clear(&record, &outcome);

    run_recorded("fit hidden=128,,64", &record, &outcome);
    CHECK(contains(outcome.evalue, "'' is not a whole number"));
    recording_clear(&record, &outcome);

    run_recorded("fit hidden=", &record, &outcome);
    CHECK(contains(outcome.evalue, "hidden= has no values"));
    recording_clear(&record, &outcome);
}

static void test_unknown_option_did_you_mean(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit epoch=3", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "unknown option 'epoch' for fit"));
    CHECK(contains(outcome.evalue, "did you mean 'epochs'?"));
    recording_clear(&record, &outcome);
}

static void test_repeated_option_rejected(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("fit epochs=1 epochs=2", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK(contains(outcome.evalue, "given twice"));
    recording_clear(&record, &outcome);
}

static void test_extra_argument_rejected(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("clear now", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "CommandError");
    CHECK(contains(outcome.evalue, "clear takes no arguments"));
    recording_clear(&record, &outcome);
}

static void test_unknown_command_did_you_mean(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("print ok\n  fti epochs=3", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "CommandError");
    CHECK(contains(outcome.evalue, "unknown command 'fti'; did you mean 'fit'?"));
    CHECK_STR_EQ(traceback_line(&outcome, 1), "  line 2:   fti epochs=3");
    CHECK_STR_EQ(traceback_line(&outcome, 2), "            ^");
    /* The commands before the failing one ran. */
    CHECK_STR_EQ(record.stdout_text, "ok\n");
    recording_clear(&record, &outcome);
}

static void test_caret_under_tab_indented_token(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("\tfit\tepochs=0", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "OptionError");
    CHECK_STR_EQ(traceback_line(&outcome, 1), "  line 1:  fit epochs=0");
    CHECK_STR_EQ(traceback_line(&outcome, 2), "                      ^");
    recording_clear(&record, &outcome);
}

static void test_parse_error_is_command_error(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("print first\nfit name='open", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "CommandError");
    CHECK(contains(outcome.evalue, "unclosed quote"));
    /* Nothing runs when the cell does not parse. */
    CHECK_STR_EQ(record.stdout_text, "");
    recording_clear(&record, &outcome);
}

static void test_last_command_result_is_execute_result(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("help", &record, &outcome);
    CHECK_INT_EQ(json_array_size(record.outputs), 1);
    CHECK_STR_EQ(recorded_type(&record, 0), "execute_result");
    CHECK(outcome.result_text != NULL);
    recording_clear(&record, &outcome);

    run_recorded("help\nprint done", &record, &outcome);
    CHECK_STR_EQ(recorded_type(&record, 0), "display_data");
    CHECK_STR_EQ(record.stdout_text, "done\n");
    CHECK(outcome.result_text == NULL);
    recording_clear(&record, &outcome);

    run_recorded("fit\nfit epochs=2", &record, &outcome);
    CHECK_STR_EQ(recorded_type(&record, 0), "display_data");
    CHECK_STR_EQ(recorded_type(&record, 1), "execute_result");
    recording_clear(&record, &outcome);
}

static void test_help_bundle_has_html_and_text(void)
{
    recorded_output record;
    jk_cell_outcome outcome;
    json_t *data;

    run_recorded("help fit", &record, &outcome);
    data = json_object_get(json_object_get(json_array_get(record.outputs, 0), "content"), "data");
    CHECK(contains(json_string_value(json_object_get(data, "text/plain")), "optimizer"));
    CHECK(contains(json_string_value(json_object_get(data, "text/html")), "<table>"));
    recording_clear(&record, &outcome);
}

static void test_pager_forms_set_payload(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("?fit", &record, &outcome);
    CHECK_INT_EQ(outcome.failed, 0);
    CHECK(contains(outcome.pager_text, "fit [WEIGHT]"));
    CHECK_INT_EQ(json_array_size(record.outputs), 0);
    recording_clear(&record, &outcome);

    run_recorded("fit?", &record, &outcome);
    CHECK(contains(outcome.pager_text, "epochs"));
    recording_clear(&record, &outcome);

    run_recorded("?fitt", &record, &outcome);
    CHECK_STR_EQ(outcome.ename, "CommandError");
    CHECK(contains(outcome.evalue, "did you mean 'fit'?"));
    recording_clear(&record, &outcome);
}

static void test_print_and_warn_streams(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("print hello, world\nwarn  careful: \"x\" # kept", &record, &outcome);
    CHECK_STR_EQ(record.stdout_text, "hello, world\n");
    CHECK_STR_EQ(record.stderr_text, "careful: \"x\" # kept\n");
    recording_clear(&record, &outcome);
}

static void test_clear_publishes_clear_output(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    run_recorded("clear", &record, &outcome);
    CHECK_STR_EQ(recorded_type(&record, 0), "clear_output");
    recording_clear(&record, &outcome);
}

static void test_interrupt_stops_sleep(void)
{
    recorded_output record;
    jk_cell_outcome outcome;

    jk_interrupt();
    run_recorded("sleep 30", &record, &outcome);
    jk_interrupt_clear();
    CHECK_STR_EQ(outcome.ename, "KeyboardInterrupt");
    recording_clear(&record, &outcome);

    run_recorded("sleep 0.01", &record, &outcome);
    CHECK_INT_EQ(outcome.failed, 0);
    recording_clear(&record, &outcome);

    run_recorded("sleep -1", &record, &outcome);
    CHECK(contains(outcome.evalue, "out of range"));
    recording_clear(&record, &outcome);
}

static void test_json_text_repairs_bytes(void)
{
    json_t *clean = jk_json_text("caf\xe9");
    json_t *valid = jk_json_text("caf\xC3\xA9");

    CHECK(clean != NULL);
    CHECK_STR_EQ(json_string_value(clean), "caf\xEF\xBF\xBD");
    CHECK_STR_EQ(json_string_value(valid), "caf\xC3\xA9");
    json_decref(clean);
    json_decref(valid);
}

int main(void)
{
    RUN(test_defaults_when_options_absent);
    RUN(test_every_option_kind_read);
    RUN(test_integer_out_of_range);
    RUN(test_integer_not_a_number);
    RUN(test_double_checks_range);
    RUN(test_choice_suggests_closest);
    RUN(test_empty_string_rejected);
    RUN(test_int_list_checks_each_value);
    RUN(test_unknown_option_did_you_mean);
    RUN(test_repeated_option_rejected);
    RUN(test_extra_argument_rejected);
    RUN(test_unknown_command_did_you_mean);
    RUN(test_caret_under_tab_indented_token);
    RUN(test_parse_error_is_command_error);
    RUN(test_last_command_result_is_execute_result);
    RUN(test_help_bundle_has_html_and_text);
    RUN(test_pager_forms_set_payload);
    RUN(test_print_and_warn_streams);
    RUN(test_clear_publishes_clear_output);
    RUN(test_interrupt_stops_sleep);
    RUN(test_json_text_repairs_bytes);
    return check_summary();
}
