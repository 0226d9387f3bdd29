# C unit tests of nn/; included by tests/Makefile.am.
