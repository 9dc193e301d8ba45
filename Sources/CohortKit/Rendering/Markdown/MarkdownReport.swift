/// Renders a `ReportModel` as GitHub-flavoured Markdown, readable as a CI artifact or in a pull request.
///
/// Sections follow docs/stages.md#report. Every cell and every data-derived string goes through
/// `Escaping.markdown`, so input values cannot break a table or inject links or HTML.
public enum MarkdownReport {
    public static func render(_ model: ReportModel) -> String {
        var r = MarkdownRenderer(model: model, t: model.localizer, f: model.formatter)
        return r.render()
    }
}

private enum Align { case left, right }

private struct MarkdownRenderer: FullReportRenderer {
    let model: ReportModel
    let t: Localizer
    let f: ReportFormatter
    var out = ""

    mutating func render() -> String {
        line("# " + esc(model.title))
        blank()
        line(esc(t.asOfLine(f.date(model.asOf), currency: model.reportCurrency)))
        blank()
        let coverage = model.coverageLine()
        if !coverage.isEmpty {
            line(esc(coverage))
            blank()
        }
        drawSections()
        if let p = model.provenance {
            line("---")
            blank()
            line("*" + esc(t.footer(p, f)) + "*")
        }
        return out
    }

    // MARK: Building blocks

    func esc(_ s: String) -> String { Escaping.markdown(s) }
    mutating func line(_ s: String) { out += s + "\n" }
    mutating func blank() { out += "\n" }
    mutating func heading(_ level: Int, _ text: String) {
        line(String(repeating: "#", count: level) + " " + esc(text))
        blank()
    }
    mutating func paragraph(_ text: String) {
        line(esc(text))
        blank()
    }
    /// "No data.", or why, when the input explains it.
    mutating func noData(_ why: AbsentInput? = nil) { paragraph(why.map { t.absentInputLine($0, f) } ?? t(.noData)) }

    /// A block folded behind a one-line summary (`<details>`), for long tables: GitHub and most
    /// Markdown viewers show the summary and open the rest on a click.
    mutating func folded(_ summary: String, _ body: (inout MarkdownRenderer) -> Void) {
        line("<details>")
        line("<summary>" + Escaping.htmlLabel(summary) + "</summary>")
        blank()
        body(&self)
        line("</details>")
        blank()
    }

    mutating func table(_ headers: [String], _ align: [Align], _ rows: [[String]]) {
        out += markdownTableLines(
            headers.map(esc), rightAligned: { $0 < align.count && align[$0] == .right }, rows.map { $0.map(esc) })
        blank()
    }

    /// A table both full reports share (`ReportTable`): numeric columns right-aligned, raw input
    /// lines in their byte order (`Escaping.markdownRawLine`).
    mutating func table(_ spec: ReportTable) {
        out += markdownTableLines(
            spec.headers.map(esc), rightAligned: { spec.numeric.contains($0) },
            spec.rows.map { row in
                row.indices.map { spec.rawLines.contains($0) ? Escaping.markdownRawLine(row[$0]) : esc(row[$0]) }
            })
        blank()
    }

    // MARK: Sections

    mutating func kpis() {
        heading(2, t(.kpis))
        if model.kpis.isEmpty {
            noData()
        } else {
            table(
                [t(.metric), t(.value), t(.band), t(.definition)], [.left, .right, .left, .left],
                model.kpis.map { k in
                    let band = t.kpiStatus(k)
                    return [
                        t.metricName(k.id), f.value(k.value, kind: k.kind, bars: k.bars), band,
                        t.definition(k.definitionKey) ?? "",
                    ]
                })
        }
        guard !model.checks.isEmpty else { return }
        heading(3, t(.checks))
        table(
            [t(.metric), t(.threshold), t(.actual), t(.result)], [.left, .left, .right, .left],
            model.checks.map { c in
                [
                    t.metricName(c.metric), t.thresholdText(c, f),
                    f.value(c.actual, kind: c.kind, bars: c.bars),
                    c.passed ? "✅ " + t(.passed) : "❌ " + t(.failed),
                ]
            })
        paragraph(model.checks.allSatisfy(\.passed) ? t(.checksSummaryPassed) : t(.checksSummaryFailed))
    }

    mutating func movements() {
        heading(2, t(.movements))
        guard !model.movements.isEmpty else { return noData() }
        table(model.movementsTable())
        if model.hiddenMovementMonths > 0 { paragraph(t.limitedMovementsLine(model, f)) }
    }

