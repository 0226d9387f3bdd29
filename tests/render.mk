# C unit tests of render/; included by tests/Makefile.am.
# The tests decode the PNGs they get back with cairo, so they compile against cairo too.
RENDER_TEST_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
RENDER_TEST_LDADD = $(top_builddir)/render/librender.a $(CAIRO_LIBS) -lm

check_PROGRAMS += test_render_axes test_render_colormap test_render_histogram \
	test_render_tables test_render_text test_render_charts
TESTS += test_render_axes test_render_colormap test_render_histogram \
	test_render_tables test_render_text test_render_charts

test_render_axes_SOURCES = test_render_axes.c
test_render_axes_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_axes_LDADD = $(RENDER_TEST_LDADD)
test_render_colormap_SOURCES = test_render_colormap.c
test_render_colormap_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_colormap_LDADD = $(RENDER_TEST_LDADD)
test_render_histogram_SOURCES = test_render_histogram.c render_png_check.h render_lsan.h
test_render_histogram_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_histogram_LDADD = $(RENDER_TEST_LDADD)
test_render_tables_SOURCES = test_render_tables.c
test_render_tables_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_tables_LDADD = $(RENDER_TEST_LDADD)
test_render_text_SOURCES = test_render_text.c render_lsan.h
test_render_text_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_text_LDADD = $(RENDER_TEST_LDADD)
test_render_charts_SOURCES = test_render_charts.c render_png_check.h render_lsan.h
test_render_charts_CFLAGS = $(RENDER_TEST_CFLAGS)
test_render_charts_LDADD = $(RENDER_TEST_LDADD)

# render_gallery writes one PNG of each kind for a person to look at; `make check` builds
# it but does not run it. Run: tests/render_gallery [DIRECTORY]
check_PROGRAMS += render_gallery
render_gallery_SOURCES = render_gallery.c render_lsan.h
render_gallery_CFLAGS = $(RENDER_TEST_CFLAGS)
render_gallery_LDADD = $(RENDER_TEST_LDADD)
