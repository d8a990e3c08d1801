"""`journey compare`: JSON against its schema, text, errors said without a traceback, and
every text through the catalogue."""

from __future__ import annotations

import pytest

from discovery.cli import EXIT_BAD_INPUT, main
from discovery.words import PSEUDO
from tests.conftest import SAMPLE_LOGS
from tests.journey_cli import run_json
from tests.test_compare import TRUTH
from tests.test_pseudo_locale import OPEN, journey, outside_catalogue

HOSPITAL = SAMPLE_LOGS / "hospital.csv"


def test_the_planted_improvement_in_json(capsys, improved_csv) -> None:
    planted = TRUTH["improvement"]
    data = run_json(capsys, "compare", improved_csv, "--split-date", planted["cases_arriving_from"])
    first = data["kpis"][0]
    assert (first["name"], first["where"], first["significant"]) == ("step_wait", "Ontslag", True)
    assert first["b"] / first["a"] == pytest.approx(planted["factor"], rel=0.10)
    assert first["delta"] == pytest.approx(first["b"] - first["a"])
    assert data["sentences"][0].startswith("The wait before Ontslag fell")
    assert data["split_date"] == "2025-08-31T22:00:00Z"  # midnight in Amsterdam (summer time)
    edge = next(e for e in data["edges"] if [e["source"], e["target"]] == planted["bottleneck"])
    assert edge["wait_median_b_s"] / edge["wait_median_a_s"] == pytest.approx(0.5, rel=0.10)
    assert data["a"]["cases"] + data["b"]["cases"] == TRUTH["journeys"]["hospital"]["n_cases"]


def test_two_files_of_one_log_show_nothing(capsys) -> None:
    data = run_json(capsys, "compare", HOSPITAL, SAMPLE_LOGS / "hospital.xlsx", "--language", "nl")
    assert not any(kpi["significant"] for kpi in data["kpis"])
    assert all(kpi["delta"] == 0 for kpi in data["kpis"])
    assert data["split_date"] is None and data["b"]["name"].endswith("hospital.xlsx")
    assert data["sentences"][0].startswith("Geen kerncijfer veranderde")


def test_conformance_is_compared_with_an_intended_journey(capsys) -> None:
    intended = SAMPLE_LOGS / "hospital_intended.csv"
    data = run_json(
        capsys, "compare", HOSPITAL, "--split-date", "2025-09-01", "--intended", intended
    )
    conformance = [kpi for kpi in data["kpis"] if kpi["name"] == "conformance"]
    assert len(conformance) == 1 and 0 < conformance[0]["a"] < 1


def test_text_output_in_dutch(capsys, improved_csv) -> None:
    assert main(["compare", improved_csv, "--split-date", "2025-09-01", "--language", "nl"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("A: vóór 2025-09-01")
    assert "  1. De wachttijd voor Ontslag daalde van mediaan" in out
    assert "Kerncijfers" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["compare", HOSPITAL], "needs a second log or --split-date"),
        (["compare", HOSPITAL, "--split-date", "1-9-2025"], "1-9-2025"),
        (["compare", HOSPITAL, SAMPLE_LOGS / "missing.csv"], "cannot read"),
        (["compare", HOSPITAL, "--split-date", "2030-01-01"], "Log b of the comparison has no"),
    ],
)
def test_bad_input_is_said_without_a_traceback(capsys, args, said) -> None:
    assert main([*map(str, args)]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == "" and said in err and "Traceback" not in err
    if "missing" in str(args[-1]):
        assert "missing.csv" in err


def test_every_text_goes_through_the_catalogue(improved_csv) -> None:
    result = journey("compare", improved_csv, "--split-date", "2025-09-01", "--language", PSEUDO)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) > 10 and any(OPEN in line for line in lines)
    missed = [(line, left) for line in lines if (left := outside_catalogue(line))]
    assert missed == []