    mutating func retention() {
        heading(2, t(.retention))
        guard !model.triangles.isEmpty else { return noData() }
        if !model.driftAlerts.isEmpty || !model.kpiMoves.isEmpty {
            heading(3, t(.driftTitle))
            for m in model.kpiMoves { line("- " + esc(t.kpiMoveSentence(m, f))) }
            for a in model.driftAlerts { line("- " + esc(t.driftSentence(a, f))) }
            blank()
        }
        retentionCurves()
        backtest()
        let kinds: [(String, KeyPath<TriangleRow, [Double?]>, KeyPath<TriangleRow, [Double?]>?)] = [
            (t(.logoRetention), \TriangleRow.logo, \TriangleRow.projectedLogo),
            (t(.revenueRetention), \TriangleRow.revenue, \TriangleRow.projectedRevenue),
            (t(.grossRevenueRetention), \TriangleRow.gross, nil),
        ]
        for (title, pick, projection) in kinds {
            heading(3, title)
            // All channels in full; each channel folded, so the page stays short in a pull request.
            for triangle in model.triangles {
                let render = { (r: inout MarkdownRenderer) in
                    guard triangle.maxOffset >= 0 else { return r.noData() }
                    let offsets = ShownOffsets.upTo(triangle.maxOffset)
                    let headers = [r.t(.cohort), r.t(.customers)] + offsets.map(r.t.offsetHeader)
                    let rows = triangle.rows.map { row -> [String] in
                        let cells = row[keyPath: pick]
                        let projected = projection.map { row[keyPath: $0] } ?? []
                        let label = r.t.cohortLabel(row.cohort, r.f)
                        return [row.isWeighted ? "**" + label + "**" : label, r.f.integer(row.customers)]
                            + offsets.map { k in
                                if k < cells.count, let v = cells[k] { return r.f.percent(v) }
                                if k < projected.count, let p = projected[k] { return "≈" + r.f.percent(p) }
                                return ""
                            }
                    }
                    r.tableKeepingBold(headers, [.left] + Array(repeating: .right, count: offsets.count + 1), rows)
                }
                if triangle.channel == "(all)" {
                    heading(4, t.channelName(triangle.channel))
                    render(&self)
                } else {
                    folded(t.channelName(triangle.channel)) { render(&$0) }
                }
            }
            paragraph(t.sentences(t(.incompleteCellsNote), t(.weightedNote)))
        }
        if model.hiddenCohorts > 0 {
            paragraph(t.limitedCohortsLine(model, files: "triangles.csv, triangle.jsonl", weightedRow: true, f))
        }
        if ShownOffsets.leaveOutMonths(in: model) {
            paragraph(t.steppedOffsetsLine(files: "triangles.csv, triangle.jsonl", f))
        }
    }

    /// The numbers of the HTML's retention curves by channel: each channel's weighted row (complete
    /// cells pooled), one table for logo and one for revenue retention.
    mutating func retentionCurves() {
        heading(3, t(.retentionCurves))
        let maxOffset = model.triangles.map(\.maxOffset).max() ?? -1
        guard maxOffset >= 0 else { return noData() }
        let offsets = ShownOffsets.upTo(maxOffset)
        for revenue in [false, true] {
            heading(4, t.curvesTitle(revenue: revenue, byChannel: true))
            let rows = model.triangles.compactMap { triangle -> [String]? in
                guard let w = triangle.rows.first(where: \.isWeighted) else { return nil }
                let cells = revenue ? w.revenue : w.logo
                return [t.channelName(triangle.channel), f.integer(triangle.customers)]
                    + offsets.map { k in k < cells.count ? (cells[k].map { f.percent($0) } ?? "") : "" }
            }
            table(
                [t(.channel), t(.customers)] + offsets.map(t.offsetHeader),
                [.left] + Array(repeating: .right, count: offsets.count + 1), rows)
        }
        if model.pooledChannels > 0 {
            paragraph(t.pooledChannelsLine(model.pooledChannels, shown: model.maxChannels, f))
        }
    }

    /// The projection backtest: error and interval coverage by horizon.
    mutating func backtest() {
        guard !model.backtest.isEmpty else { return }
        heading(3, t(.backtestTitle))
        paragraph(t.backtestNote(months: model.backtest.filter { $0.horizon > 0 }.count))
        // Rows of "0 cells" say nothing: the sentence says why there are none.
        if let empty = model.emptyBacktest { return paragraph(t.emptyBacktestLine(empty, f)) }
        table(model.backtestTable())
    }

    /// Like `table`, but a first cell wrapped in `**` keeps its emphasis around the escaped text.
    mutating func tableKeepingBold(_ headers: [String], _ align: [Align], _ rows: [[String]]) {
        let cells = rows.map { row in
            row.enumerated().map { i, cell -> String in
                if i == 0 && cell.hasPrefix("**") && cell.hasSuffix("**") && cell.count > 4 {
                    return "**" + esc(String(cell.dropFirst(2).dropLast(2))) + "**"
                }
                return esc(cell)
            }
        }
        out += markdownTableLines(
            headers.map(esc), rightAligned: { $0 < align.count && align[$0] == .right }, cells)
        blank()
    }

    mutating func survival() {
        heading(2, t(.survival))
        guard !model.survival.isEmpty else { return noData() }
        paragraph(t(.survivalNote))
        if model.pooledChannels > 0 {
            paragraph(t.pooledChannelsLine(model.pooledChannels, shown: model.maxChannels, f))
        }
        for curve in model.survival {
            folded(t.channelName(curve.channel) + " — " + t.curveSummary(curve, f)) { r in
                if curve.points.isEmpty { return r.noData() }
                r.table(r.model.survivalTable(curve))
            }
        }
        paragraph(t.logRankLine(model.logRank, f))
    }

