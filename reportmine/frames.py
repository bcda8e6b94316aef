"""Exact numbers in pandas: column types that never round a value.

Report figures can be any size (``超过9999999999999999亿场`` is 10^24) or a decimal with more digits
than a float holds (then :mod:`reportmine.numbers` gives a ``Decimal``). pandas' int64 cannot hold
the first and float64 rounds both, silently. A column of such values stays an ``object`` column of
exact Python ints and Decimals; every other column keeps its usual nullable type (Int64, Float64).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

__all__ = ["number_dtype", "needs_object", "exact_frame", "typed_array", "typed_frame", "date_interval", "date_columns",
           "DATE_PRECISIONS", "DATE_DTYPE", "INT64_MIN", "INT64_MAX", "FLOAT_EXACT_INT"]

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
#: Integers up to this size (2^53) are exact as floats.
FLOAT_EXACT_INT = 2 ** 53


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def number_dtype(values: Iterable[Any]) -> str:
    """``"Int64"``, ``"Float64"`` or ``"object"`` for a column of ints, floats, Decimals and None.

    Int64 when every value is integral and fits in 64 bits; Float64 when floats are involved and every
    int is exact as a float; else ``object`` (exact Python values: huge ints, Decimals).
    """
    ints, floats = [], []
    for v in values:
        if v is None:
            continue
        if isinstance(v, Decimal):
            return "object"
        (ints if _is_int(v) else floats).append(v)
    if any(not INT64_MIN <= v <= INT64_MAX for v in ints):
        return "object"
    if all(f == f and f not in (float("inf"), float("-inf")) and float(f).is_integer()
           and INT64_MIN <= f <= INT64_MAX for f in floats):
        return "Int64"
    if all(-FLOAT_EXACT_INT <= v <= FLOAT_EXACT_INT for v in ints):
        return "Float64"
    return "object"


def needs_object(values: Iterable[Any]) -> bool:
    """True when pandas' own inference could round a value of this column (a huge int, a Decimal)."""
    return any(isinstance(v, Decimal) or (_is_int(v) and not -FLOAT_EXACT_INT <= v <= FLOAT_EXACT_INT)
               for v in values)


