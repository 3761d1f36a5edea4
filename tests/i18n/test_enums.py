"""Every enumeration code shown with the `label` filter has its label in the Indonesian catalogue."""

import enum
import importlib
import pkgutil

import aoapp
from aoapp.common.templating import humanise
from tools.i18n_build import TRANSLATIONS, _read


def _enums() -> list[type[enum.Enum]]:
    for module in pkgutil.walk_packages(aoapp.__path__, "aoapp."):
        if module.name.endswith(("models", "outcomes", "collectibility", "signals")):
            importlib.import_module(module.name)
    found, todo = [], list(enum.StrEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("aoapp."):
            found.append(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def test_every_code_has_an_indonesian_label():
    catalogue = _read(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po", "id")
    missing = sorted(
        {
            f"{cls.__name__}.{member.name}: {humanise(member.value)!r}"
            for cls in _enums()
            for member in cls
            if not (found := catalogue.get(humanise(member.value))) or not found.string
        }
    )
    assert missing == []
