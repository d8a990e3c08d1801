"""Calendar arithmetic on whole minutes of local (Europe/Amsterdam) wall-clock time.

Times are int64 minutes since EPOCH, naive local time. Office steps move to the next
working hour (Monday to Friday, 08:00-17:00, Dutch public holidays off); no time falls in the
hour skipped when summer time starts.
"""

from __future__ import annotations

import numpy as np

from ._spec import Arrivals, Clock

EPOCH = np.datetime64("2025-01-01T00:00", "m")
PERIOD_START = "2025-03-01"
PERIOD_DAYS = 365
DAY = 1440
OPEN, CLOSE = 8 * 60, 17 * 60
_EPOCH_WEEKDAY = 2  # 2025-01-01 is a Wednesday

HOLIDAYS = (
    "2025-04-21",
    "2025-04-26",
    "2025-05-05",
    "2025-05-29",
    "2025-06-09",
    "2025-12-25",
    "2025-12-26",
    "2026-01-01",
    "2026-04-06",
    "2026-04-27",
    "2026-05-14",
    "2026-05-25",
)
SUMMER_TIME_STARTS = ("2025-03-30T02:00", "2026-03-29T02:00")

_HOURLY: dict[Arrivals, tuple[float, ...]] = {
    "emergency": (3, 2, 2, 2, 2, 2, 3, 5, 8, 10, 11, 11, 11, 11, 11, 11, 11, 11, 10, 9, 8, 7, 5, 4),
    "office": (0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 10, 9, 7, 9, 10, 9, 6, 0, 0, 0, 0, 0, 0, 0),
    "web": (1, 1, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 7, 7, 7, 6, 6, 6, 7, 9, 10, 9, 6, 3),
}
_WEEKEND: dict[Arrivals, float] = {"emergency": 0.85, "office": 0.04, "web": 0.6}


def _days(dates: tuple[str, ...]) -> np.ndarray:
    days: np.ndarray = np.array(dates, dtype="datetime64[D]") - EPOCH.astype("datetime64[D]")
    return days.astype(np.int64)


_HOLIDAY_DAYS = _days(HOLIDAYS)
_GAPS = np.array([(np.datetime64(t, "m") - EPOCH).astype(np.int64) for t in SUMMER_TIME_STARTS])


def weekday(day: np.ndarray) -> np.ndarray:
    """Weekday of a day number, Monday = 0."""
    return (day + _EPOCH_WEEKDAY) % 7


def is_workday(day: np.ndarray) -> np.ndarray:
    """Monday to Friday and not a public holiday."""
    return (weekday(day) < 5) & ~np.isin(day, _HOLIDAY_DAYS)


def to_office_hours(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Times outside office hours move to a random moment in the next working morning."""
    day, minute = t // DAY, t % DAY
    inside = is_workday(day) & (minute >= OPEN) & (minute < CLOSE)
    if inside.all():
        return t
    next_day = np.where(is_workday(day) & (minute < OPEN), day, day + 1)
    for _ in range(7):
        closed = ~is_workday(next_day)
        if not closed.any():
            break
        next_day = next_day + closed
    backlog = np.minimum(rng.exponential(90.0, t.size), CLOSE - OPEN - 30).astype(np.int64)
    return np.where(inside, t, next_day * DAY + OPEN + backlog)


def _office_minutes() -> np.ndarray:
    """Every office minute from EPOCH on, sorted, for nearest-office-time lookups."""
    days = np.arange(4 * 366)
    days = days[is_workday(days)]
    minutes: np.ndarray = days[:, None] * DAY + np.arange(OPEN, CLOSE)[None, :]
    return minutes.ravel()


_OFFICE_MINUTES = _office_minutes()


def nearest_office_time(t: np.ndarray) -> np.ndarray:
    """The office minute nearest to t (t itself when inside office hours)."""
    i = np.clip(np.searchsorted(_OFFICE_MINUTES, t), 1, _OFFICE_MINUTES.size - 1)
    after, before = _OFFICE_MINUTES[i], _OFFICE_MINUTES[i - 1]
    return np.where(after - t <= t - before, after, before)


def stretch_office_wait(begin: np.ndarray, end: np.ndarray, factor: float) -> np.ndarray:
    """A new end about `factor` times as far from `begin`, moved to the nearest office minute.

    Moving to the nearest office minute (not the next one) keeps the median wait unbiased.
    """
    stretched = begin + np.rint((end - begin) * factor).astype(np.int64)
    moved: np.ndarray = np.maximum(nearest_office_time(stretched), end)
    return moved


def shorten_wait(begin: np.ndarray, end: np.ndarray, factor: float) -> np.ndarray:
    """A new end `factor` times as far from `begin` (the wait as it was, office hours
    included, times `factor`: its median exactly so). Not moved into office hours again: that
    would bias the median (a discharge may then start in the evening)."""
    shortened = begin + np.rint((end - begin) * factor).astype(np.int64)
    return skip_summer_gap(shortened)


def local_minute(date: str) -> int:
    """Minutes since EPOCH at the start of a local date (YYYY-MM-DD)."""
    return int((np.datetime64(date, "m") - EPOCH).astype(np.int64))


def skip_summer_gap(t: np.ndarray) -> np.ndarray:
    """Times in the non-existent hour when summer time starts move one hour on."""
    for gap in _GAPS:
        t = np.where((t >= gap) & (t < gap + 60), t + 60, t)
    return t


def adjust(t: np.ndarray, clock: Clock, rng: np.random.Generator) -> np.ndarray:
    """Apply a step's clock (office hours or round the clock) and the summer-time gap."""
    if clock == "office":
        t = to_office_hours(t, rng)
    return skip_summer_gap(t)


def sample_arrivals(
    rng: np.random.Generator, n: int, kind: Arrivals, season: tuple[float, ...]
) -> np.ndarray:
    """First-event times over the twelve-month period: weekday, hour and month profiles."""
    start = int(_days((PERIOD_START,))[0])
    days = np.arange(start, start + PERIOD_DAYS)
    dates = EPOCH.astype("datetime64[D]") + days.astype("timedelta64[D]")
    months = dates.astype("datetime64[M]").astype(np.int64) % 12
    weight = np.where(is_workday(days), 1.0, _WEEKEND[kind]) * np.asarray(season)[months]
    day = rng.choice(days, size=n, p=weight / weight.sum())
    hourly = np.asarray(_HOURLY[kind], dtype=float)
    hour = rng.choice(24, size=n, p=hourly / hourly.sum())
    return day * DAY + hour * 60 + rng.integers(0, 60, size=n)


def to_datetime(t: np.ndarray) -> np.ndarray:
    """Minutes since EPOCH as datetime64[us]."""
    return (EPOCH + t.astype("timedelta64[m]")).astype("datetime64[us]")
