/// What a stage reads and writes, stated once: it drives `--help`, the manifest and a test.
public struct StageDescription: Sendable {
    public struct OutputFile: Sendable {
        public var name: String
        public var file: String
        public var grain: String
        public var schemaVersion: Int
    }

    public var name: String
    public var summary: String
    public var reads: [String]
    public var writes: [OutputFile]
    /// The pipeline.json sections this stage uses (recorded in its manifest).
    public var configSections: [String]
    /// Flags beyond the common ones, with their help text.
    public var extraFlags: [(flag: String, help: String)]
    /// Flags that set one configuration key for this run (`--backtest-months 3` sets
    /// `cohort.backtest_months`), checked like the key and recorded in the manifest like it.
    public var settingFlags: [(flag: String, key: String, help: String)] = []

    public func output(_ name: String) -> OutputFile? { writes.first { $0.name == name } }

    /// The `--help` text.
    public var help: String {
        var s = "\(name) — \(summary)\n\nUsage: \(name) [--config PATH] [--as-of YYYY-MM-DD] [options]\n\nReads:\n"
        for r in reads { s += "  \(r)\n" }
        s += "\nWrites (under work_dir/\(name == "report" ? "…, and reports_dir" : name)):\n"
        for w in writes { s += "  \(w.file)  — \(w.grain) (schema v\(w.schemaVersion))\n" }
        s += "  \(Manifest.fileName(name))  — what was read, written and reconciled\n"
        s += "\nOptions:\n"
        s += "  --config PATH     configuration file (default: pipeline.json)\n"
        s += "  --as-of DATE      observation date, overrides as_of in the config\n"
        s +=
            "  --threads N       threads (default: all cores; 1 does everything on one thread; outputs are identical for any N)\n"
        s += "  --quiet           no progress or summary on stderr (warnings are still printed)\n"
        s +=
            "  --make-vars       write work_dir/.config/ (config slices, source state, make.mk) for make; print make.mk's path\n"
        s += "  --clean           remove the files the pipeline wrote for this config (what `make clean` runs)\n"
        for f in extraFlags { s += "  \(f.flag.padding(toLength: 18, withPad: " ", startingAt: 0))\(f.help)\n" }
        for f in settingFlags {
            s += "  \((f.flag + " N").padding(toLength: 18, withPad: " ", startingAt: 0))\(f.help) (sets \(f.key))\n"
        }
        s += "  --version         print the version\n  --help            print this help\n"
        s += "\nExit codes: 0 success, 1 data error, 2 usage or configuration error, 3 report threshold breached.\n"
        return s
    }
}

extension StageDescription {
    public static let ingest = StageDescription(
        name: "ingest",
        summary: "read the raw exports, rename and type their columns, validate every row",
        reads: ["the sources in pipeline.json (customers, subscriptions, cancellations, events)"],
        writes: [
            .init(
                name: IngestCustomerRecord.output, file: "customers.jsonl", grain: "one row per distinct customer",
                schemaVersion: IngestCustomerRecord.schemaVersion),
            .init(
                name: SubscriptionRecord.output, file: "subscriptions.jsonl",
                grain: "one row per accepted subscription row", schemaVersion: SubscriptionRecord.schemaVersion),
            .init(
                name: CancellationRecord.output, file: "cancellations.jsonl",
                grain: "one row per accepted cancellation", schemaVersion: CancellationRecord.schemaVersion),
            .init(
                name: EventRecord.output, file: "events.jsonl", grain: "one row per accepted event",
                schemaVersion: EventRecord.schemaVersion),
            .init(
                name: RejectRecord.output, file: "rejects.jsonl",
                grain: "one row per rejected input row, with the reason", schemaVersion: RejectRecord.schemaVersion),
        ],
        configSections: ["currency", "sources", "ingest"], extraFlags: [])

    public static let normalize = StageDescription(
        name: "normalize",
        summary: "build each customer's paying intervals, MRR in minor units, cohort and first churn",
        reads: ["work_dir/ingest/*.jsonl"],
        writes: [
            .init(
                name: NormalizedCustomerRecord.output, file: "customers.jsonl",
                grain: "one row per customer, sorted by customer_id",
                schemaVersion: NormalizedCustomerRecord.schemaVersion),
            .init(
                name: IntervalRecord.output, file: "intervals.jsonl",
                grain:
                    "one row per paying subscription interval (bridged, capped at as_of), sorted by customer_id, start",
                schemaVersion: IntervalRecord.schemaVersion),
        ],
        configSections: ["as_of", "normalize"], extraFlags: [])

