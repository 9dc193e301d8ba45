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
        // Each channel's movements and windows start at its first customer's first paying month:
        // one customer with a start decades back costs its channel those months, not every channel.
        var channelStarts = [Month](repeating: lastMonth, count: K)
        for i in 0..<table.count where table.converted(i) {
            let k = slot[Int(table.channel[i])]
            channelStarts[k] = min(channelStarts[k], Day(raw: table.firstStart[i]).month)
        }
        var movements = MovementsAccumulator(
            firstMonth: firstMonth, lastMonth: lastMonth, channels: K, channelStarts: channelStarts)
        var windows = WindowsAccumulator(
            firstMonth: firstMonth, lastMonth: lastMonth, channels: K, channelStarts: channelStarts)

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
        // The outputs are independent files: with two threads the triangle, movements and windows
        // are written on one, survival and the projections (which read the triangle) on the other;
        // with thousands of channels these rows are most of the stage's time. The files are opened
        // in the same order either way, so the manifest lists them alike.
        let tw = try run.writer(TriangleRecord.output)
        let mw = try run.writer(MovementRecord.output)
        let ww = try run.writer(WindowRecord.output)
        let sw = try run.writer(SurvivalRecord.output)
        let projectionWriters = try ProjectionWriters(run)
        let (_, (survival, links)) = try sideBySide(
            parallel: ctx.threads > 1,
            {
                try triangle.write(to: tw, channelNames: names, order: payingOrder)
                try movements.write(to: mw, channelNames: names, order: payingOrder)
                try windows.write(to: ww, channelNames: names, order: payingOrder)
            },
            {
                (
                    try writeSurvival(to: sw, cfg: cfg, table: table, order: order, ranking: ranking),
                    try writeProjections(
                        to: projectionWriters, cfg: cfg, triangle: triangle, channelNames: names, order: payingOrder,
                        lastMonth: lastMonth)
                )
            })
        let restrictedMeanDays = survival.restrictedMeanDays
        run.writeJSON(LogRankRecord.output, survival.logRank)
        run.writeJSON(
            KPIsRecord.output,
            try kpis(
                cfg: cfg, table: table, windows: windows, lastMonth: lastMonth,
                restrictedMeanDays: restrictedMeanDays, links: links
            ).json)
        try run.commit(counts: [
            ("customers", table.count), ("months", max(0, Int(lastMonth.raw - firstMonth.raw) + 1)), ("channels", G),
        ])
        ctx.log("\(table.count) customers, \(tw.rows) triangle cells, \(mw.rows) movement rows, \(ww.rows) window rows")
    }

    /// Headline metrics at `as_of` for the report (docs/metrics.md#headline-kpis), from the
    /// customers table: every customer's MRR at `as_of`, and the converted ones paying then by cohort.
    static func kpis(
        cfg: PipelineConfig, table: CustomerTable, windows: WindowsAccumulator, lastMonth: Month,
        restrictedMeanDays: Double?, links: RetentionProjection.Links? = nil
    ) throws -> KPIsRecord {
        var paying: [HeadlineKPIs.PayingCustomer] = []
        for i in 0..<table.count where table.mrrAtAsOf[i] > 0 && table.converted(i) {
            paying.append(
                HeadlineKPIs.PayingCustomer(cohort: Month(raw: table.cohort[i]), mrrMinor: table.mrrAtAsOf[i]))
        }
        return try HeadlineKPIs.compute(
            asOf: cfg.asOf, lastMonth: lastMonth, currency: cfg.currency.report,
            minorUnits: cfg.currency.reportMinorUnits, windows: windows, mrrAtAsOf: table.mrrAtAsOf,
            paying: paying, restrictedMeanDays: restrictedMeanDays, links: links)
    }
}
