# Sources of the model commands; included by kernel/Makefile.am.
nnscope_SOURCES += \
	model_commands.c model_commands.h \
	session.c session.h \
	bundle.c bundle.h \
	digit_input.c digit_input.h \
	cmd_data.c cmd_samples.c cmd_set.c cmd_build.c cmd_models.c cmd_summary.c \
	cmd_weights.c cmd_histogram.c cmd_train.c cmd_evaluate.c cmd_show.c \
	cmd_predict.c cmd_save.c cmd_reset.c
