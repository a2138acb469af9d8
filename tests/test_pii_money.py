"""Personal-data guard and Danish amounts."""

from __future__ import annotations

import pytest

from engine.pii import find_cpr, personal_data_kind
from engine.render.money import kroner, mio


@pytest.mark.parametrize("text", ["170312-1234", "1703121234", "170312 1234", "sag 170312-0000 x", "311299-4321"])
def test_cpr_found_and_masked(text):
    assert find_cpr(text) == text.split()[-2 if text.startswith("sag") else 0][:6] + "-XXXX"


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
