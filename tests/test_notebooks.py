"""Notebooks run top to bottom under papermill on the real clean data, and are committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import papermill
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def outputs(path: Path) -> str:
    """Every text and HTML output of an executed notebook, joined."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in ("text/markdown", "text/html", "text/plain"):
                if kind in data:
                    parts.append("".join(data[kind]))
    return "\n".join(parts)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebooks_carry_no_outputs_and_a_typed_parameters_cell(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    parameters = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1
    for line in "".join(parameters[0]["source"]).splitlines():
        assert ":" in line.split("=")[0] and "#" in line, f"untyped or uncommented parameter: {line}"
    assert not any(line.lstrip().startswith(("def ", "class ")) for c in code for line in "".join(c["source"]).splitlines())


def test_overview_runs_and_shows_the_hand_counted_headline(tmp_path):
    out = tmp_path / "overview.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "01-overview.ipynb"), str(out), cwd=str(ROOT / "notebooks"), progress_bar=False)
    shown = outputs(out)
    assert "£7.3bn committed" in shown  # £7,285m, added up by hand in tests/test_build.py
    # issue 10: the alt text states the chart's message before its figures; three years within £9 are level, not a peak
    assert 'alt="Bar chart of money committed by theme. Local government and social care funding has the most money committed, £4.8bn of £7.3bn.' in shown
    assert ("Column chart of money committed by financial year. Committed money is highest and about level at £2.1bn a year "
            "from 2022-23 to 2024-25. 2021-22: £630m;") in shown
    assert "£297m of this (5 commitments) has no known financial years" in shown  # added up by hand in tests/test_build.py
    assert "peaks" not in shown


def test_overview_with_parameters(tmp_path):
    out = tmp_path / "overview-real.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "01-overview.ipynb"), str(out), cwd=str(ROOT / "notebooks"),
                               parameters={"basis": "real", "years": "2022-23:2024-25", "top_n": 3}, progress_bar=False)
    shown = outputs(out)
    assert "real terms, 2024-25 prices, financial years 2022-23 to 2024-25" in shown


@pytest.mark.parametrize(
    "notebook, parameters, expected",
    [
        pytest.param("02-theme", {"theme": "youth"}, ["£561m committed", "The components of the £560m package come to £561m, £1m more than the package"], id="theme-youth"),
        pytest.param("02-theme", {"theme": "family-hubs"}, ["£341m committed", "The components of the £300m package come to £302m, £2m more than the package",
                                                             "# Theme profile: Family hubs and Start for Life",
                                                             "£39m of this (1 commitment) has no known financial years"], id="theme-family-hubs"),
        pytest.param("03-department", {"department": "DLUHC"}, ["£5.5bn committed", "# Department profile: Department for Levelling Up, Housing and Communities (DLUHC)"], id="department-dluhc"),
        pytest.param("03-department", {"department": "DfE"}, ["£396m committed", "£302m of the £396m here is shared with DHSC"], id="department-dfe-shared"),
        pytest.param("02-theme", {"theme": "youth", "include_components": False}, ["£561m committed"], id="theme-without-components"),
        pytest.param("04-data-quality", {}, ["a cut or fall", "spending power, not new money", "repeat: referred back", "The £500m SR2021 family package"], id="data-quality"),
        pytest.param("05-explore", {"theme": "youth"}, ["National Citizen Service"], id="explore"),
    ],
)
def test_profiles_run_on_the_real_data(notebook, parameters, expected, tmp_path):
    out = tmp_path / f"{notebook}.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / f"{notebook}.ipynb"), str(out), cwd=str(ROOT / "notebooks"),
                               parameters=parameters, progress_bar=False)
    shown = outputs(out)
    for text in expected:
        assert text in shown


def test_unknown_theme_lists_the_valid_ones(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(str(ROOT / "notebooks" / "02-theme.ipynb"), str(tmp_path / "x.ipynb"),
                                   cwd=str(ROOT / "notebooks"), parameters={"theme": "yuoth"}, progress_bar=False)
    assert "theme 'yuoth' is not one of: early-help" in str(caught.value)


def test_components_can_be_left_out_of_the_listing():
    from funding import views

    data = views.load(theme="youth", root=str(ROOT))
    assert len(views.commitments(data).frame) == 4  # the £560m package and its three parts
    assert views.commitments(data, include_components=False).frame["Amount"].tolist() == ["£560m"]


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_notebook_says_its_kind_once(path):
    """The kind in the metadata (which titles the page and groups the index) is the one its heading cell uses."""
    import json
    import re

    notebook = json.loads(path.read_text(encoding="utf-8"))
    kind = notebook["metadata"]["funding"]["kind"]
    source = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert re.findall(r'views\.heading\(data, "([\w-]+)"\)', source) in ([kind], [])
