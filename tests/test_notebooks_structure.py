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


def _hidden_lines(source: str) -> set[int]:
    """1-based numbers of the lines inside hidden-test regions."""
    hidden, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            hidden.add(number)
    return hidden


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.name)
def test_hidden_tests_define_no_reference_code(path):
    """Hidden tests run in the student's kernel, where a hook can copy any function they define
    and the student's answers can call it. So a hidden test compares with literal values and
    properties; a function it defines only builds inputs or checks a property, and says so on
    its line with the marker comment `# not a reference` (reviewers read those lines). Lambdas
    passed as inputs (a critic, a potential) are allowed."""
    import ast

    for cell in grade_cells(read(path)):
        lines, hidden = cell.source.split("\n"), _hidden_lines(cell.source)
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and node.lineno in hidden:
                line = lines[node.lineno - 1]
                assert "# not a reference" in line, (
                    f"{cell.metadata['nbgrader']['grade_id']}: hidden tests define `{line.strip()}`; "
                    "compare with literal values or properties, or mark a helper `# not a reference`")
