"""The baseline `npm run bench:serve` compares `myelin serve` with: what a user writes instead, a plain
Python http.server (standard library, one thread per connection, HTTP/1.1 keep-alive) serving the same
network with PyTorch.

    /usr/bin/python3 python-serve.py SPEC.json [--keep-alive]

SPEC.json (written by bench-serve.ts from the registered version): the fitted preprocessing (the same
JSON the Myelin server replays), the dense layers (kernel in x out, bias, activation) and the class
labels. POST /predict with {"instances": [record, ...]} answers {"predictions": [{"label": ...,
"probabilities": [...]}, ...]}: the request is parsed, every record imputed, scaled and one-hot encoded
as the fitted preprocessing says, the batch runs through torch, the answer is JSON. Prints "READY
<port>" once listening. torch uses one thread, like the one core the Node server gets.

Plain (the default): the standard library's defaults, HTTP/1.0 with one connection per request (with
a listen backlog of 128 instead of 5).
--keep-alive: tuned, HTTP/1.1 keep-alive with each answer sent in one write with TCP_NODELAY (without
those two, keep-alive stalls ~40 ms per answer on Nagle + delayed ACK).
"""

import json
import math
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch

torch.set_num_threads(1)

with open(sys.argv[1], encoding="utf-8") as f:
    SPEC = json.load(f)

FP = SPEC["preprocessor"]
WIDTH = FP["width"]
ONEHOT = FP["config"]["encode"] == "onehot"
UNSEEN = FP["config"]["unseen"]
CLASSES = SPEC["classes"]


def missing(v):
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v))


FEATURES = []
for feat in FP["features"]:
    if feat["kind"] == "category":
        index = {c: i for i, c in enumerate(feat["categories"])}
        feat = dict(feat, index=index, most=index[feat["mostFrequent"]])
    FEATURES.append(feat)


def encode(instances):
    x = torch.zeros((len(instances), WIDTH), dtype=torch.float32)
    rows = x.numpy()
    for r, rec in enumerate(instances):
        row = rows[r]
        for f in FEATURES:
            v = rec.get(f["name"])
            at = f["offset"]
            kind = f["kind"]
            if kind == "numeric":
                val = f["fill"] if missing(v) else float(v)
                row[at] = (val - f["center"]) / f["scale"]
            elif kind == "boolean":
                row[at] = f["fill"] if missing(v) else (1.0 if v in (True, 1, "true", "True") else 0.0)
            else:
                label = f["fill"] if missing(v) else str(v)
                k = f["index"].get(label, -1)
                if k < 0 and UNSEEN == "mostFrequent":
                    k = f["most"]
                if ONEHOT:
                    if k >= 0:
                        row[at + k] = 1.0
                else:
                    row[at] = k
    return x


ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "softmax": lambda: torch.nn.Softmax(dim=1),
}
layers = []
for layer in SPEC["layers"]:
    kernel = torch.tensor(layer["kernel"], dtype=torch.float32)
    lin = torch.nn.Linear(kernel.shape[0], kernel.shape[1])
    with torch.no_grad():
        lin.weight.copy_(kernel.t())
        lin.bias.copy_(torch.tensor(layer["bias"], dtype=torch.float32))
    layers.append(lin)
    if layer["activation"] in ACTIVATIONS:
        layers.append(ACTIVATIONS[layer["activation"]]())
MODEL = torch.nn.Sequential(*layers).eval()


class Handler(BaseHTTPRequestHandler):

    def do_POST(self):
        n = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(n))
        instances = body["instances"]
        with torch.no_grad():
            y = MODEL(encode(instances))
        probs = y.tolist()
        if len(probs[0]) == 1:
            probs = [[1 - p[0], p[0]] for p in probs]
        preds = [{"label": CLASSES[max(range(len(p)), key=p.__getitem__)], "probabilities": p} for p in probs]
        out = json.dumps({"predictions": preds}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # the standard library listens with a backlog of 5: 16 clients reconnecting per request would
    # measure dropped SYNs and their 1 s retransmits rather than serving
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


if "--keep-alive" in sys.argv:
    Handler.protocol_version = "HTTP/1.1"
    # one write per answer, sent at once: no Nagle / delayed-ACK stall between headers and body
    Handler.wbufsize = 1 << 16
    Handler.disable_nagle_algorithm = True

server = Server(("127.0.0.1", 0), Handler)
print(f"READY {server.server_address[1]}", flush=True)
server.serve_forever()
