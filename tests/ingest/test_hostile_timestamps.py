"""Any value where a time is expected: a time between 1970 and 2099 in the asked zone, None, or a ValueError
whose message is one short line. Never another exception, never a time later stages cannot shift."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from hostile import one_line
from netral_cli.ingest.crowdtangle import post_created
from netral_cli.ingest.timestamps import EARLIEST, LATEST, parse_timestamp, plausible, zone

ZONES = st.sampled_from(["Asia/Jakarta", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
DATE_LIKE = st.builds(
    "{}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}".format,
    st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["T", " "]),
    st.integers(0, 99), st.integers(0, 99), st.integers(0, 99),
    st.sampled_from(["", "Z", "+14:00", "-12:00", "+99:99", " WIB", " WITA", " XYZ", " UTC", ".5"]))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**25), 10**25), st.floats(), DATE_LIKE,
    st.text(max_size=30), st.integers(-(10**14), 10**14).map(str), st.lists(st.integers(), max_size=3))


def plausible_or_error(call):
    try:
        moment = call()
    except ValueError as exc:
        assert one_line(str(exc)) and len(str(exc)) < 200, str(exc)
        return None
    assert moment is None or (moment.tzinfo is not None and EARLIEST <= moment < LATEST), moment
    return moment


@settings(max_examples=300, deadline=None)
@given(value=VALUES, tz=ZONES)
def test_parse_timestamp_gives_a_plausible_time_or_a_short_error(value, tz):
    moment = plausible_or_error(lambda: parse_timestamp(value, tz))
    if moment is not None:  # expressed in the asked zone
        assert moment.tzinfo is zone(tz)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(DATE_LIKE, st.text(max_size=30)), tz=ZONES)
def test_crowdtangle_post_created_gives_a_plausible_time_or_a_short_error(value, tz):
    plausible_or_error(lambda: post_created(value, tz))


def test_a_time_at_the_edge_of_the_range():
    assert parse_timestamp("2099-12-31T23:59:59+00:00", "Pacific/Kiritimati").isoformat() == \
        "2100-01-01T13:59:59+14:00"
    assert parse_timestamp(0, "UTC").isoformat() == "1970-01-01T00:00:00+00:00"


NEAR_THE_BOUNDS = st.builds(
    lambda bound, seconds, minutes: (bound + timedelta(seconds=seconds)).astimezone(
        timezone(timedelta(minutes=minutes))),
    st.sampled_from([EARLIEST, LATEST, datetime(2024, 6, 1, tzinfo=timezone.utc)]),
    st.integers(-3 * 86400, 3 * 86400), st.integers(-1439, 1439))


@settings(max_examples=500, deadline=None)
@given(moment=NEAR_THE_BOUNDS, tz=ZONES)
def test_a_time_is_refused_exactly_when_its_instant_is_outside_the_range(moment, tz):
    """Whatever its offset: the check of its year alone, near the bounds, must not decide otherwise."""
    inside = EARLIEST <= moment < LATEST
    try:
        accepted = plausible(moment, zone(tz), moment.isoformat()) == moment
    except ValueError:
        accepted = False
    assert accepted == inside
