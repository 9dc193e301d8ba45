/// Renders a `ReportModel` as one self-contained HTML5 file: inline CSS and SVG, no script,
/// no external URL. Each chart has a `<details>` data table behind it, and every string from
/// input data goes through `Escaping.html`.
public enum HTMLReport {
    public static func render(_ model: ReportModel) -> String {
        var r = HTMLRenderer(model: model, t: model.localizer, f: model.formatter)
        return r.render()
    }
}

extension HTMLReport {
    /// A run of letters this long without a space is data (a channel or segment name, a path)
    /// rather than a word, and its cell may break it anywhere (Stylesheet's `.wrap`).
    static let longWord = 24

    /// Whether `text` holds a run of more than `longWord` characters with no space in it. Wide
    /// (CJK) characters end a run: a browser breaks lines between them already.
    static func holdsLongWord(_ text: String) -> Bool {
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value >= 0x1100 {
                run = 0
            } else {
                run += 1
                if run > longWord { return true }
            }
        }
        return false
    }
}

private struct Column {
    var header: String
    var numeric: Bool
    init(_ header: String, numeric: Bool = false) {
        self.header = header
        self.numeric = numeric
    }
}

private struct HTMLRenderer: FullReportRenderer {
    let model: ReportModel
    let t: Localizer
    let f: ReportFormatter
    var out = ""
    var chartCount = 0

    func esc(_ s: String) -> String { Escaping.html(s) }
    /// A value from input data (or text built around one): escaped and, when it holds
    /// right-to-left letters or bidirectional controls, isolated in `<bdi>`.
    func label(_ s: String) -> String { Escaping.htmlLabel(s) }
    mutating func add(_ s: String) { out += s + "\n" }

    mutating func render() -> String {
        let sections: [(String, ReportText)] = [
            ("kpis", .kpis), ("movements", .movements), ("retention", .retention), ("survival", .survival),
            ("attribution", .attribution), ("impact", .impact), ("data-quality", .dataQuality),
            ("provenance", .provenance),
        ]
        add("<!DOCTYPE html>")
        add("<html lang=\"\(model.locale.rawValue)\">")
        add("<head>")
        add("<meta charset=\"utf-8\">")
        add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        add("<title>\(esc(model.title))</title>")
        add("<style>\n\(Stylesheet.css)\n</style>")
        add("</head>")
        add("<body>")
        add("<header>")
        add("<h1>\(esc(model.title))</h1>")
        add("<p class=\"meta\">\(esc(t.asOfLine(f.date(model.asOf), currency: model.reportCurrency)))</p>")
        let coverage = model.coverageLine()
        if !coverage.isEmpty { add("<p class=\"meta\">\(esc(coverage))</p>") }
        add("</header>")
        add("<nav aria-labelledby=\"toc-title\">")
        add("<h2 class=\"toc-title\" id=\"toc-title\">\(esc(t(.contents)))</h2>")
        add("<ol>" + sections.map { "<li><a href=\"#\($0.0)\">\(esc(t($0.1)))</a></li>" }.joined() + "</ol>")
        add("</nav>")
        add("<main>")
        drawSections()
        add("</main>")
        if let p = model.provenance {
            add("<footer><p>\(esc(t.footer(p, f)))</p></footer>")
        }
        add("</body>")
        add("</html>")
        return out
    }

    // MARK: Building blocks

    mutating func openSection(_ id: String, _ title: ReportText) {
        add("<section id=\"\(id)\" aria-labelledby=\"\(id)-h\">")
        add("<h2 id=\"\(id)-h\">\(esc(t(title)))</h2>")
    }

    mutating func closeSection() { add("</section>") }
    mutating func heading(_ level: Int, _ text: String) { add("<h\(level)>\(label(text))</h\(level)>") }
    mutating func paragraph(_ text: String, note: Bool = false) {
        add(note ? "<p class=\"note\">\(esc(text))</p>" : "<p>\(esc(text))</p>")
    }
    /// "No data.", or why, when the input explains it.
    mutating func noData(_ why: AbsentInput? = nil) {
        add("<p class=\"note\">\(esc(why.map { t.absentInputLine($0, f) } ?? t(.noData)))</p>")
    }

