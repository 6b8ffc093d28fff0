"""Static rules every solution notebook follows (cheap; catches authoring slips early)."""

import pytest

from notebooks import grade_cells, read, solution_notebooks


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.name)
def test_solution_notebook_follows_the_house_rules(path):
    notebook = read(path)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    ids = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade_id values must be unique"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "store solutions without outputs"
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    tests = grade_cells(notebook)
    assert tests, "a lecture notebook has at least one graded test cell"
    for cell in tests:
        assert cell.metadata["nbgrader"]["points"] > 0
        assert cell.metadata["nbgrader"]["locked"], f"{cell.metadata['nbgrader']['grade_id']} must be locked"
        assert "### BEGIN HIDDEN TESTS" in cell.source, (
            f"{cell.metadata['nbgrader']['grade_id']} needs hidden checks a student cannot tune to"
        )
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "run time" in first.source.lower(), (
        "the first cell gives the title and the expected run time"
    )
