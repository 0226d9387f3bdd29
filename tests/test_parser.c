/* test_parser.c: the command language: lines, continuations, quotes, comments, options,
 * errors with positions, completeness and "did you mean" suggestions. */
#include <stdlib.h>

#include "check.h"
#include "kernel/parser.h"

static int raw_text_commands(const char *name)
{
    return strcmp(name, "print") == 0 || strcmp(name, "warn") == 0;
}

static int parse(const char *code, jk_program *program, jk_parse_error *err)
{
    return jk_parse(code, raw_text_commands, program, err);
}

static void test_commands_one_per_line(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("data\nbuild conv\n\ntrain epochs=3", &program, &err), 0);
    CHECK_INT_EQ(program.count, 3);
    if (program.count == 3) {
        CHECK_STR_EQ(program.commands[0].name.text, "data");
        CHECK_STR_EQ(program.commands[1].name.text, "build");
        CHECK_INT_EQ(program.commands[1].n_args, 1);
        CHECK_STR_EQ(program.commands[1].args[0].text, "conv");
        CHECK_INT_EQ(program.commands[1].args[0].line, 2);
        CHECK_INT_EQ(program.commands[1].args[0].column, 7);
        CHECK_INT_EQ(program.commands[2].line, 4);
        CHECK_INT_EQ(program.commands[2].n_options, 1);
        CHECK_STR_EQ(program.commands[2].options[0].key.text, "epochs");
        CHECK_STR_EQ(program.commands[2].options[0].value.text, "3");
        CHECK_INT_EQ(program.commands[2].options[0].value.column, 14);
    }
    jk_program_free(&program);
}

static void test_empty_cell_has_no_commands(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("  \n\t\n# only a comment\n", &program, &err), 0);
    CHECK_INT_EQ(program.count, 0);
    jk_program_free(&program);
}

static void test_comments_end_the_line(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("# setup\ntrain epochs=2 # two passes\n  # indented comment", &program,
                       &err), 0);
    CHECK_INT_EQ(program.count, 1);
    if (program.count == 1) {
        CHECK_INT_EQ(program.commands[0].n_options, 1);
        CHECK_INT_EQ(program.commands[0].n_args, 0);
        CHECK_STR_EQ(program.commands[0].source_line, "train epochs=2 # two passes");
    }
    jk_program_free(&program);
}

static void test_hash_inside_token_is_text(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("load run#2 title=\"# not a comment\"", &program, &err), 0);
    if (program.count == 1) {
        CHECK_INT_EQ(program.commands[0].n_args, 1);
        CHECK_STR_EQ(program.commands[0].args[0].text, "run#2");
        CHECK_STR_EQ(program.commands[0].options[0].value.text, "# not a comment");
    }
    jk_program_free(&program);
}

static void test_backslash_continues_line(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("train epochs=3 \\\n   lr=0.1\nsummary", &program, &err), 0);
    CHECK_INT_EQ(program.count, 2);
    if (program.count == 2) {
        CHECK_INT_EQ(program.commands[0].n_options, 2);
        CHECK_STR_EQ(program.commands[0].options[1].key.text, "lr");
        CHECK_INT_EQ(program.commands[0].options[1].key.line, 2);
        CHECK_INT_EQ(program.commands[0].options[1].key.column, 4);
        CHECK_STR_EQ(program.commands[0].source_line, "train epochs=3    lr=0.1");
        CHECK_STR_EQ(program.commands[1].name.text, "summary");
        CHECK_INT_EQ(program.commands[1].line, 3);
    }
    jk_program_free(&program);
}

static void test_crlf_continuation(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("train \\\r\nepochs=1\r\nsummary\r\n", &program, &err), 0);
    CHECK_INT_EQ(program.count, 2);
    if (program.count == 2)
        CHECK_STR_EQ(program.commands[0].options[0].value.text, "1");
    jk_program_free(&program);
}

