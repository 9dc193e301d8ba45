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

    /// Headline KPI ids, their kinds and bands (docs/metrics.md#customer-success-bars: NRR >= 100% healthy, >= 120% high growth; annual
    /// logo churn <= 10%; onboarding >= 80%).
    static func band(_ id: String, _ v: Double?, locale: ReportLocale = .en) -> (KPIBand, String) {
        guard let v else { return (.none, "") }
        func text(_ en: String, _ ja: String) -> String { locale == .ja ? ja : en }
        switch id {
        case "nrr_trailing_12m", "projected_nrr_12m":
            return (
                v >= 1.2 ? .good : v >= 1.0 ? .ok : .bad,
                text(">= 120% high growth, >= 100% healthy", "120% 以上で高成長、100% 以上で健全")
            )
        case "grr_trailing_12m":
            return (v >= 0.9 ? .good : v >= 0.8 ? .ok : .bad, text(">= 90% strong, >= 80% fair", "90% 以上で優良、80% 以上で標準"))
        // Churn: at or under the 10%-a-year bar is good; up to 15% a year is within reach; above is bad.
        case "logo_churn_annual", "projected_logo_churn_12m":
            return (
                v <= 0.10 ? .good : v <= 0.15 ? .ok : .bad, text("<= 10% before pushing expansion", "拡大投資の前に 10% 以下が目安")
            )
        case "logo_churn_monthly":
            return (v <= 0.0087 ? .good : v <= 0.0135 ? .ok : .bad, text("<= 0.87% (10% a year)", "0.87% 以下 (年 10%)"))
        case "activation_rate":
            return (v >= 0.8 ? .good : v >= 0.6 ? .ok : .bad, text(">= 80% of new customers", "新規顧客の 80% 以上"))
        default: return (.none, "")
        }
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
        let kpiPath = try run.upstreamPath(.cohort, "kpis")
        let kpis = try readJSON(kpiPath, run)
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
        // (key in cohort/kpis.json, metric id in the report, kind)
        let headline: [(String, String, ValueKind)] = [
            ("nrr_trailing_12m", "nrr_trailing_12m", .percent), ("grr_trailing_12m", "grr_trailing_12m", .percent),
            ("logo_churn_annual", "logo_churn_annual", .percent),
            ("logo_churn_monthly", "logo_churn_monthly", .percent),
            ("ltv_survival_minor", "ltv_survival", .money), ("ltv_churn_minor", "ltv_churn", .money),
            ("arpa_minor", "arpa", .money),
            ("upsell_rate_trailing_12m", "upsell_rate", .percent),
            ("cross_sell_rate_trailing_12m", "cross_sell_rate", .percent),
            ("activation_rate", "activation_rate", .percent), ("mrr_minor", "mrr", .money),
            ("active_customers", "active_customers", .number),
            ("projected_nrr_12m", "projected_nrr_12m", .percent),
            ("projected_logo_churn_12m", "projected_logo_churn_12m", .percent),
        ]
        var values: [String: Double?] = [:]
        for (key, id, kind) in headline {
            let v = key == "activation_rate" ? activationRate : kpis[key]?.doubleValue
            values[key] = v
            if key == "activation_rate" && cfg.activationEvent == nil { continue }
            let (b, text) = band(id, v, locale: model.locale)
            model.kpis.append(HeadlineKPI(id: id, value: v, kind: kind, band: b, bandText: text, definitionKey: id))
        }
        let dr = try run.open(.cohort, "drift")
        while try dr.next() {
            model.driftAlerts.append(
                DriftAlertRow(
                    cohort: dr.string("cohort") ?? "", channel: dr.string("channel") ?? "",
                    offset: Int(dr.int("offset") ?? 0),
                    logo: dr.double("logo_retention"), bandLower: dr.double("band_lower"),
                    predecessorsRetention: dr.double("predecessors_retention")))
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
            let actual = values[c.metric] ?? kpis[c.metric]?.doubleValue
            var passed = actual != nil
            if let a = actual {
                if let mn = c.min, a < mn { passed = false }
                if let mx = c.max, a > mx { passed = false }
            }
            let threshold = [c.min.map { "min \($0)" }, c.max.map { "max \($0)" }].compactMap { $0 }.joined(
                separator: ", ")
            let kind: ValueKind =
                c.metric.hasSuffix("_minor") ? .money : c.metric == "drift_alerts" ? .number : .percent
            model.checks.append(
                CheckResult(
                    metric: c.metric, threshold: threshold, actual: actual, kind: kind, passed: passed, min: c.min,
                    max: c.max))
        }

        let mr = try run.open(.cohort, "movements")
        while try mr.next() {
            guard mr.string("channel") == "(all)" else { continue }
            model.movements.append(
                MovementRow(
                    month: mr.string("month") ?? "", start: mr.int("mrr_start_minor") ?? 0,
                    new: mr.int("new_minor") ?? 0,
                    expansion: mr.int("expansion_minor") ?? 0, contraction: mr.int("contraction_minor") ?? 0,
                    churn: mr.int("churn_minor") ?? 0, reactivation: mr.int("reactivation_minor") ?? 0,
                    end: mr.int("mrr_end_minor") ?? 0))
        }
        run.close(mr)

        // Triangles: rows per channel in file order, cells placed at their offsets.
        let maxK = cfg.maxOffsetMonths
        var triangles: [(String, [TriangleRow])] = []
        let tr = try run.open(.cohort, "triangle")
        while try tr.next() {
            guard let ch = tr.string("channel"), let cohort = tr.string("cohort"), let k = tr.int("offset"), k <= maxK
            else { continue }
            if triangles.last?.0 != ch { triangles.append((ch, [])) }
            var rows = triangles[triangles.count - 1].1
            if rows.last?.cohort != cohort {
                rows.append(
                    TriangleRow(
                        cohort: cohort, customers: Int(tr.int("customers") ?? 0),
                        logo: Array(repeating: nil, count: maxK + 1), revenue: Array(repeating: nil, count: maxK + 1),
                        gross: Array(repeating: nil, count: maxK + 1)))
            }
            rows[rows.count - 1].logo[Int(k)] = tr.double("logo_retention")
            rows[rows.count - 1].revenue[Int(k)] = tr.double("revenue_retention")
            rows[rows.count - 1].gross[Int(k)] = tr.double("gross_revenue_retention")
            triangles[triangles.count - 1].1 = rows
        }
        run.close(tr)
        // Projections: placed in their triangle rows, beside the observed cells.
        var rowIndex: [String: (Int, Int)] = [:]
        for (t, tri) in triangles.enumerated() {
            for (r, row) in tri.1.enumerated() { rowIndex[tri.0 + "\u{1F}" + row.cohort] = (t, r) }
        }
        let pr = try run.open(.cohort, "projections")
        while try pr.next() {
            guard let ch = pr.string("channel"), let cohort = pr.string("cohort"), let k = pr.int("offset"), k >= 0,
                k <= maxK,
                let (t, r) = rowIndex[ch + "\u{1F}" + cohort]
            else { continue }
            if triangles[t].1[r].projectedLogo.isEmpty {
                triangles[t].1[r].projectedLogo = Array(repeating: nil, count: maxK + 1)
                triangles[t].1[r].projectedRevenue = Array(repeating: nil, count: maxK + 1)
            }
            triangles[t].1[r].projectedLogo[Int(k)] = pr.double("logo_retention")
            triangles[t].1[r].projectedRevenue[Int(k)] = pr.double("revenue_retention")
        }
        run.close(pr)
        model.triangles = triangles.map { RetentionTriangle(channel: $0.0, rows: $0.1) }
        let bt = try run.open(.cohort, "backtest")
        while try bt.next() {
            model.backtest.append(
                BacktestRow(
                    horizon: Int(bt.int("horizon_months") ?? 0), cells: Int(bt.int("cells") ?? 0),
                    logoMAEPoints: bt.double("logo_mae_points"), logoCoverage: bt.double("logo_coverage"),
                    revenueMAEPoints: bt.double("revenue_mae_points"), revenueCoverage: bt.double("revenue_coverage")))
        }
        run.close(bt)

        var curves: [SurvivalCurve] = []
        let sr = try run.open(.cohort, "survival")
        while try sr.next() {
            guard let ch = sr.string("channel") else { continue }
            if curves.last?.channel != ch {
                curves.append(SurvivalCurve(channel: ch, points: [], medianDays: nil, customers: 0, churned: 0))
            }
            if sr.string("row") == "median" {
                curves[curves.count - 1].medianDays = sr.int("median_days").map { Int($0) }
                curves[curves.count - 1].customers = Int(sr.int("customers") ?? 0)
                curves[curves.count - 1].churned = Int(sr.int("churned") ?? 0)
            } else {
                curves[curves.count - 1].points.append(
                    SurvivalPoint(
                        month: Int(sr.int("month_mark") ?? 0), day: Int(sr.int("day") ?? 0),
                        survival: sr.double("survival"), lower: sr.double("ci_lower"),
                        upper: sr.double("ci_upper"), atRisk: Int(sr.int("at_risk") ?? 0)))
            }
        }
        run.close(sr)
        model.survival = curves
        let lr = try readJSON(try run.upstreamPath(.cohort, "logrank"), run)
        model.logRank = LogRankSummary(
            statistic: lr["statistic"]?.doubleValue, df: lr["df"]?.intValue ?? 0, p: lr["p_value"]?.doubleValue)

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

        // Data quality and provenance come from the ingest and normalize manifests.
        let ingest = try run.upstreamManifest(.ingest)
        let normalize = try run.upstreamManifest(.normalize)
        var dq = DataQualitySection()
        dq.sources = ingest.reconciliation.map {
            SourceQuality(
                source: $0.source, read: $0.read, accepted: $0.written, rejected: $0.rejected, duplicates: $0.duplicates
            )
        }
        // Ingest counted its rejects by reason as it wrote them: the ten most common are in its manifest.
        guard let rejectReasons = ingest.rejectReasons else {
            throw InputError.malformedFile(
                path: "\(cfg.workDir)/ingest/\(Manifest.fileName("ingest"))", line: 1,
                reason: "the manifest has no reject_reasons (written by an older ingest); rerun ingest")
        }
        dq.rejectReasons = rejectReasons.map {
            RejectReasonRow(source: $0.source, reason: $0.reason, count: $0.count, exampleLine: $0.example)
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
