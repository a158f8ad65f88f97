"""The API's JSON parser: DRF's, with a bound on nesting. A body nested a few thousand levels deep
exhausts Python's recursion in the decoder (a server error, and a cheap way to burn a worker); no
body of this API nests deeper than a handful of levels, so anything past MAX_DEPTH is refused with
400 in the contract's error shape before any serializer sees it."""
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class TooDeep(exceptions.ParseError):
    default_code = "too_deeply_nested"

    def __init__(self):
        super().__init__(_("The JSON body is nested too deeply (at most %(depth)s levels).") % {"depth": MAX_DEPTH})


def depth(value) -> int:
    """How deeply `value` nests arrays and objects (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # Python's decoder past its limit: not a ValueError, so DRF lets it out
            raise TooDeep() from None
        if depth(data) > MAX_DEPTH:
            raise TooDeep()
        return data