static void test_quotes_group_and_escape(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("save 'my model' note=\"say \\\"hi\\\"\\n\" path='C:\\data'", &program,
                       &err), 0);
    if (program.count == 1) {
        const jk_command *command = &program.commands[0];
        CHECK_INT_EQ(command->n_args, 1);
        CHECK_STR_EQ(command->args[0].text, "my model");
        CHECK_INT_EQ(command->args[0].quoted, 1);
        CHECK_INT_EQ(command->n_options, 2);
        CHECK_STR_EQ(command->options[0].value.text, "say \"hi\"\n");
        CHECK_INT_EQ(command->options[0].value.quoted, 1);
        /* An unknown escape keeps its backslash. */
        CHECK_STR_EQ(command->options[1].value.text, "C:\\data");
    }
    jk_program_free(&program);
}

static void test_quotes_span_lines(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("set title=\"first line\nsecond line\" units=3\nsummary", &program, &err),
                 0);
    CHECK_INT_EQ(program.count, 2);
    if (program.count == 2) {
        CHECK_STR_EQ(program.commands[0].options[0].value.text, "first line\nsecond line");
        CHECK_STR_EQ(program.commands[0].options[1].key.text, "units");
        CHECK_INT_EQ(program.commands[0].options[1].key.line, 2);
        CHECK_INT_EQ(program.commands[1].line, 3);
    }
    jk_program_free(&program);
}

static void test_columns_count_code_points(void)
{
    jk_program program;
    jk_parse_error err;

    /* "é" is two bytes but one column. */
    CHECK_INT_EQ(parse("set name=\"\xC3\xA9t\xC3\xA9\" seed=1", &program, &err), 0);
    if (program.count == 1)
        CHECK_INT_EQ(program.commands[0].options[1].key.column, 16);
    jk_program_free(&program);
}

static void test_raw_text_keeps_rest_of_line(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("print don't stop # here, x=1 \"\nwarn  two \\\nlines\nhelp", &program,
                       &err), 0);
    CHECK_INT_EQ(program.count, 3);
    if (program.count == 3) {
        CHECK_STR_EQ(program.commands[0].rest, "don't stop # here, x=1 \"");
        CHECK_INT_EQ(program.commands[0].n_args, 0);
        CHECK_INT_EQ(program.commands[0].n_options, 0);
        CHECK_STR_EQ(program.commands[1].rest, "two lines");
        CHECK_STR_EQ(program.commands[2].name.text, "help");
    }
    jk_program_free(&program);
}

static void test_unclosed_quote_reports_position(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("help\nsave name='oops", &program, &err), -1);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.column, 11);
    CHECK_INT_EQ(err.unclosed_quote, 1);
    CHECK(strstr(err.message, "unclosed quote") != NULL);
    CHECK_INT_EQ(program.count, 0);
}

static void test_option_without_name_is_error(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("train =3", &program, &err), -1);
    CHECK_INT_EQ(err.line, 1);
    CHECK_INT_EQ(err.column, 7);
    CHECK(strstr(err.message, "missing option name") != NULL);
}

static void test_invalid_option_name_is_error(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("train 3epochs=3", &program, &err), -1);
    CHECK(strstr(err.message, "'3epochs'") != NULL);
}

static void test_option_as_command_is_error(void)
{
    jk_program program;
    jk_parse_error err;

    CHECK_INT_EQ(parse("\n  epochs=3", &program, &err), -1);
    CHECK_INT_EQ(err.line, 2);
    CHECK_INT_EQ(err.column, 3);
    CHECK(strstr(err.message, "expected a command name") != NULL);
}

static void test_is_complete_cases(void)
{
    CHECK_STR_EQ(jk_is_complete("help", raw_text_commands), "complete");
    CHECK_STR_EQ(jk_is_complete("", raw_text_commands), "complete");
    CHECK_STR_EQ(jk_is_complete("train epochs=3 \\", raw_text_commands), "incomplete");
    CHECK_STR_EQ(jk_is_complete("save name='my", raw_text_commands), "incomplete");
    CHECK_STR_EQ(jk_is_complete("save name=\"a\nb", raw_text_commands), "incomplete");
    CHECK_STR_EQ(jk_is_complete("save name=\"a\nb\"", raw_text_commands), "complete");
    /* An apostrophe in raw text and a backslash in a comment are plain text. */
    CHECK_STR_EQ(jk_is_complete("print don't", raw_text_commands), "complete");
    CHECK_STR_EQ(jk_is_complete("train # note \\", raw_text_commands), "complete");
    CHECK_STR_EQ(jk_is_complete("print a \\", raw_text_commands), "incomplete");
    /* Other syntax errors run, so the user sees them at once. */
    CHECK_STR_EQ(jk_is_complete("train =3", raw_text_commands), "complete");
}

