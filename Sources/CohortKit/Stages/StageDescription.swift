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
        writes: outputs(of: "ingest"),
        configSections: ["currency", "sources", "ingest"], extraFlags: [])

    public static let normalize = StageDescription(
        name: "normalize",
        summary: "build each customer's paying intervals, MRR in minor units, cohort and first churn",
        reads: ["work_dir/ingest/*.jsonl"],
        writes: outputs(of: "normalize"),
        configSections: ["as_of", "normalize"], extraFlags: [])

    public static let cohort = StageDescription(
        name: "cohort",
        summary: "retention triangles, survival curves, MRR movements and retention windows",
        reads: ["work_dir/normalize/customers.jsonl", "work_dir/normalize/intervals.jsonl"],
        writes: outputs(of: "cohort"),
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
        writes: outputs(of: "churn-attribution"),
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
                // 2: headline values by their kpis.json and check names; whole amounts as integers.
                schemaVersion: 2)
        ],
        configSections: ["as_of", "report", PipelineConfig.sourceDateEpochSection],
        extraFlags: [
            ("--check", "exit 3 when a configured threshold is breached (always on when checks are configured)")
        ],
        settingFlags: [
            ("--backtest-months", "cohort.backtest_months", "as given to cohort, so the report accepts its backtest")
        ])
}

/// A record that is a row of a stage's output: the output's name and schema version.
public protocol StageOutputRecord {
    static var output: String { get }
    static var schemaVersion: Int { get }
}

extension StageDescription.OutputFile {
    init(_ record: any StageOutputRecord.Type, file: String, grain: String) {
        self.init(name: record.output, file: file, grain: grain, schemaVersion: record.schemaVersion)
    }
}

extension StageDescription {
    /// The outputs `stage` writes, in order.
    static func outputs(of stage: String) -> [OutputFile] {
        outputTable.filter { $0.stage == stage }.map { OutputFile($0.record, file: $0.file, grain: $0.grain) }
    }

    /// Every output of the data stages: the stage, the record that is a row of it (its name and
    /// schema version), its file and its grain (shown in `--help`).
    private static let outputTable: [(stage: String, record: any StageOutputRecord.Type, file: String, grain: String)] =
        [
            (
                "ingest", IngestCustomerRecord.self, "customers.jsonl",
                "one row per distinct customer"
            ),
            (
                "ingest", SubscriptionRecord.self, "subscriptions.jsonl",
                "one row per accepted subscription row"
            ),
            (
                "ingest", CancellationRecord.self, "cancellations.jsonl",
                "one row per accepted cancellation"
            ),
            (
                "ingest", EventRecord.self, "events.jsonl",
                "one row per accepted event"
            ),
            (
                "ingest", RejectRecord.self, "rejects.jsonl",
                "one row per rejected input row, with the reason"
            ),
            (
                "normalize", NormalizedCustomerRecord.self, "customers.jsonl",
                "one row per customer, sorted by customer_id"
            ),
            (
                "normalize", IntervalRecord.self, "intervals.jsonl",
                "one row per paying interval: a subscription, or back-to-back renewals of one product at one MRR (bridged, capped at as_of), sorted by customer_id, start"
            ),
            (
                "cohort", TriangleRecord.self, "triangle.jsonl",
                "one row per cohort x channel x offset (complete cells only), plus (weighted) rows"
            ),
            (
                "cohort", SurvivalRecord.self, "survival.jsonl",
                "one row per channel x month mark, plus one median row per channel"
            ),
            (
                "cohort", LogRankRecord.self, "logrank.json",
                "one object: log-rank test across channels"
            ),
            (
                "cohort", MovementRecord.self, "movements.jsonl",
                "one row per month x channel"
            ),
            (
                "cohort", WindowRecord.self, "windows.jsonl",
                "one row per window kind x end month x channel"
            ),
            (
                "cohort", KPIsRecord.self, "kpis.json",
                "one object: headline metrics at as_of"
            ),
            (
                "cohort", ProjectionRecord.self, "projections.jsonl",
                "one row per channel x cohort x offset not yet observable, (all) first"
            ),
            (
                "cohort", DriftRecord.self, "drift.jsonl",
                "one row per channel x cohort whose newest cell fell below its predecessors' band, (all) first"
            ),
            (
                "cohort", BacktestRecord.self, "backtest.jsonl",
                "one row per horizon of the projection backtest, then the total (horizon 0)"
            ),
            (
                "churn-attribution", SegmentRecord.self, "segments.jsonl",
                "one row per dimension x value"
            ),
            (
                "churn-attribution", PairwiseRecord.self, "pairwise.jsonl",
                "one row per dimension x pair of values"
            ),
            (
                "churn-attribution", ReasonRecord.self, "reasons.jsonl",
                "one row per channel x category x reason"
            ),
            (
                "churn-attribution", CoxTermRecord.self, "cox.jsonl",
                "one row per model term"
            ),
            (
                "churn-attribution", CoxModelRecord.self, "cox_model.json",
                "one object: model fit"
            ),
            (
                "churn-attribution", ActivationRecord.self, "activation.jsonl",
                "one row per cohort x channel"
            ),
            (
                "churn-attribution", ImpactRecord.self, "impact.jsonl",
                "one row per dimension x value, plus one (all) row"
            ),
            (
                "churn-attribution", PhaseRecord.self, "phases.jsonl",
                "one row per cohort x channel, plus (all)"
            ),
            (
                "churn-attribution", AtRiskRecord.self, "at_risk.jsonl",
                "one row per customer active at as_of"
            ),
            (
                "churn-attribution", AtRiskBacktestRecord.self, "at_risk_backtest.json",
                "one object: the top decile flagged cohort.backtest_months earlier against all, on churn in the next 90 days"
            ),
        ]
}

extension IngestCustomerRecord: StageOutputRecord {}
extension SubscriptionRecord: StageOutputRecord {}
extension CancellationRecord: StageOutputRecord {}
extension EventRecord: StageOutputRecord {}
extension RejectRecord: StageOutputRecord {}
extension NormalizedCustomerRecord: StageOutputRecord {}
extension IntervalRecord: StageOutputRecord {}
extension TriangleRecord: StageOutputRecord {}
extension SurvivalRecord: StageOutputRecord {}
extension LogRankRecord: StageOutputRecord {}
extension MovementRecord: StageOutputRecord {}
extension WindowRecord: StageOutputRecord {}
extension KPIsRecord: StageOutputRecord {}
extension ProjectionRecord: StageOutputRecord {}
extension DriftRecord: StageOutputRecord {}
extension BacktestRecord: StageOutputRecord {}
extension SegmentRecord: StageOutputRecord {}
extension PairwiseRecord: StageOutputRecord {}
extension ReasonRecord: StageOutputRecord {}
extension CoxTermRecord: StageOutputRecord {}
extension CoxModelRecord: StageOutputRecord {}
extension ActivationRecord: StageOutputRecord {}
extension ImpactRecord: StageOutputRecord {}
extension PhaseRecord: StageOutputRecord {}
extension AtRiskRecord: StageOutputRecord {}
extension AtRiskBacktestRecord: StageOutputRecord {}
