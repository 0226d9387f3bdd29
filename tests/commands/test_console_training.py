"""A jupyter-console session that trains a model, fed through a pipe.

jupyter-console ignores update_display_data, so everything a live output showed must arrive
again as ordinary output when training ends.
"""
import re
import subprocess


def test_console_train_session(nnscope_kernelspec):
    command = ["/usr/bin/jupyter-console", "--kernel", nnscope_kernelspec.name,
               "--simple-prompt"]
    session_input = "build basic\ntrain epochs=2\nevaluate\npredict sample=0\n"

    result = subprocess.run(command, input=session_input, capture_output=True, text=True,
                            timeout=180)
    output = result.stdout

    assert result.returncode == 0, result.stderr
    assert "Total params: 7,850" in output
    assert re.search(r"epoch 2/2 \[=+\] 100%  loss \d\.\d{3}  acc \d\.\d{3}  "
                     r"val_loss \d\.\d{3}  val_acc \d\.\d{3}", output)
    assert "First-layer weights of basic after 2 epochs" in output
    assert "Confusion matrix on the validation images" in output
    assert re.search(r"Test accuracy 0\.\d{4}, loss \d\.\d{4} on 1,000 images", output)
    assert re.search(r"Predicted \d with probability \d\.\d{3} for test image 0", output)
