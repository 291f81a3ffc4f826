//! Listing: RFC 3339 timestamps as instants in SQL, exactly as `time::parse_rfc3339` reads them (the same shapes, ranges, leap second, offset, nanoseconds).

use crate::time::Instant;

/// The shapes `parse_rfc3339` accepts, as a PostgreSQL regular expression.
const SHAPE: &str =
    "'^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$'";

/// The quoted texts the instant's SQL holds: fixed, never a plan's value.
pub const FIXED_LITERALS: [&str; 6] = [SHAPE, "'Z'", "'z'", "'-'", "'^.{19}[.]([0-9]+)'", "'0'"];

/// The instant a text expression `t` denotes, as a `numeric` of seconds
/// since 1970-01-01T00:00:00Z (nanoseconds in its fraction); NULL when `t`
/// is NULL or not a timestamp `parse_rfc3339` reads (a day the month does
/// not have, an hour past 23, ...). Days from the civil date as
/// `time::days_from_civil` computes them, so year 0 too. A text of
/// another shape is NULL before any part of it is cast (PostgreSQL may
/// fold the casts of a known text while planning).
pub fn instant_of(t: &str) -> String {
    let zulu = "right(r.t, 1) IN ('Z', 'z')";
    let zone_h = "substr(right(r.t, 5), 1, 2)::int";
    let zone_m = "substr(right(r.t, 5), 4, 2)::int";
    let month_days = "CASE WHEN v.mo = 2 THEN CASE WHEN (v.y % 4 = 0 AND v.y % 100 <> 0) OR v.y % 400 = 0 THEN 29 ELSE 28 END WHEN v.mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
    let days = "v.era * 146097 + v.yoe * 365 + div(v.yoe, 4) - div(v.yoe, 100) + div(153 * (CASE WHEN v.mo > 2 THEN v.mo - 3 ELSE v.mo + 9 END) + 2, 5) + v.dd - 1 - 719468";
    format!(
        "(SELECT CASE WHEN v.mo BETWEEN 1 AND 12 AND v.dd BETWEEN 1 AND {month_days} \
AND v.hh <= 23 AND v.mi <= 59 AND v.ss <= 60 AND v.oh <= 23 AND v.om <= 59 \
THEN ({days}) * 86400 + v.hh * 3600 + v.mi * 60 + v.ss - v.zone * 60 + v.frac END \
FROM (SELECT u.*, floor(u.yy::numeric / 400)::bigint AS era, u.yy - floor(u.yy::numeric / 400)::bigint * 400 AS yoe \
FROM (SELECT w.*, w.y - CASE WHEN w.mo <= 2 THEN 1 ELSE 0 END AS yy \
FROM (SELECT substr(r.t, 1, 4)::int AS y, substr(r.t, 6, 2)::int AS mo, substr(r.t, 9, 2)::int AS dd, \
substr(r.t, 12, 2)::int AS hh, substr(r.t, 15, 2)::int AS mi, substr(r.t, 18, 2)::int AS ss, \
CASE WHEN {zulu} THEN 0 ELSE {zone_h} END AS oh, CASE WHEN {zulu} THEN 0 ELSE {zone_m} END AS om, \
CASE WHEN {zulu} THEN 0 ELSE (CASE WHEN substr(right(r.t, 6), 1, 1) = '-' THEN -1 ELSE 1 END) * ({zone_h} * 60 + {zone_m}) END AS zone, \
COALESCE(rpad(left(substring(r.t from '^.{{19}}[.]([0-9]+)'), 9), 9, '0')::numeric / 1000000000, 0) AS frac \
FROM (SELECT CASE WHEN x.t ~ {SHAPE} THEN x.t END AS t FROM (SELECT {t} AS t) AS x) AS r \
WHERE r.t IS NOT NULL) AS w) AS u) AS v)"
    )
}

/// An instant as the exact decimal text of its seconds.
pub fn seconds_text(i: Instant) -> String {
    let total = i128::from(i.seconds) * 1_000_000_000 + i128::from(i.nanos);
    let sign = if total < 0 { "-" } else { "" };
    let abs = total.unsigned_abs();
    format!("{sign}{}.{:09}", abs / 1_000_000_000, abs % 1_000_000_000)
}
