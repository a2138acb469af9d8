"""Personal-data guard and Danish amounts."""

from __future__ import annotations

import pytest

from engine.text.money import kroner, mio
from engine.text.privacy import find_cpr, mask, personal_data_kind


@pytest.mark.parametrize(
    ("text", "masked"),
    [("170312-1234", "170312-XXXX"), ("1703121234", "170312-XXXX"), ("170312 1234", "170312-XXXX"),
     ("sag 170312-0000 x", "170312-XXXX"), ("311299-4321", "311299-XXXX"), ("010190_1234", "010190-XXXX"),
     ("0101.90.1234", "010190-XXXX"), ("010190--1234", "010190-XXXX"), ("cpr_010190_1234", "010190-XXXX")],
)
def test_cpr_found_and_masked(text, masked):
    assert find_cpr(text) == masked
    serial = "".join(ch for ch in text if ch.isdigit())[6:10]
    assert masked in mask(text) and serial not in mask(text)


@pytest.mark.parametrize("text", ["K-17", "K-2024-0017", "991399-1234", "320112-1234", "B-05", "12345"])
def test_not_personal_data(text):
    assert personal_data_kind(text) is None


def test_cpr_without_modulus_11():
    # 010101-0001 fails the modulus-11 check; numbers like it have been issued since 2007.
    assert find_cpr("0101010001") == "010101-XXXX"


@pytest.mark.parametrize("text", ["a.b@kommune.dk", "12345678", "+45 12 34 56 78", "1234 5678"])
def test_contact_data(text):
    assert personal_data_kind(text) is not None


def test_kroner_danish():
    assert kroner(684000) == "684.000 kr."
    assert kroner(-244000) == "-244.000 kr."
    assert kroner(0) == "0 kr."
    assert kroner(1160000) == "1.160.000 kr."
    assert kroner(5, signed=True) == "+5 kr."
    assert kroner(None) == "–"


def test_mio_two_decimals_half_up():
    assert mio(-2928000) == "-2,93"
    assert mio(500000) == "0,50"
    assert mio(5000) == "0,01"


def test_a_file_named_after_a_cpr_number_is_masked_in_messages(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    case = tmp_path / "010190-1234.yaml"
    case.write_text("case_id: K-1\ndecision_date: 2025-01-01\nladder: skole\nage: fjorten\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["suggest", str(case)])
    assert out.exit_code == 1
    assert "010190-XXXX" in out.stderr and "1234" not in out.stderr
