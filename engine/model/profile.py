"""The profile schema (which fields a case may carry) and the case model built from it.

A municipality adds a field by adding it to the schema file; the case model, its validation
messages and its JSON Schema follow from the schema without code.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.model import typed
from engine.model.common import ID_PATTERN, Id, Strict, four_decimals
from engine.text.privacy import looks_like_name, refuse_personal_data

FieldType = Literal[
    "pseudonym",
    "integer",
    "number",
    "boolean",
    "date",
    "category",
    "categories",
    "scores",
    "offer",
    "tried_offers",
]
NUMERIC = ("integer", "number")


class FieldSpec(Strict):
    id: Id
    type: FieldType
    label: StrictStr = Field(min_length=1)
    label_en: StrictStr | None = None
    unit: StrictStr | None = None
    unit_en: StrictStr | None = None
    required: StrictBool = False
    values: list[Id] | None = Field(default=None, min_length=1)
    keys: list[Id] | None = Field(default=None, min_length=1)
    min: StrictInt | StrictFloat | None = None
    max: StrictInt | StrictFloat | None = None
    question: StrictStr | None = None
    """How a meeting asks for the field ("Er der vold eller selvskade?"); default: the label and "?"."""
    question_en: StrictStr | None = None
    value_labels: dict[Id, StrictStr] = Field(default_factory=dict)
    """How a meeting reads a category value or a score key (`socio_emotionelle: Socio-emotionelle vanskeligheder`)."""
    value_labels_en: dict[Id, StrictStr] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.type in ("category", "categories") and not self.values:
            raise PydanticCustomError("values_needed", "a category field needs `values`")
        if self.type not in ("category", "categories") and self.values:
            raise PydanticCustomError("values_unused", "only category fields take `values`")
        labelled = set(self.value_labels) | set(self.value_labels_en)
        if labelled and not labelled <= set(self.values or self.keys or ()):
            raise PydanticCustomError("value_labels_unknown", "`value_labels` name a value the field does not have")
        if (self.type == "scores") != bool(self.keys):
            raise PydanticCustomError("keys_needed", "`keys` belongs to, and is needed by, scores fields")
        if (self.min is not None or self.max is not None) and self.type not in (*NUMERIC, "scores"):
            raise PydanticCustomError("range_unused", "only numeric fields take min and max")
        return self


class ProfileSchema(Strict):
    kind: Literal["profile_schema"]
    fields: list[FieldSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _core_fields(self) -> ProfileSchema:
        ids = [f.id for f in self.fields]
        for needed, kind in (("case_id", "pseudonym"), ("decision_date", "date"), ("ladder", "category")):
            spec = next((f for f in self.fields if f.id == needed), None)
            if spec is None or spec.type != kind or not spec.required:
                raise PydanticCustomError(
                    "core_field",
                    "the schema must declare {field} as a required {kind} field",
                    {"field": needed, "kind": kind},
                )
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("duplicate_field", "a field id is declared twice")
        return self

    @cached_property
    def by_id(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self.fields}

    def paths(self) -> dict[str, FieldSpec]:
        """Every name a rule may test: plain fields and `scores` keys as `field.key`."""
        out: dict[str, FieldSpec] = {}
        for spec in self.fields:
            if spec.type == "scores":
                for key in spec.keys or []:
                    out[f"{spec.id}.{key}"] = spec
            elif spec.type != "tried_offers":
                out[spec.id] = spec
        return out


OUTCOMES = ("virker", "virker_delvist", "virker_ikke", "brudt_sammen")
"""How an offer works at review: works, works partly, does not work, broke down."""
TRIED_OUTCOMES = (*OUTCOMES, "afsluttet", "igangvaerende", "insufficient", "ended", "ongoing")
"""An earlier offer's outcome: the review outcomes, ended or ongoing; the English three of the first
file format stay valid (`insufficient` reads as `virker_ikke`)."""
NOT_ENOUGH = frozenset({"virker_ikke", "insufficient"})
"""Outcomes that say the rung of the offer did not meet the need."""


OfferRef = Annotated[StrictStr, Field(min_length=1, max_length=64),
                     WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": 64})]
"""An offer a case names: any text here, so that `Ekstern specialskole` or `almenklasse` is answered by
the catalogue check with the offer id it most likely means (`engine.cases.files.offer_guess`)."""


class TriedOffer(Strict):
    offer: OfferRef
    outcome: Literal[TRIED_OUTCOMES]  # type: ignore[valid-type]


def _number_is_no_pseudonym(value: Any) -> Any:
    # YAML reads an unquoted 1703121234 as a number: check it for a CPR number before the type.
    if isinstance(value, int) and not isinstance(value, bool):
        refuse_personal_data(f"{value:010d}" if 0 <= value < 10**10 else str(value))
    return value


PSEUDONYM_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"


def _not_a_name(value: str) -> str:
    # A name fits the pattern as well ("AnnaJensen", "anna.jensen"); no name has a digit, every
    # case number and pseudonym scheme in use has one (K-17, 2024-0017, S-000001). A digit added
    # to a name ("Anna-Jensen-1") is caught by its two name-like words (engine.text.privacy.looks_like_name).
    if not any(ch.isdigit() for ch in value):
        raise PydanticCustomError("pseudonym_digit", "a pseudonym needs a digit")
    if looks_like_name(value):
        raise PydanticCustomError("pseudonym_name", "a pseudonym must not look like a name")
    return value


Pseudonym = Annotated[
    StrictStr,
    BeforeValidator(_number_is_no_pseudonym),
    Field(pattern=PSEUDONYM_PATTERN),
    AfterValidator(refuse_personal_data),
    AfterValidator(_not_a_name),
]


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("list_unique", "a value is listed twice")
    return values


def _annotation(spec: FieldSpec) -> Any:
    """The field's type; booleans, numbers and dates also as people type them (`engine.model.typed`)."""
    bounds = {k: v for k, v in (("ge", spec.min), ("le", spec.max)) if v is not None}
    # Below a billion like every number: the cohort evaluator holds numbers as int64 in 1/10.000.
    integer = Annotated[StrictInt, Field(**bounds), AfterValidator(four_decimals), BeforeValidator(typed.read_integer),
                        WithJsonSchema(typed.integer_schema(spec.min, spec.max))]
    match spec.type:
        case "pseudonym":
            return Pseudonym
        case "integer":
            return integer
        case "number":
            return Annotated[StrictInt | StrictFloat, Field(**bounds), AfterValidator(four_decimals),
                             BeforeValidator(typed.read_number),
                             WithJsonSchema(typed.number_schema(spec.min, spec.max))]
        case "boolean":
            return Annotated[StrictBool, BeforeValidator(typed.read_boolean), WithJsonSchema(typed.boolean_schema())]
        case "date":
            return Annotated[dt.date, BeforeValidator(typed.read_date), WithJsonSchema(typed.date_schema())]
        case "category":
            return Literal[tuple(spec.values or ())]
        case "categories":
            return Annotated[list[Literal[tuple(spec.values or ())]], AfterValidator(_unique)]
        case "scores":
            score = integer
            fields: Any = {key: (score | None, None) for key in spec.keys or []}
            return create_model(
                f"Scores_{spec.id}", __config__=ConfigDict(extra="forbid", frozen=True), **fields
            )
        case "offer":
            return OfferRef
        case "tried_offers":
            return list[TriedOffer]
    raise AssertionError(spec.type)


