"""Work through many rows in batches: one query or one write per batch, never per row."""

from itertools import islice


def batched(iterable, size):
    """Yield lists of at most `size` items of the iterable, in order.

    itertools.batched does this from Python 3.12; the portal runs on 3.11.
    """
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
