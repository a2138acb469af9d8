"""What a person reads instead of an id: field labels, values, offer, rung, ladder and rule names.

The catalogues, the profile schema and the rule sets already hold the Danish (and English)
names; the meeting reads those in the table and the minutes, while ids stay in the JSON for
machines. Anything without a name falls back to the id with spaces for underscores, never to
an empty text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from engine.text.messages import MESSAGES, t

if TYPE_CHECKING:  # `ladder log` names rungs without loading rules or catalogues
    from engine.knowledge.assemble import Knowledge
    from engine.model.profile import FieldSpec
    from engine.model.rules import Rule


def pick(da: str, en: str | None, lang: str) -> str:
    return en if lang == "en" and en else da


def humanised(ident: str) -> str:
    """An id as words, for what has no label: `praktiske_opgaver` -> `praktiske opgaver`."""
    return ident.replace("_", " ")


def rung_label(number: int, name: str, lang: str) -> str:
    """`Trin 5: Specialskole`: numbered from 1 at the least intrusive rung, as `ladder show` draws it."""
    return f"{t('show.rung', lang, n=number)}: {name}"


_CLAUSE = re.compile(r"[:;]\s|\.\s+(?=[A-ZÆØÅ])|\.$")
"""Where a clause ends: a colon or semicolon, or a full stop before a capital (`7. klasse` goes on)."""


@lru_cache(maxsize=4096)
def short_title(text: str) -> str:
    """A rule's reason cut to its first clause, to name the rule in a list: `Skolevægring hos en elev
    med autisme eller PDA-profil kræver specialundervisning; …` -> up to the semicolon."""
    text = " ".join(text.split())
    cut = _CLAUSE.search(text)
    return text[: cut.start()] if cut and cut.start() >= 12 else text.rstrip(".")


def rule_title(rule: Rule, lang: str) -> str:
    """The rule's title, else the first clause of its reason (`because`)."""
    title = pick(rule.title, rule.title_en, lang) if rule.title else None
    return title or short_title(pick(rule.because, rule.because_en, lang))


def quoted(text: str, lang: str) -> str:
    return t("word.quoted", lang, text=text)


def rule_label_list(rules: list[Rule], lang: str) -> str:
    """`»Skolevægring hos en elev …«, »Ved bekymrende fravær …«` for a text the meeting reads."""
    return ", ".join(quoted(rule_title(rule, lang), lang) for rule in rules)


def number_text(value: int | float, lang: str) -> str:
    """62,5 in Danish, 62.5 in English; whole numbers without decimals."""
    text = str(value) if isinstance(value, int) or not float(value).is_integer() else str(int(value))
    return text.replace(".", ",") if lang == "da" else text


class Labels:
    """Names for the ids of one knowledge base in one language."""

    def __init__(self, kb: Knowledge, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.specs = {spec.id: spec for spec in kb.schema.fields}

    # --- catalogue and rules ------------------------------------------------------------------------

    def ladder(self, ladder_id: str) -> str:
        ladder = self.kb.ladders.get(ladder_id)
        return pick(ladder.name, ladder.name_en, self.lang) if ladder else humanised(ladder_id)

    def rung(self, ladder_id: str, number: int) -> str:
        """`Trin 5: Specialskole / særligt skoletilbud` for the rung numbered `number` from 1."""
        ladder = self.kb.ladders.get(ladder_id)
        if ladder is None or not 0 < number <= len(ladder.rungs):
            return t("show.rung", self.lang, n=number)
        rung = ladder.rungs[number - 1]
        return rung_label(number, pick(rung.name, rung.name_en, self.lang), self.lang)

    def offer(self, offer_id: str) -> str:
        offer = self.kb.offers.get(offer_id)
        return pick(offer.name, offer.name_en, self.lang) if offer else humanised(offer_id)

    def rule(self, rule_id: str) -> str:
        compiled = self.kb.rule_by_id.get(rule_id)
        return rule_title(compiled.rule, self.lang) if compiled else humanised(rule_id)

    def ruleset(self, ruleset_id: str) -> str:
        found = next((rs for rs in self.kb.rulesets if rs.id == ruleset_id), None)
        return found.title if found else humanised(ruleset_id)

    def user(self, user: str) -> str:
        """Who needs a missing field: a rule, or an offer's target group (`offer:<id>`)."""
        kind, _, ident = user.partition(":")
        if kind == "offer" and ident:
            return t("out.target_group_of", self.lang, offer=self.offer(ident))
        return quoted(self.rule(user), self.lang)

    # --- parts of a suggestion --------------------------------------------------------------------------

    def reason_text(self, reason: dict[str, Any], bold: str = "") -> str:
        """The reason's text, after the rule's own title when it has one."""
        compiled = self.kb.rule_by_id.get(reason["rule_id"])
        if compiled is None or not compiled.rule.title:
            return str(reason["text"])
        return f"{bold}{rule_title(compiled.rule, self.lang)}{bold}: {reason['text']}"

    def skipped(self, result: dict[str, Any]) -> list[str]:
        """`Trin 1: Almenundervisning – under minimumstrinnet sat af »…«` per rung below the suggestion."""
        return [f"{self.rung(result['ladder'], s['rung_index'] + 1)} – {s['why']}" for s in result["skipped_rungs"]]

    def missing(self, result: dict[str, Any]) -> list[str]:
        """`Risici (bruges af »Skolevægring med vold …«)`: the field as the profile schema names it."""
        return [f"{self.field(m['field'])} ({t('out.needed_by', self.lang)} "
                f"{', '.join(self.user(u) for u in m['needed_by'])})" for m in result["missing_information"]]

    def rulesets(self, result: dict[str, Any]) -> str:
        versions = result["ruleset"].get("versions", {})
        return ", ".join(f"{self.ruleset(rid)} ({t('out.version', self.lang, version=versions.get(rid, '–'))})"
                         for rid in result["ruleset"]["ids"]) or t("out.none", self.lang)

    # --- fields and values ----------------------------------------------------------------------------

    def field(self, name: str) -> str:
        """A profile field's label, a score as `label: key`, a derived fact's label."""
        spec = self.specs.get(name)
        if spec is not None:
            return pick(spec.label, spec.label_en, self.lang)
        head, _, key = name.partition(".")
        spec = self.specs.get(head)
        if spec is not None and key:
            return f"{pick(spec.label, spec.label_en, self.lang)}: {self._value_label(spec, key)}"
        fact = self.kb.facts.get(name)
        return pick(fact.label, fact.label_en, self.lang) if fact else humanised(name)

    def _value_label(self, spec: FieldSpec, value: str) -> str:
        labels = spec.value_labels_en if self.lang == "en" and spec.value_labels_en else spec.value_labels
        return labels.get(value) or spec.value_labels.get(value) or humanised(value)

    def value(self, name: str, value: Any) -> str:
        """A value as the meeting reads it: ja/nej, value labels, offer names, numbers with their unit."""
        spec = self.specs.get(name)
        if isinstance(value, bool):
            return t("out.yes" if value else "out.no", self.lang)
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value) if isinstance(value, set | frozenset) else value
            return ", ".join(self.value(name, v) for v in items) or t("out.none", self.lang)
        if isinstance(value, dict) and "offer" in value:
            outcome = str(value.get("outcome", ""))
            key = f"out.outcome.{outcome}"
            shown = t(key, self.lang) if key in MESSAGES else humanised(outcome)
            return f"{self.offer(str(value['offer']))} ({shown})"
        if isinstance(value, dict):
            return ", ".join(f"{humanised(str(k))}: {self.value(name, v)}" for k, v in value.items())
        if isinstance(value, dt.date):
            return value.isoformat()
        if spec is not None and spec.type in ("offer", "tried_offers") and isinstance(value, str):
            return self.offer(value)
        if spec is not None and spec.type in ("category", "categories") and isinstance(value, str):
            if spec.id == "ladder" and value not in spec.value_labels:
                return self.ladder(value)
            return self._value_label(spec, value)
        if isinstance(value, int | float):
            owner = spec if spec is not None else self.specs.get(name.partition(".")[0])
            unit = pick(owner.unit, owner.unit_en, self.lang) if owner is not None and owner.unit else None
            return number_text(value, self.lang) + (f" {unit}" if unit else "")
        return str(value)

    def fact(self, name: str, value: Any) -> str:
        """`Diagnoser: autisme`."""
        return f"{self.field(name)}: {self.value(name, value)}"

    def facts(self, facts: dict[str, Any]) -> str:
        return "; ".join(self.fact(name, value) for name, value in facts.items())

    # --- what an answer would change, the review, the ladder ------------------------------------------

    def answer_value(self, name: str, value: Any) -> str:
        """An answer as the meeting says it: Ja/Nej, value labels, `ingen af disse` for an empty list."""
        if isinstance(value, list) and not value:
            return t("answer.none_of_these", self.lang)
        return self.value(name, value)

    def outcome(self, answer: dict[str, Any], present_cost: int | None) -> str:
        """`Trin 6: Dagbehandlingstilbud – Dagbehandlingstilbud, 850.000 kr./år (+410.000 kr.)`."""
        from engine.text.money import kroner

        if answer.get("ladder_fit") == "outside" or answer["rung_number"] is None:
            return t("answer.outside", self.lang) if answer.get("ladder_fit") == "outside" else t(
                "out.no_suggestion", self.lang)
        text = f"{rung_label(answer['rung_number'], answer['rung_name'], self.lang)} – {answer['offer_name']}, " \
               f"{kroner(answer['annual_cost'])}{t('answer.per_year', self.lang)}"
        if answer["vs_suggestion"] is not None and present_cost is not None:
            text += f" ({kroner(answer['vs_suggestion'], signed=True)})"
        return text

    def answer_said(self, name: str, answer: dict[str, Any]) -> str:
        """One answer of "Hvis det oplyses" in words: its value, and the facts it comes with."""
        value = answer["value"]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        said = answer["label"] if numeric else self.answer_value(name, value)
        if answer.get("with"):
            said += " " + t("answer.together", self.lang, facts="; ".join(
                self.fact(k, v) if not (isinstance(v, list) and not v) else
                f"{self.field(k)}: {t('answer.none_of_these', self.lang)}" for k, v in answer["with"].items()))
        return said

    def answers(self, result: dict[str, Any]) -> list[str]:
        """"Hvis det oplyses": per question, each answer that moves the suggestion, alike outcomes joined."""
        present = result["suggestions"][0]["annual_cost"] if result["suggestions"] else None
        lines = []
        for question in result["if_answered"]:
            name = question["field"]
            groups: dict[str, list[str]] = {}
            for answer in question["answers"]:
                groups.setdefault(self.outcome(answer, present), []).append(self.answer_said(name, answer))
            parts = [f"{t('answer.or', self.lang).join(saids)} → {outcome}" for outcome, saids in groups.items()]
            lines.append(f"{question['question']} " + "; ".join(parts))
        top = result.get("possible_rung_max")
        if top and result["suggested_rung"] and top["rung_number"] > result["suggested_rung"]["rung_number"]:
            condition = "; ".join(self.fact(k, v) for k, v in top["if"].items())
            lines.append(t("answer.range", self.lang, rung=rung_label(top["rung_number"], top["rung_name"], self.lang),
                           condition=condition))
        return lines

    def review(self, result: dict[str, Any]) -> list[str]:
        """The review (opfølgning) of the current offer, as the meeting reads it."""
        review = result.get("review")
        if not review or review["status"] in ("same_rung", "step_up", "continued_help", "direct_access"):
            return []
        lines = []
        offer = self.offer(review["current_offer"])
        since = ""
        if review["since"]:
            since = t("review.since", self.lang, date=review["since"], months=review["months_in_offer"]
                      if review["months_in_offer"] is not None else "–")
        outcome = self.value("current_offer_outcome", review["outcome"]) if review["outcome"] else t(
            "review.no_outcome", self.lang)
        lines.append(t("review.current", self.lang, offer=offer, outcome=outcome, since=since))
        step = review["step_down"] or {}
        key = f"review.status.{review['status']}" + ("_direct" if step.get("direct") else "")
        ladder = result["ladder"]
        lines.append(t(key, self.lang, fields=", ".join(self.field(f) for f in review["unknown_fields"]),
                       from_rung=self.rung(ladder, step.get("from_rung_number", 0)),
                       to_rung=self.rung(ladder, step.get("to_rung_number", 0)), n=review["step_down"]["max_rungs"]
                       if step else 1))
        if review["follow_up_date"]:
            lines.append(t("review.follow_up", self.lang, date=review["follow_up_date"]))
        return lines

    def basis_note(self, result: dict[str, Any]) -> str | None:
        """Which differences rest on facts nobody entered, and whether a saving is held back."""
        depends = sorted({f for s in result["suggestions"] for f in s["cost_difference"].get("depends_on", [])})
        if not depends:
            return None
        withheld = any(s["cost_difference"].get("withheld") for s in result["suggestions"])
        key = "basis.withheld" if withheld else "basis.depends"
        return t(key, self.lang, fields=", ".join(self.field(f) for f in depends))
