# Sources of the model commands; included by kernel/Makefile.am.
