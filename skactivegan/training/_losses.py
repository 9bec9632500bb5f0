"""The adversarial losses of Algorithm 1, as small pure functions of logits."""

import torch
import torch.nn.functional as F

__all__ = ["discriminator_loss", "generator_adversarial_loss", "mode_seeking_term"]


def discriminator_loss(real_logit, fake_logit, real_class_logits, fake_class_logits,
                       y_real, y_fake):
    """Negative of Eq. (4), to be minimised by the discriminator.

    ``-[log P(real|x) + log P(fake|x_hat) + log P(y|x) + log P(y|x_hat)]``, each term
    averaged over its batch.

    Parameters
    ----------
    real_logit, fake_logit : Tensor of shape (n,)
        Real/fake logits of real and generated samples.
    real_class_logits, fake_class_logits : Tensor of shape (n, K)
        Class logits of real and generated samples.
    y_real, y_fake : Tensor of shape (n,), int64
        True labels and conditioning labels.

    Returns
    -------
    loss : Tensor, scalar
    """
    source = F.binary_cross_entropy_with_logits(
        real_logit, torch.ones_like(real_logit)
    ) + F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit))
    classes = F.cross_entropy(real_class_logits, y_real) + F.cross_entropy(
        fake_class_logits, y_fake
    )
    return source + classes


def generator_adversarial_loss(fake_logit, fake_class_logits, y_fake):
    """Negative of Eq. (5), non-saturating: ``-[log P(real|x_hat) + log P(y|x_hat)]``.

    Parameters
    ----------
    fake_logit : Tensor of shape (n,)
    fake_class_logits : Tensor of shape (n, K)
    y_fake : Tensor of shape (n,), int64

    Returns
    -------
    loss : Tensor, scalar
    """
    return F.binary_cross_entropy_with_logits(
        fake_logit, torch.ones_like(fake_logit)
    ) + F.cross_entropy(fake_class_logits, y_fake)


def mode_seeking_term(x_fake, z, eps=1e-5):
    """Mode-seeking regulariser (Mao et al., CVPR 2019), to be minimised by G.

    The batch is two halves generated with the same labels and different noise;
    the term is ``1 / (mean|G(z1,y) - G(z2,y)| / mean|z1 - z2| + eps)``, large when
    the generator ignores its noise (intra-class mode collapse).  Not in ActiveGAN.

    Parameters
    ----------
    x_fake : Tensor of shape (2m, d)
        Rows ``i`` and ``m + i`` share a label.
    z : Tensor of shape (2m, latent_dim)

    Returns
    -------
    term : Tensor, scalar
    """
    m = len(x_fake) // 2
    dx = (x_fake[:m] - x_fake[m:2 * m]).abs().mean()
    dz = (z[:m] - z[m:2 * m]).abs().mean()
    return 1.0 / (dx / dz + eps)
