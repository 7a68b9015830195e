"""PyTorch baseline of `npm run bench:train`: the same models, data sizes, batch, optimizer
(Adam 1e-3), threads and epochs as Myelin's torch engine, written the way a PyTorch user would
(nn.Sequential, CrossEntropyLoss on logits, a randperm-shuffled loop over index batches).

Usage: python3 train_baseline.py '{"model": "mlp", "rows": 60000, "epochs": 2, "batchSize": 128, "threads": 2}'
Prints one JSON line: {"samplesPerSec", "seconds", "finalLoss", "maxRssMb", "torch"}.
"""
import json
import resource
import sys
import time

import torch

args = json.loads(sys.argv[1])
# denormals flushed to zero, as the torch engine runs (and TensorFlow's CPU kernels): without it
# a dead unit's Adam moments reach the denormal range after ~800 steps and PyTorch's 60,000-row
# MLP slows down by half from its third epoch. Set before the first parallel region, so the
# intra-op threads, created later, inherit the mode. The baseline is not handicapped.
torch.set_flush_denormal(True)
torch.set_num_threads(int(args["threads"]))
torch.manual_seed(7)
rows, epochs, batch = int(args["rows"]), int(args["epochs"]), int(args["batchSize"])
classes = 10

if args["model"] == "mlp":
    x = torch.rand(rows, 784)
    teacher = torch.randn(784, classes)
    y = (x @ teacher).argmax(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, classes),
    )
else:
    x = torch.rand(rows, 1, 8, 8)
    teacher = torch.randn(64, classes)
    y = (x.reshape(rows, 64) @ teacher).argmax(1)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(32 * 4 * 4, classes),
    )

optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
ends = []
start = time.perf_counter()
last = float("nan")
for epoch in range(1 + epochs):  # one warm-up epoch, then the timed ones
    order = torch.randperm(rows)
    total = 0.0
    for s in range(0, rows, batch):
        idx = order[s:s + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(idx)
    last = total / rows
    ends.append(time.perf_counter())
seconds = ends[-1] - ends[0]
print(json.dumps({
    "samplesPerSec": rows * epochs / seconds,
    "seconds": seconds,
    "finalLoss": last,
    "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "torch": torch.__version__,
}))
