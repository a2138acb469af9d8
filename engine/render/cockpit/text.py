"""Numbers, amounts, shares and names as the cockpit's readers see them: 1.234 sager, 684.000 kr., 72 %, Trin 5: …"""

from __future__ import annotations

from engine.model.cockpit import Cockpit
from engine.text.messages import t
from engine.text.money import kroner, mio
from engine.text.numbers import number


def amount(value: int | float | None) -> str:
    """Whole kroner the Danish way: 684.000 kr."""
    return kroner(None if value is None else round(value))


def axis_kroner(value: float) -> str:
    """An axis tick: 450.000 or 2,5 mio."""
    if value >= 1_000_000:
        text = mio(round(value), 1)
        return (text[:-2] if text.endswith(",0") else text) + " mio."
    return f"{round(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def signed(value: int) -> str:
    return f"+{number(value)}" if value > 0 else number(value) if value < 0 else "±0"


def rung(number_: int | None, name: str | None, lang: str) -> str:
    """`Trin 5: Specialskole`, or "(no suggestion)" for a suggestion without a rung."""
    if number_ is None or name is None:
        return t("cockpit.no_rung", lang)
    return f"{t('show.rung', lang, n=number_)}: {name}"


def period_labels(result: Cockpit) -> dict[str, str]:
    return {p.key: p.label for p in result.periods}


def ladders_text(result: Cockpit) -> str:
    names = sorted({row.ladder_name for c in result.counts for row in c.by_ladder})
    if result.ladder is not None:
        names = [row.ladder_name for c in result.counts[:1] for row in c.by_ladder] or [result.ladder]
    return ", ".join(names) if names and len(names) < 3 else t("cockpit.all_ladders", result.lang)


def subtitle(result: Cockpit) -> str:
    lang = result.lang
    return t("cockpit.subtitle", lang, ladders=ladders_text(result), first=result.periods[0].label,
             last=result.periods[-1].label, period=t(f"cockpit.period.{result.period_kind}", lang))


def source_text(result: Cockpit) -> list[str]:
    lang = result.lang
    out = []
    for s in result.sources:
        if s.kind == "snapshot":
            out.append(t("cockpit.source.snapshot", lang, date=s.date, file=s.file, n=number(s.entries, lang=lang)))
        else:
            out.append(t("cockpit.source.log", lang, file=s.file, n=number(s.entries, lang=lang)))
    return out


def value_text(value: float | int | None, unit: str, lang: str) -> str:
    if unit == "kroner":
        return amount(value)
    if unit == "share":
        return percent(value)
    return number(value, 0 if value is None or float(value).is_integer() else 1, lang)


def band_text(value: float, low: float, high: float, unit: str, lang: str) -> str:
    """A forecast with its band, short: `189,0 mio. kr. (185,8–192,2)`, `416 (408–424)`, `78 % (65–91 %)`."""
    if unit == "kroner" and max(abs(low), abs(high)) >= 1_000_000:
        def short(v: float) -> str:
            return number(v / 1_000_000, 1, lang)
        return f"{short(value)} mio. kr. ({short(low)}–{short(high)})"
    if unit == "kroner":
        return f"{amount(value)} ({number(low, lang=lang)}–{number(high, lang=lang)})"
    if unit == "share":
        return f"{percent(value)} ({round(low * 100)}–{percent(high)})"
    return f"{number(value, lang=lang)} ({number(low, lang=lang)}–{number(high, lang=lang)})"
