"""A package's public names imported from their modules on first use (PEP 562), so that
`import discovery` and the command line load only the layers they use."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence

__all__ = ["lazy_names"]


def lazy_names(
    namespace: MutableMapping[str, object], modules: Mapping[str, Sequence[str]]
) -> Callable[[str], object]:
    """The package's module `__getattr__`: a name of `modules` (module → its public names)
    is imported from its module when first asked for, then kept in `namespace` (the
    package's `globals()`) so that it is found directly from then on.

    >>> __getattr__ = lazy_names(globals(), {"discovery.words": ("say",)})  # doctest: +SKIP
    """
    module_of = {name: module for module, names in modules.items() for name in names}
    package = namespace["__name__"]

    def __getattr__(name: str) -> object:
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module_of[name]), name)
        namespace[name] = value
        return value

    return __getattr__
