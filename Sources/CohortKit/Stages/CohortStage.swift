/// `cohort`: retention triangles, survival, MRR movements, windows and headline KPIs (docs/stages.md#cohort).
/// dbt's *mart* layer. Each customer's snapshots are computed once and feed every accumulator.
public enum CohortStage {
    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        let cfg = ctx.config
        let table = try CustomerTable.read(run)

        let lastMonth = Month.lastComplete(asOf: cfg.asOf)
        var firstMonth = lastMonth
        var firstCohort = lastMonth
        for i in 0..<table.count where table.converted(i) {
            firstMonth = min(firstMonth, Day(raw: table.firstStart[i]).month)
            firstCohort = min(firstCohort, Month(raw: table.cohort[i]))
        }
        let G = table.channels.count
        let ranking = table.channelRanking(limit: cfg.maxChannels)
        // The accumulators count only channels with a converted customer (slot[g], -1 for none):
        // a channel of leads who never paid has no cohort, curve or movement, and 10,000 of them
        // must not cost 10,000 columns of zeros.
        let converted = table.convertedPerChannel
        var slot = [Int](repeating: -1, count: G)
        var paying: [Int] = []
        for g in 0..<G where converted[g] > 0 {
            slot[g] = paying.count
            paying.append(g)
        }
        let K = paying.count
        var triangle = TriangleAccumulator(
            firstCohort: firstCohort, lastMonth: lastMonth, maxOffset: cfg.maxOffsetMonths, channels: K,
            pooled: paying.map { ranking.pooled[$0] })
        var movements = MovementsAccumulator(firstMonth: firstMonth, lastMonth: lastMonth, channels: K)
        var windows = WindowsAccumulator(firstMonth: firstMonth, lastMonth: lastMonth, channels: K)

        // intervals.jsonl is sorted by customer, like the table: each part of the file (cut
        // between customers) feeds its own accumulators on its own core; they are summed in order.
        let ipath = try run.upstreamPath(.normalize, "intervals")
        let parts = try table.intervalParts(run, path: ipath)
        let sums = try run.readInParts(ipath, parts.map(\.part)) { k, reader in
            var t = triangle
            var m = movements
            var w = windows
            let stream = IntervalStream(reader)
            var intervals: [PaidInterval] = []
            var snaps = CustomerSnapshots()
            for i in parts[k].customers {
                try stream.intervals(of: table.ids[i], into: &intervals)
                guard table.converted(i) else { continue }
                do { try snaps.load(intervals, lastMonth: lastMonth) } catch let e as MoneyOverflow {
                    throw MoneyOverflow(what: "\(e.what) for customer \(table.ids[i])")
                }
                let g = slot[Int(table.channel[i])]
                t.add(cohort: Month(raw: table.cohort[i]), channel: g, snapshots: snaps)
                m.add(channel: g, firstStart: Day(raw: table.firstStart[i]), snapshots: snaps)
                w.add(channel: g, snapshots: snaps)
            }
            try stream.finish()
            return (t, m, w)
        }
        for (t, m, w) in sums {
            triangle.merge(t)
            movements.merge(m)
            windows.merge(w)
        }

