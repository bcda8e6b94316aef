"""Exact numbers in pandas: column types that never round a value.

Report figures can be any size (``超过9999999999999999亿场`` is 10^24) or a decimal with more digits
than a float holds (then :mod:`reportmine.numbers` gives a ``Decimal``). pandas' int64 cannot hold
the first and float64 rounds both, silently. A column of such values stays an ``object`` column of
exact Python ints and Decimals; every other column keeps its usual nullable type (Int64, Float64).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

__all__ = ["number_dtype", "needs_object", "exact_frame", "INT64_MIN", "INT64_MAX", "FLOAT_EXACT_INT"]

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
