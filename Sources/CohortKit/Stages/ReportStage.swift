import Foundation

/// `report`: renders what the marts computed into `report.md`, `report.html` and `summary.json`
/// (docs/stages.md#report). It computes no metric: every number is read from a stage output; this file only
/// gathers them, bands the headline values and evaluates the configured checks.
public enum ReportStage {
    /// Every file the report can write into reports_dir (its manifest lists those it wrote).
    static let reportFiles = ["summary.json", "report.md", "report.html", "summary.md", "kpis.csv", "triangles.csv"]

    /// The files the report writes for `cfg`'s formats.
    static func files(_ cfg: PipelineConfig) -> [String] {
        ["summary.json"] + ["md", "html"].filter { cfg.formats.contains($0) }.map { "report.\($0)" } + [
            "summary.md", "kpis.csv", "triangles.csv",
        ]
    }

    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        let cfg = ctx.config
        var model = try loadModel(run, runTimestamp: nil)
        model.poolChannels(max: cfg.maxChannels)
        var failures: [String] = []
        for c in model.checks where !c.passed {
            failures.append("\(c.metric) = \(c.actual.map { String(format: "%.4f", $0) } ?? "n/a") (\(c.threshold))")
        }
        let dir = cfg.reportsDir
        try run.writeFile(
            name: "summary", path: "\(dir)/summary.json", text: summaryJSON(model, cfg: cfg).serialized(pretty: true))
        if cfg.formats.contains("md") {
            try run.writeFile(name: "report_md", path: "\(dir)/report.md", text: MarkdownReport.render(model))
        }
        if cfg.formats.contains("html") {
            try run.writeFile(name: "report_html", path: "\(dir)/report.html", text: HTMLReport.render(model))
        }
        let full = cfg.formats.filter { $0 == "md" || $0 == "html" }.map { "\(dir)/report.\($0)" }
        try run.writeFile(
            name: "summary_md", path: "\(dir)/summary.md", text: SummaryMarkdown.render(model, fullReport: full))
        try run.writeFile(name: "kpis_csv", path: "\(dir)/kpis.csv", text: SpreadsheetExport.kpis(model))
        try run.writeFile(name: "triangles_csv", path: "\(dir)/triangles.csv", text: SpreadsheetExport.triangles(model))
        try run.writeFile(
            name: "history", path: FilePaths.join(ReportHistory.directory(dir), "\(cfg.asOf.description).json"),
            text: ReportHistory(model: model).json.serialized(pretty: true))
        try run.commit()
        ctx.log(
            "wrote \(cfg.formats.map { "report.\($0)" }.joined(separator: ", ")) and summary.json to \(dir); checks: \(model.checks.count - failures.count)/\(model.checks.count) passed"
        )
        for w in model.dataQuality?.warnings ?? [] where !run.warnings.contains(w) { ctx.warn(w) }
        if !failures.isEmpty && (!cfg.checks.isEmpty || ctx.options.flags.contains("--check")) {
            throw ThresholdBreach(failures: failures)
        }
    }

    /// A headline value's band and the bars in words (`MetricCatalog.band`; docs/metrics.md#customer-success-bars).
    static func band(_ id: String, _ v: Double?, locale: ReportLocale = .en) -> (KPIBand, String) {
        MetricCatalog.band(id, v, locale: locale)
    }

    /// When the report was made, as its footer says: `SOURCE_DATE_EPOCH` when set (the
    /// reproducible-builds convention), otherwise the as_of and the last date in the data, so two
    /// runs over the same data give the same bytes.
    static func runTime(asOf: String, coverage: [Manifest.Coverage], locale: String) -> String {
        if let epoch = PipelineConfig.sourceDateEpoch {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            return f.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        }
        let last = coverage.compactMap(\.last).max()
        if locale == "ja" { return "基準日 \(asOf)" + (last.map { "・データ最終日 \($0)" } ?? "") + " の時点" }
        return "for as_of \(asOf)" + (last.map { " (data through \($0))" } ?? "")
    }

    static func loadModel(_ run: StageRun, runTimestamp: String?) throws -> ReportModel {
        let cfg = run.config
        // The date comes from the inputs: cohort's manifest (lineage has checked it matches this run).
        let cohortManifest = try run.upstreamManifest(.cohort)
        let asOf = cohortManifest.asOf.isEmpty ? cfg.asOf.description : cohortManifest.asOf
        let kpis = KPIsRecord(json: try readJSON(try run.upstreamPath(.cohort, KPIsRecord.output), run))
        var activationRate: Double? = nil
        var activation: [ActivationRow] = []
        let ar = try run.open(.attribution, "activation")
        while try ar.next() {
            let row = ActivationRow(
                cohort: ar.string("cohort") ?? "", channel: ar.string("channel") ?? "",
                customers: Int(ar.int("customers") ?? 0),
                activated: Int(ar.int("activated") ?? 0), rate: ar.double("activation_rate"),
                windowOpen: Int(ar.int("window_open") ?? 0))
            if row.cohort == "(all)" && row.channel == "(all)" {
                activationRate = row.rate
            } else {
                activation.append(row)
            }
        }
        run.close(ar)

        var model = ReportModel(
            title: cfg.title, locale: cfg.locale == "ja" ? .ja : .en, asOf: asOf,
            reportCurrency: cfg.currency.report, currencyMinorUnits: cfg.currency.reportMinorUnits)
        model.labels = Dictionary(cfg.reportLabels, uniquingKeysWith: { _, last in last })
        // The headline table, in the catalog's order; `values` holds each metric by its check id.
        var values: [String: Double?] = [:]
        for metric in MetricCatalog.headline {
            let v: Double?
            switch metric.source {
            case .kpis: v = kpis.number(metric.id)
            case .activation: v = activationRate
            case .report: continue
            }
            values[metric.id] = v
            if metric.source == .activation && cfg.activationEvent == nil { continue }
            let (b, text) = band(metric.reportID, v, locale: model.locale)
            model.kpis.append(
                HeadlineKPI(
                    id: metric.reportID, value: v, kind: metric.valueKind, band: b, bandText: text,
                    definitionKey: metric.reportID))
        }
        let dr = try run.open(.cohort, DriftRecord.output)
        while try dr.next() {
            let d = DriftRecord(reading: dr)
            model.driftAlerts.append(
                DriftAlertRow(
                    cohort: d.cohort, channel: d.channel, offset: d.offset, logo: d.logoRetention,
                    bandLower: d.bandLower, predecessorsRetention: d.predecessorsRetention))
        }
        run.close(dr)
        // Alerts are about what changed since the previous run (reports_dir/history).
        let previous = ReportHistory.previous(in: cfg.reportsDir, asOf: cfg.asOf.description)
        if let previous {
            run.recordInput(path: previous.path, bytes: previous.bytes.count, sha256: SHA256.hex(of: previous.bytes))
        }
        model.driftAlerts = RunDrift.newCohortAlerts(model.driftAlerts, previous: previous?.history)
        model.kpiMoves = RunDrift.kpiMoves(model.kpis, previous: previous?.history, points: cfg.driftKPIPoints)
        values["drift_alerts"] = Double(model.driftAlerts.count + model.kpiMoves.count)
        for c in cfg.checks {
            let actual = values[c.metric] ?? kpis.number(c.metric)
            var passed = actual != nil
            if let a = actual {
                if let mn = c.min, a < mn { passed = false }
                if let mx = c.max, a > mx { passed = false }
            }
            let threshold = [c.min.map { "min \($0)" }, c.max.map { "max \($0)" }].compactMap { $0 }.joined(
                separator: ", ")
            let kind = MetricCatalog.metric(c.metric)?.valueKind ?? .percent
            model.checks.append(
                CheckResult(
                    metric: c.metric, threshold: threshold, actual: actual, kind: kind, passed: passed, min: c.min,
                    max: c.max))
        }

        let mr = try run.open(.cohort, MovementRecord.output)
        while try mr.next() {
            let m = MovementRecord(reading: mr)
            guard m.channel == "(all)" else { continue }
            model.movements.append(
                MovementRow(
                    month: m.month?.description ?? "", start: m.mrrStartMinor, new: m.newMinor,
                    expansion: m.expansionMinor, contraction: m.contractionMinor, churn: m.churnMinor,
                    reactivation: m.reactivationMinor, end: m.mrrEndMinor))
        }
        run.close(mr)

        // Triangles: rows per channel in file order, cells placed at their offsets.
        let maxK = cfg.maxOffsetMonths
        var triangles: [(String, [TriangleRow])] = []
        let tr = try run.open(.cohort, TriangleRecord.output)
        while try tr.next() {
            guard let cell = TriangleRecord(reading: tr), cell.offset <= maxK else { continue }
            let k = cell.offset
            if triangles.last?.0 != cell.channel { triangles.append((cell.channel, [])) }
            var rows = triangles[triangles.count - 1].1
            if rows.last?.cohort != cell.cohort {
                rows.append(
                    TriangleRow(
                        cohort: cell.cohort, customers: cell.customers,
                        logo: Array(repeating: nil, count: maxK + 1), revenue: Array(repeating: nil, count: maxK + 1),
                        gross: Array(repeating: nil, count: maxK + 1)))
            }
            rows[rows.count - 1].logo[k] = cell.logoRetention
            rows[rows.count - 1].revenue[k] = cell.revenueRetention
            rows[rows.count - 1].gross[k] = cell.grossRevenueRetention
            triangles[triangles.count - 1].1 = rows
        }
        run.close(tr)
        // Projections: placed in their triangle rows, beside the observed cells.
        var rowIndex: [String: (Int, Int)] = [:]
        for (t, tri) in triangles.enumerated() {
            for (r, row) in tri.1.enumerated() { rowIndex[tri.0 + "\u{1F}" + row.cohort] = (t, r) }
        }
        let pr = try run.open(.cohort, ProjectionRecord.output)
        while try pr.next() {
            guard let cell = ProjectionRecord(reading: pr), cell.offset >= 0, cell.offset <= maxK,
                let (t, r) = rowIndex[cell.channel + "\u{1F}" + cell.cohort]
            else { continue }
            let k = cell.offset
            if triangles[t].1[r].projectedLogo.isEmpty {
                triangles[t].1[r].projectedLogo = Array(repeating: nil, count: maxK + 1)
                triangles[t].1[r].projectedRevenue = Array(repeating: nil, count: maxK + 1)
            }
            triangles[t].1[r].projectedLogo[k] = cell.logoRetention
            triangles[t].1[r].projectedRevenue[k] = cell.revenueRetention
        }
        run.close(pr)
        model.triangles = triangles.map { RetentionTriangle(channel: $0.0, rows: $0.1) }
        let bt = try run.open(.cohort, BacktestRecord.output)
        while try bt.next() {
            let b = BacktestRecord(reading: bt)
            model.backtest.append(
                BacktestRow(
                    horizon: b.horizonMonths, cells: b.cells, logoMAEPoints: b.logoMAEPoints,
                    logoCoverage: b.logoCoverage, revenueMAEPoints: b.revenueMAEPoints,
                    revenueCoverage: b.revenueCoverage))
        }
        run.close(bt)

        var curves: [SurvivalCurve] = []
        let sr = try run.open(.cohort, SurvivalRecord.output)
        while try sr.next() {
            guard let row = SurvivalRecord(reading: sr) else { continue }
            if curves.last?.channel != row.channel {
                curves.append(
                    SurvivalCurve(channel: row.channel, points: [], medianDays: nil, customers: 0, churned: 0))
            }
            switch row {
            case .median(let m):
                curves[curves.count - 1].medianDays = m.medianDays
                curves[curves.count - 1].customers = m.customers
                curves[curves.count - 1].churned = m.churned
            case .mark(let m):
                curves[curves.count - 1].points.append(
                    SurvivalPoint(
                        month: m.monthMark, day: m.day, survival: m.survival, lower: m.ciLower, upper: m.ciUpper,
                        atRisk: m.atRisk))
            }
        }
        run.close(sr)
        model.survival = curves
        let lr = LogRankRecord(json: try readJSON(try run.upstreamPath(.cohort, LogRankRecord.output), run))
        model.logRank = LogRankSummary(statistic: lr.statistic, df: lr.df, p: lr.pValue)

        var att = AttributionSection(earlyChurnDays: cfg.earlyChurnDays)
        let sg = try run.open(.attribution, "segments")
        var seenDims: [String] = []
        while try sg.next() {
            let dim = sg.string("dimension") ?? ""
            att.segments.append(
                AttributionSegment(
                    dimension: dim, value: sg.string("value") ?? "", customers: Int(sg.int("customers") ?? 0),
                    churned: Int(sg.int("churned") ?? 0),
                    earlyChurn: sg.double("churn_prob_early"), earlyLower: sg.double("churn_prob_early_lower"),
                    earlyUpper: sg.double("churn_prob_early_upper"),
                    yearChurn: sg.double("churn_prob_1y"), yearLower: sg.double("churn_prob_1y_lower"),
                    yearUpper: sg.double("churn_prob_1y_upper"),
                    churnedMRR12m: sg.int("churned_mrr_12m_minor") ?? 0,
                    churnedMRRShare: sg.double("churned_mrr_share"),
                    relativeRisk: sg.double("relative_risk"), pooled: sg.bool("pooled") ?? false))
            if !seenDims.contains(dim) {
                seenDims.append(dim)
                att.dimensionTests.append(DimensionTest(dimension: dim, p: sg.double("logrank_p_value")))
            }
        }
        run.close(sg)
        let pw = try run.open(.attribution, "pairwise")
        while try pw.next() {
            att.pairwise.append(
                PairwiseTest(
                    dimension: pw.string("dimension") ?? "", a: pw.string("a") ?? "", b: pw.string("b") ?? "",
                    statistic: pw.double("statistic"), p: pw.double("p_value"), pHolm: pw.double("p_holm")))
        }
        run.close(pw)
        model.attribution = att

        let cx = try run.open(.attribution, "cox")
        while try cx.next() {
            model.cox.terms.append(
                CoxTermRow(
                    dimension: cx.string("dimension") ?? "", level: cx.string("level") ?? "",
                    reference: cx.string("reference") ?? "",
                    hazardRatio: cx.double("hazard_ratio"), lower: cx.double("ci_lower"), upper: cx.double("ci_upper"),
                    p: cx.double("p_value")))
        }
        run.close(cx)
        let cm = try readJSON(try run.upstreamPath(.attribution, "cox_model"), run)
        model.cox.model = CoxModelInfo(
            n: cm["n"]?.intValue ?? 0, events: cm["events"]?.intValue ?? 0, concordance: cm["concordance"]?.doubleValue,
            converged: cm["converged"]?.boolValue ?? false, message: cm["message"]?.stringValue)

        let rr = try run.open(.attribution, "reasons")
        while try rr.next() {
            let ch = rr.string("channel") ?? ""
            let cat = rr.string("category") ?? ""
            let reason = rr.string("reason") ?? ""
            let customers = Int(rr.int("customers") ?? 0)
            let mrr = rr.int("churned_mrr_minor") ?? 0
            if reason == "(all)" {
                if ch == "(all)" {
                    model.reasons.categories.append(
                        ReasonCategoryRow(category: cat, customers: customers, churnedMRR: mrr))
                }
            } else {
                model.reasons.rows.append(
                    ReasonRow(category: cat, reason: reason, channel: ch, customers: customers, churnedMRR: mrr))
            }
        }
        run.close(rr)
        model.activation = activation

        let im = try run.open(.attribution, "impact")
        while try im.next() {
            let dim = im.string("dimension") ?? ""
            if dim == "(all)" {
                model.impact.oneChurnPointPerYear = im.int("mrr_kept_per_year_minor")
                continue
            }
            model.impact.rows.append(
                ImpactRow(
                    dimension: dim, value: im.string("value") ?? "", monthlyChurn: im.double("monthly_churn"),
                    overallMonthlyChurn: im.double("overall_monthly_churn"),
                    mrrKeptPerYear: im.int("mrr_kept_per_year_minor") ?? 0))
        }
        run.close(im)

        let ph = try run.open(.attribution, "phases")
        model.phases = try SuccessPhases.readReportRows(ph)
        run.close(ph)

        let rk = try run.open(.attribution, "at_risk")
        var perTier: [String: Int] = [:]
        while try rk.next() {
            guard let row = AtRiskAccount(rk) else { continue }
            model.atRisk.accounts += 1
            // The file is ordered by tier, then rank: the first rows of each tier are its top.
            let shown = perTier[row.touchTier, default: 0]
            if shown < AtRiskSection.perTier {
                model.atRisk.rows.append(row)
                perTier[row.touchTier] = shown + 1
            }
        }
        run.close(rk)
        let bk = try readJSON(try run.upstreamPath(.attribution, "at_risk_backtest"), run)
        if let accounts = bk["accounts"]?.intValue, accounts > 0, let asOf = bk["as_of"]?.stringValue {
            model.atRisk.backtest = AtRiskBacktestRow(
                asOf: asOf, months: bk["months"]?.intValue ?? 0, accounts: accounts,
                topDecile: bk["top_decile_accounts"]?.intValue ?? 0,
                topDecileRate: bk["top_decile_churn_rate"]?.doubleValue,
                baseRate: bk["base_churn_rate"]?.doubleValue, lift: bk["lift"]?.doubleValue)
        }

        // Data quality and provenance come from the ingest and normalize manifests and rejects.
        let ingest = try run.upstreamManifest(.ingest)
        let normalize = try run.upstreamManifest(.normalize)
        var dq = DataQualitySection()
        dq.sources = ingest.reconciliation.map {
            SourceQuality(
                source: $0.source, read: $0.read, accepted: $0.written, rejected: $0.rejected, duplicates: $0.duplicates
            )
        }
        var reasons: [String: (count: Int, example: String)] = [:]
        var reasonOrder: [String] = []
        let rj = try run.open(.ingest, "rejects")
        while try rj.next() {
            let source = rj.string("source") ?? ""
            let field = rj.string("field")
            let reason = rj.string("reason") ?? ""
            let key = "\(source)\u{1F}\(field.map { "\($0): " } ?? "")\(reason)"
            if reasons[key] == nil {
                reasonOrder.append(key)
                reasons[key] = (0, rj.string("raw") ?? "")
            }
            reasons[key]!.count += 1
        }
        run.close(rj)
        let top = reasonOrder.sorted { (reasons[$0]!.count, $1) > (reasons[$1]!.count, $0) }.prefix(10)
        dq.rejectReasons = top.map { k in
            let parts = k.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            return RejectReasonRow(
                source: parts[0], reason: parts.count > 1 ? parts[1] : "", count: reasons[k]!.count,
                exampleLine: reasons[k]!.example)
        }
        dq.orphans = [OrphanCount(source: "subscriptions", count: ingest.count("orphan_subscriptions"))]
        dq.zeroMRRSubscriptions = normalize.count("zero_mrr_subscriptions")
        dq.warnings = ingest.warnings
        if let d = Day(iso: asOf), let stale = DataWarnings.staleness(asOf: d, coverage: ingest.coverage) {
            dq.warnings.append(stale)
            run.warn(stale)
        }
        model.dataQuality = dq
        model.coverage = ingest.coverage.map { SourceCoverage(source: $0.source, first: $0.first, last: $0.last) }
        model.provenance = Provenance(
            asOf: asOf, configSHA256: cfg.digest,
            inputs: ingest.inputs.map { InputDigest(path: $0.path, bytes: Int64($0.bytes), sha256: $0.sha256) },
            toolVersion: CohortKit.version,
            runTimestamp: runTimestamp ?? runTime(asOf: asOf, coverage: ingest.coverage, locale: cfg.locale))
        return model
    }

    static func readJSON(_ path: String, _ run: StageRun) throws -> JSONValue {
        let bytes = try FilePaths.readAll(path)
        run.recordInput(path: path, bytes: bytes.count, sha256: SHA256.hex(of: bytes))
        do {
            return try JSONParser.parse(bytes)
        } catch let e as JSONParseError {
            throw InputError.malformedFile(path: path, line: e.line, reason: e.message)
        }
    }

    /// The machine-readable summary: headline values and each check's result (no wall-clock time).
    static func summaryJSON(_ m: ReportModel, cfg: PipelineConfig) -> JSONValue {
        func num(_ d: Double?) -> JSONValue {
            d.flatMap { $0.isFinite ? JSONValue.number($0.description) : nil } ?? .null
        }
        return .object([
            ("title", .string(m.title)),
            ("as_of", .string(m.asOf)),
            ("currency", .string(m.reportCurrency)),
            ("config_sha256", .string(cfg.digest)),
            (
                "coverage",
                .array(
                    m.coverage.map {
                        .object([
                            ("source", .string($0.source)), ("first", $0.first.map { .string($0) } ?? .null),
                            ("last", $0.last.map { .string($0) } ?? .null),
                        ])
                    })
            ),
            ("warnings", .array((m.dataQuality?.warnings ?? []).map { .string($0) })),
            (
                "kpis",
                .object(
                    m.kpis.map { ($0.id, .object([("value", num($0.value)), ("band", .string($0.band.rawValue))])) })
            ),
            (
                "checks",
                .array(
                    m.checks.map {
                        .object([
                            ("metric", .string($0.metric)), ("threshold", .string($0.threshold)),
                            ("actual", num($0.actual)), ("passed", .bool($0.passed)),
                        ])
                    })
            ),
            ("passed", .bool(m.checks.allSatisfy(\.passed))),
        ])
    }
}
