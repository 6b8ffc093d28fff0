"""gdl.guards.switched_off: a library is unusable inside the block and intact after it."""

import sys

import numpy as np
import ot
import pytest

from gdl.guards import switched_off


def _namespace():
    import ot as pot
    from ot import emd2
    from ot.lp import emd

    return {"ot": ot, "pot": pot, "emd2": emd2, "emd": emd, "np": np, "__name__": "__main__"}


def _uses(namespace, source):
    exec(source, namespace)
    return namespace["answer"]


@pytest.mark.parametrize("source", [
    "def answer():\n    return ot.emd2([1.0], [1.0], [[0.0]])",
    "def answer():\n    return pot.emd2([1.0], [1.0], [[0.0]])",
    "def answer():\n    return emd2([1.0], [1.0], [[0.0]])",
    "def answer():\n    return emd([1.0], [1.0], [[0.0]])",
    "def answer():\n    import ot\n    return ot.emd2([1.0], [1.0], [[0.0]])",
    "def answer():\n    from ot.lp import emd2\n    return emd2([1.0], [1.0], [[0.0]])",
    "def answer():\n    from ot import sinkhorn\n    return sinkhorn",
])
def test_every_route_to_the_library_fails_with_the_instruction(source):
    namespace = _namespace()
    answer = _uses(namespace, source)
    with switched_off("ot", namespace):
        with pytest.raises(AssertionError, match="do not call ot"):
            answer()
    # afterwards everything works again
    assert answer() is not None
    assert namespace["pot"] is ot and sys.modules["ot"] is ot
    assert float(namespace["emd2"]([1.0], [1.0], [[0.0]])) == 0.0


def test_other_code_is_untouched_and_the_message_can_be_replaced():
    namespace = _namespace()
    answer = _uses(namespace, "def answer(x):\n    return float(np.sum(np.sort(x)))")
    with switched_off("ot", namespace, why="do not call POT in solve_ot_lp"):
        assert answer([2.0, 1.0]) == 3.0
        with pytest.raises(AssertionError, match="POT in solve_ot_lp"):
            namespace["ot"].emd
    assert namespace["np"] is np


def test_everything_is_restored_when_the_block_raises():
    namespace = _namespace()
    saved = {name: module for name, module in sys.modules.items() if name == "ot" or name.startswith("ot.")}
    with pytest.raises(ValueError):
        with switched_off("ot", namespace):
            raise ValueError("boom")
    assert {name: module for name, module in sys.modules.items()
            if name == "ot" or name.startswith("ot.")} == saved
    assert namespace["emd"] is ot.lp.emd


def test_a_module_that_was_never_imported_is_switched_off_then_forgotten():
    assert "gdl_no_such_module" not in sys.modules
    with switched_off("gdl_no_such_module"):
        with pytest.raises(AssertionError):
            import gdl_no_such_module  # noqa: F401

            gdl_no_such_module.anything
    assert "gdl_no_such_module" not in sys.modules


@pytest.mark.parametrize("source", [
    "def answer():\n    return mode_coverage([[0.0, 0.0]], [[0.0, 0.0]], 1.0)",
    "def answer():\n    return gdl.metrics.mode_coverage([[0.0, 0.0]], [[0.0, 0.0]], 1.0)",
    "def answer():\n    from gdl import metrics\n    return metrics.mode_coverage([[0.0, 0.0]], [[0.0, 0.0]], 1.0)",
    "def answer():\n    import gdl.metrics as m\n    return m.mode_coverage([[0.0, 0.0]], [[0.0, 0.0]], 1.0)",
])
def test_a_submodule_is_switched_off_through_its_package_too(source):
    import gdl
    import gdl.metrics
    from gdl.metrics import mode_coverage

    namespace = {"gdl": gdl, "mode_coverage": mode_coverage, "__name__": "__main__"}
    answer = _uses(namespace, source)
    with switched_off("gdl.metrics", namespace):
        with pytest.raises(AssertionError, match="do not call gdl.metrics"):
            answer()
        import gdl.bench  # the rest of the package still works

        assert gdl.bench.seeds([3]) == [3]
    assert answer() == (1, 1.0)
    assert gdl.metrics is sys.modules["gdl.metrics"] and namespace["mode_coverage"] is mode_coverage
