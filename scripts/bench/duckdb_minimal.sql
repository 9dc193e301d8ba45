-- The first query an analyst writes for a retention triangle in DuckDB, straight from the CSV
-- files: each customer's cohort is the month of their first subscription start; each
-- subscription is spread over the month ends it covers (start <= month end < end, open ends to
-- as_of); per cohort × channel × offset: the cohort's customers, those active at the month end and
-- their MRR in minor units. No grace period, no overlap merging, no rejects beyond unreadable
-- start dates: the minimal version of cohort/triangle.jsonl's customers, active and mrr_minor.
--
-- Placeholders filled in by scripts/bench/bench.py: {customers}, {subscriptions}, {as_of},
-- {max_offset}, {usd_rate}.

CREATE TEMP TABLE minimal_triangle AS
WITH subs AS (
  SELECT customer_id,
         try_cast(start_date AS DATE) AS s,
         least(coalesce(try_cast(nullif(end_date, '') AS DATE), DATE '{as_of}' + 1), DATE '{as_of}' + 1) AS e,
         round(coalesce(try_cast(nullif(mrr, '') AS DOUBLE),
                        try_cast(amount AS DOUBLE) / CASE billing_period WHEN 'month' THEN 1
                            WHEN 'quarter' THEN 3 WHEN 'year' THEN 12 ELSE 1 END)
               * CASE currency WHEN 'USD' THEN {usd_rate} ELSE 1 END) AS mrr_minor
  FROM read_csv('{subscriptions}', header = true, all_varchar = true)
  WHERE try_cast(start_date AS DATE) IS NOT NULL
), cohorts AS (
  SELECT s.customer_id, date_trunc('month', min(s.s)) AS cohort,
         any_value(coalesce(nullif(k.acquisition_channel, ''), '(unknown)')) AS channel
  FROM subs s LEFT JOIN read_csv('{customers}', header = true, all_varchar = true) k
    ON k."Account ID" = s.customer_id
  GROUP BY s.customer_id
), held AS (
  SELECT customer_id, m, sum(mrr_minor) AS mrr_minor
  FROM (SELECT customer_id, s, e, mrr_minor,
               unnest(generate_series(date_trunc('month', s), date_trunc('month', e), INTERVAL 1 MONTH)) AS m
        FROM subs WHERE s < e)
  WHERE s <= last_day(m) AND last_day(m) < e
  GROUP BY customer_id, m
), sizes AS (
  SELECT cohort, channel, count(*) AS customers FROM cohorts GROUP BY cohort, channel
), offsets AS (
  SELECT z.cohort, z.channel, z.customers, o.k AS "offset"
  FROM sizes z, range(0, {max_offset} + 1) o(k)
  WHERE last_day(z.cohort + to_months(CAST(o.k AS INTEGER))) <= DATE '{as_of}'
), active AS (
  SELECT c.cohort, c.channel, date_diff('month', c.cohort, h.m) AS "offset",
         count(*) AS active, sum(h.mrr_minor) AS mrr_minor
  FROM held h JOIN cohorts c USING (customer_id)
  GROUP BY ALL
)
SELECT strftime(o.cohort, '%Y-%m') AS cohort, o.channel, o."offset", o.customers,
       coalesce(a.active, 0) AS active, coalesce(a.mrr_minor, 0) AS mrr_minor
FROM offsets o LEFT JOIN active a USING (cohort, channel, "offset");
