import Foundation

/// `churn-attribution`: where churn comes from and what it costs (docs/metrics.md#churn-attribution). Segments per
/// dimension value with Kaplan–Meier churn probabilities, log-rank tests (overall and pairwise
/// with Holm adjustment), exit reasons, a Cox model that separates a channel's effect from its
/// plan mix, activation, revenue impact, success phases and accounts at risk. The numbers come
/// from `Metrics/Attribution/`; this file reads the inputs, calls them and writes their records.
public enum AttributionStage {
    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        let cfg = ctx.config
        let table = try CustomerTable.read(run, withAttributes: true)
        let lastMonth = Month.lastComplete(asOf: cfg.asOf)
        // intervals.jsonl in parts read side by side; each part fills its own customers' range.
        let ipath = try run.upstreamPath(.normalize, IntervalRecord.output)
        let parts = try table.intervalParts(run, path: ipath)
        let facts = CustomerFacts.joined(
            try run.readInParts(ipath, parts.map(\.part)) { k, reader in
                try CustomerFacts(intervals: reader, table: table, customers: parts[k].customers, lastMonth: lastMonth)
            })
        precondition(facts.churnedMRR12m.count == table.count, "the parts cover every customer once")

        // Activation from events (in parts read side by side, merged), when an event is configured.
        var activated: [Bool]? = nil
        var adoptionBits: [UInt8]? = nil
        if let event = cfg.activationEvent {
            let scans = try run.readInParts(.ingest, EventRecord.output) { _, reader in
                try Activation.scan(reader, table: table, event: event, days: cfg.activationDays, asOf: cfg.asOf)
            }
            if let scan = Activation.EventScan.merged(scans), scan.any {
                activated = scan.activated
                adoptionBits = scan.adoptionBits
            }
        }

        let dims = try Dimensions.all(cfg: cfg, table: table, activated: activated)
        let rows = SurvivalRows(table: table)
        let (durations, events, who) = (rows.durations, rows.events, rows.who)
        // The Cox fit needs only the rows and the dimensions: with two threads it runs on the second
        // core while the segments and tests are written (the outputs are written in the same order
        // either way).
        let coxDims = Dimensions.forCox(dims, max: cfg.maxComparedValues, events: events.count(where: { $0 }))
        let ((), fit) = try sideBySide(
            parallel: ctx.threads > 1,
            {
                try writeSegments(
                    run, cfg: cfg, facts: facts, dims: dims, durations: durations, events: events, who: who)
            },
            { CoxDesign.fit(dims: coxDims, durations: durations, events: events, who: who) })

        let cancellations = try run.open(.ingest, CancellationRecord.output)
        let exits = try ExitReasons.latest(cancellations, table: table, asOf: cfg.asOf)
        run.close(cancellations)
        try run.write(
            try exits.rows(
                channel: table.channel, channels: table.channels.names, lastChurnMRR: facts.lastChurnMRR,
                categories: cfg.reasonCategories))

        try run.write(fit.termRecords)
        run.writeJSON(CoxModelRecord.output, try fit.modelRecord(dims: coxDims).json)
        // at_risk.jsonl (a row per active account: scored, ranked and written) and the backtest's
        // refit with the rows left to aggregate are independent: with two threads they run side by
        // side. The outputs are opened and written in the same order either way.
        let atRisk = try run.writer(AtRiskRecord.output)
        let (_, rest) = try sideBySide(
            parallel: ctx.threads > 1,
            {
                for r in try AccountsAtRisk.accounts(
                    fit: fit, durations: durations, events: events, who: who, table: table, asOf: cfg.asOf,
                    high: cfg.touchTierHighMinor, low: cfg.touchTierLowMinor)
                {
                    try atRisk.write(r)
                }
            },
            {
                (
                    backtest: AtRiskBacktest.record(
                        months: cfg.backtestMonths, asOf: cfg.asOf, table: table, dims: coxDims,
                        durations: durations, events: events, who: who),
                    // activation.jsonl is written empty when no activation event is configured or none matched.
                    activation: activated.map {
                        Activation.rows(
                            table: table, activated: $0,
                            windowEnd: Activation.windowEnd(asOf: cfg.asOf, days: cfg.activationDays))
                    } ?? [],
                    impact: try RevenueImpact.rows(
                        monthlyBase: facts.monthlyBase, monthlyChurned: facts.monthlyChurned,
                        mrrAtAsOf: table.mrrAtAsOf, dims: dims),
                    phases: SuccessPhases.rows(
                        table: table, asOf: cfg.asOf, activationDays: cfg.activationDays,
                        adoptionMonths: cfg.adoptionMonths, activated: activated, adoptionBits: adoptionBits,
                        expanded: facts.expanded)
                )
            })
        run.writeJSON(AtRiskBacktestRecord.output, try rest.backtest.json)
        try run.write(rest.activation)
        try run.write(rest.impact)
        try run.write(rest.phases)
        try run.commit(counts: [("customers", table.count), ("converted", who.count), ("dimensions", dims.count)])
        ctx.log(
            "\(who.count) converted customers over \(dims.count) dimensions; Cox fit on \(fit.patterns) covariate patterns in "
                + String(format: "%.3f s", fit.seconds))
    }

    /// Writes segments.jsonl and pairwise.jsonl, one dimension at a time.
    static func writeSegments(
        _ run: StageRun, cfg: PipelineConfig, facts: CustomerFacts, dims: [AttributionDimension], durations: [Int32],
        events: [Bool], who: [Int]
    ) throws {
        let sw = try run.writer(SegmentRecord.output)
        let pw = try run.writer(PairwiseRecord.output)
        let segments = try Segments(
            durations: durations, events: events, who: who, churnedMRR12m: facts.churnedMRR12m,
            earlyChurnDays: cfg.earlyChurnDays, confidence: cfg.confidence, maxComparedValues: cfg.maxComparedValues)
        for d in dims {
            let rows = try segments.rows(d)
            for r in rows.segments { try sw.write(r) }
            for r in rows.pairwise { try pw.write(r) }
        }
    }
}