    public static let cohort = StageDescription(
        name: "cohort",
        summary: "retention triangles, survival curves, MRR movements and retention windows",
        reads: ["work_dir/normalize/customers.jsonl", "work_dir/normalize/intervals.jsonl"],
        writes: [
            .init(
                name: TriangleRecord.output, file: "triangle.jsonl",
                grain: "one row per cohort x channel x offset (complete cells only), plus (weighted) rows",
                schemaVersion: TriangleRecord.schemaVersion),
            .init(
                name: SurvivalRecord.output, file: "survival.jsonl",
                grain: "one row per channel x month mark, plus one median row per channel",
                schemaVersion: SurvivalRecord.schemaVersion),
            .init(
                name: LogRankRecord.output, file: "logrank.json", grain: "one object: log-rank test across channels",
                schemaVersion: LogRankRecord.schemaVersion),
            .init(
                name: MovementRecord.output, file: "movements.jsonl", grain: "one row per month x channel",
                schemaVersion: MovementRecord.schemaVersion),
            .init(
                name: WindowRecord.output, file: "windows.jsonl",
                grain: "one row per window kind x end month x channel",
                schemaVersion: WindowRecord.schemaVersion),
            .init(
                name: KPIsRecord.output, file: "kpis.json", grain: "one object: headline metrics at as_of",
                schemaVersion: KPIsRecord.schemaVersion),
            .init(
                name: ProjectionRecord.output, file: "projections.jsonl",
                grain: "one row per channel x cohort x offset not yet observable, (all) first",
                schemaVersion: ProjectionRecord.schemaVersion),
            .init(
                name: DriftRecord.output, file: "drift.jsonl",
                grain: "one row per channel x cohort whose newest cell fell below its predecessors' band, (all) first",
                schemaVersion: DriftRecord.schemaVersion),
            .init(
                name: BacktestRecord.output, file: "backtest.jsonl",
                grain: "one row per horizon of the projection backtest, then the total (horizon 0)",
                schemaVersion: BacktestRecord.schemaVersion),
        ],
        configSections: ["as_of", "cohort", "report.max_channels"], extraFlags: [],
        settingFlags: [
            (
                "--backtest-months", "cohort.backtest_months",
                "recompute the projections as of N months earlier and compare (0: no backtest)"
            )
        ])

    public static let attribution = StageDescription(
        name: "churn-attribution",
        summary:
            "where churn comes from: segments, exit reasons, Cox model, activation, revenue impact, success phases, accounts at risk",
        reads: ["work_dir/normalize/*.jsonl", "work_dir/ingest/cancellations.jsonl", "work_dir/ingest/events.jsonl"],
        writes: [
            .init(
                name: SegmentRecord.output, file: "segments.jsonl", grain: "one row per dimension x value",
                schemaVersion: SegmentRecord.schemaVersion),
            .init(
                name: PairwiseRecord.output, file: "pairwise.jsonl", grain: "one row per dimension x pair of values",
                schemaVersion: PairwiseRecord.schemaVersion),
            .init(
                name: ReasonRecord.output, file: "reasons.jsonl", grain: "one row per channel x category x reason",
                schemaVersion: ReasonRecord.schemaVersion),
            .init(
                name: CoxTermRecord.output, file: "cox.jsonl", grain: "one row per model term",
                schemaVersion: CoxTermRecord.schemaVersion),
            .init(
                name: CoxModelRecord.output, file: "cox_model.json", grain: "one object: model fit",
                schemaVersion: CoxModelRecord.schemaVersion),
            .init(
                name: ActivationRecord.output, file: "activation.jsonl", grain: "one row per cohort x channel",
                schemaVersion: ActivationRecord.schemaVersion),
            .init(
                name: ImpactRecord.output, file: "impact.jsonl",
                grain: "one row per dimension x value, plus one (all) row",
                schemaVersion: ImpactRecord.schemaVersion),
            .init(
                name: PhaseRecord.output, file: "phases.jsonl", grain: "one row per cohort x channel, plus (all)",
                schemaVersion: PhaseRecord.schemaVersion),
            .init(
                name: AtRiskRecord.output, file: "at_risk.jsonl", grain: "one row per customer active at as_of",
                schemaVersion: AtRiskRecord.schemaVersion),
            .init(
                name: AtRiskBacktestRecord.output, file: "at_risk_backtest.json",
                grain:
                    "one object: the top decile flagged cohort.backtest_months earlier against all, on churn in the next 90 days",
                schemaVersion: AtRiskBacktestRecord.schemaVersion),
        ],
        configSections: ["as_of", "cohort.confidence", "cohort.backtest_months", "attribution"], extraFlags: [],
        settingFlags: [
            (
                "--backtest-months", "cohort.backtest_months",
                "score the accounts as of N months earlier and compare with what happened"
            )
        ])

    public static let report = StageDescription(
        name: "report",
        summary: "render the Markdown and HTML reports and summary.json from the stage outputs",
        reads: ["work_dir/cohort/*", "work_dir/churn-attribution/*", "every stage manifest"],
        writes: [
            .init(
                name: "summary", file: "summary.json", grain: "one object: headline metrics and checks",
                schemaVersion: 1)
        ],
        configSections: ["as_of", "report"],
        extraFlags: [
            ("--check", "exit 3 when a configured threshold is breached (always on when checks are configured)")
        ],
        settingFlags: [
            ("--backtest-months", "cohort.backtest_months", "as given to cohort, so the report accepts its backtest")
        ])
}
