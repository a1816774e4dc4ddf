import torch

from models.versioning import tensors_digest


def test_digest_follows_the_weights_not_their_order():
    weights = {"a": torch.ones(3, dtype=torch.float16), "b": torch.zeros(2)}
    same = {"b": torch.zeros(2), "a": torch.ones(3, dtype=torch.float16)}
    changed = {"a": torch.ones(3, dtype=torch.float16), "b": torch.tensor([0.0, 1e-3])}
    assert tensors_digest(weights) == tensors_digest(same)
    assert tensors_digest(weights) != tensors_digest(changed)
    assert len(tensors_digest(weights)) == 8
