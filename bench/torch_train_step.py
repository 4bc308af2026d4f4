"""PyTorch CPU twin of the train_step benchmark (bench/train_step.ts).

Times SGD-momentum training steps of the same network as
kernels/subface/backbones/cpu_resnet.ts with the same CosFace head, and
prints one JSON object as its last line. Run with Debian's torch:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_train_step.py \
        --size 112 --batch 32 --steps 5 --warmup 2 --threads 2
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
from torch import nn


def halve(size):
    return (size - 1) // 2 + 1


class ConvBn(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel, stride):
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel, stride,
                      padding=kernel // 2, bias=False),
            nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1),
        )


class Stage(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.reduce = ConvBn(in_channels, out_channels, 3, 2)
        self.alpha = nn.PReLU(out_channels)
        self.refine = ConvBn(out_channels, out_channels, 3, 1)
        self.shortcut = ConvBn(in_channels, out_channels, 1, 2)

    def forward(self, x):
        main = self.refine(self.alpha(self.reduce(x)))
        return main + self.shortcut(x)


class CpuResNet(nn.Module):
    """Same layout, padding and parameter count as cpu_resnet.ts."""

    def __init__(self, size, stem=32, stages=(32, 64, 128, 256),
                 embedding_dim=512):
        super().__init__()
        self.stem = ConvBn(3, stem, 3, 2)
        self.stem_alpha = nn.PReLU(stem)
        blocks, channels, side = [], stem, halve(size)
        for out_channels in stages:
            blocks.append(Stage(channels, out_channels))
            channels, side = out_channels, halve(side)
        self.stages = nn.Sequential(*blocks)
        self.fc = nn.Linear(side * side * channels, embedding_dim,
                            bias=False)
        self.neck = nn.BatchNorm1d(embedding_dim, eps=1e-5)

    def forward(self, images):
        x = self.stem_alpha(self.stem(images))
        x = self.stages(x)
        # NHWC flatten order, as in tfjs (only matters for weight import).
        x = x.permute(0, 2, 3, 1).flatten(1)
        return self.neck(self.fc(x))


class CosFace(nn.Module):
    """logits = s * (cos(theta) - m * onehot), Eq. 4 of CosFace."""

    def __init__(self, embedding_dim, num_classes, scale=64.0, margin=0.35):
        super().__init__()
        self.class_centers = nn.Parameter(
            torch.randn(num_classes, embedding_dim) * 0.01)
        self.scale, self.margin = scale, margin

    def forward(self, raw_embeddings, labels):
        embeddings = F.normalize(raw_embeddings, dim=1)
        centers = F.normalize(self.class_centers, dim=1)
        cos_theta = (embeddings @ centers.t()).clamp(-1, 1)
        onehot = F.one_hot(labels, cos_theta.shape[1]).to(cos_theta.dtype)
        logits = self.scale * (cos_theta - self.margin * onehot)
        return F.cross_entropy(logits, labels)


def time_steps(net, head, optimizer, images, labels, warmup, steps):
    """Seconds of each of `steps` training steps after `warmup` untimed
    ones, and the last loss: one fixed batch, forward, backward, update."""
    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = head(net(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    net.train()
    for _ in range(warmup):
        step()
    times, loss = [], None
    for _ in range(steps):
        start = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - start)
    return times, loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--size', type=int, default=112)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--classes', type=int, default=1000)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = CpuResNet(args.size)
    head = CosFace(512, args.classes)
    params = list(net.parameters()) + list(head.parameters())
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, args.classes, (args.batch,))

    times, loss = time_steps(net, head, optimizer, images, labels,
                             args.warmup, args.steps)

    mean = sum(times) / len(times)
    print(json.dumps({
        'name': 'torch-train-step',
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'size': args.size,
        'batch': args.batch,
        'params_backbone': sum(p.numel() for p in net.parameters()),
        'params_head': sum(p.numel() for p in head.parameters()),
        'step_s': times,
        'mean_step_s': mean,
        'images_per_s': args.batch / mean,
        'loss': loss,
    }))


if __name__ == '__main__':
    main()
