"""docs/results.md is what `make bench` wrote, and it holds every study a notebook records.

Claims about training cite these tables (CONTRIBUTING.md, "Claims that hold"), so a study
that a notebook records but the table lacks, or that ran on fewer than 5 seeds, fails here.
"""

import json
import re

import benchmark
from notebooks import ROOT

RESULTS = json.loads(benchmark.RESULTS_JSON.read_text()) if benchmark.RESULTS_JSON.exists() else {}


def recorded_studies() -> dict[str, set[str]]:
    """Per solution notebook, the table names its cells pass to ``record_table``."""
    found = {}
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        source = "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])
        names = set(re.findall(r"record_table\(\s*[\"']([^\"']+)[\"']", source))
        if names:
            found[path.stem] = names
    return found


def test_markdown_is_rendered_from_the_json():
    assert benchmark.RESULTS_MD.read_text() == benchmark.render_results(RESULTS) + "\n", \
        "docs/results.md differs from docs/results.json: rerun `make bench`, do not edit by hand"


def test_every_recorded_study_is_in_the_table_with_five_seeds():
    studies = recorded_studies()
    assert studies, "no notebook records a seed study"
    for notebook, names in studies.items():
        filed = RESULTS.get(notebook, {})
        missing = names - set(filed)
        assert not missing, f"{notebook}: studies {sorted(missing)} are not in docs/results.md; run `make bench`"
        for name in names:
            assert benchmark.fewest_seeds(filed[name]) >= benchmark.STUDY_SEEDS, \
                f"{notebook}: study {name!r} has a setting with fewer than {benchmark.STUDY_SEEDS} seeds"
