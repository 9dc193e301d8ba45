/// A table that report.md and report.html draw alike: column headers, rows of display text
/// (formatted, not yet escaped), which columns are numbers (right-aligned), which HTML shows
/// as code (digests, example lines) and which hold raw input lines (shown left to right in their
/// byte order, `Escaping.htmlRawLine`). Each renderer escapes and lays it out in its own syntax.
struct ReportTable {
    var headers: [String]
    var numeric: Set<Int> = []
    var code: Set<Int> = []
    var rawLines: Set<Int> = []
    var rows: [[String]]
}

/// A renderer of a full report (report.md, report.html): one method a section.
protocol FullReportRenderer {
    mutating func kpis()
    mutating func movements()
    mutating func retention()
    mutating func survival()
    mutating func attribution()
    mutating func impact()
    mutating func dataQuality()
    mutating func provenance()
}

extension FullReportRenderer {
    /// Draws every section, in the order both reports (and the HTML table of contents) follow.
    mutating func drawSections() {
        kpis()
        movements()
        retention()
        survival()
        attribution()
        impact()
        dataQuality()
        provenance()
    }
}

/// The tables of the sections both full reports share row for row.
extension ReportModel {
    /// Rows read, accepted, rejected and dropped as duplicates, per source.
    func sourcesTable(_ q: DataQualitySection) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.source), t(.rowsRead), t(.accepted), t(.rejected), t(.duplicates)], numeric: [1, 2, 3, 4],
            rows: q.sources.map {
                [
                    t.sourceName($0.source), f.integer($0.read), f.integer($0.accepted), f.integer($0.rejected),
                    f.integer($0.duplicates),
                ]
            })
    }

    /// The most frequent reject reasons, with an example line each.
    func rejectReasonsTable(_ q: DataQualitySection) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.source), t(.reason), t(.rows), t(.exampleLine)], numeric: [2], code: [3], rawLines: [3],
            rows: q.rejectReasons.map {
                [t.sourceName($0.source), t.rejectReason($0.reason), f.integer($0.count), $0.exampleLine ?? ""]
            })
    }

    /// Rows whose customer is in no customers file, per source.
    func orphansTable(_ q: DataQualitySection) -> ReportTable {
        ReportTable(
            headers: [localizer(.source), localizer(.rows)], numeric: [1],
            rows: q.orphans.map { [localizer.sourceName($0.source), formatter.integer($0.count)] })
    }

    /// as_of, the configuration's digest and the tool's version.
    func provenanceTable(_ p: Provenance) -> ReportTable {
        let t = localizer
        return ReportTable(
            headers: [t(.metric), t(.value)], code: [1],
            rows: [
                [t(.asOf), formatter.date(p.asOf)], [t(.configDigest), p.configSHA256],
                [t(.toolVersion), p.toolVersion],
            ])
    }

    /// Every input file with its size and SHA-256.
    func inputsTable(_ p: Provenance) -> ReportTable {
        let t = localizer
        return ReportTable(
            headers: [t(.file), t(.bytes), t(.sha256)], numeric: [1], code: [2],
            rows: p.inputs.map { [$0.path, formatter.integer($0.bytes), $0.sha256] })
    }
}

