-- What an analyst would write in DuckDB for the cohort stage's core: month-end MRR snapshots, the
-- retention triangle by signup month and channel, and monthly windows, from the same CSV files.
-- Same definitions as the pipeline (docs/metrics.md): MRR in report-currency minor units rounded
-- half-to-even once per subscription, intervals capped at as_of, gaps of up to grace_days bridged
-- (the intervals that cover the last day before a gap carry their MRR across it), zero-MRR rows
-- excluded, snapshots at month ends. Rows the pipeline rejects (unparseable dates, negative
-- amounts, unknown currencies) are filtered the same way.
--
-- Placeholders filled in by scripts/bench/bench.py: {customers}, {subscriptions}, {as_of},
-- {grace}, {max_offset}, {usd_rate}.

CREATE TEMP TABLE customers AS
SELECT "Account ID" AS customer_id, coalesce(nullif(acquisition_channel, ''), '(unknown)') AS channel
FROM read_csv('{customers}', header = true, all_varchar = true);

CREATE TEMP TABLE raw_subs AS
SELECT customer_id, product,
       try_cast(start_date AS DATE) AS s,
       try_cast(nullif(end_date, '') AS DATE) AS e,
       nullif(end_date, '') IS NULL AS open_end,
       try_cast(nullif(mrr, '') AS DECIMAL(18, 2)) AS mrr,
       try_cast(nullif(amount, '') AS DECIMAL(18, 2)) AS amount,
       CASE billing_period WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12
            ELSE try_cast(billing_period AS INTEGER) END AS months,
       currency
FROM read_csv('{subscriptions}', header = true, all_varchar = true);

CREATE TEMP TABLE subs AS
WITH priced AS (
  SELECT customer_id, product, s, e, open_end,
         CAST(coalesce(mrr, amount / months) AS DECIMAL(38, 10))
           * CASE currency WHEN 'USD' THEN {usd_rate} ELSE 1 END AS x
  FROM raw_subs
  WHERE s IS NOT NULL AND (e IS NOT NULL OR open_end) AND (open_end OR e >= s)
    AND currency IN ('USD', 'JPY') AND coalesce(mrr, amount) >= 0
), rounded AS (
  SELECT customer_id, product, s,
         least(coalesce(e, DATE '{as_of}' + 1), DATE '{as_of}' + 1) AS e,
         CAST(CASE WHEN x - floor(x) = 0.5 THEN (CASE WHEN floor(x) % 2 = 0 THEN floor(x) ELSE floor(x) + 1 END)
                   ELSE round(x) END AS BIGINT) AS mrr_minor
  FROM priced
)
SELECT * FROM rounded WHERE s <= DATE '{as_of}' AND s < e AND mrr_minor > 0;

-- Gaps in each customer's union of intervals, and which of them grace_days bridges.
CREATE TEMP TABLE bridged AS
WITH ordered AS (
  SELECT customer_id, s, e,
         max(e) OVER (PARTITION BY customer_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS reach,
         lead(s) OVER (PARTITION BY customer_id ORDER BY s, e) AS next_s
  FROM subs
), gaps AS (
  SELECT customer_id, reach AS gap_start, min(next_s) AS gap_end
  FROM ordered
  WHERE next_s > reach AND datediff('day', reach, next_s) <= {grace}
  GROUP BY customer_id, reach
)
SELECT subs.customer_id, subs.product, subs.s, coalesce(gaps.gap_end, subs.e) AS e, subs.mrr_minor
FROM subs LEFT JOIN gaps ON gaps.customer_id = subs.customer_id AND gaps.gap_start = subs.e;

CREATE TEMP TABLE cohorts AS
SELECT b.customer_id, date_trunc('month', min(b.s)) AS cohort, coalesce(c.channel, '(unknown)') AS channel
FROM bridged b LEFT JOIN customers c USING (customer_id)
GROUP BY b.customer_id, c.channel;

CREATE TEMP TABLE month_ends AS
SELECT last_day(m) AS me
FROM range((SELECT min(cohort) FROM cohorts), DATE '{as_of}' + 1, INTERVAL 1 MONTH) t(m)
WHERE last_day(m) <= DATE '{as_of}';

-- Month-end MRR snapshots: one row per customer and month end with MRR > 0.
CREATE TEMP TABLE snapshots AS
SELECT b.customer_id, m.me, sum(b.mrr_minor) AS mrr_minor
FROM bridged b JOIN month_ends m ON b.s <= m.me AND m.me < b.e
GROUP BY b.customer_id, m.me;

CREATE TEMP TABLE triangle AS
WITH cells AS (
  SELECT c.cohort, c.channel, m.me, datediff('month', c.cohort, m.me) AS "offset", c.customer_id
  FROM cohorts c JOIN month_ends m ON m.me >= c.cohort AND datediff('month', c.cohort, m.me) <= {max_offset}
), joined AS (
  SELECT cells.*, coalesce(s.mrr_minor, 0) AS mrr_minor, coalesce(s0.mrr_minor, 0) AS mrr_start
  FROM cells
  LEFT JOIN snapshots s ON s.customer_id = cells.customer_id AND s.me = cells.me
  LEFT JOIN snapshots s0 ON s0.customer_id = cells.customer_id AND s0.me = last_day(cells.cohort)
)
SELECT strftime(cohort, '%Y-%m') AS cohort, coalesce(channel, '(all)') AS channel, "offset",
       count(*) AS customers, count(*) FILTER (WHERE mrr_minor > 0) AS active,
       sum(mrr_start) AS mrr_start_minor, sum(mrr_minor) AS mrr_minor
FROM joined
GROUP BY GROUPING SETS ((cohort, channel, "offset"), (cohort, "offset"));

CREATE TEMP TABLE windows AS
WITH pairs AS (
  SELECT a.customer_id, m.me AS b_me, a.mrr_minor AS mrr_a, coalesce(b.mrr_minor, 0) AS mrr_b
  FROM month_ends m
  JOIN snapshots a ON a.me = last_day(m.me - INTERVAL 1 MONTH)
  LEFT JOIN snapshots b ON b.customer_id = a.customer_id AND b.me = m.me
)
SELECT strftime(b_me, '%Y-%m-%d') AS "to", coalesce(c.channel, '(all)') AS channel,
       count(*) AS base_customers, count(*) FILTER (WHERE mrr_b > 0) AS retained_customers,
       sum(mrr_a) AS base_mrr_minor, sum(mrr_b) AS end_mrr_minor,
       sum(least(mrr_a, mrr_b)) AS kept_mrr_minor
FROM pairs JOIN cohorts c USING (customer_id)
GROUP BY GROUPING SETS ((b_me, c.channel), (b_me));
