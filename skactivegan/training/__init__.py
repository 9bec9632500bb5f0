"""Algorithm 1: the losses, the trainer, its optimiser and callbacks, and the
function that learns everything ``fit`` learns (not public)."""

from ._config import TrainingConfig

__all__ = ["TrainingConfig"]
