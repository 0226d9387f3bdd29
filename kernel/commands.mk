# Sources of the model commands; included by kernel/Makefile.am.
nnscope_SOURCES += model_commands.c
