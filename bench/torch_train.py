"""PyTorch CPU peer of the train benchmark (bench/train.ts).

Trains the same backbone as `subface train` (cpu_resnet with the run's
default channels, or iResNet-18) with an ArcFace head (s = 64, m = 0.5)
and SGD (momentum 0.9, weight decay 5e-4, as the CLI's trainer), and
prints one JSON object as its last line: images/s over the timed steps
after the warm-up, and the process's peak RSS (ru_maxrss).

Unlike the CLI, which draws, decodes and normalises synthetic faces in its
pipeline, this is fed one pre-made random batch, reused every step: no data
pipeline is timed here. Run with Debian's torch:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_train.py \
        --backbone cpu_resnet --size 64 --batch 64 --steps 25 --warmup 5
"""
import argparse
import json
import math
import os
import resource
import sys

import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "test", "fixtures"))

from torch_train_step import CpuResNet, time_steps  # noqa: E402
from make_backbone_reference import IRESNET_LAYERS, IResNetRef  # noqa: E402

# make_backbone_reference switches the default to float64 on import.
torch.set_default_dtype(torch.float32)

# kernels/subface/cli/run_config.ts: DEFAULT_CPU_RESNET_CHANNELS.
CPU_RESNET_STEM = 16
CPU_RESNET_STAGES = (16, 32, 64, 128)


class ArcFace(nn.Module):
    """logits = s * cos(theta + m * onehot) over normalised centres."""

    def __init__(self, embedding_dim, num_classes, scale=64.0, margin=0.5):
        super().__init__()
        self.class_centers = nn.Parameter(
            torch.randn(num_classes, embedding_dim) * 0.01)
        self.scale, self.margin = scale, margin

    def forward(self, raw_embeddings, labels):
        embeddings = F.normalize(raw_embeddings, dim=1)
        centers = F.normalize(self.class_centers, dim=1)
        cos_theta = (embeddings @ centers.t()).clamp(-1 + 1e-7, 1 - 1e-7)
        onehot = F.one_hot(labels, cos_theta.shape[1]).to(cos_theta.dtype)
        theta = torch.acos(cos_theta) + self.margin * onehot
        logits = self.scale * torch.cos(theta)
        return F.cross_entropy(logits, labels)


def build(backbone, size, embedding_dim):
    if backbone == "cpu_resnet":
        return CpuResNet(size, stem=CPU_RESNET_STEM,
                         stages=CPU_RESNET_STAGES,
                         embedding_dim=embedding_dim)
    if backbone in IRESNET_LAYERS:
        return IResNetRef(IRESNET_LAYERS[backbone], size, embedding_dim)
    raise SystemExit(
        f"torch_train: --backbone must be cpu_resnet or one of "
        f"{', '.join(IRESNET_LAYERS)}, but got '{backbone}'")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backbone", default="cpu_resnet")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--embedding-dim", type=int, default=128)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = build(args.backbone, args.size, args.embedding_dim)
    head = ArcFace(args.embedding_dim, args.classes)
    params = [p for p in list(net.parameters()) + list(head.parameters())
              if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9,
                                weight_decay=5e-4)
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, args.classes, (args.batch,))

    times, loss = time_steps(net, head, optimizer, images, labels,
                             args.warmup, args.steps)

    total = sum(times)
    print(json.dumps({
        "name": "torch-train",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "backbone": args.backbone,
        "size": args.size,
        "batch": args.batch,
        "classes": args.classes,
        "warmup": args.warmup,
        "steps": args.steps,
        "params_backbone": sum(p.numel() for p in net.parameters()),
        "step_s": times,
        "images_per_s": args.batch * len(times) / total,
        "loss": loss if math.isfinite(loss) else None,
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        / 1024,
        "data": "one pre-made random batch, reused every step",
    }))


if __name__ == "__main__":
    main()