    mutating func attribution() {
        heading(2, t(.attribution))
        let a = model.attribution
        heading(3, t(.segments))
        if a.segments.isEmpty { noData() }
        for (dimension, segs) in model.segmentsByDimension() {
            heading(4, t.dimensionName(dimension))
            table(model.segmentsTable(segs))
            if let test = a.dimensionTests.first(where: { $0.dimension == dimension }) {
                paragraph(t(.logRankP) + t.colon + f.pValue(test.p))
            }
            if let omitted = a.omittedValues[dimension] {
                paragraph(t.omittedValuesLine(omitted, shown: model.maxChannels, f))
            }
        }
        if a.segments.contains(where: \.pooled) { paragraph(t(.pooledNote)) }
        if !a.pairwise.isEmpty {
            heading(3, t(.pairwise))
            folded("\(t(.pairwise)) (\(f.integer(a.pairwise.count)))") { r in
                r.table(r.model.pairwiseTable())
            }
        }
        heading(3, t(.cox))
        if model.cox.terms.isEmpty && model.cox.model == nil { noData() }
        for line in model.coxFitLines() { paragraph(line) }
        if !model.cox.terms.isEmpty {
            table(model.coxTable())
            paragraph(t(.coxNote))
        }
        if model.cox.hiddenTerms > 0 { paragraph(t.hiddenRowsLine(model.cox.hiddenTerms, file: "cox.jsonl", f)) }
        heading(3, t(.reasons))
        if model.reasons.categories.isEmpty && model.reasons.rows.isEmpty {
            noData(model.reasons.absent)
        } else {
            if !model.reasons.categories.isEmpty {
                table(model.reasonCategoriesTable())
            }
            if !model.reasons.rows.isEmpty {
                let rows = model.reasons.rows
                folded("\(t(.reasonsByChannel)) (\(f.integer(rows.count)))") { r in
                    r.table(r.model.reasonsByChannelTable())
                }
            }
            if model.reasons.hiddenRows > 0 {
                paragraph(t.hiddenReasonsLine(model.reasons.hiddenRows, shown: model.maxChannels, f))
            }
        }
        heading(3, t(.activation))
        if model.activation.isEmpty {
            noData(model.activationAbsent)
        } else {
            let rows = model.activation
            folded("\(t(.activation)) (\(f.integer(rows.count)))") { r in
                r.table(r.model.activationTable())
            }
            paragraph(t(.activationNote))
            if model.hiddenCohorts > 0 {
                paragraph(t.limitedCohortsLine(model, files: "activation.jsonl", weightedRow: false, f))
            }
        }
        heading(3, t(.phasesTitle))
        if model.phases.isEmpty {
            noData()
        } else {
            paragraph(t(.phasesNote))
            table(model.phasesTable())
            if model.hiddenCohorts > 0 {
                paragraph(t.limitedCohortsLine(model, files: "phases.jsonl", weightedRow: false, f))
            }
        }
        heading(3, t(.atRiskTitle))
        if model.atRisk.rows.isEmpty {
            paragraph(model.atRiskEmptyLine)
        } else {
            for line in model.atRiskLines() { paragraph(line) }
            table(model.atRiskTable())
        }
    }

    mutating func impact() {
        heading(2, t(.impact))
        let i = model.impact
        guard !i.rows.isEmpty || i.oneChurnPointPerYear != nil else { return noData() }
        if let point = i.oneChurnPointPerYear { paragraph(t.oneChurnPointLine(f.money(point))) }
        if !i.rows.isEmpty {
            table(model.impactTable())
            paragraph(t.impactChurnNote)
        }
        if i.hiddenRows > 0 { paragraph(t.hiddenRowsLine(i.hiddenRows, file: "impact.jsonl", f)) }
    }

    mutating func dataQuality() {
        heading(2, t(.dataQuality))
        guard let q = model.dataQuality else { return noData() }
        if !q.warnings.isEmpty {
            heading(3, t.warningsHeading)
            for w in q.warnings { line("- " + esc(t.warning(w, f))) }
            blank()
        }
        if q.sources.isEmpty { noData() } else { table(model.sourcesTable(q)) }
        if !q.rejectReasons.isEmpty {
            heading(3, t(.topRejects))
            table(model.rejectReasonsTable(q))
        }
        if !q.orphans.isEmpty {
            heading(3, t(.orphans))
            table(model.orphansTable(q))
        }
        paragraph(t(.zeroMRRSubscriptions) + t.colon + f.integer(q.zeroMRRSubscriptions))
    }

    mutating func provenance() {
        heading(2, t(.provenance))
        guard let p = model.provenance else { return noData() }
        table(model.provenanceTable(p))
        heading(3, t(.inputs))
        if p.inputs.isEmpty { noData() } else { table(model.inputsTable(p)) }
    }
}

/// Dimensions in first-seen order, each once.
func orderedDimensions(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}
