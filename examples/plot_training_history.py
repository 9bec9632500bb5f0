"""
Watching training: the history and its plot
===========================================

Every iteration of training adds a record to ``history_``: the two adversarial
losses, the uncertainty term L_U, the mean reward, and what the oracle says of
the generated batch.  :func:`skactivegan.plotting.plot_history` draws them; the
dashed line marks the end of the warm-up, before which there is no reward.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

from skactivegan import ActiveGANAugmenter
from skactivegan.plotting import plot_history
from skactivegan.uncertainty import margin

# %%
# Train on 200 digits at the defaults, adding half as many rows as there are.  On
# a table the default generator composes real rows: a row of a class is a point
# on the segment between a real row and a same-class neighbour, plus a small
# residual.  During the 1,000 iterations of warm-up the adversarial losses train
# the residual and the discriminator, and the position on the segment is drawn
# uniformly, as in SMOTE; during the next 1,000 the reward steers the position
# (a policy gradient, whose term is L_U).  The oracle is the default SVM.

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
# Oracle margins of the real rows (those the oracle was fitted on) and of 200
# more generated rows.  At the defaults on a table no filter is applied: every
# composed row is kept.  The dashed line is the paper's threshold, 0.2, which
# few generated rows reach on digits.

X_gen, _ = augmenter.sample(200)
fig2, ax = plt.subplots(figsize=(6, 3))
ax.hist(margin(augmenter.oracle_.predict_proba(X)), bins=20, range=(0, 1), alpha=0.6,
        label="real rows")
ax.hist(margin(augmenter.oracle_.predict_proba(X_gen)), bins=20, range=(0, 1),
        alpha=0.6, label="generated rows")
ax.axvline(0.2, color="k", linestyle="--", linewidth=0.8)
ax.set_xlabel("oracle margin p(1st) - p(2nd)")
ax.set_ylabel("rows")
ax.legend()
fig2.tight_layout()
plt.show()
