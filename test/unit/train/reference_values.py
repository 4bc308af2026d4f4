"""Hand-computed reference values for optimizer.test.ts and
schedule.test.ts, in float64 plain Python, following the update rules as
PyTorch documents them (torch.optim.SGD, Adam, AdamW) and InsightFace's
PolynomialLRWarmup closed form. Run: python3 reference_values.py"""
import math

W0 = [1.0, -2.0]
G1 = [0.5, 0.1]
G2 = [-0.2, 0.3]


def sgd(lrs, momentum, wd):
    w, buf = list(W0), None
    for lr, g in zip(lrs, (G1, G2)):
        d = [gi + wd * wi for gi, wi in zip(g, w)]
        buf = d if buf is None else [momentum * b + di for b, di in zip(buf, d)]
        w = [wi - lr * b for wi, b in zip(w, buf)]
    return w, buf


def adam(lr, b1, b2, eps, wd, decoupled):
    w, m, v = list(W0), [0.0, 0.0], [0.0, 0.0]
    for t, g in enumerate((G1, G2), start=1):
        if decoupled:
            w = [wi * (1 - lr * wd) for wi in w]
        else:
            g = [gi + wd * wi for gi, wi in zip(g, w)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        mh = [mi / (1 - b1**t) for mi in m]
        vh = [vi / (1 - b2**t) for vi in v]
        w = [wi - lr * a / (math.sqrt(b) + eps) for wi, a, b in zip(w, mh, vh)]
    return w, m, v


def poly(base, step, warmup, total, power):
    if step < warmup:
        return base * (step + 1) / warmup
    if step >= total:
        return 0.0
    return base * (1 - (step - warmup) / (total - warmup)) ** power


print("sgd lr 0.1 then 0.05, momentum 0.9, wd 0.01:", sgd([0.1, 0.05], 0.9, 0.01))
print("adam lr 0.1, wd 0:", adam(0.1, 0.9, 0.999, 1e-8, 0.0, False))
print("adam lr 0.1, wd 0.1:", adam(0.1, 0.9, 0.999, 1e-8, 0.1, False))
print("adamw lr 0.1, wd 0.1:", adam(0.1, 0.9, 0.999, 1e-8, 0.1, True))
print("poly 0.1, no warmup, total 100, power 1, steps 0 1 50 99 100:",
      [poly(0.1, s, 0, 100, 1) for s in (0, 1, 50, 99, 100)])
print("poly 0.1, warmup 10, total 110, power 2, steps 0 4 9 10 60 109:",
      [poly(0.1, s, 10, 110, 2) for s in (0, 4, 9, 10, 60, 109)])
