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
        // The pages the previous run wrote, to remove one whose format is no longer configured.
        let previous = try? Manifest.read(stage: ctx.description.name, directory: ctx.outputDirectory)
        var model = try loadModel(run, runTimestamp: nil)
        model.poolChannels(max: cfg.maxChannels)
        // Named as the report's checks table shows them, in English: the value with the decimals
        // it takes beside the bounds, the bounds exactly as configured.
        let (en, enFormat) = (
            Localizer(locale: .en),
            ReportFormatter(locale: .en, currency: model.reportCurrency, minorUnits: model.formatter.minorUnits)
        )
        let failures = model.checks.filter { !$0.passed }.map { c in
            "\(c.metric) = \(enFormat.value(c.actual, kind: c.kind, bars: c.bars)) (\(en.thresholdText(c, enFormat)))"
        }
        let dir = cfg.reportsDir
        try run.writeFile(
            name: "summary", path: "\(dir)/summary.json", text: summaryJSON(model, cfg: cfg).serialized(pretty: true))
        // The pages show the latest signup months; the exports and the history keep them all.
        let shown = model.limitingMonths(to: cfg.maxMonths)
        if cfg.formats.contains("md") {
            try run.writeFile(name: "report_md", path: "\(dir)/report.md", text: MarkdownReport.render(shown))
        }
        if cfg.formats.contains("html") {
            try run.writeFile(name: "report_html", path: "\(dir)/report.html", text: HTMLReport.render(shown))
        }
        let full = cfg.formats.filter { $0 == "md" || $0 == "html" }.map { cfg.recordedPath("\(dir)/report.\($0)") }
        try run.writeFile(
            name: "summary_md", path: "\(dir)/summary.md", text: SummaryMarkdown.render(model, fullReport: full))
        try run.writeFile(name: "kpis_csv", path: "\(dir)/kpis.csv", text: SpreadsheetExport.kpis(model))
        try run.writeFile(name: "triangles_csv", path: "\(dir)/triangles.csv", text: SpreadsheetExport.triangles(model))
        try run.writeFile(
            name: "history", path: FilePaths.join(ReportHistory.directory(dir), "\(cfg.asOf.description).json"),
            text: ReportHistory(model: model, workDir: cfg.recordedPath(cfg.workDir)).json.serialized(pretty: true))
        try run.commit()
        // A page of a format no longer configured would be left from an earlier run, showing its
        // numbers beside this run's: removed when that run wrote it and it is unchanged since.
        for format in ["md", "html"] where !cfg.formats.contains(format) {
            let stale = "\(dir)/report.\(format)"
            let written = previous?.outputs.contains {
                PipelineMake.located($0.path, stage: ctx.description.name, cfg) == stale
                    && PipelineMake.isRecorded($0, at: stale)
            }
            if written == true, unlink(stale) == 0 {
                ctx.log("removed \(stale) (\"\(format)\" is not in report.formats)")
            }
        }
        ctx.log(
            "wrote \(cfg.formats.map { "report.\($0)" }.joined(separator: ", ")) and summary.json to \(dir); checks: \(model.checks.count - failures.count)/\(model.checks.count) passed"
        )
        for w in model.dataQuality?.warnings ?? [] where !run.warnings.contains(w) { ctx.warn(w.text) }
        if !failures.isEmpty && (!cfg.checks.isEmpty || ctx.options.flags.contains("--check")) {
            throw ThresholdBreach(failures: failures)
        }
    }

    /// When the report was made, as its footer says: `SOURCE_DATE_EPOCH` when set (the
    /// reproducible-builds convention); otherwise nil, and the footer names the as_of and the last
    /// date in the data, so two runs over the same data give the same bytes.
    static func runTime() -> String? {
        guard let epoch = PipelineConfig.sourceDateEpoch else { return nil }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    static func loadModel(_ run: StageRun, runTimestamp: String?) throws -> ReportModel {
        let cfg = run.config
        // The date comes from the inputs: cohort's manifest (lineage has checked it matches this run).
        let cohortManifest = try run.upstreamManifest(.cohort)
        let asOf = cohortManifest.asOf.isEmpty ? cfg.asOf.description : cohortManifest.asOf
        let kpis: KPIsRecord = try readRecord(.cohort, run)
        var activationRate: Double? = nil
        var activation: [ActivationRow] = []
        let ar = try run.open(.attribution, ActivationRecord.output)
        let activationCheck = PlausibleValues(reader: ar)
        while try ar.next() {
            let a = try ActivationRecord(reading: ar)
            try activationCheck.count(a.customers, "customers")
            try activationCheck.count(a.activated, "activated")
            try activationCheck.probability(a.activationRate, "activation_rate")
            let row = ActivationRow(
                cohort: a.cohortText, channel: a.channel, customers: a.customers, activated: a.activated,
                rate: a.activationRate, windowOpen: a.windowOpen)
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
        model.confidence = cfg.confidence
        model.cohortsBySignup = cfg.cohortBasis == "signup_date"
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
            // Activation needs an event to look for and events to look in: without either it is
            // left out (summary.json included), not shown as an undefined value.
            if metric.source == .activation && (cfg.activationEvent == nil || cfg.sources[.events] == nil) { continue }
            var (b, text) = metric.banded(v, locale: model.locale)
            let thin = v == nil || b == .none ? nil : MetricCatalog.thinBase(metric.id, kpis)
            if thin != nil { (b, text) = (.none, "") }
            model.kpis.append(
                HeadlineKPI(
                    id: metric.reportID, value: v, kind: metric.valueKind, band: b, bandText: text,
                    definitionKey: metric.reportID, thinBase: thin))
        }
        let dr = try run.open(.cohort, DriftRecord.output)
        while try dr.next() {
            let d = try DriftRecord(reading: dr)
            model.driftAlerts.append(
                DriftAlertRow(
                    cohort: d.cohort, channel: d.channel, offset: d.offset, logo: d.logoRetention,
                    bandLower: d.bandLower, predecessorsRetention: d.predecessorsRetention))
        }
        run.close(dr)
        // Alerts are about what changed since the previous run (reports_dir/history).
        let previous = ReportHistory.previous(
            in: cfg.reportsDir, asOf: cfg.asOf.description, workDir: cfg.recordedPath(cfg.workDir),
            skipped: { path, why in
                run.context.warn(
                    "\(path) \(why): skipped; the drift alerts compare with an earlier history record, if any. Remove the file or move it out of the history folder."
                )
            })
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
            let m = try MovementRecord(reading: mr)
            guard m.channel == "(all)" else { continue }
            model.movements.append(
                MovementRow(
                    month: m.month?.description ?? "", start: m.mrrStartMinor, new: m.newMinor,
                    expansion: m.expansionMinor, contraction: m.contractionMinor, churn: m.churnMinor,
                    reactivation: m.reactivationMinor, end: m.mrrEndMinor))
        }
        run.close(mr)

        var curves: [SurvivalCurve] = []
        let sr = try run.open(.cohort, SurvivalRecord.output)
        let survivalCheck = PlausibleValues(reader: sr)
        while try sr.next() {
            guard let row = try SurvivalRecord(reading: sr) else { continue }
            if curves.last?.channel != row.channel {
                curves.append(
                    SurvivalCurve(channel: row.channel, points: [], medianDays: nil, customers: 0, churned: 0))
            }
            switch row {
            case .median(let m):
                try survivalCheck.count(m.customers, "customers")
                try survivalCheck.count(m.churned, "churned")
                curves[curves.count - 1].medianDays = m.medianDays
                curves[curves.count - 1].customers = m.customers
                curves[curves.count - 1].churned = m.churned
            case .mark(let m):
                try survivalCheck.count(m.atRisk, "at_risk")
                try survivalCheck.count(m.events, "events")
                try survivalCheck.probability(m.survival, "survival")
                try survivalCheck.probability(m.ciLower, "ci_lower")
                try survivalCheck.probability(m.ciUpper, "ci_upper")
                // Marks run 0...max_offset_months, as the triangles' offsets do.
                guard m.monthMark >= 0, m.monthMark <= cfg.maxOffsetMonths else { continue }
                curves[curves.count - 1].points.append(
                    SurvivalPoint(
                        month: m.monthMark, day: m.day, survival: m.survival, lower: m.ciLower, upper: m.ciUpper,
                        atRisk: m.atRisk))
            }
        }
        // The triangles and projections of the channels the report pools are not read past their
        // channel: with thousands of channels they are most of the rows (closed in the order they
        // are listed in the manifest, survival after them).
        let shown = ShownChannels(curves, limit: cfg.maxChannels)

        // Triangles: rows per channel in file order, cells placed at their offsets.
        let maxK = cfg.maxOffsetMonths
        var triangles: [(String, [TriangleRow])] = []
        let tr = try run.open(.cohort, TriangleRecord.output)
        let triangleCheck = PlausibleValues(reader: tr)
        while try tr.next() {
            guard tr.string("channel").map(shown.contains) ?? true,
                let cell = try TriangleRecord(reading: tr), cell.offset >= 0, cell.offset <= maxK
            else { continue }
            try triangleCheck.count(cell.customers, "customers")
            try triangleCheck.count(cell.active, "active")
            let k = cell.offset
            if triangles.last?.0 != cell.channel { triangles.append((cell.channel, [])) }
            // Placed in place: a copy of the channel's rows taken out and put back made every
            // cell copy the rows (quadratic in the cohorts: a tenth of the stage at 240 months).
            let t = triangles.count - 1
            if triangles[t].1.last?.cohort != cell.cohort {
                triangles[t].1.append(
                    TriangleRow(
                        cohort: cell.cohort, customers: cell.customers,
                        logo: Array(repeating: nil, count: maxK + 1), revenue: Array(repeating: nil, count: maxK + 1),
                        gross: Array(repeating: nil, count: maxK + 1)))
            }
            let r = triangles[t].1.count - 1
            triangles[t].1[r].logo[k] = cell.logoRetention
            triangles[t].1[r].revenue[k] = cell.revenueRetention
            triangles[t].1[r].gross[k] = cell.grossRevenueRetention
        }
        run.close(tr)
        // Projections: placed in their triangle rows, beside the observed cells.
        var rowIndex: [String: (Int, Int)] = [:]
        for (t, tri) in triangles.enumerated() {
            for (r, row) in tri.1.enumerated() { rowIndex[tri.0 + "\u{1F}" + row.cohort] = (t, r) }
        }
        let pr = try run.open(.cohort, ProjectionRecord.output)
        while try pr.next() {
            guard pr.string("channel").map(shown.contains) ?? true,
                let cell = try ProjectionRecord(reading: pr), cell.offset >= 0, cell.offset <= maxK,
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
            let b = try BacktestRecord(reading: bt)
            model.backtest.append(
                BacktestRow(
                    horizon: b.horizonMonths, cells: b.cells, logoMAEPoints: b.logoMAEPoints,
                    logoCoverage: b.logoCoverage, revenueMAEPoints: b.revenueMAEPoints,
                    revenueCoverage: b.revenueCoverage))
        }
        run.close(bt)
        // A backtest that compared nothing says where it cut, so the report can say why.
        if let total = model.backtest.first(where: { $0.horizon == 0 }), total.cells == 0, let day = Day(iso: asOf) {
            let months = model.backtest.filter { $0.horizon > 0 }.count
            let all = model.triangles.first { $0.channel == "(all)" }
            model.emptyBacktest = EmptyBacktest(
                cutoff: (Month.lastComplete(asOf: day) - months).description,
                firstCohort: all?.rows.first { !$0.isWeighted }?.cohort)
        }

        run.close(sr)
        model.survival = curves
        let lr: LogRankRecord = try readRecord(.cohort, run)
        model.logRank = LogRankSummary(statistic: lr.statistic, df: lr.df, p: lr.pValue)

        var att = AttributionSection(earlyChurnDays: cfg.earlyChurnDays)
        let sg = try run.open(.attribution, SegmentRecord.output)
        var seenDims: [String] = []
        let segmentCheck = PlausibleValues(reader: sg)
        while try sg.next() {
            let s = try SegmentRecord(reading: sg)
            try segmentCheck.count(s.customers, "customers")
            try segmentCheck.count(s.churned, "churned")
            try segmentCheck.probability(s.churnProbEarly, "churn_prob_early")
            try segmentCheck.probability(s.churnProbEarlyLower, "churn_prob_early_lower")
            try segmentCheck.probability(s.churnProbEarlyUpper, "churn_prob_early_upper")
            try segmentCheck.probability(s.churnProb1y, "churn_prob_1y")
            try segmentCheck.probability(s.churnProb1yLower, "churn_prob_1y_lower")
            try segmentCheck.probability(s.churnProb1yUpper, "churn_prob_1y_upper")
            try segmentCheck.probability(s.churnedMRRShare, "churned_mrr_share")
            att.segments.append(
                AttributionSegment(
                    dimension: s.dimension, value: s.value, customers: s.customers, churned: s.churned,
                    earlyChurn: s.churnProbEarly, earlyLower: s.churnProbEarlyLower, earlyUpper: s.churnProbEarlyUpper,
                    yearChurn: s.churnProb1y, yearLower: s.churnProb1yLower, yearUpper: s.churnProb1yUpper,
                    churnedMRR12m: s.churnedMRR12mMinor, churnedMRRShare: s.churnedMRRShare,
                    relativeRisk: s.relativeRisk, pooled: s.pooled))
            if !seenDims.contains(s.dimension) {
                seenDims.append(s.dimension)
                att.dimensionTests.append(DimensionTest(dimension: s.dimension, p: s.logrankPValue))
            }
        }
        run.close(sg)
        let pw = try run.open(.attribution, PairwiseRecord.output)
        while try pw.next() {
            let t = try PairwiseRecord(reading: pw)
            att.pairwise.append(
                PairwiseTest(
                    dimension: t.dimension, a: t.a, b: t.b, statistic: t.statistic, p: t.pValue, pHolm: t.pHolm))
        }
        run.close(pw)
        model.attribution = att

        let cx = try run.open(.attribution, CoxTermRecord.output)
        while try cx.next() {
            let t = try CoxTermRecord(reading: cx)
            model.cox.terms.append(
                CoxTermRow(
                    dimension: t.dimension, level: t.level, reference: t.reference, hazardRatio: t.hazardRatio,
                    lower: t.ciLower, upper: t.ciUpper, p: t.pValue))
        }
        run.close(cx)
        let cm: CoxModelRecord = try readRecord(.attribution, run)
        model.cox.model = CoxModelInfo(
            n: cm.n, events: cm.events, concordance: cm.concordance, converged: cm.converged, message: cm.message,
            setAside: CoxModelInfo.levels(cm.setAsideLevels, dimensions: cm.dimensions),
            setAsideCustomers: cm.setAsideCustomers,
            notes: cm.notesSpellingTheMessage,
            dimensions: cm.dimensions)

        let rr = try run.open(.attribution, ReasonRecord.output)
        let reasonCheck = PlausibleValues(reader: rr)
        while try rr.next() {
            let r = try ReasonRecord(reading: rr)
            try reasonCheck.count(r.customers, "customers")
            if r.reason == "(all)" {
                if r.channel == "(all)" {
                    model.reasons.categories.append(
                        ReasonCategoryRow(category: r.category, customers: r.customers, churnedMRR: r.churnedMRRMinor))
                }
            } else {
                model.reasons.rows.append(
                    ReasonRow(
                        category: r.category, reason: r.reason, channel: r.channel, customers: r.customers,
                        churnedMRR: r.churnedMRRMinor))
            }
        }
        run.close(rr)
        model.activation = activation

        let im = try run.open(.attribution, ImpactRecord.output)
        while try im.next() {
            let r = try ImpactRecord(reading: im)
            if r.isOverall {
                model.impact.oneChurnPointPerYear = r.mrrKeptPerYearMinor
                continue
            }
            model.impact.rows.append(
                ImpactRow(
                    dimension: r.dimension, value: r.value, monthlyChurn: r.monthlyChurn,
                    overallMonthlyChurn: r.overallMonthlyChurn, mrrKeptPerYear: r.mrrKeptPerYearMinor))
        }
        run.close(im)

        let ph = try run.open(.attribution, PhaseRecord.output)
        // The report shows the (all)-channel rows.
        while try ph.next() {
            let r = try PhaseRecord(reading: ph)
            guard r.channel == "(all)" else { continue }
            func count(_ p: PhaseRecord.Phase?) -> PhaseCount? {
                p.map { PhaseCount(customers: $0.customers, reached: $0.reached, rate: $0.rate) }
            }
            model.phases.append(
                PhaseRow(
                    cohort: r.cohortText, customers: r.customers, activation: count(r.activation),
                    adoption: count(r.adoption), expansion: count(r.expansion)))
        }
        run.close(ph)

        let rk = try run.open(.attribution, AtRiskRecord.output)
        try readAtRisk(rk, into: &model.atRisk)
        run.close(rk)
        let bk: AtRiskBacktestRecord = try readRecord(.attribution, run)
        if let s = bk.scored, s.accounts > 0 {
            model.atRisk.backtest = AtRiskBacktestRow(
                asOf: s.asOf.description, months: bk.months, accounts: s.accounts, topDecile: s.topDecileAccounts,
                topDecileRate: s.topDecileChurnRate, baseRate: s.baseChurnRate, lift: s.lift)
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
                path: run.upstreamManifestPath(.ingest), line: 1,
                reason: "the manifest has no reject_reasons (written by an older ingest); rerun ingest")
        }
        dq.rejectReasons = rejectReasons.map {
            RejectReasonRow(source: $0.source, reason: $0.reason, count: $0.count, exampleLine: $0.example)
        }
        dq.orphans = [OrphanCount(source: "subscriptions", count: ingest.count("orphan_subscriptions"))]
        dq.zeroMRRSubscriptions = normalize.count("zero_mrr_subscriptions")
        dq.warnings = ingest.warnings
        let openAtAsOf = normalize.recordedCount("open_at_as_of")
        if let d = Day(iso: asOf),
            let stale = DataWarnings.asOfOutsideData(asOf: d, coverage: ingest.coverage, openAtAsOf: openAtAsOf)
        {
            dq.warnings.append(stale)
            run.warn(stale)
        }
        if let changed = DataWarnings.sourcesChanged(cfg, ingest: ingest) {
            dq.warnings.append(changed)
            run.warn(changed)
        }
        model.dataQuality = dq
        model.coverage = ingest.coverage
        // Why the sections fed by optional sources are empty, when the inputs say.
        func absence(_ kind: PipelineConfig.SourceKind) -> AbsentInput? {
            guard cfg.sources[kind] != nil else { return .sourceNotConfigured(kind.rawValue) }
            guard let read = ingest.reconciliation.first(where: { $0.source == kind.rawValue }) else {
                return .sourceNotFound(kind.rawValue)
            }
            return read.written == 0 ? .sourceEmpty(kind.rawValue, read: read.read) : nil
        }
        if model.reasons.categories.isEmpty && model.reasons.rows.isEmpty {
            // Rows accepted but no reason: exit reasons take cancellations on or before as_of
            // only (every accepted row is of a known customer), so all are dated after it.
            let accepted = ingest.reconciliation.first { $0.source == "cancellations" }?.written ?? 0
            model.reasons.absent =
                absence(.cancellations)
                ?? .sourceAfterAsOf("cancellations", accepted: accepted, asOf: asOf)
        }
        if model.activation.isEmpty {
            model.activationAbsent =
                cfg.activationEvent.map { absence(.events) ?? .activationEventNotSeen($0) } ?? .noActivationEvent
        }
        model.provenance = Provenance(
            asOf: asOf, configSHA256: cfg.digest,
            inputs: ingest.inputs,
            toolVersion: CohortKit.version,
            runTimestamp: runTimestamp ?? runTime(), dataThrough: ingest.coverage.compactMap(\.last).max())
        return model
    }

    /// The first `AtRiskSection.perTier` rows of each touch tier of at_risk.jsonl, and the count
    /// of its rows. Returns the number of lines read whole.
    @discardableResult
    static func readAtRisk(_ rk: JSONLReader, into section: inout AtRiskSection) throws -> Int {
        var indexed = 0
        var perTier: [String: Int] = [:]
        // The file is ordered by tier, then rank: the first rows of each tier are its top. Only
        // those are read whole (the file has a row per active account); once a tier has its rows,
        // the lines after them that name it by their first bytes are only counted.
        var shownTier: [UInt8] = []
        while try rk.nextUnindexed() {
            if !shownTier.isEmpty,
                rk.withLineBytes({ AtRiskRecord.leadingTouchTier($0)?.elementsEqual(shownTier) ?? false })
            {
                section.accounts += 1
                continue
            }
            rk.indexLine()
            indexed += 1
            guard let tier = AtRiskRecord.touchTier(reading: rk) else { continue }
            let shown = perTier[tier, default: 0]
            if shown < AtRiskSection.perTier {
                guard let row = AtRiskRecord(reading: rk) else { continue }
                section.rows.append(row)
                perTier[tier] = shown + 1
            } else {
                shownTier = Array(tier.utf8)
            }
            section.accounts += 1
        }
        return indexed
    }

    /// Reads the single-object output `R` of `stage`; a member it cannot read is a data error
    /// naming the file.
    static func readRecord<R: JSONObjectRecord & StageOutputRecord>(_ stage: StageDescription, _ run: StageRun) throws
        -> R
    {
        let path = try run.upstreamPath(stage, R.output)
        let json = try readJSON(path, run)
        do {
            return try R(json: json)
        } catch let e as RecordReadError {
            throw InputError.malformedFile(path: path, line: 1, reason: "\(e)")
        }
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
    /// Headline values go by their `kpis.json` and check names (`mrr_minor`, `ltv_churn_minor`),
    /// one vocabulary for a CI job's checks and its reading of the values; a whole amount of
    /// money or a count is written as an integer.
    static func summaryJSON(_ m: ReportModel, cfg: PipelineConfig) -> JSONValue {
        func exact(_ d: Double?, _ kind: ValueKind) -> JSONValue { kind.exactText(d).map { .number($0) } ?? .null }
        func value(_ k: HeadlineKPI) -> JSONValue { exact(k.value, k.kind) }
        // Why a value has no band though its metric has bars: too few customers or months behind it.
        func thinBase(_ k: HeadlineKPI) -> [(String, JSONValue)] {
            let behind: (String, Int, Int)
            switch k.thinBase {
            case nil: return []
            case .customers(let n)?: behind = ("customers", n, MetricCatalog.minimumBandedCustomers)
            case .months(let n)?: behind = ("months", n, MetricCatalog.minimumBandedMonths)
            }
            return [
                (
                    "too_few",
                    .object([(behind.0, .number(String(behind.1))), ("at_least", .number(String(behind.2)))])
                )
            ]
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
            ("warnings", .array((m.dataQuality?.warnings ?? []).map { .string($0.text) })),
            (
                "kpis",
                .object(
                    m.kpis.map { k in
                        (
                            MetricCatalog.metric(k.id)?.id ?? k.id,
                            .object(
                                [("value", value(k)), ("band", .string(k.band.rawValue))] + thinBase(k))
                        )
                    })
            ),
            (
                "checks",
                .array(
                    m.checks.map {
                        .object([
                            ("metric", .string($0.metric)), ("threshold", .string($0.threshold)),
                            ("min", exact($0.min, $0.kind)), ("max", exact($0.max, $0.kind)),
                            ("actual", exact($0.actual, $0.kind)),
                            ("passed", .bool($0.passed)),
                        ])
                    })
            ),
            ("passed", .bool(m.checks.allSatisfy(\.passed))),
        ])
    }
}
