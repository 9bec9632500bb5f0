"""
Watching training: the history and its plot
===========================================

Every iteration of training adds a record to ``history_``: the two adversarial
losses, the uncertainty term L_U, the mean reward, and what the oracle says of
the generated batch.  :func:`skactivegan.plotting.plot_history` draws them; the
dashed line marks the end of the plain AC-GAN warm-up.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

from skactivegan import ActiveGANAugmenter
from skactivegan.plotting import plot_history
from skactivegan.uncertainty import margin

# %%
# Train on 200 digits at the defaults: 1,000 iterations of plain AC-GAN warm-up,
# then 1,000 with the uncertainty reward; the oracle is the default SVM.

X, y = load_digits(return_X_y=True)
X, y = X[:200], y[:200]
augmenter = ActiveGANAugmenter(n_samples=0.5, random_state=0)
X_res, y_res = augmenter.fit_resample(X, y)

# %%
# The records of the first iteration with the reward and of the last one.

first_active = next(r for r in augmenter.history_ if r["phase"] == "active")
last = augmenter.history_[-1]
for name, record in [("first active", first_active), ("last", last)]:
    print(f"{name:>12} iteration {record['iteration']:>3}: "
          f"reward {record['reward']:.3f}, informative {record['informative']:.2f}, "
          f"agreement {record['agreement']:.2f}")
asked = sum(augmenter.sampling_strategy_.values())
print(f"generated rows added: {len(X_res) - len(X)} (asked for: {asked}, half the "
      "real rows)")

# %%
# The history, smoothed over 10 iterations.

fig = plot_history(augmenter, smooth=10)

# %%
# Oracle margins of real and generated rows: the reward pushes the generator
# towards the oracle's decision boundary (small margins), and the filter keeps the
# most uncertain of ten candidates per row; the dashed line is the paper's
# threshold, 0.2, which few generated rows reach on digits.

X_gen, _ = augmenter.sample(200)
fig2, ax = plt.subplots(figsize=(6, 3))
ax.hist(margin(augmenter.oracle_.predict_proba(X)), bins=20, range=(0, 1), alpha=0.6,
        label="real rows")
ax.hist(margin(augmenter.oracle_.predict_proba(X_gen)), bins=20, range=(0, 1),
        alpha=0.6, label="generated rows, filtered")
ax.axvline(0.2, color="k", linestyle="--", linewidth=0.8)
ax.set_xlabel("oracle margin p(1st) - p(2nd)")
ax.set_ylabel("rows")
ax.legend()
fig2.tight_layout()
plt.show()
