"""Train one model with PyTorch on the images nnscope trains on; print timings as JSON.

This is the PyTorch side of bench/engine_vs_pytorch.py, which runs it in its own process
(with Debian's /usr/bin/python3 and python3-torch) so that the process's peak RSS is
PyTorch's. It reads the same IDX files as bench/engine_bench.c and the subset indices that
program wrote with --subsets-out. The models, initialisation (Glorot uniform dense
kernels, fan-in truncated normal conv kernels, zero biases), loss (cross-entropy on
logits) and optimizer (Adam, beta1 0.9, beta2 0.999, epsilon 1e-7) mirror nnscope's.

Timing matches engine_bench.c: seconds_per_epoch is the wall time of the whole training
loop divided by the epochs, including the per-epoch shuffle and a validation pass over the
held-out images after every epoch. The images are converted to float tensors in [0,1]
once, before the timer starts, as a PyTorch user would do.
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_idx(directory, base):
    """Return the array stored in directory/base or directory/base.gz."""
    path = os.path.join(directory, base)
    if not os.path.exists(path):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as file:
        data = file.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    if magic >> 8 != 0x08:
        raise SystemExit(f"torch_bench.py: {path} is not an IDX file of unsigned bytes "
                         f"(magic number 0x{magic:08x})")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def build_model(name):
    """Return the PyTorch twin of nnscope's basic, mlp (784-128-10) or conv model."""
    if name == "basic":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    elif name == "mlp":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    elif name == "conv":
        model = nn.Sequential(
            nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(), nn.Linear(16 * 4 * 4, 10))
    else:
        raise SystemExit(f"torch_bench.py: unknown model {name}; use basic, mlp or conv")

    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.Conv2d):
            # Keras' VarianceScaling(scale=1, mode="fan_in", distribution="truncated_normal"):
            # a normal cut at two standard deviations, its stddev corrected for the cut.
            fan_in = layer.in_channels * layer.kernel_size[0] * layer.kernel_size[1]
            std = math.sqrt(1.0 / fan_in) / 0.87962566103423978
            nn.init.trunc_normal_(layer.weight, std=std, a=-2 * std, b=2 * std)
            nn.init.zeros_(layer.bias)
    return model


def score(model, images, labels, batch_size):
    """Return the mean cross-entropy loss and the accuracy over images."""
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start:start + batch_size])
            target = labels[start:start + batch_size]
            total_loss += F.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(dim=1) == target).sum().item()
    return total_loss / len(images), correct / len(images)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="directory of the four IDX files")
    parser.add_argument("--subsets", required=True, help="JSON indices written by engine-bench --subsets-out")
    parser.add_argument("--model", required=True, choices=["basic", "mlp", "conv"])
    parser.add_argument("--dataset", default="mnist", help="name reported in the output")
    parser.add_argument("--batch", type=int, default=512, help="images per batch")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.01, help="Adam learning rate")
    parser.add_argument("--seed", type=int, default=42, help="seed of initialisation and shuffling")
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads value")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    with open(args.subsets) as file:
        subsets = json.load(file)
    train_images = read_idx(args.data, "train-images-idx3-ubyte")
    train_labels = read_idx(args.data, "train-labels-idx1-ubyte")
    test_images = read_idx(args.data, "t10k-images-idx3-ubyte")
    test_labels = read_idx(args.data, "t10k-labels-idx1-ubyte")

    def tensors(images, labels, indices):
        index = np.asarray(indices, dtype=np.int64)
        x = torch.from_numpy(images[index].astype(np.float32) / 255.0).unsqueeze(1)
        y = torch.from_numpy(labels[index].astype(np.int64))
        return x, y

    x_train, y_train = tensors(train_images, train_labels, subsets["train"])
    x_val, y_val = tensors(train_images, train_labels, subsets["val"])
    x_test, y_test = tensors(test_images, test_labels, subsets["test"])

    model = build_model(args.model)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-7)
    generator = torch.Generator().manual_seed(args.seed)
    epoch_seconds = []
    val_accuracy = 0.0

    started = time.perf_counter()
    for _ in range(args.epochs):
        epoch_started = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for start in range(0, len(order), args.batch):
            batch = order[start:start + args.batch]
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        model.eval()
        if len(x_val):
            _, val_accuracy = score(model, x_val, y_val, args.batch)
        epoch_seconds.append(time.perf_counter() - epoch_started)
    train_seconds = time.perf_counter() - started

    test_loss, test_accuracy = score(model, x_test, y_test, args.batch)
    json.dump({
        "engine": "pytorch", "version": torch.__version__, "model": args.model,
        "dataset": args.dataset, "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "seconds_per_epoch": train_seconds / args.epochs, "epoch_seconds": epoch_seconds,
        "val_accuracy": val_accuracy, "test_accuracy": test_accuracy, "test_loss": test_loss,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
