"""Myelin's GPU check: the torch engine on CUDA against PyTorch on the same GPU, in one run.

For each case (the 784-256-128-10 MLP on 60,000 rows, batch 128, and the digits CNN
conv16-pool-conv32-dense10, batch 32):
  1. train-addon.mjs makes the data and initial weights, trains them with Myelin's addon on
     CUDA and writes the per-epoch losses, samples/s and final weights;
  2. a PyTorch replica of Myelin's meaning (the same weights, the same randperm batches, NHWC
     rows, softmax + clipped log loss, Adam with eps 1e-7) trains the same epochs: over 8 steps
     its losses, weights (relative norm per tensor) and outputs must match the addon's within
     1e-4; over the whole run (where float noise grows chaotically) its per-epoch losses within
     2e-2 relative and its accuracy on 2,000 rows within 2 points;
  3. idiomatic PyTorch (CrossEntropyLoss on logits, data on the GPU) gives the speed baseline.
Prints a table of samples/s and ratios; exits 1 on a mismatch, 2 when there is no CUDA device.

Usage (from the repository root, after building the addon against this Python's torch):
  python3 tools/gpu-check/gpu_check.py [--epochs 3] [--node node]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--node", default=os.environ.get("NODE", "node"))
ap.add_argument("--cases", default="mlp,cnn")
ap.add_argument("--device", default="cuda:0", help="cpu runs the same comparison on the CPU (a dry run of the check itself)")
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))

dev = torch.device(args.device)
if dev.type == "cuda":
    if not torch.cuda.is_available():
        print("gpu-check: PyTorch sees no CUDA device; nothing to check")
        sys.exit(2)
    print(f"gpu-check: {torch.cuda.get_device_name(dev)}, torch {torch.__version__}, CUDA {torch.version.cuda}, epochs {args.epochs}")
else:
    print(f"gpu-check: dry run on the CPU, torch {torch.__version__}, epochs {args.epochs}")


def sync():
    if dev.type == "cuda":
        torch.cuda.synchronize()


def load(path, shape):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape).clone()


class Replica(torch.nn.Module):
    """Myelin's plan in PyTorch: flat NHWC rows in, permuted to NCHW for convolutions, back to NHWC to flatten."""

    def __init__(self, result, out):
        super().__init__()
        self.result = result
        self.params = torch.nn.ParameterDict()
        for w in result["weights"]:
            self.params[w["name"].replace(".", "_")] = torch.nn.Parameter(load(os.path.join(out, f"init_{w['name']}.f32"), w["shape"]))

    def p(self, name):
        return self.params[name.replace(".", "_")]

    def forward(self, rows):
        shape = self.result["inputShape"]
        x = rows
        image = len(shape) == 3
        if image:
            x = x.reshape(-1, *shape).permute(0, 3, 1, 2)
        for i, l in enumerate(self.result["layers"]):
            if l["kind"] == "dense":
                x = torch.nn.functional.linear(x, self.p(f"{i}.weight"), self.p(f"{i}.bias"))
            elif l["kind"] == "conv2d":
                x = torch.nn.functional.pad(x, (l["padLeft"], l["padRight"], l["padTop"], l["padBottom"]))
                x = torch.nn.functional.conv2d(x, self.p(f"{i}.weight"), self.p(f"{i}.bias"), stride=(l["strideHeight"], l["strideWidth"]))
            elif l["kind"] == "maxPooling2d":
                x = torch.nn.functional.max_pool2d(x, (l["kernelHeight"], l["kernelWidth"]), (l["strideHeight"], l["strideWidth"]))
            elif l["kind"] == "flatten" and image:
                x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
                image = False
            act = l.get("activation")
            if act == "relu":
                x = torch.relu(x)
            elif act == "softmax":
                x = torch.softmax(x, -1)
        return x


def replica_run(result, out, x, y):
    model = Replica(result, out).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    n, b = result["rows"], result["batchSize"]
    losses = []
    for h in result["history"]:
        order = torch.randperm(n, generator=torch.Generator().manual_seed(h["shuffleSeed"])).to(dev)
        total = torch.zeros((), dtype=torch.float64, device=dev)
        for s in range(0, n, b):
            idx = order[s : s + b]
            p = model(x[idx])
            q = (p / p.sum(-1, keepdim=True)).clamp(1e-7, 1 - 1e-7)
            loss = -(y[idx] * q.log()).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.detach().double() * len(idx)
        losses.append(float(total) / n)
    return losses, model