static void test_edit_distance_values(void)
{
    CHECK_INT_EQ(jk_edit_distance("", ""), 0);
    CHECK_INT_EQ(jk_edit_distance("train", "train"), 0);
    CHECK_INT_EQ(jk_edit_distance("trian", "train"), 1); /* transposition */
    CHECK_INT_EQ(jk_edit_distance("tran", "train"), 1);
    CHECK_INT_EQ(jk_edit_distance("kitten", "sitting"), 3);
    CHECK_INT_EQ(jk_edit_distance("", "abc"), 3);
}

static void test_suggest_picks_closest(void)
{
    const char *const commands[] = {"data", "build", "train", "summary", "help", NULL};

    CHECK_STR_EQ(jk_suggest("trian", commands), "train");
    CHECK_STR_EQ(jk_suggest("biuld", commands), "build");
    CHECK_STR_EQ(jk_suggest("hlep", commands), "help");
    CHECK_STR_EQ(jk_suggest("sumary", commands), "summary");
    CHECK(jk_suggest("xyzzy", commands) == NULL);
    /* Short words allow one edit only: "dog" is two edits from "data"'s neighbours. */
    CHECK(jk_suggest("dog", commands) == NULL);
}

static void test_suggest_ignores_case(void)
{
    const char *const commands[] = {"data", "build", "train", "summary", "help", NULL};

    CHECK_STR_EQ(jk_suggest("TRAIN", commands), "train");
    CHECK_STR_EQ(jk_suggest("Build", commands), "build");
    CHECK_STR_EQ(jk_suggest("TRIAN", commands), "train");
    CHECK_INT_EQ(jk_edit_distance("HeLp", "help"), 0);
}

static void test_spaces_around_equals_are_error(void)
{
    const char *const cells[] = {"train epochs = 2", "train epochs =2", "train epochs= 2"};
    jk_program program;
    jk_parse_error err;

    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        CHECK_INT_EQ(parse(cells[i], &program, &err), -1);
        CHECK(strstr(err.message, "spaces around '=' are not allowed") != NULL);
        CHECK(strstr(err.message, "write epochs=2") != NULL);
        CHECK_INT_EQ(err.line, 1);
        CHECK_INT_EQ(err.column, 7);
    }
}

static void test_empty_value_before_option_is_kept(void)
{
    jk_program program;
    jk_parse_error err;

    /* `file= lr=0.1` is an empty value followed by another option, not a spacing mistake. */
    CHECK_INT_EQ(parse("train file= lr=0.1", &program, &err), 0);
    CHECK_INT_EQ(program.commands[0].n_options, 2);
    jk_program_free(&program);
}

int main(void)
{
    RUN(test_commands_one_per_line);
    RUN(test_empty_cell_has_no_commands);
    RUN(test_comments_end_the_line);
    RUN(test_hash_inside_token_is_text);
    RUN(test_backslash_continues_line);
    RUN(test_crlf_continuation);
    RUN(test_quotes_group_and_escape);
    RUN(test_quotes_span_lines);
    RUN(test_columns_count_code_points);
    RUN(test_raw_text_keeps_rest_of_line);
    RUN(test_unclosed_quote_reports_position);
    RUN(test_option_without_name_is_error);
    RUN(test_invalid_option_name_is_error);
    RUN(test_option_as_command_is_error);
    RUN(test_is_complete_cases);
    RUN(test_edit_distance_values);
    RUN(test_suggest_picks_closest);
    RUN(test_suggest_ignores_case);
    RUN(test_spaces_around_equals_are_error);
    RUN(test_empty_value_before_option_is_kept);
    return check_summary();
}
