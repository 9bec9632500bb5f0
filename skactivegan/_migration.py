"""Where the parameters of ActiveGANAugmenter before 1.0 went.

Calling ``ActiveGANAugmenter(n_components=5)`` or ``set_params(n_components=5)`` with
one of these names raises a TypeError (as any unknown parameter does) whose message
says where the setting lives now; the CHANGELOG has the same table.
"""

__all__ = ["MOVED", "check_moved"]

_COMPOSE = "generator=ComposingGenerator({name}=...) (skactivegan.generators)"
_FREE = ("generator=MLPGenerator({name}=...) or ConvGenerator({name}=...) "
         "(skactivegan.generators)")
_MIXTURE = ("generator=MLPGenerator(reward=MixtureReward({name}=...)) "
            "(skactivegan.generators, skactivegan.reward)")
_FILTER = ("filter=MarginFilter(threshold=1.0, {name}=...), which is "
           "filter='margin' (filter__{name} with filter='margin'); MarginFilter()'s "
           "own threshold is 0.2")

#: Old parameter name -> where it is now (or why it is gone).
MOVED = {
    "candidates_per_row": _FILTER,
    "fill_shortfall": _FILTER,
    "k_neighbors": _COMPOSE,
    "residual_scale": _COMPOSE,
    "policy_choices": _COMPOSE,
    "policy_learning_rate": _COMPOSE,
    "latent_dim": _FREE,
    "hidden_layer_sizes": (
        "generator=MLPGenerator(hidden_layer_sizes=...), or ConvGenerator(width=...) "
        "for the channel width of the convolutional networks"),
    "learning_rate": _FREE,
    "batch_size": _FREE,
    "discriminator_every": _FREE,
    "diversity_weight": _FREE,
    "mixed_precision": _FREE,
    "networks": _FREE,
    "image_shape": "generator=ConvGenerator(image_shape=...) (skactivegan.generators)",
    "n_components": _MIXTURE,
    "covariance_type": _MIXTURE,
    "buffer_batches": _MIXTURE,
    "em_iter": _MIXTURE,
    "reward_normalization": _MIXTURE,
    "log_density_normalization": _MIXTURE,
    "reward_gradient": (
        "the generator's own: a policy gradient for ComposingGenerator, the "
        "mixture of Eq. (10) (MixtureReward) for MLPGenerator and ConvGenerator; "
        "'pathwise' was removed"),
    "reward_target": "gone: 'label' was measured and not adopted",
    "policy_entropy_weight": "gone: it was measured and not adopted",
}


def check_moved(owner, names):
    """Raise a TypeError naming the new place of the first moved name in ``names``.

    Parameters
    ----------
    owner : str
        The class whose parameter was asked for.
    names : iterable of str
    """
    for name in names:
        if name in MOVED:
            raise TypeError(
                f"{owner} has no parameter {name!r} since version 1.0. Where it "
                f"went: {MOVED[name].format(name=name)}."
            )