/// The tables of the analysis sections both full reports share row for row (the HTML report
/// draws a chart beside most of them).
extension ReportModel {
    /// MRR at the start and end of each month and the movements between.
    func movementsTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [
                t(.month), t(.mrrStart), t(.new), t(.expansion), t(.reactivation), t(.contraction), t(.churn),
                t(.mrrEnd),
            ], numeric: Set(1...7),
            rows: movements.map { m in
                [
                    f.month(m.month), f.money(m.start), f.money(m.new), f.money(m.expansion), f.money(m.reactivation),
                    f.money(-m.contraction), f.money(-m.churn), f.money(m.end),
                ]
            })
    }

    /// The projection backtest: error and interval coverage by horizon (horizon 0 is the total).
    func backtestTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [
                t(.monthsAhead), t(.cellsCompared), t(.logoError), t(.logoInside), t(.revenueError), t(.revenueInside),
            ],
            numeric: Set(1...5),
            rows: backtest.map { b in
                [
                    b.horizon == 0 ? t(.allHorizons) : f.integer(b.horizon), f.integer(b.cells),
                    f.decimal(b.logoMAEPoints, digits: 1), f.percent(b.logoCoverage, digits: 0),
                    f.decimal(b.revenueMAEPoints, digits: 1), f.percent(b.revenueCoverage, digits: 0),
                ]
            })
    }

    /// A channel's survival estimate at each month mark, with its interval and customers at risk.
    func survivalTable(_ curve: SurvivalCurve) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.monthMark), t(.day), t(.survivalRate), t(.lower95), t(.upper95), t(.atRisk)],
            numeric: Set(0...5),
            rows: curve.points.map { p in
                [
                    f.integer(p.month), f.integer(p.day), f.percent(p.survival), f.percent(p.lower), f.percent(p.upper),
                    f.integer(p.atRisk),
                ]
            })
    }

    /// The segments grouped by dimension, dimensions in first-seen order.
    func segmentsByDimension() -> [(dimension: String, segments: [AttributionSegment])] {
        orderedDimensions(attribution.segments.map(\.dimension)).map { d in
            (d, attribution.segments.filter { $0.dimension == d })
        }
    }

    /// One dimension's segments: churn early and at a year with intervals, churned MRR and relative risk.
    func segmentsTable(_ segments: [AttributionSegment]) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [
                t(.segment), t(.customers), t(.churned), t.earlyChurnHeader(attribution.earlyChurnDays), t(.churnCI),
                t(.yearChurn), t(.churnCI), t(.churnedMRR12m), t(.share), t(.relativeRisk),
            ], numeric: Set(1...9),
            rows: segments.map { s in
                [
                    t.valueName(s.value), f.integer(s.customers), f.integer(s.churned), f.percent(s.earlyChurn),
                    churnInterval(s.earlyLower, s.earlyUpper), f.percent(s.yearChurn),
                    churnInterval(s.yearLower, s.yearUpper), f.money(s.churnedMRR12m), f.percent(s.churnedMRRShare),
                    f.decimal(s.relativeRisk, digits: 2),
                ]
            })
    }

    /// A churn probability's interval as `lower – upper`, or the missing mark when it has none.
    func churnInterval(_ lower: Double?, _ upper: Double?) -> String {
        let f = formatter
        return lower == nil && upper == nil ? ReportFormatter.missing : "\(f.percent(lower)) – \(f.percent(upper))"
    }

    /// The two-value log-rank tests within each dimension, with Holm-adjusted p-values.
    func pairwiseTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.dimension), t(.segmentA), t(.segmentB), t(.statistic), t(.pValue), t(.pHolm)],
            numeric: [3, 4, 5],
            rows: attribution.pairwise.map {
                [
                    t.dimensionName($0.dimension), t.valueName($0.a), t.valueName($0.b),
                    f.decimal($0.statistic, digits: 2), f.pValue($0.p), f.pValue($0.pHolm),
                ]
            })
    }

    /// The Cox model's terms: hazard ratio against the reference level, its interval and p-value.
    func coxTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.dimension), t(.level), t(.reference), t(.hazardRatio), t(.ci95), t(.pValue)],
            numeric: [3, 4, 5],
            rows: cox.terms.map { c in
                [
                    t.dimensionName(c.dimension), t.valueName(c.level), t.valueName(c.reference),
                    f.decimal(c.hazardRatio, digits: 2),
                    "\(f.decimal(c.lower, digits: 2)) – \(f.decimal(c.upper, digits: 2))", f.pValue(c.p),
                ]
            })
    }

    /// The line under the title saying which dates each source covers ("" when none is known).
    func coverageLine() -> String {
        let f = formatter
        return localizer.coverageLine(
            coverage.compactMap { c in c.first.flatMap { a in c.last.map { (c.source, f.date(a), f.date($0)) } } })
    }

    /// The sentences above the Cox terms: how the fit went, and why when it did not converge.
    func coxFitLines() -> [String] {
        guard let info = cox.model else { return [] }
        let t = localizer
        return [t.coxModelLine(info, formatter)]
            + (info.setAside.isEmpty ? [] : [t.coxSetAsideLine(info, formatter)])
            + (info.converged ? [] : [t.notConvergedLine(info, formatter)])
    }

    /// Why the accounts at risk are empty: the model did not converge, every active account is in
    /// a level it set aside, or no data.
    var atRiskEmptyLine: String {
        guard let model = cox.model else { return localizer(.noData) }
        if !model.converged { return localizer.atRiskWithoutModel(model) }
        return model.setAside.isEmpty ? localizer(.noData) : localizer.atRiskSetAsideLine(model.setAside)
    }

    /// The sentences above the accounts at risk: how many are shown, and how the model fared
    /// when backtested.
    func atRiskLines() -> [String] {
        let t = localizer
        let setAside = cox.model?.setAside ?? []
        return [t.atRiskNote(shown: formatter.integer(atRisk.rows.count), of: formatter.integer(atRisk.accounts))]
            + (setAside.isEmpty ? [] : [t.atRiskSetAsideLine(setAside)])
            + (atRisk.backtest.map { [t.atRiskBacktestLine($0, formatter)] } ?? [])
    }

    /// Exit reasons by category: customers and the MRR of their latest churn (whenever it was).
    func reasonCategoriesTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.category), t(.customers), t(.reasonMRR)], numeric: [1, 2],
            rows: reasons.categories.map {
                [t.reasonName($0.category), f.integer($0.customers), f.money($0.churnedMRR)]
            })
    }

    /// Exit reasons by channel, category and reason.
    func reasonsByChannelTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.channel), t(.category), t(.reason), t(.customers), t(.reasonMRR)], numeric: [3, 4],
            rows: reasons.rows.map {
                [
                    t.channelName($0.channel), t.reasonName($0.category), t.reasonName($0.reason),
                    f.integer($0.customers), f.money($0.churnedMRR),
                ]
            })
    }

    /// Activation by cohort and channel, with the customers whose window is still open.
    func activationTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.cohort), t(.channel), t(.customers), t(.activated), t(.activationRate), t(.windowOpenHeader)],
            numeric: [2, 3, 4, 5],
            rows: activation.map {
                [
                    f.month($0.cohort), t.channelName($0.channel), f.integer($0.customers), f.integer($0.activated),
                    f.percent($0.rate), f.integer($0.windowOpen),
                ]
            })
    }

    /// The success phases by cohort.
    func phasesTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: t.phaseHeaders, numeric: Set(t.phaseHeaders.indices.dropFirst()),
            rows: phases.map { t.phaseCells($0, f) })
    }

    /// The accounts at risk shown, top of each touch tier.
    func atRiskTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: t.atRiskHeaders, numeric: [2, 3, 4, 5], rows: atRisk.rows.map { t.atRiskCells($0, f) })
    }

    /// The MRR a year each segment would keep at the overall churn rate.
    func impactTable() -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.dimension), t(.segment), t(.monthlyChurn), t(.overallMonthlyChurn), t(.mrrKeptPerYear)],
            numeric: [2, 3, 4],
            rows: impact.rows.map {
                [
                    t.dimensionName($0.dimension), t.valueName($0.value), f.percent($0.monthlyChurn, digits: 2),
                    f.percent($0.overallMonthlyChurn, digits: 2), f.money($0.mrrKeptPerYear),
                ]
            })
    }
}

/// A GitHub-flavoured Markdown table: the header row, the alignment row (`---:` for the columns
/// `rightAligned` says) and one line per row, each ending in a newline. Cells go in as given:
/// escape them first.
func markdownTableLines(_ headers: [String], rightAligned: (Int) -> Bool, _ rows: [[String]]) -> String {
    var s = "| " + headers.joined(separator: " | ") + " |\n"
    s += "|" + headers.indices.map { rightAligned($0) ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
    for row in rows { s += "| " + row.joined(separator: " | ") + " |\n" }
    return s
}
