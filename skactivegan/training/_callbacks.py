"""Training callbacks shipped with the library: the progress printer."""

import math
import sys
import time

__all__ = ["ProgressPrinter"]


class ProgressPrinter:
    """Callback drawing a progress bar with the current losses and mean reward.

    One line about every 5 % of training, written to standard error, so that it reads
    the same in a terminal, a notebook and a log file.  Used by
    ``ActiveGANAugmenter(verbose=1)``; any callable taking a history record can be
    given as a callback in the same way.

    Parameters
    ----------
    max_iter : int
        Iterations of the whole run, for the bar.
    stream : file-like, default=None
        Where to write; None is standard error.
    """

    width = 20

    def __init__(self, max_iter, stream=None):
        self.max_iter = max_iter
        self.every = max(1, max_iter // 20)
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()

    def __call__(self, record):
        """Print a line on every ``every``-th iteration and the last; never stop."""
        it = record["iteration"]
        if it % self.every and it != self.max_iter:
            return False
        done = int(self.width * it / self.max_iter)
        bar = "#" * done + "-" * (self.width - done)
        line = (
            f"[ActiveGAN] [{bar}] {it:>6d}/{self.max_iter} {record['phase']:<6s} "
            f"loss_d={float(record['loss_d']):.3f} loss_g={float(record['loss_g']):.3f}"
        )
        if record["phase"] == "active":
            # Only what this iteration computed: with uncertainty_weight=0 there is
            # no L_U, and the oracle is asked only every few iterations.
            for key, name, spec in (("uncertainty", "L_U", ".3g"),
                                    ("reward", "reward", ".3f"),
                                    ("margin", "margin", ".2f"),
                                    ("agreement", "agreement", ".2f")):
                value = float(record[key])
                if not math.isnan(value):
                    line += f" {name}={value:{spec}}"
        print(f"{line} {time.perf_counter() - self.start:.1f}s", file=self.stream,
              flush=True)
        return False
