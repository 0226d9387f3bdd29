# C unit tests of kernel/; included by tests/Makefile.am. They link the kernel core's
# library (kernel/libjk.a), the same objects the nnscope binary is made of.
KERNEL_TEST_CPPFLAGS = $(AM_CPPFLAGS) -D_GNU_SOURCE
KERNEL_TEST_CFLAGS = $(AM_CFLAGS) $(ZMQ_CFLAGS) $(JANSSON_CFLAGS) $(UUID_CFLAGS) \
	$(CRYPTO_CFLAGS)
KERNEL_TEST_LDADD = $(top_builddir)/kernel/libjk.a $(ZMQ_LIBS) $(JANSSON_LIBS) $(UUID_LIBS) \
	$(CRYPTO_LIBS) $(CAIRO_LIBS) -lm

check_PROGRAMS += test_hmac test_message test_parser test_utf8 test_options test_complete \
	test_comm test_connection
TESTS += test_hmac test_message test_parser test_utf8 test_options test_complete test_comm \
	test_connection

test_hmac_SOURCES = test_hmac.c
test_hmac_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_hmac_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_hmac_LDADD = $(KERNEL_TEST_LDADD)

test_message_SOURCES = test_message.c
test_message_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_message_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_message_LDADD = $(KERNEL_TEST_LDADD)

test_parser_SOURCES = test_parser.c
test_parser_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_parser_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_parser_LDADD = $(KERNEL_TEST_LDADD)

test_connection_SOURCES = test_connection.c
test_connection_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_connection_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_connection_LDADD = $(KERNEL_TEST_LDADD)

test_utf8_SOURCES = test_utf8.c
test_utf8_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_utf8_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_utf8_LDADD = $(KERNEL_TEST_LDADD)

# test_options and test_complete run real cells; each defines its own small
# jk_model_commands table in place of the model commands.
test_options_SOURCES = test_options.c kernel_test_commands.c kernel_test_commands.h
test_options_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_options_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_options_LDADD = $(KERNEL_TEST_LDADD)

test_complete_SOURCES = test_complete.c kernel_test_commands.c kernel_test_commands.h
test_complete_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_complete_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_complete_LDADD = $(KERNEL_TEST_LDADD)

# test_comm drives the comm registry through real ROUTER, DEALER, PUB and SUB sockets and
# the kernel's iopub thread.
test_comm_SOURCES = test_comm.c
test_comm_CPPFLAGS = $(KERNEL_TEST_CPPFLAGS)
test_comm_CFLAGS = $(KERNEL_TEST_CFLAGS)
test_comm_LDADD = $(KERNEL_TEST_LDADD)
