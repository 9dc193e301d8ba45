/// Renders a `ReportModel` as GitHub-flavoured Markdown, readable as a CI artifact or in a pull request.
///
/// Sections follow SPEC §7. Every cell and every data-derived string goes through
/// `Escaping.markdown`, so input values cannot break a table or inject links or HTML.
public enum MarkdownReport {
    public static func render(_ model: ReportModel) -> String {
        var r = MarkdownRenderer(model: model)
        return r.render()
    }
}

private enum Align { case left, right }

private struct MarkdownRenderer {
    let model: ReportModel
    let t: Localizer
    let f: ReportFormatter
    var out = ""

    init(model: ReportModel) {
        self.model = model
        self.t = Localizer(locale: model.locale)
        self.f = ReportFormatter(locale: model.locale, currency: model.reportCurrency, minorUnits: model.currencyMinorUnits)
    }

    mutating func render() -> String {
        line("# " + esc(model.title))
        blank()
        line(esc(t.asOfLine(f.date(model.asOf), currency: model.reportCurrency)))
        blank()
        let coverage = t.coverageLine(model.coverage.compactMap { c in c.first.flatMap { a in c.last.map { (c.source, f.date(a), f.date($0)) } } })
        if !coverage.isEmpty { line(esc(coverage)); blank() }
        kpis()
        movements()
        retention()
        survival()
        attribution()
        impact()
        dataQuality()
        provenance()
        if let p = model.provenance {
            line("---")
            blank()
            line("*" + esc(t.footer(runAt: p.runTimestamp, version: p.toolVersion)) + "*")
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
    mutating func noData() { paragraph(t(.noData)) }

    mutating func table(_ headers: [String], _ align: [Align], _ rows: [[String]]) {
        line("| " + headers.map(esc).joined(separator: " | ") + " |")
        line("|" + headers.indices.map { i in (i < align.count && align[i] == .right) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows {
            line("| " + row.map(esc).joined(separator: " | ") + " |")
        }
        blank()
    }

    // MARK: Sections

    mutating func kpis() {
        heading(2, t(.kpis))
        if model.kpis.isEmpty { noData() } else {
            table([t(.metric), t(.value), t(.band), t(.definition)], [.left, .right, .left, .left], model.kpis.map { k in
                let band = k.band == .none ? t.band(.none) : (k.bandText.isEmpty ? t.band(k.band) : "\(t.band(k.band)) (\(k.bandText))")
                return [t.metricName(k.id), f.value(k.value, kind: k.kind), band, t.definition(k.definitionKey) ?? ""]
            })
        }
        guard !model.checks.isEmpty else { return }
        heading(3, t(.checks))
        table([t(.metric), t(.threshold), t(.actual), t(.result)], [.left, .left, .right, .left], model.checks.map { c in
            [t.metricName(c.metric), c.threshold, f.value(c.actual, kind: c.kind), c.passed ? "✅ " + t(.passed) : "❌ " + t(.failed)]
        })
        paragraph(model.checks.allSatisfy(\.passed) ? t(.checksSummaryPassed) : t(.checksSummaryFailed))
    }

    mutating func movements() {
        heading(2, t(.movements))
        guard !model.movements.isEmpty else { return noData() }
        table([t(.month), t(.mrrStart), t(.new), t(.expansion), t(.reactivation), t(.contraction), t(.churn), t(.mrrEnd)],
              [.left] + Array(repeating: .right, count: 7),
              model.movements.map { m in
                  [f.month(m.month), f.money(m.start), f.money(m.new), f.money(m.expansion), f.money(m.reactivation),
                   f.money(-m.contraction), f.money(-m.churn), f.money(m.end)]
              })
    }

    mutating func retention() {
        heading(2, t(.retention))
        guard !model.triangles.isEmpty else { return noData() }
        for (title, pick) in [(t(.logoRetention), \TriangleRow.logo), (t(.revenueRetention), \TriangleRow.revenue)] {
            heading(3, title)
            for triangle in model.triangles {
                heading(4, t.channelName(triangle.channel))
                guard triangle.maxOffset >= 0 else { noData(); continue }
                let offsets = Array(0...triangle.maxOffset)
                let headers = [t(.cohort), t(.customers)] + offsets.map(t.offsetHeader)
                let rows = triangle.rows.map { row -> [String] in
                    let cells = row[keyPath: pick]
                    let label = t.cohortLabel(row.cohort, f)
                    return [row.isWeighted ? "**" + label + "**" : label, f.integer(row.customers)]
                        + offsets.map { k in k < cells.count ? (cells[k].map { f.percent($0) } ?? "") : "" }
                }
                tableKeepingBold(headers, [.left] + Array(repeating: .right, count: offsets.count + 1), rows)
            }
            paragraph(t(.incompleteNote) + " " + t(.weightedNote))
        }
    }

    /// Like `table`, but a first cell wrapped in `**` keeps its emphasis around the escaped text.
    mutating func tableKeepingBold(_ headers: [String], _ align: [Align], _ rows: [[String]]) {
        line("| " + headers.map(esc).joined(separator: " | ") + " |")
        line("|" + headers.indices.map { i in (i < align.count && align[i] == .right) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows {
            let cells = row.enumerated().map { i, cell -> String in
                if i == 0 && cell.hasPrefix("**") && cell.hasSuffix("**") && cell.count > 4 {
                    return "**" + esc(String(cell.dropFirst(2).dropLast(2))) + "**"
                }
                return esc(cell)
            }
            line("| " + cells.joined(separator: " | ") + " |")
        }
        blank()
    }

    mutating func survival() {
        heading(2, t(.survival))
        guard !model.survival.isEmpty else { return noData() }
        paragraph(t(.survivalNote))
        for curve in model.survival {
            heading(3, t.channelName(curve.channel))
            paragraph(t.curveSummary(curve, f))
            if curve.points.isEmpty { noData(); continue }
            table([t(.monthMark), t(.day), t(.survivalRate), t(.lower95), t(.upper95), t(.atRisk)],
                  Array(repeating: .right, count: 6),
                  curve.points.map { p in
                      [f.integer(p.month), f.integer(p.day), f.percent(p.survival), f.percent(p.lower), f.percent(p.upper), f.integer(p.atRisk)]
                  })
        }
        paragraph(t.logRankLine(model.logRank, f))
    }

    mutating func attribution() {
        heading(2, t(.attribution))
        let a = model.attribution
        heading(3, t(.segments))
        if a.segments.isEmpty { noData() } else {
            for dimension in orderedDimensions(a.segments.map(\.dimension)) {
                heading(4, dimension)
                let segs = a.segments.filter { $0.dimension == dimension }
                table([t(.segment), t(.customers), t(.churned), t.earlyChurnHeader(a.earlyChurnDays), t(.churnCI), t(.yearChurn), t(.churnCI),
                       t(.churnedMRR12m), t(.share), t(.relativeRisk)],
                      [.left] + Array(repeating: .right, count: 9),
                      segs.map { s in
                          [s.value, f.integer(s.customers), f.integer(s.churned), f.percent(s.earlyChurn), interval(s.earlyLower, s.earlyUpper),
                           f.percent(s.yearChurn), interval(s.yearLower, s.yearUpper), f.money(s.churnedMRR12m), f.percent(s.churnedMRRShare),
                           f.decimal(s.relativeRisk, digits: 2)]
                      })
                if let test = a.dimensionTests.first(where: { $0.dimension == dimension }) {
                    paragraph(t(.logRankP) + ": " + f.pValue(test.p))
                }
            }
            if a.segments.contains(where: \.pooled) { paragraph(t(.pooledNote)) }
        }
        if !a.pairwise.isEmpty {
            heading(3, t(.pairwise))
            table([t(.dimension), t(.segmentA), t(.segmentB), t(.statistic), t(.pValue), t(.pHolm)],
                  [.left, .left, .left, .right, .right, .right],
                  a.pairwise.map { [$0.dimension, $0.a, $0.b, f.decimal($0.statistic, digits: 2), f.pValue($0.p), f.pValue($0.pHolm)] })
        }
        heading(3, t(.cox))
        if model.cox.terms.isEmpty && model.cox.model == nil { noData() } else {
            if let info = model.cox.model {
                paragraph(t.coxModelLine(info, f))
                if !info.converged { paragraph(t(.notConverged) + " " + (info.message ?? "")) }
            }
            if !model.cox.terms.isEmpty {
                table([t(.dimension), t(.level), t(.reference), t(.hazardRatio), t(.ci95), t(.pValue)],
                      [.left, .left, .left, .right, .right, .right],
                      model.cox.terms.map { c in
                          [c.dimension, c.level, c.reference, f.decimal(c.hazardRatio, digits: 2),
                           "\(f.decimal(c.lower, digits: 2)) – \(f.decimal(c.upper, digits: 2))", f.pValue(c.p)]
                      })
                paragraph(t(.coxNote))
            }
        }
        heading(3, t(.reasons))
        if model.reasons.categories.isEmpty && model.reasons.rows.isEmpty { noData() } else {
            if !model.reasons.categories.isEmpty {
                table([t(.category), t(.customers), t(.churnedMRR12m)], [.left, .right, .right],
                      model.reasons.categories.map { [$0.category, f.integer($0.customers), f.money($0.churnedMRR)] })
            }
            if !model.reasons.rows.isEmpty {
                table([t(.channel), t(.category), t(.reason), t(.customers), t(.churnedMRR12m)], [.left, .left, .left, .right, .right],
                      model.reasons.rows.map { [t.channelName($0.channel), $0.category, $0.reason, f.integer($0.customers), f.money($0.churnedMRR)] })
            }
        }
        heading(3, t(.activation))
        if model.activation.isEmpty { noData() } else {
            table([t(.cohort), t(.channel), t(.customers), t(.activated), t(.activationRate)], [.left, .left, .right, .right, .right],
                  model.activation.map { [f.month($0.cohort), t.channelName($0.channel), f.integer($0.customers), f.integer($0.activated), f.percent($0.rate)] })
            paragraph(t(.activationNote))
        }
    }

    func interval(_ lower: Double?, _ upper: Double?) -> String {
        lower == nil && upper == nil ? ReportFormatter.missing : "\(f.percent(lower)) – \(f.percent(upper))"
    }

    mutating func impact() {
        heading(2, t(.impact))
        let i = model.impact
        guard !i.rows.isEmpty || i.oneChurnPointPerYear != nil else { return noData() }
        if let point = i.oneChurnPointPerYear { paragraph(t.oneChurnPointLine(f.money(point))) }
        if !i.rows.isEmpty {
            table([t(.dimension), t(.segment), t(.monthlyChurn), t(.overallMonthlyChurn), t(.mrrKeptPerYear)], [.left, .left, .right, .right, .right],
                  i.rows.map { [$0.dimension, $0.value, f.percent($0.monthlyChurn, digits: 2), f.percent($0.overallMonthlyChurn, digits: 2), f.money($0.mrrKeptPerYear)] })
        }
    }

    mutating func dataQuality() {
        heading(2, t(.dataQuality))
        guard let q = model.dataQuality else { return noData() }
        if !q.warnings.isEmpty {
            heading(3, t.warningsHeading)
            for w in q.warnings { line("- " + esc(w)) }
            blank()
        }
        if q.sources.isEmpty { noData() } else {
            table([t(.source), t(.rowsRead), t(.accepted), t(.rejected), t(.duplicates)], [.left, .right, .right, .right, .right],
                  q.sources.map { [$0.source, f.integer($0.read), f.integer($0.accepted), f.integer($0.rejected), f.integer($0.duplicates)] })
        }
        if !q.rejectReasons.isEmpty {
            heading(3, t(.topRejects))
            table([t(.source), t(.reason), t(.rows), t(.exampleLine)], [.left, .left, .right, .left],
                  q.rejectReasons.map { [$0.source, $0.reason, f.integer($0.count), $0.exampleLine ?? ""] })
        }
        if !q.orphans.isEmpty {
            heading(3, t(.orphans))
            table([t(.source), t(.rows)], [.left, .right], q.orphans.map { [$0.source, f.integer($0.count)] })
        }
        paragraph(t(.zeroMRRSubscriptions) + ": " + f.integer(q.zeroMRRSubscriptions))
    }

    mutating func provenance() {
        heading(2, t(.provenance))
        guard let p = model.provenance else { return noData() }
        table([t(.metric), t(.value)], [.left, .left], [
            [t(.asOf), f.date(p.asOf)],
            [t(.configDigest), p.configSHA256],
            [t(.toolVersion), p.toolVersion],
        ])
        heading(3, t(.inputs))
        if p.inputs.isEmpty { noData() } else {
            table([t(.file), t(.bytes), t(.sha256)], [.left, .right, .left], p.inputs.map { [$0.path, f.integer($0.bytes), $0.sha256] })
        }
    }
}

/// Dimensions in first-seen order, each once.
func orderedDimensions(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}
