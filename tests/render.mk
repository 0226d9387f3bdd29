# C unit tests of render/; included by tests/Makefile.am.
