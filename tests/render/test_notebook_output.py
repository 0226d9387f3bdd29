"""render/'s tables and pictures as Jupyter Notebook shows and exports them.

The C program tests/render_gallery (built by `make -C tests check` or
`make -C tests render_gallery`) writes one PNG of every kind and a model summary table.
These tests pass that table through Notebook 6's own sanitizer, the code that cleans the
outputs of untrusted notebooks, and export all outputs with nbconvert.
"""

import base64
import html.parser
import os
import pathlib
import subprocess

import nbconvert
import nbformat
import notebook
import pytest

TESTS = pathlib.Path(__file__).resolve().parent.parent
# The gallery is a build product: in the build directory scripts/test-all.sh names, or in
# the source tree after an in-tree build.
GALLERY = pathlib.Path(os.environ.get("NNSCOPE_BUILD_DIR", TESTS.parent)) / "tests" / "render_gallery"
SANITIZER_SCRIPT = pathlib.Path(__file__).resolve().parent / "notebook_sanitizer.js"
SANITIZER_BUNDLE = (pathlib.Path(notebook.__file__).parent / "static" / "components" /
                    "sanitizer" / "index.js")


class _Events(html.parser.HTMLParser):
    """Collects tags, attributes and decoded text, so equal documents compare equal
    whatever entity spelling they use (&quot; or ")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", data))


def html_events(text):
    parser = _Events()
    parser.feed(text)
    parser.close()
    return parser.events


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    assert GALLERY.exists(), f"{GALLERY} is missing: build it with `make -C tests render_gallery`"
    directory = tmp_path_factory.mktemp("gallery")
    result = subprocess.run([str(GALLERY), str(directory)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return directory


def test_table_html_unchanged_by_sanitizer(gallery):
    table = (gallery / "table.html").read_text()
    result = subprocess.run(["node", str(SANITIZER_SCRIPT), str(SANITIZER_BUNDLE)], input=table,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

    assert html_events(result.stdout) == html_events(table)


def test_table_html_structure(gallery):
    events = html_events((gallery / "table.html").read_text())

    tags = [event[1] for event in events if event[0] == "start"]
    assert tags[:4] == ["table", "caption", "thead", "tr"]
    assert "tbody" in tags
    assert "tfoot" in tags
    # No style or align: the only attribute is the footer's colspan.
    attributes = [attr for event in events if event[0] == "start" for attr in event[2]]
    assert attributes == [("colspan", "3")]
    assert ("text", 'Model "dense" <2 layers> & softmax') in events
    assert ("text", "Total params: 25,450") in events


def test_pictures_survive_nbconvert_html(gallery):
    pictures = sorted(gallery.glob("*.png"))
    assert len(pictures) >= 10

    cells = []
    for picture in pictures:
        encoded = base64.b64encode(picture.read_bytes()).decode("ascii")
        cell = nbformat.v4.new_code_cell(f"show {picture.stem}")
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={"image/png": encoded, "text/plain": picture.stem})]
        cells.append(cell)
    table_cell = nbformat.v4.new_code_cell("summary")
    table_cell.outputs = [nbformat.v4.new_output(
        "execute_result", execution_count=1,
        data={"text/html": (gallery / "table.html").read_text(),
              "text/plain": (gallery / "table.txt").read_text()})]
    cells.append(table_cell)
    document = nbformat.v4.new_notebook(cells=cells)
    nbformat.validate(document)

    body, _ = nbconvert.HTMLExporter().from_notebook_node(document)

    for picture in pictures:
        encoded = base64.b64encode(picture.read_bytes()).decode("ascii")
        assert f'src="data:image/png;base64,{encoded}' in body, picture.name
    assert "<caption>Model &quot;dense&quot; &lt;2 layers&gt; &amp; softmax</caption>" in body
    assert '<td colspan="3">Total params: 25,450</td>' in body