        let order = table.channelOrder
        let names = paying.map { table.channels.names[$0] }
        let payingOrder = order.compactMap { slot[$0] >= 0 ? slot[$0] : nil }
        let tw = try run.writer("triangle")
        try triangle.write(to: tw, channelNames: names, order: payingOrder)
        let mw = try run.writer("movements")
        try movements.write(to: mw, channelNames: names, order: payingOrder)
        let ww = try run.writer("windows")
        try windows.write(to: ww, channelNames: names, order: payingOrder)
        let survival = try writeSurvival(run, table: table, order: order, ranking: ranking)
        let links = try writeProjections(
            run, triangle: triangle, channelNames: names, order: payingOrder, lastMonth: lastMonth)
        run.writeJSON(
            "kpis",
            try kpis(
                cfg: cfg, table: table, windows: windows, lastMonth: lastMonth,
                restrictedMeanDays: survival.restrictedMeanDays,
                links: links))
        try run.commit(counts: [
            ("customers", table.count), ("months", max(0, Int(lastMonth.raw - firstMonth.raw) + 1)), ("channels", G),
        ])
        ctx.log("\(table.count) customers, \(tw.rows) triangle cells, \(mw.rows) movement rows, \(ww.rows) window rows")
    }

    /// Headline metrics at `as_of` for the report (docs/metrics.md#headline-kpis).
    static func kpis(
        cfg: PipelineConfig, table: CustomerTable, windows: WindowsAccumulator, lastMonth: Month,
        restrictedMeanDays: Double?, links: RetentionProjection.Links? = nil
    ) throws -> JSONValue {
        func num(_ d: Double?) -> JSONValue { .number(formatting: d) }
        let G = windows.channels
        let hasMonths = windows.cells.count > 0 && lastMonth >= windows.firstMonth
        let t12 = hasMonths ? windows.cell(.trailing12m, month: lastMonth, channel: G) : WindowsAccumulator.Cell()
        var monthly: [Double] = []
        if hasMonths {
            var m = lastMonth
            while monthly.count < 12, m >= windows.firstMonth {
                if let r = windows.cell(.month, month: m, channel: G).logoChurnRate { monthly.append(r) }
                m = m - 1
            }
        }
        let monthlyChurn: Double? = monthly.isEmpty ? nil : monthly.reduce(0, +) / Double(monthly.count)
        let annual = monthlyChurn.map { 1 - pow1m($0, 12) }
        var active = 0
        var mrr: Int64 = 0
        for i in 0..<table.count where table.mrrAtAsOf[i] > 0 {
            active += 1
            mrr = try CheckedMinor.sum(mrr, table.mrrAtAsOf[i], "the KPIs' mrr_minor (MRR of all customers at as_of)")
        }
        let arpa: Double? = active == 0 ? nil : Double(mrr) / Double(active)
        let ltvChurn: Double? = arpa.flatMap { a in monthlyChurn.flatMap { $0 > 0 ? a / $0 : nil } }
        let lifetimeMonths = restrictedMeanDays.map { $0 / 30.4375 }
        let ltvSurvival: Double? = arpa.flatMap { a in lifetimeMonths.map { a * $0 } }
        // Where today's paying base is headed in 12 months, cohort by cohort through the pooled links.
        var base: [Int32: RetentionProjection.BaseCohort] = [:]
        for i in 0..<table.count where table.mrrAtAsOf[i] > 0 && table.converted(i) {
            let age = max(0, Int(lastMonth.raw - table.cohort[i]))
            var c = base[table.cohort[i]] ?? RetentionProjection.BaseCohort(age: age, customers: 0, mrr: 0)
            c.customers += 1
            c.mrr = try CheckedMinor.sum(c.mrr, table.mrrAtAsOf[i], "the projected KPIs' MRR by cohort")
            base[table.cohort[i]] = c
        }
        let outlook = links.flatMap {
            RetentionProjection.outlook(base.keys.sorted().compactMap { base[$0] }, links: $0)
        }
        return .object([
            ("as_of", .string(cfg.asOf.description)),
            ("last_month", .string(lastMonth.description)),
            ("currency", .string(cfg.currency.report)),
            ("minor_units", .number(String(cfg.currency.reportMinorUnits))),
            ("active_customers", .number(String(active))),
            ("mrr_minor", .number(String(mrr))),
            ("arpa_minor", num(arpa)),
            ("nrr_trailing_12m", num(t12.nrr)),
            ("grr_trailing_12m", num(t12.grrRate)),
            ("logo_churn_trailing_12m", num(t12.logoChurnRate)),
            ("upsell_rate_trailing_12m", num(t12.upsellRate)),
            ("cross_sell_rate_trailing_12m", num(t12.crossSellRate)),
            ("trailing_12m_base_customers", .number(String(t12.base))),
            ("logo_churn_monthly", num(monthlyChurn)),
            ("logo_churn_monthly_months", .number(String(monthly.count))),
            ("logo_churn_annual", num(annual)),
            ("ltv_churn_minor", num(ltvChurn)),
            ("restricted_mean_lifetime_months", num(lifetimeMonths)),
            ("ltv_survival_minor", num(ltvSurvival)),
            ("projected_logo_churn_12m", num(outlook.map { 1 - $0.logo })),
            ("projected_nrr_12m", num(outlook?.revenue)),
        ])
    }

    /// (1 - x)^n for a small whole n.
    static func pow1m(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= (1 - x) }
        return r
    }
}