def idiomatic_speed(result, x, y):
    n, b = result["rows"], result["batchSize"]
    labels = y.argmax(1)
    if result["case"] == "mlp":
        model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
        xs = x
    else:
        model = torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(512, 10),
        )
        xs = x.reshape(n, 8, 8, 1).permute(0, 3, 1, 2).contiguous()
    model = model.to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    speeds = []
    for epoch in range(1 + args.epochs):
        sync()
        t0 = time.perf_counter()
        order = torch.randperm(n, device=dev)
        for s in range(0, n, b):
            idx = order[s : s + b]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx]), labels[idx])
            loss.backward()
            opt.step()
            loss.item()  # Myelin reads each batch's loss to name a non-finite one
        sync()
        if epoch > 0:
            speeds.append(n / (time.perf_counter() - t0))
    return sorted(speeds)[len(speeds) // 2]


failures = []
rows = []


def compare(case, epochs, env_rows=None, env_batch=None):
    """Trains a case with the addon and with the replica; returns (result, x, y, loss diff, weight diff, output diff)."""
    out = tempfile.mkdtemp(prefix=f"myelin-gpu-{case}-")
    env = dict(os.environ)
    if env_rows:
        env["GPU_CHECK_ROWS"] = str(env_rows)
    if env_batch:
        env["GPU_CHECK_BATCH"] = str(env_batch)
    subprocess.run([args.node, os.path.join(here, "train-addon.mjs"), case, out, args.device, str(epochs)], check=True, env=env)
    with open(os.path.join(out, "result.json")) as f:
        result = json.load(f)
    n = result["rows"]
    d = 1
    for s in result["inputShape"]:
        d *= s
    x = load(os.path.join(out, "x.f32"), [n, d]).to(dev)
    y = load(os.path.join(out, "y.f32"), [n, 10]).to(dev)
    losses, model = replica_run(result, out, x, y)
    addon_losses = [h["loss"] for h in result["history"]]
    loss_diff = max(abs(a - b) / max(1e-6, abs(b)) for a, b in zip(addon_losses, losses))
    # over many steps float noise (summation order in BLAS, cuDNN, TF32) grows as training is
    # chaotic, so each tensor is compared by relative norm and the functions by their outputs
    weight_diff = 0.0
    mine_model = Replica(result, out).to(dev)
    with torch.no_grad():
        for w in result["weights"]:
            mine = load(os.path.join(out, f"final_{w['name']}.f32"), w["shape"]).to(dev)
            theirs = model.p(w["name"]).detach()
            weight_diff = max(weight_diff, float((mine - theirs).norm() / theirs.norm().clamp_min(1e-12)))
            mine_model.p(w["name"]).copy_(mine)
        probe = x[: min(n, 2000)]
        mine_out, their_out = mine_model(probe), model(probe)
        output_diff = float((mine_out - their_out).abs().max())
        labels = y[: len(probe)].argmax(1)
        accuracy_diff = abs(float((mine_out.argmax(1) == labels).float().mean()) - float((their_out.argmax(1) == labels).float().mean()))
    print(f"  {case} ({n} rows, batch {result['batchSize']}): addon losses {['%.5f' % v for v in addon_losses]}, replica {['%.5f' % v for v in losses]}")
    return result, x, y, loss_diff, weight_diff, output_diff, accuracy_diff


for case in args.cases.split(","):
    # 1. exactness: 8 steps of the same batches from the same weights must agree closely
    _, _, _, ld, wd, od, _ = compare(case, 2, env_rows=4096, env_batch=1024)
    if not (ld <= 1e-4 and wd <= 1e-4 and od <= 1e-4):
        failures.append(f"{case} (8 steps): loss rel diff {ld:.2e}, weight rel norm diff {wd:.2e}, output diff {od:.2e} (limit 1e-4)")
    # 2. the full run: training is chaotic, so float noise (BLAS summation order, cuDNN, TF32)
    #    grows into different weights; the curves and the accuracy of the trained models must agree
    result, x, y, loss_diff, weight_diff, output_diff, accuracy_diff = compare(case, args.epochs)
    ok = loss_diff <= 2e-2 and accuracy_diff <= 0.02
    if not ok:
        failures.append(f"{case}: loss rel diff {loss_diff:.2e} (limit 2e-2), accuracy diff {accuracy_diff:.3f} (limit 0.02)")
    addon_speed = sorted(h["samplesPerSec"] for h in result["history"][1:])[(len(result["history"]) - 1) // 2]
    torch_speed = idiomatic_speed(result, x, y)
    rows.append((case, addon_speed, torch_speed, loss_diff, weight_diff, output_diff, ok))

print(f"{'case':6} {'Myelin torch (' + dev.type + ')':>20} {'PyTorch (' + dev.type + ')':>15} {'ratio':>6} {'loss diff':>10} {'weight diff':>12} {'output diff':>12}  result")
for case, a, t, ld, wd, od, ok in rows:
    print(f"{case:6} {a:20,.0f} {t:15,.0f} {a / t:6.2f} {ld:10.1e} {wd:12.1e} {od:12.1e}  {'match' if ok else 'MISMATCH'}")
if failures:
    print("gpu-check: MISMATCH — " + "; ".join(failures))
    sys.exit(1)
print("gpu-check: results match")
