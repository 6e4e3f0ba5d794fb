from core.batching import batched


def test_it_yields_full_batches_then_the_rest():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_it_reads_a_generator_once_and_yields_nothing_for_nothing():
    assert list(batched((n for n in range(4)), 2)) == [[0, 1], [2, 3]]
    assert list(batched([], 5)) == []