    /// A table whose first column holds row headers; `rowClasses` marks rows such as the weighted one.
    func table(_ spec: ReportTable, caption: String? = nil, rowClasses: [String?] = []) -> String {
        table(
            spec.headers.indices.map { Column(spec.headers[$0], numeric: spec.numeric.contains($0)) }, spec.rows,
            caption: caption, rowClasses: rowClasses, codeColumns: spec.code, rawLineColumns: spec.rawLines)
    }

    func table(
        _ columns: [Column], _ rows: [[String]], caption: String? = nil, rowClasses: [String?] = [],
        codeColumns: Set<Int> = [], rawLineColumns: Set<Int> = []
    ) -> String {
        // A table of numbers after its row headers (the triangles: thousands of cells) is aligned
        // as numbers by one class on the table rather than one on each cell.
        let numbersOnly =
            columns.count > 1
            && columns.indices.dropFirst().allSatisfy { columns[$0].numeric && !codeColumns.contains($0) }
        var s = "<div class=\"table-wrap\"><table\(numbersOnly ? " class=\"nums\"" : "")>"
        if let caption { s += "<caption>\(label(caption))</caption>" }
        s +=
            "<thead><tr>"
            + columns.map { "<th scope=\"col\"\($0.numeric ? " class=\"num\"" : "")>\(esc($0.header))</th>" }.joined()
            + "</tr></thead>\n<tbody>\n"
        for (r, row) in rows.enumerated() {
            let cls = r < rowClasses.count ? rowClasses[r] : nil
            s += cls.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            for (i, cell) in row.enumerated() {
                let numeric = i < columns.count && columns[i].numeric
                var classes: [String] = []
                if numeric && !(numbersOnly && i > 0) { classes.append("num") }
                if codeColumns.contains(i) {
                    classes.append("code")
                } else if !numeric && HTMLReport.holdsLongWord(cell) {
                    classes.append("wrap")
                }
                let cattr = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                var text = rawLineColumns.contains(i) ? Escaping.htmlRawLine(cell) : label(cell)
                // A value marked ▼ (below its bar) says so to a screen reader, which would read
                // the triangle as a shape or not at all.
                if numeric, cell.hasPrefix("▼ ") {
                    text =
                        "<span aria-hidden=\"true\">▼</span> <span class=\"vh\">\(esc(t(.belowBarHidden)))</span>"
                        + label(String(cell.dropFirst(2)))
                }
                s += i == 0 ? "<th scope=\"row\"\(cattr)>\(text)</th>" : "<td\(cattr)>\(text)</td>"
            }
            s += "</tr>\n"
        }
        return s + "</tbody></table></div>"
    }

    mutating func nextChartID() -> String {
        chartCount += 1
        return "chart\(chartCount)"
    }

    /// A chart, its caption, and the data table behind it one click away.
    mutating func figure(svg: String, caption: String, table: String, scroll: Bool = false) {
        add("<figure>")
        add("<div class=\"chart-wrap\(scroll ? " scroll" : "")\">\n\(svg)\n</div>")
        if scroll { add("<p class=\"scroll-hint\" aria-hidden=\"true\">\(esc(t(.scrollHint)))</p>") }
        add("<figcaption>\(label(caption))</figcaption>")
        add("</figure>")
        dataTable(table, of: caption)
    }

    /// The data table behind a chart, one click away; its summary names the chart for a screen
    /// reader (a list of controls would otherwise be many alike "Data table" entries).
    mutating func dataTable(_ table: String, of caption: String) {
        add(
            "<details><summary>\(esc(t(.dataTable)))<span class=\"vh\">\(esc(t.colon))\(label(caption))</span></summary>\n\(table)\n</details>"
        )
    }

    /// A chart drawn twice, wide for desktops and narrow for phones (the stylesheet shows one),
    /// with its caption and data table.
    mutating func figure(chart: some ResponsiveChart, caption: String, table: String) {
        let (wide, narrow) = chart.renderings()
        add("<figure>")
        add("<div class=\"chart-wrap wide-only\">\n\(wide)\n</div>")
        add("<div class=\"chart-wrap narrow-only\">\n\(narrow)\n</div>")
        add("<figcaption>\(label(caption))</figcaption>")
        add("</figure>")
        dataTable(table, of: caption)
    }

    /// A long table folded away behind a one-line summary.
    mutating func collapsed(_ summary: String, _ table: String) {
        add("<details><summary>\(esc(summary))</summary>\n\(table)\n</details>")
    }

    // MARK: Sections

    mutating func kpis() {
        openSection("kpis", .kpis)
        if model.kpis.isEmpty {
            noData()
        } else {
            add("<div class=\"kpi-grid\">")
            for k in model.kpis {
                // A shape per band, so the band reads without its colour.
                let symbol = k.band.mark(markdown: false)
                let bandText = t.kpiStatus(k)
                add("<div class=\"kpi band-\(k.band.rawValue)\">")
                add("<h3>\(esc(t.metricName(k.id)))</h3>")
                add("<p class=\"kpi-value\">\(esc(f.value(k.value, kind: k.kind, bars: k.bars)))</p>")
                add(
                    "<p class=\"kpi-band\">" + (symbol.isEmpty ? "" : "<span aria-hidden=\"true\">\(symbol)</span> ")
                        + "\(esc(bandText))</p>")
                if let d = t.definition(k.definitionKey) {
                    add("<details><summary>\(esc(t(.definition)))</summary><p>\(esc(d))</p></details>")
                }
                add("</div>")
            }
            add("</div>")
        }
        if !model.checks.isEmpty {
            heading(3, t(.checks))
            var s = "<div class=\"table-wrap\"><table><thead><tr>"
            s += [Column(t(.metric)), Column(t(.threshold)), Column(t(.actual), numeric: true), Column(t(.result))]
                .map { "<th scope=\"col\"\($0.numeric ? " class=\"num\"" : "")>\(esc($0.header))</th>" }.joined()
            s += "</tr></thead>\n<tbody>\n"
            for c in model.checks {
                let result =
                    c.passed
                    ? "<span class=\"pass\">✔ \(esc(t(.passed)))</span>"
                    : "<span class=\"fail\">✖ \(esc(t(.failed)))</span>"
                s +=
                    "<tr><th scope=\"row\">\(esc(t.metricName(c.metric)))</th><td class=\"keep\">\(esc(t.thresholdText(c, f)))</td><td class=\"num\">\(esc(f.value(c.actual, kind: c.kind, bars: c.bars)))</td><td>\(result)</td></tr>\n"
            }
            add(s + "</tbody></table></div>")
            paragraph(model.checks.allSatisfy(\.passed) ? t(.checksSummaryPassed) : t(.checksSummaryFailed))
        }
        closeSection()
    }

    mutating func movements() {
        openSection("movements", .movements)
        defer { closeSection() }
        guard !model.movements.isEmpty else { return noData() }
        let chart = Waterfall(
            text: ChartText(
                id: nextChartID(), title: t(.movementsAxis), desc: t.sentences(t(.movementsNote), t(.chartDesc))),
            months: model.movements.map { m in
                // The net change is the chart's own marker height: end minus start, as given (in
                // doubles, which no amount overflows).
                Waterfall.Month(
                    label: f.month(m.month), gains: [m.new, m.expansion, m.reactivation],
                    losses: [m.contraction, m.churn], net: Double(m.end) - Double(m.start))
            },
            gainNames: [t(.new), t(.expansion), t(.reactivation)], lossNames: [t(.contraction), t(.churn)],
            netName: t(.netChange),
            axisLabel: "\(t(.movementsAxis)) (\(model.reportCurrency))", money: { [f] in f.compactMoney($0) })
        figure(chart: chart, caption: t(.movementsNote), table: table(model.movementsTable()))
        if model.hiddenMovementMonths > 0 { paragraph(t.limitedMovementsLine(model, f), note: true) }
    }

    mutating func retention() {
        openSection("retention", .retention)
        defer { closeSection() }
        guard !model.triangles.isEmpty else { return noData() }
        driftAlerts()
        retentionCurves()
        backtest()
        paragraph(t.sentences(t(.incompleteNote), t(.weightedNote)), note: true)
        if model.pooledChannels > 0 {
            paragraph(t.pooledChannelsLine(model.pooledChannels, shown: model.maxChannels, f), note: true)
        }
        if model.hiddenCohorts > 0 {
            paragraph(
                t.limitedCohortsLine(model, files: "triangles.csv, triangle.jsonl", weightedRow: true, f), note: true)
        }
        if ShownOffsets.leaveOutMonths(in: model) {
            paragraph(t.steppedOffsetsLine(files: "triangles.csv, triangle.jsonl", f), note: true)
        }
        let projections: [ReportText: KeyPath<TriangleRow, [Double?]>] = [
            .logoRetention: \TriangleRow.projectedLogo, .revenueRetention: \TriangleRow.projectedRevenue,
        ]
        for (kind, pick) in [
            (ReportText.logoRetention, \TriangleRow.logo), (.revenueRetention, \TriangleRow.revenue),
            (.grossRevenueRetention, \TriangleRow.gross),
        ] {
            heading(3, t(kind))
            for triangle in model.triangles {
                let name = t.channelName(triangle.channel)
                // All channels open; each channel folded (the curves above compare channels).
                let folded = triangle.channel != "(all)"
                if folded {
                    add("<details class=\"channel\"><summary>\(label(name))</summary>")
                } else {
                    heading(4, name)
                }
                defer { if folded { add("</details>") } }
                guard triangle.maxOffset >= 0 else {
                    noData()
                    continue
                }
                let offsets = ShownOffsets.upTo(triangle.maxOffset)
                // The colour scale spans the cells shown.
                let shownValues = triangle.rows.flatMap {
                    ShownOffsets.pick($0[keyPath: pick], at: offsets).compactMap { $0 }
                }
                let largest = shownValues.max() ?? 1
                // Revenue can expand far past 100%: cap the scale at 150% so the usual 80–120%
                // keeps distinct colours; brighter cells are marked in the legend as "≥ 150%".
                let domainMax = min(1.5, max(1, (largest * 10).rounded(.up) / 10))
                let domainMin = Heatmap.floor(of: shownValues)
                let title = "\(t(kind)) — \(name)"
                let chart = Heatmap(
                    text: ChartText(
                        id: nextChartID(), title: title, desc: t.sentences(t(.incompleteNote), t(.chartDesc))),
                    columnHeaders: offsets.map(t.offsetHeader), columnAxisLabel: t(.monthsSinceSignup),
                    rows: triangle.rows.map { row in
                        Heatmap.Row(
                            label: t.cohortLabel(row.cohort, f),
                            values: ShownOffsets.pick(row[keyPath: pick], at: offsets),
                            emphasized: row.isWeighted, customers: f.integer(row.customers),
                            projected: projections[kind].map { ShownOffsets.pick(row[keyPath: $0], at: offsets) } ?? [])
                    },
                    domainMax: domainMax, domainMin: domainMin, format: { [f] in f.percent($0, digits: 0) },
                    legendTitle: t(.heatmapScale), incompleteLegend: t(.hatchedLegend),
                    clampedAbove: largest > domainMax, projectedLegend: t(.projectedLegend), sizeHeader: t(.customers))
                let columns =
                    [Column(t(.cohort)), Column(t(.customers), numeric: true)]
                    + offsets.map { Column(t.offsetHeader($0), numeric: true) }
                let rows = triangle.rows.map { row -> [String] in
                    let cells = row[keyPath: pick]
                    return [t.cohortLabel(row.cohort, f), f.integer(row.customers)]
                        + offsets.map { k in k < cells.count ? (cells[k].map { f.percent($0) } ?? "") : "" }
                }
                figure(
                    svg: chart.render(), caption: title,
                    table: table(columns, rows, rowClasses: triangle.rows.map { $0.isWeighted ? "weighted" : nil }),
                    scroll: true)
            }
        }
    }

    /// Cohorts whose newest cell fell below their predecessors' band.
    mutating func driftAlerts() {
        guard !model.driftAlerts.isEmpty || !model.kpiMoves.isEmpty else { return }
        heading(3, t(.driftTitle))
        add(
            "<ul class=\"alerts\">" + model.kpiMoves.map { "<li>\(esc(t.kpiMoveSentence($0, f)))</li>" }.joined()
                + model.driftAlerts.map { "<li>\(esc(t.driftSentence($0, f)))</li>" }.joined() + "</ul>")
    }

    /// The projection backtest: error and interval coverage by horizon.
    mutating func backtest() {
        guard !model.backtest.isEmpty else { return }
        heading(3, t(.backtestTitle))
        paragraph(t.backtestNote(months: model.backtest.filter { $0.horizon > 0 }.count), note: true)
        // Rows of "0 cells" say nothing: the sentence says why there are none.
        if let empty = model.emptyBacktest { return paragraph(t.emptyBacktestLine(empty, f), note: true) }
        add(table(model.backtestTable(), rowClasses: model.backtest.map { $0.horizon == 0 ? "weighted" : nil }))
    }

    /// Logo and revenue retention as lines: by signup month (all channels) and by channel.
    mutating func retentionCurves() {
        heading(3, t(.retentionCurves))
        paragraph(t(.curvesNote), note: true)
        let all = model.triangles.first { $0.channel == "(all)" } ?? model.triangles[0]
        for byChannel in [false, true] {
            for revenue in [false, true] {
                let lines =
                    byChannel
                    ? RetentionCurvesChart.byChannel(
                        model.triangles, revenue: revenue, allLabel: t.channelName("(all)"), channelLabel: t.channelName
                    )
                    : RetentionCurvesChart.byCohort(
                        all, revenue: revenue, recent: 6, weightedLabel: t(.weightedAverage),
                        cohortLabel: { [t, f] in t.cohortLabel($0, f) })
                guard lines.contains(where: { $0.values.contains { $0 != nil } }) else { continue }
                let title = t.curvesTitle(revenue: revenue, byChannel: byChannel)
                let chart = RetentionCurvesChart(
                    text: ChartText(
                        id: nextChartID(), title: title, desc: t(byChannel ? .channelCurvesDesc : .curvesNote)),
                    lines: lines,
                    axes: LineChartAxes(
                        x: t(.monthsSinceSignup), y: t.curvesAxis(revenue: revenue),
                        percent: { [f] in f.percent($0, digits: 0) }),
                    faintLegend: byChannel ? nil : t(.olderCohorts), projectedLegend: t(.projectedLegend))
                let offsets = ShownOffsets.upTo(max(0, lines.map(\.values.count).max().map { $0 - 1 } ?? 0))
                let columns =
                    [Column(byChannel ? t(.channel) : t(.cohort))]
                    + offsets.map { Column(t.offsetHeader($0), numeric: true) }
                let rows = lines.map { l in
                    [l.legend ?? l.label]
                        + offsets.map { k in k < l.values.count ? (l.values[k].map { f.percent($0) } ?? "") : "" }
                }
                figure(chart: chart, caption: title, table: table(columns, rows))
            }
        }
    }

    mutating func survival() {
        openSection("survival", .survival)
        defer { closeSection() }
        guard !model.survival.isEmpty else { return noData() }
        paragraph(t(.survivalNote), note: true)
        if model.pooledChannels > 0 {
            paragraph(t.pooledChannelsLine(model.pooledChannels, shown: model.maxChannels, f), note: true)
        }
        let chart = SurvivalChart(
            text: ChartText(id: nextChartID(), title: t(.survival), desc: t.sentences(t(.survivalNote), t(.chartDesc))),
            series: model.survival.map { c in
                SurvivalChart.Series(
                    label: "\(t.channelName(c.channel)) (\(t.curveSummary(c, f)))",
                    points: c.points.map { ($0.month, $0.day, $0.survival, $0.lower, $0.upper) })
            },
            axes: LineChartAxes(
                x: t(.axisMonths), y: t(.axisSurvival), percent: { [f] in f.percent($0, digits: 0) }))
        var tables = ""
        for c in model.survival {
            tables +=
                table(model.survivalTable(c), caption: "\(t.channelName(c.channel)) — \(t.curveSummary(c, f))") + "\n"
        }
        figure(chart: chart, caption: t.sentences(t.logRankLine(model.logRank, f), t(.ciBandNote)), table: tables)
    }

    mutating func attribution() {
        openSection("attribution", .attribution)
        defer { closeSection() }
        let a = model.attribution
        heading(3, t(.segments))
        if a.segments.isEmpty { noData() }
        for (dimension, segs) in model.segmentsByDimension() {
            let dimensionLabel = t.dimensionName(dimension)
            heading(4, dimensionLabel)
            let early = t.earlyChurnHeader(a.earlyChurnDays)
            let chart = IntervalBars(
                text: ChartText(
                    id: nextChartID(), title: "\(t(.segments)) — \(dimensionLabel)",
                    desc: t(.attributionAxis) + t.fullStop + t(.chartDesc)),
                groups: segs.map { s in
                    IntervalBars.Group(
                        label: t.valueName(s.value),
                        bars: [
                            .init(value: s.earlyChurn, lower: s.earlyLower, upper: s.earlyUpper),
                            .init(value: s.yearChurn, lower: s.yearLower, upper: s.yearUpper),
                        ])
                },
                seriesNames: [early, t(.yearChurn)], axisLabel: t(.attributionAxis),
                percent: { [f] in f.percent($0, digits: 0) })
            var caption = "\(t(.segments)) — \(dimensionLabel)"
            if let test = a.dimensionTests.first(where: { $0.dimension == dimension }) {
                caption += t.fullStop + t(.logRankP) + t.colon + f.pValue(test.p)
            }
            figure(chart: chart, caption: caption, table: table(model.segmentsTable(segs)))
            if let omitted = a.omittedValues[dimension] {
                paragraph(t.omittedValuesLine(omitted, shown: model.maxChannels, f), note: true)
            }
        }
        if a.segments.contains(where: \.pooled) { paragraph(t(.pooledNote), note: true) }
        if !a.pairwise.isEmpty {
            heading(3, t(.pairwise))
            collapsed(
                "\(t(.dataTable)) (\(f.integer(a.pairwise.count)))", table(model.pairwiseTable()))
        }
        heading(3, t(.cox))
        if model.cox.terms.isEmpty && model.cox.model == nil { noData() }
        for line in model.coxFitLines() { paragraph(line) }
        if !model.cox.terms.isEmpty {
            let chart = ForestPlot(
                text: ChartText(id: nextChartID(), title: t(.cox), desc: t.sentences(t(.coxNote), t(.chartDesc))),
                rows: model.cox.terms.map {
                    .init(
                        label: t.valueName($0.level), ratio: $0.hazardRatio, lower: $0.lower, upper: $0.upper,
                        group: t.coxGroupHeading(dimension: $0.dimension, reference: $0.reference))
                },
                axisLabel: t(.forestAxis), number: { [f] in f.decimal($0, digits: $0 < 1 ? ($0 < 0.1 ? 2 : 1) : 0) }
            )
            figure(chart: chart, caption: t(.coxNote), table: table(model.coxTable()))
        }
        if model.cox.hiddenTerms > 0 {
            paragraph(t.hiddenRowsLine(model.cox.hiddenTerms, file: "cox.jsonl", f), note: true)
        }
        heading(3, t(.reasons))
        if model.reasons.categories.isEmpty && model.reasons.rows.isEmpty {
            noData(model.reasons.absent)
        } else {
            if !model.reasons.categories.isEmpty {
                let chart = BarChart(
                    text: ChartText(
                        id: nextChartID(), title: t(.reasons), desc: t(.reasonsAxis) + t.fullStop + t(.chartDesc)),
                    items: model.reasons.categories.map {
                        .init(
                            label: t.reasonName($0.category), value: Double($0.customers),
                            valueText: "\(f.integer($0.customers)) · \(f.money($0.churnedMRR))")
                    },
                    axisLabel: t(.reasonsAxis))
                figure(chart: chart, caption: t(.reasons), table: table(model.reasonCategoriesTable()))
            }
            if !model.reasons.rows.isEmpty {
                collapsed(
                    "\(t(.reasonsByChannel)) (\(f.integer(model.reasons.rows.count)))",
                    table(model.reasonsByChannelTable()))
            }
            if model.reasons.hiddenRows > 0 {
                paragraph(t.hiddenReasonsLine(model.reasons.hiddenRows, shown: model.maxChannels, f), note: true)
            }
        }
        heading(3, t(.activation))
        if model.activation.isEmpty {
            noData(model.activationAbsent)
        } else {
            // Cohorts down, channels across (all channels first), like the retention heatmaps.
            var channels: [String] = []
            var cohorts: [String] = []
            var seenChannels = Set<String>()
            var seenCohorts = Set<String>()
            var rates: [String: Double] = [:]
            for row in model.activation {
                if seenChannels.insert(row.channel).inserted { channels.append(row.channel) }
                if seenCohorts.insert(row.cohort).inserted { cohorts.append(row.cohort) }
                if let r = row.rate { rates[row.cohort + "\u{0}" + row.channel] = r }
            }
            channels.sort { ($0 == "(all)" ? 0 : 1, $0) < ($1 == "(all)" ? 0 : 1, $1) }
            cohorts.sort()
            let chart = Heatmap(
                text: ChartText(
                    id: nextChartID(), title: t(.activation), desc: t.sentences(t(.activationNote), t(.chartDesc))),
                columnHeaders: channels.map(t.channelName), columnAxisLabel: t(.channel),
                rows: cohorts.map { c in
                    Heatmap.Row(
                        label: t.cohortLabel(c, f), values: channels.map { rates[c + "\u{0}" + $0] }, emphasized: false)
                },
                domainMax: 1, format: { [f] in f.percent($0, digits: 0) }, legendTitle: t(.activationRate),
                incompleteLegend: t(.activationAbsentLegend))
            figure(
                svg: chart.render(), caption: t(.activationNote), table: table(model.activationTable()), scroll: true)
            if model.hiddenCohorts > 0 {
                paragraph(t.limitedCohortsLine(model, files: "activation.jsonl", weightedRow: false, f), note: true)
            }
        }
        heading(3, t(.phasesTitle))
        if model.phases.isEmpty {
            noData()
        } else {
            paragraph(t(.phasesNote))
            add(table(model.phasesTable()))
            if model.hiddenCohorts > 0 {
                paragraph(t.limitedCohortsLine(model, files: "phases.jsonl", weightedRow: false, f), note: true)
            }
        }
        heading(3, t(.atRiskTitle))
        if model.atRisk.rows.isEmpty {
            paragraph(model.atRiskEmptyLine, note: true)
        } else {
            for line in model.atRiskLines() { paragraph(line) }
            add(table(model.atRiskTable()))
        }
    }

    mutating func impact() {
        openSection("impact", .impact)
        defer { closeSection() }
        let i = model.impact
        guard !i.rows.isEmpty || i.oneChurnPointPerYear != nil else { return noData() }
        if let point = i.oneChurnPointPerYear { paragraph(t.oneChurnPointLine(f.money(point))) }
        if !i.rows.isEmpty {
            add(table(model.impactTable()))
            paragraph(t.impactChurnNote, note: true)
        }
        if i.hiddenRows > 0 { paragraph(t.hiddenRowsLine(i.hiddenRows, file: "impact.jsonl", f), note: true) }
    }

    mutating func dataQuality() {
        openSection("data-quality", .dataQuality)
        defer { closeSection() }
        guard let q = model.dataQuality else { return noData() }
        if !q.warnings.isEmpty {
            heading(3, t.warningsHeading)
            add("<ul class=\"warnings\">" + q.warnings.map { "<li>\(esc(t.warning($0, f)))</li>" }.joined() + "</ul>")
        }
        if q.sources.isEmpty { noData() } else { add(table(model.sourcesTable(q))) }
        if !q.rejectReasons.isEmpty {
            heading(3, t(.topRejects))
            add(table(model.rejectReasonsTable(q)))
        }
        if !q.orphans.isEmpty {
            heading(3, t(.orphans))
            add(table(model.orphansTable(q)))
        }
        paragraph(t(.zeroMRRSubscriptions) + t.colon + f.integer(q.zeroMRRSubscriptions))
    }

    mutating func provenance() {
        openSection("provenance", .provenance)
        defer { closeSection() }
        guard let p = model.provenance else { return noData() }
        add(table(model.provenanceTable(p)))
        heading(3, t(.inputs))
        if p.inputs.isEmpty { noData() } else { add(table(model.inputsTable(p))) }
    }
}
