"""The OpenAPI document says what the API does: a field that can be null is `nullable`, and a
request body is `required` exactly when its schema has a required field.

schemathesis (test_api_fuzz.py) finds a field documented non-null only when the data it meets
holds a null; these checks read the models instead, so every such field is found at once.
"""

import typing

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError, fields
from sqlalchemy.ext.hybrid import hybrid_property

from aoapp.common.routing import MONTH_PATTERN
from aoapp.common.schemas import BaseSchema
from aoapp.introductions.schemas import IntroductionUpdateSchema

UNKNOWN = object()
# Fields whose value is computed, so that nothing in the model tells whether it can be None;
# lists are never null (an empty list instead).
SKIPPED_FIELDS = (fields.Function, fields.Method, fields.Constant, fields.List)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def record_schemas() -> list[type]:
    """Every schema that declares what it dumps (`Meta.model`)."""
    return sorted(
        {cls for cls in _subclasses(BaseSchema) if cls.opts.model is not None},
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def _from_hint(hint) -> tuple:
    """(whether a value of this annotation can be None, the class it holds otherwise)."""
    if hint is None:
        return UNKNOWN, None
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    optional = len(args) < len(typing.get_args(hint))
    target = args[0] if optional and len(args) == 1 else hint
    return optional, target if isinstance(target, type) else None


def _hint(owner, name: str):
    """The annotation of a property's return value, or of a (data)class attribute."""
    attribute = getattr(owner, name, None)
    if isinstance(attribute, property | hybrid_property):
        return typing.get_type_hints(attribute.fget).get("return")
    try:
        return typing.get_type_hints(owner).get(name)
    except NameError:  # an annotation imported only for type checkers
        return None


def _step(owner, name: str) -> tuple:
    """(whether reading `name` from an `owner` can give None, the class it gives)."""
    mapper = sa.inspect(owner, raiseerr=False)
    if mapper is not None and name in mapper.relationships:
        rel = mapper.relationships[name]
        if rel.uselist:
            return False, None
        many_to_one = rel.direction is sa.orm.MANYTOONE
        return (not many_to_one or any(c.nullable for c in rel.local_columns)), rel.mapper.class_
    if mapper is not None and name in mapper.column_attrs:
        columns = mapper.column_attrs[name].columns
        if all(isinstance(column, sa.Column) for column in columns):
            return any(column.nullable for column in columns), None
        return True, None  # an expression (a correlated subquery) is NULL when it finds no row
    return _from_hint(_hint(owner, name))


def nullable(owner, path: list[str]) -> object:
    """Whether reading `path` (an attribute, dotted) from an `owner` can give None; UNKNOWN
    when neither the model nor an annotation says. A step through a record that may be absent
    counts as null (a schema may dump it so, as customers' facility rows do)."""
    optional, target = _step(owner, path[0])
    if len(path) == 1 or optional is UNKNOWN:
        return optional
    if target is None:
        return UNKNOWN
    inner = nullable(target, path[1:])
    return inner if inner is UNKNOWN else optional or inner


def undeclared_nulls(schema_class) -> tuple[list[str], list[str]]:
    """The fields that can dump None but are not `allow_none`, and those nothing decides."""
    missing, unknown = [], []
    for name, field in schema_class().dump_fields.items():
        if isinstance(field, SKIPPED_FIELDS) or field.allow_none:
            continue
        attribute = field.attribute or name
        verdict = nullable(schema_class.opts.model, attribute.split("."))
        label = f"{schema_class.__name__}.{name} ({attribute})"
        if verdict is UNKNOWN:
            unknown.append(label)
        elif verdict:
            missing.append(label)
    return missing, unknown


@pytest.mark.usefixtures("app")  # the app imports every feature's schemas
def test_every_field_that_can_be_null_is_documented_nullable():
    schemas = record_schemas()
    assert len(schemas) >= 20, "the record schemas declare their model (Meta.model)"
    missing, unknown = [], []
    for schema_class in schemas:
        found, undecided = undeclared_nulls(schema_class)
        missing += found
        unknown += undecided
    assert not missing, "NULL-able, so declare allow_none=True: " + ", ".join(missing)
    assert not unknown, (
        "Cannot tell whether these can be None (annotate the property's return type, or make "
        "the field allow_none=True): " + ", ".join(unknown)
    )


def test_a_nullable_field_is_documented_nullable(client):
    """allow_none reaches the document (apispec: `nullable: true`, money as strings too)."""
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    assert schemas["FollowUp"]["properties"]["facility"].get("nullable") is True
    assert schemas["Campaign"]["properties"]["cost"]["nullable"] is True
    assert schemas["Campaign"]["properties"]["cost"]["type"] == "string"
    assert "nullable" not in schemas["FollowUp"]["properties"]["id"]


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield f"{method.upper()} {path}", operation


def test_a_request_body_is_required_when_its_schema_requires_a_field(client):
    """An all-optional body may be left out (it reads as {}); the document must say so."""
    spec = client.get("/api/openapi.json").json
    schemas = spec["components"]["schemas"]
    wrong = []
    for label, operation in _operations(spec):
        body = operation.get("requestBody")
        if not body or "application/json" not in body["content"]:
            continue
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        if body.get("required", False) != bool(schemas[ref].get("required")):
            wrong.append(f"{label} ({ref})")
    assert not wrong, "requestBody.required disagrees with the schema: " + ", ".join(wrong)


def test_a_method_a_path_does_not_take_is_405_saying_what_it_takes(client):
    """RFC 9110: a 405 lists the allowed methods in `Allow` (the API and the pages alike)."""
    response = client.open("/api/v1/agenda", method="TRACE")
    assert response.status_code == 405 and response.json["code"] == 405
    assert {"GET", "HEAD", "OPTIONS"} <= set(response.headers["Allow"].split(", "))
    page = client.open("/login", method="TRACE")
    assert page.status_code == 405 and "POST" in page.headers["Allow"]


def test_a_month_in_a_path_is_documented_and_read_strictly(client, api, world):
    """`YYYY-MM` in ASCII digits, nothing around it; the document gives the pattern."""
    spec = client.get("/api/openapi.json").json
    month = spec["paths"]["/api/v1/targets/{officer_id}/{month}"]["parameters"][1]
    assert month["schema"] == {"type": "string", "pattern": MONTH_PATTERN}
    officer = api(world.officer)
    for text in ("2026-13", "٢٠٢٦-١٠", "2026-10%0A", "1899-12"):
        response = officer.get(f"/api/v1/targets/{world.officer.id}/{text}")
        assert response.status_code == 422, text
        assert response.json["errors"] == {"month": ["Use a month like 2026-10."]}
    assert officer.get(f"/api/v1/targets/{world.officer.id}/2026-10").status_code == 404


@pytest.mark.parametrize("value", [0, 1, 1.0])
def test_a_boolean_is_never_a_number(value):
    """Found by `st run`: `"understood": 0` was taken as false; the document says boolean."""
    schema = IntroductionUpdateSchema(partial=True)
    with pytest.raises(ValidationError) as refused:
        schema.load({"understood": value})
    assert refused.value.messages == {"understood": ["Not a valid boolean."]}
    assert schema.load({"understood": True}) == {"understood": True}
    assert schema.load({"understood": "on"}) == {"understood": True}  # a form's checkbox