def exact_frame(rows: list[dict[str, Any]], columns: list[str] | None = None):
    """``pd.DataFrame(rows, columns=columns)``, except that a column holding a huge int or a Decimal is kept
    as exact Python values (``object``) instead of being rounded to float64 or uint64."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for col in frame.columns:
        values = [row.get(col) for row in rows]
        if needs_object(values):
            frame[col] = pd.Series(values, index=frame.index, dtype=object)
    return frame


# -- one set of column types for every frame (a report's and an archive's) ----------------------------

#: Values of ``date_precision``: what a date column's value stands for.
DATE_PRECISIONS = ("day", "month", "year", "range")
#: The unit of date columns: seconds, so any year a report can write (0001–9999) fits.
DATE_DTYPE = "datetime64[s]"


def typed_array(values: list):
    """One column as a typed array, the same rule for every frame reportmine returns.

    Whole numbers ``Int64``, other numbers ``Float64`` (a number neither holds exactly — beyond 64 bits, a
    Decimal — makes an ``object`` column of exact values), flags ``boolean``, text ``str``, lists stay Python
    lists (an ``object`` column), dates ``datetime64[s]``; missing values are ``<NA>``/``NaT``/None.
    A column mixing kinds (an entity value holding dates and numbers) becomes text, as CSV would.
    """
    import datetime

    import numpy as np
    import pandas as pd

    kinds = {type(v) for v in values}
    kinds.discard(type(None))
    if any(issubclass(k, np.generic) for k in kinds):      # numpy scalars as the Python values they hold
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
        kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pd.array(values, dtype=object)
    if kinds == {bool}:
        return pd.array(values, dtype="boolean")
    if kinds == {int}:                                     # the common case, without a test of every value
        present = [v for v in values if v is not None]
        return pd.array(values, dtype="Int64" if INT64_MIN <= min(present) and max(present) <= INT64_MAX else "object")
    if kinds <= {int, float, Decimal}:
        return pd.array(values, dtype=number_dtype(values))
    if kinds <= {list, tuple}:
        return pd.array([None if v is None else list(v) for v in values], dtype=object)
    if all(issubclass(k, datetime.date) for k in kinds):
        return pd.array(pd.to_datetime(pd.Series(values, dtype=object)).astype(DATE_DTYPE))
    if kinds != {str}:
        import json

        values = [None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                  for v in values]
    return pd.array(values, dtype="str")


def typed_frame(rows: list[dict[str, Any]], columns: list[str], empty: dict[str, str] | None = None,
                more: dict[str, Any] | None = None):
    """A DataFrame of ``rows`` (dicts) with ``columns`` in this order, each typed by :func:`typed_array`;
    ``empty`` gives the type of a column that holds no value at all (``{"table": "Int64"}``); ``more``: typed
    arrays of further columns, one value per row, appended in order (one frame built, not grown)."""
    import pandas as pd

    empty = empty or {}
    data = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        data[c] = typed_array(values) if c not in empty or any(v is not None for v in values) \
            else pd.array(values, dtype=empty[c])
    data.update(more or {})
    return pd.DataFrame(data, columns=list(data))


def date_interval(value: Any) -> tuple[Any, Any, str | None]:
    """An ISO date value (``2023``, ``2023-02``, ``2023-06-16``, ``2023-06-01/2023-06-30``, ``2020/..``) as
    ``(first day, last day, precision)``; the last day of an open range is None; not a date: (None, None, None)."""
    import calendar
    import datetime

    def one(text: str) -> tuple[Any, Any, str] | None:
        parts = text.split("-")
        try:
            nums = [int(p) for p in parts]
            if len(parts[0]) != 4 or len(nums) > 3:
                return None
            if len(nums) == 1:
                return datetime.date(nums[0], 1, 1), datetime.date(nums[0], 12, 31), "year"
            if len(nums) == 2:
                last = calendar.monthrange(nums[0], nums[1])[1]
                return datetime.date(nums[0], nums[1], 1), datetime.date(nums[0], nums[1], last), "month"
            day = datetime.date(*nums)
            return day, day, "day"
        except (ValueError, TypeError):
            return None

    if not isinstance(value, str) or not value:
        return None, None, None
    if "/" in value:
        head, _, tail = value.partition("/")
        first = one(head)
        last = None if tail == ".." else one(tail)
        if first is None or (tail != ".." and last is None):
            return None, None, None
        return first[0], None if last is None else last[1], "range"
    got = one(value)
    return got if got is not None else (None, None, None)


def date_columns(values: Iterable[Any], prefix: str = "date") -> dict[str, Any]:
    """``{prefix: first day, prefix_end: last day (NaT: open), prefix_precision: day|month|year|range}`` for
    ISO date values, as typed arrays (``datetime64[s]`` and ``str``)."""
    none = (None, None, None)
    seen: dict[str, tuple] = {}                 # an archive repeats its dates: each one is read once
    got = [none if v is None else (seen[v] if v in seen else seen.setdefault(v, date_interval(v)))
           if type(v) is str else date_interval(v) for v in values]     # most entities are not dates
    return {prefix: _date_array([g[0] for g in got]), f"{prefix}_end": _date_array([g[1] for g in got]),
            f"{prefix}_precision": _text_array([g[2] for g in got])}


def _date_array(values: list):
    """``datetime64[s]`` array of dates and None (NaT); plain dates go by their day number, not pandas' parser."""
    import datetime

    import numpy as np
    import pandas as pd

    if all(v is None or type(v) is datetime.date for v in values):
        nat = np.iinfo(np.int64).min                      # NaT's integer
        epoch = datetime.date(1970, 1, 1).toordinal()
        seconds = np.array([nat if v is None else (v.toordinal() - epoch) * 86400 for v in values], dtype=np.int64)
        return pd.array(seconds.view(DATE_DTYPE))
    return pd.array(pd.to_datetime(pd.Series(values, dtype=object)).astype(DATE_DTYPE))


def _text_array(values: list):
    import pandas as pd

    return pd.array(values, dtype="str")
