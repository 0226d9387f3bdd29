# C unit tests of kernel/; included by tests/Makefile.am.
