# C unit tests of nn/; included by tests/Makefile.am.

# --- Data side: IDX files, dataset directories, subsets and settings. ---
# test_dataset reads the converted digits from the build tree's data/mnist (built by
# `make`) and Fashion-MNIST from Debian's dataset-fashion-mnist.
NN_DATA_TEST_LDADD = $(top_builddir)/nn/libnn.a $(OPENBLAS_LIBS) $(ZLIB_LIBS) -lm
check_PROGRAMS += test_idx test_dataset test_subsets test_settings
TESTS += test_idx test_dataset test_subsets test_settings
test_idx_SOURCES = test_idx.c idx_files.h
test_idx_LDADD = $(NN_DATA_TEST_LDADD)
test_dataset_SOURCES = test_dataset.c idx_files.h
test_dataset_CPPFLAGS = $(AM_CPPFLAGS) -DDATA_BUILDDIR=\"$(abs_top_builddir)/data\"
test_dataset_LDADD = $(NN_DATA_TEST_LDADD)
test_subsets_SOURCES = test_subsets.c
test_subsets_LDADD = $(NN_DATA_TEST_LDADD)
test_settings_SOURCES = test_settings.c
test_settings_LDADD = $(NN_DATA_TEST_LDADD)
# test_converter runs the build tree's data/mnist-json-to-idx on JSON files it writes.
check_PROGRAMS += test_converter
TESTS += test_converter
test_converter_SOURCES = test_converter.c idx_files.h
test_converter_CPPFLAGS = $(AM_CPPFLAGS) -DCONVERTER=\"$(abs_top_builddir)/data/mnist-json-to-idx$(EXEEXT)\"
test_converter_LDADD = $(NN_DATA_TEST_LDADD)
# --- end of the data side ---

# --- Engine: layers, models, training, saving. ---
# test_nn_learning trains on real data; it skips when NNSCOPE_SKIP_LEARNING=1 (set by the
# sanitizer build, where it would take too long) and fails when the data is missing.
NN_ENGINE_TEST_LDADD = $(top_builddir)/nn/libnn.a $(OPENBLAS_LIBS) $(ZLIB_LIBS) -lm
check_PROGRAMS += test_nn_layers
TESTS += test_nn_layers
test_nn_layers_SOURCES = test_nn_layers.c nn_test_util.h
test_nn_layers_LDADD = $(NN_ENGINE_TEST_LDADD)
check_PROGRAMS += test_nn_optimizer
TESTS += test_nn_optimizer
test_nn_optimizer_SOURCES = test_nn_optimizer.c
test_nn_optimizer_LDADD = $(NN_ENGINE_TEST_LDADD)
check_PROGRAMS += test_nn_model
TESTS += test_nn_model
test_nn_model_SOURCES = test_nn_model.c nn_test_util.h
test_nn_model_LDADD = $(NN_ENGINE_TEST_LDADD)
check_PROGRAMS += test_nn_train
TESTS += test_nn_train
test_nn_train_SOURCES = test_nn_train.c nn_test_util.h
test_nn_train_LDADD = $(NN_ENGINE_TEST_LDADD)
check_PROGRAMS += test_nn_save
TESTS += test_nn_save
test_nn_save_SOURCES = test_nn_save.c nn_test_util.h
test_nn_save_LDADD = $(NN_ENGINE_TEST_LDADD)
check_PROGRAMS += test_nn_learning
TESTS += test_nn_learning
test_nn_learning_SOURCES = test_nn_learning.c nn_test_util.h
test_nn_learning_CPPFLAGS = $(AM_CPPFLAGS) -DDATA_BUILDDIR=\"$(abs_top_builddir)/data\"
test_nn_learning_LDADD = $(NN_ENGINE_TEST_LDADD)
# --- end of the engine ---