def case_model(schema: ProfileSchema) -> type[BaseModel]:
    """A strict pydantic model for one case, generated from the schema."""
    fields: dict[str, Any] = {"kind": (Literal["case"] | None, None)}
    for spec in schema.fields:
        annotation = _annotation(spec)
        description = spec.label + (f" ({spec.unit})" if spec.unit else "")
        if spec.required:
            fields[spec.id] = (annotation, Field(description=description))
        else:
            fields[spec.id] = (annotation | None, Field(default=None, description=description))
    return create_model("Case", __config__=ConfigDict(extra="forbid", frozen=True), **fields)


def flat_value(spec_type: str, value: Any) -> Any:
    """One field's value read from a table cell (a tried offer as a dict, `engine.cases.columnar`), as
    `flatten` gives it to the rules: categories a set, tried offers (offer, outcome) pairs."""
    if value is None:
        return None
    if spec_type == "categories":
        return frozenset(value)
    if spec_type == "tried_offers":
        return [(item["offer"], item["outcome"]) for item in value]
    return value


def flatten(case: BaseModel, schema: ProfileSchema) -> dict[str, Any]:
    """The case as `{path: value}` with absent fields left out, as rules see it."""
    out: dict[str, Any] = {}
    for spec in schema.fields:
        value = getattr(case, spec.id)
        if value is None:
            continue
        if spec.type == "scores":
            for key in spec.keys or []:
                score = getattr(value, key)
                if score is not None:
                    out[f"{spec.id}.{key}"] = score
        elif spec.type == "tried_offers":
            out[spec.id] = [(t.offer, t.outcome) for t in value]
        elif spec.type == "categories":
            out[spec.id] = frozenset(value)
        else:
            out[spec.id] = value
    return out
