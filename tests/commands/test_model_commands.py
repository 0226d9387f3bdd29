"""build, summary, weights, histogram, models, use and reset through a real kernel."""
from conftest import png_size


def test_train_before_build(kernel_launcher, run):
    fresh = kernel_launcher()
    cell = run(fresh, "train")

    assert cell.reply["ename"] == "ModelError"
    assert "build basic" in cell.reply["evalue"]


def test_build_basic_summary(kernel, run_ok):
    result = run_ok(kernel, "build basic").result
    html, text = result["text/html"], result["text/plain"]

    # Text columns hold their text in a <p>, which Notebook 6 left-aligns.
    for header in ("Layer Name", "Output Shape", "Trainable"):
        assert f"<th><p>{header}</p></th>" in html
        assert header in text
    assert "<th># Of Params</th>" in html
    assert "<td><p>dense_Dense1</p></td>" in html
    assert "<td>7,850</td>" in html
    assert "[batch,784]" in text
    assert "7,850" in html
    assert "Total params: 7,850" in text
    assert result["application/json"]["total_params"] == 7850


def test_summary_repeats_architecture(kernel, run_ok):
    run_ok(kernel, "build basic layers=2 units=32")
    info = run_ok(kernel, "summary").result["application/json"]

    assert [layer["name"] for layer in info["layers"]] == [
        "flatten_Flatten1", "dense_Dense1", "dense_Dense2"]
    assert info["total_params"] == 784 * 32 + 32 + 32 * 10 + 10


def test_build_conv_layer_names(kernel, run_ok):
    info = run_ok(kernel, "build conv").result["application/json"]
    names = [layer["name"] for layer in info["layers"]]

    assert names[:2] == ["conv2d_Conv2D1", "max_pooling2d_MaxPooling2D1"]
    assert info["layers"][0]["shape"] == "[batch,24,24,8]"
    assert info["total_params"] == sum(layer["params"] for layer in info["layers"])


def test_build_mlp_hidden_sizes(kernel, run_ok):
    result = run_ok(kernel, "build mlp hidden=128,64 dropout=0.2").result

    assert result["application/json"]["total_params"] == 109386
    assert "109,386" in result["text/plain"]


def test_build_option_of_other_type(kernel, run):
    cell = run(kernel, "build basic filters=8,16")

    assert cell.reply["ename"] == "OptionError"
    assert "filters" in cell.reply["evalue"]


def test_build_unknown_type(kernel, run):
    cell = run(kernel, "build cnn")

    assert cell.reply["ename"] == "CommandError"
    assert "basic, conv or mlp" in cell.reply["evalue"]


def test_weights_table(kernel, run_ok):
    run_ok(kernel, "build basic")
    result = run_ok(kernel, "weights").result
    weights = {w["name"]: w for w in result["application/json"]["weights"]}

    for header in ("Weight Name", "Shape"):
        assert f"<th><p>{header}</p></th>" in result["text/html"]
    for header in ("Min", "Max", "# Params", "# Zeros", "# NaNs", "# Infinity"):
        assert f"<th>{header}</th>" in result["text/html"]
    assert weights["dense_Dense1/kernel"]["shape"] == "[784,10]"
    assert weights["dense_Dense1/kernel"]["params"] == 7840
    assert weights["dense_Dense1/bias"]["zeros"] == 10
    assert weights["dense_Dense1/kernel"]["nans"] == 0
    assert "dense_Dense1/bias" in result["text/plain"]


def test_histogram_one_weight(kernel, run_ok):
    run_ok(kernel, "build basic")
    result = run_ok(kernel, "histogram dense_Dense1/kernel bins=20").result
    info = result["application/json"]["histograms"][0]

    assert len(info["bins"]) == 20
    assert sum(info["bins"]) == 7840
    assert "Histogram of dense_Dense1/kernel: 7,840 values" in result["text/plain"]
    width, height = png_size(result["image/png"])
    assert width >= 400
    assert height >= 200


def test_histogram_all_weights(kernel, run_ok):
    run_ok(kernel, "build conv")
    single = run_ok(kernel, "histogram dense_Dense1/bias").result
    every = run_ok(kernel, "histogram all").result

    assert len(every["application/json"]["histograms"]) == 6
    assert png_size(every["image/png"])[1] > 3 * png_size(single["image/png"])[1]


def test_histogram_unknown_weight(kernel, run):
    run(kernel, "build basic")
    cell = run(kernel, "histogram dense_Dense9/kernel")

    assert cell.reply["ename"] == "ModelError"
    assert "dense_Dense1/kernel" in cell.reply["evalue"]


def test_models_and_use(kernel, run, run_ok):
    run_ok(kernel, "build basic name=first\nbuild conv name=second")
    listed = run_ok(kernel, "models").result["application/json"]["models"]
    current = {m["name"]: m["current"] for m in listed}
    switched = run_ok(kernel, "use first\nsummary").result["application/json"]
    missing = run(kernel, "use third")

    assert current["first"] is False
    assert current["second"] is True
    assert switched["model"] == "first"
    assert missing.reply["ename"] == "ModelError"
    assert "second" in missing.reply["evalue"]


def test_build_same_name_replaces(kernel, run_ok):
    run_ok(kernel, "build basic name=twin\nbuild conv name=twin")
    listed = run_ok(kernel, "models").result["application/json"]["models"]
    twins = [m for m in listed if m["name"] == "twin"]

    assert len(twins) == 1
    assert twins[0]["type"] == "conv"


def test_reset_keeps_data_and_settings(kernel, run, run_ok):
    run_ok(kernel, "set epochs=2\nbuild basic\nreset")
    settings = run_ok(kernel, "set").result["application/json"]
    summary = run(kernel, "summary")
    run_ok(kernel, "set epochs=5")

    assert settings["epochs"] == 2
    assert summary.reply["ename"] == "ModelError"


def test_complete_weight_names(kernel, run_ok):
    run_ok(kernel, "build basic")
    code = "histogram dense_D"
    kernel.client.complete(code, len(code))
    reply = kernel.client.get_shell_msg(timeout=10)["content"]

    assert "dense_Dense1/kernel" in reply["matches"]
    assert "dense_Dense1/bias" in reply["matches"]


def test_help_shows_option_defaults(kernel, run_ok):
    cell = run_ok(kernel, "help train")
    text = "".join(b["text/plain"] for b in cell.bundles) + cell.stream("stdout")

    assert "epochs" in text
    assert "default 5" in text


def test_help_code_spans_in_html(kernel, run_ok):
    result = run_ok(kernel, "help train").result

    assert "`" in result["text/plain"]
    assert "`" not in result["text/html"]
    assert "per <code>train</code>" in result["text/html"]


def test_models_without_models(kernel_launcher, run_ok):
    fresh = kernel_launcher()
    result = run_ok(fresh, "models").result

    assert result["application/json"] == {"models": []}
    assert result["text/plain"].startswith("No models yet")
    assert "---" not in result["text/plain"]
    assert "`build basic`" in result["text/plain"]
    assert "<table" not in result["text/html"]
    assert "<code>build basic</code>" in result["text/html"]
    assert "`" not in result["text/html"]


def test_complete_model_names(kernel, run_ok):
    run_ok(kernel, "build basic name=alpha\nbuild conv name=beta")
    code = "use al"
    kernel.client.complete(code, len(code))
    reply = kernel.client.get_shell_msg(timeout=10)["content"]

    assert reply["matches"] == ["alpha"]
