import Foundation
import XCTest

@testable import CohortKit

/// summary.md, the "what matters" sentences, the band words, thresholds in the metric's unit,
/// the retention curves, the spreadsheet exports and the heatmap scale.
final class ReportSummaryTests: XCTestCase {
    // MARK: What matters

    /// Hand-worked on SampleReportModel: activation 70% is 10 points short of 80% (gap 1.10 after
    /// the +1 given to a missed bar), annual churn 18.4% is 8.4 points above 10% (1.084), NRR
    /// 104.2% is healthy but 15.8 points short of 120% (0.158): the two missed bars come first.
    /// acquisition_channel is the only dimension with p < 0.05 and its riskiest value has RR 1.36;
    /// the only Cox term with p < 0.05 is plan = pro; one churn point is worth about ¥51K a year.
    func testWhatMattersSentencesEnglish() {
        let model = SampleReportModel.make(locale: .en)
        let t = Localizer(locale: .en)
        let f = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        XCTAssertEqual(
            WhatMatters(model: model, t: t, f: f).sentences(),
            [
                "70.0% of new customers activate, 10.0 points short of the 80% onboarding bar.",
                "Annual logo churn is 18.4%, 8.4 points above the 10% bar to meet before pushing expansion.",
                "Churn differs by acquisition channel (log-rank p = 0.033): <script>alert(1)</script> churns 1.36× as often as average in its first year.",
                "With the other dimensions held fixed (Cox model), plan = pro has a hazard ratio of 0.45 against basic (95% CI 0.12–1.70, p < 0.001).",
                "Each point of monthly logo churn is worth about ¥51K of revenue a year.",
            ])
    }

    func testWhatMattersJapaneseHasAsManySentences() {
        let model = SampleReportModel.make(locale: .ja)
        let s = WhatMatters(
            model: model, t: Localizer(locale: .ja), f: ReportFormatter(locale: .ja, currency: "JPY", minorUnits: 0)
        ).sentences()
        XCTAssertEqual(s.count, 5)
        XCTAssertTrue(s[0].contains("80%") && s[0].contains("10.0 ポイント"), s[0])
        XCTAssertTrue(s[2].contains("獲得チャネル"), s[2])
    }

    func testWhatMattersOmitsWhatIsNotSignificantOrMissing() {
        var model = SampleReportModel.make(locale: .en)
        model.attribution.dimensionTests = [DimensionTest(dimension: "acquisition_channel", p: 0.2)]
        model.cox.terms = model.cox.terms.map {
            var c = $0
            c.p = 0.3
            return c
        }
        model.impact.oneChurnPointPerYear = nil
        model.kpis = [
            HeadlineKPI(
                id: "nrr_trailing_12m", value: 1.25, kind: .percent, band: .good, definitionKey: "nrr_trailing_12m")
        ]
        let s = WhatMatters(
            model: model, t: Localizer(locale: .en), f: ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        ).sentences()
        XCTAssertEqual(s, ["NRR over the trailing 12 months is 125.0%, above the 120% high-growth bar."])
    }

    // MARK: Band words and thresholds

    func testBandWordsMatchTheNumbers() {
        let t = Localizer(locale: .en)
        func status(_ id: String, _ band: KPIBand) -> String {
            t.kpiStatus(HeadlineKPI(id: id, value: 0, kind: .percent, band: band, definitionKey: id))
        }
        XCTAssertEqual(status("nrr_trailing_12m", .good), "High growth (≥ 120%)")
        XCTAssertEqual(status("nrr_trailing_12m", .ok), "Healthy (≥ 100%)")
        XCTAssertEqual(status("nrr_trailing_12m", .bad), "Below 100%")
        XCTAssertEqual(status("logo_churn_annual", .good), "Within the 10% bar")
        XCTAssertEqual(status("logo_churn_annual", .ok), "Above the 10% bar")
        XCTAssertEqual(status("logo_churn_annual", .bad), "Above the 10% bar")
        XCTAssertEqual(status("logo_churn_monthly", .bad), "Above 0.87% (10% a year)")
        XCTAssertEqual(status("activation_rate", .ok), "Below the 80% bar")
        XCTAssertEqual(status("ltv_churn", .none), "—")
    }

    /// The bands ReportStage assigns agree with the words: 117.1% NRR is "Healthy", 1.8% monthly
    /// churn is above its bar.
    func testReportStageBandsForTheSampleValues() {
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 1.171).0, .ok)
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 1.2).0, .good)
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 0.99).0, .bad)
        XCTAssertEqual(MetricCatalog.band("logo_churn_monthly", 0.018).0, .bad)
        XCTAssertEqual(MetricCatalog.band("logo_churn_annual", 0.10).0, .good)
    }

    /// Japanese sentences run on after "。" without the space English puts after a full stop.
    func testJapaneseSentencesHaveNoSpaceAfterTheFullStop() {
        var model = SampleReportModel.make(locale: .ja)
        model.cox.model?.converged = false
        model.cox.model?.message = "no events: the partial likelihood is flat"
        for (name, text) in [
            ("report.md", MarkdownReport.render(model)), ("report.html", HTMLReport.render(model)),
            ("summary.md", SummaryMarkdown.render(model, fullReport: ["reports/report.html"])),
        ] {
            // (A Markdown table's cell ends "。 |": that space is the table's.)
            let joined = text.components(separatedBy: "。 ").dropFirst().filter { !$0.hasPrefix("|") }
            XCTAssertTrue(joined.isEmpty, "\(name): 。 \(joined.first?.prefix(60) ?? "")")
        }
        XCTAssertEqual(Localizer(locale: .en).sentences("A.", "", "B."), "A. B.")
        XCTAssertEqual(Localizer(locale: .ja).sentences("あ。", "", "い。"), "あ。い。")
    }

    func testThresholdsPrintInTheMetricsUnit() {
        let f = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        let t = Localizer(locale: .en)
        XCTAssertEqual(
            t.thresholdText(
                CheckResult(
                    metric: "nrr_trailing_12m", threshold: "min 0.9", actual: 1.1, kind: .percent, passed: true,
                    min: 0.9), f), "≥ 90.0%")
        XCTAssertEqual(
            t.thresholdText(
                CheckResult(
                    metric: "ltv_churn_minor", threshold: "", actual: 1, kind: .money, passed: true, min: 5_000,
                    max: 90_000), f), "≥ ¥5,000 and ≤ ¥90,000")
        // A bound with more decimals than the unit's usual shows them all: an actual value of
        // 117.068% is never seen beside "≥ 117.1%" with a pass.
        for (bound, kind, shown) in [
            (1.17066, ValueKind.percent, "117.066%"), (0.01816, .percent, "1.816%"), (0.1974, .percent, "19.74%"),
            (0.9, .percent, "90.0%"), (0.1234567891, .percent, "12.3456789%"), (2.5, .number, "2.50"),
            (2.125, .number, "2.125"), (3, .number, "3"),
        ] {
            XCTAssertEqual(
                t.thresholdText(
                    CheckResult(metric: "m", threshold: "", actual: nil, kind: kind, passed: false, min: bound), f),
                "≥ " + shown)
        }
    }

    func testCheckThresholdOutsideTheMetricsRangeIsAConfigError() throws {
        func config(_ check: String) throws -> PipelineConfig {
            try PipelineConfig(
                value: JSONParser.parse(
                    #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "report": {"checks": [\#(check)]}}"#
                ), file: "/tmp/x/pipeline.json")
        }
        XCTAssertThrowsError(try config(#"{"metric": "nrr_trailing_12m", "min": 100}"#)) { e in
            guard let e = e as? ConfigError else { return XCTFail("\(e)") }
            XCTAssertEqual(e.exitCode, 2)
            XCTAssertEqual(e.keyPath, "report.checks[0].min")
            XCTAssertTrue(
                e.description.contains("is a ratio") && e.description.contains("did you mean 1.0?")
                    && e.description.contains("1.0 for 100%"), e.description)
        }
        XCTAssertThrowsError(try config(#"{"metric": "logo_churn_annual", "max": 10}"#))
        XCTAssertThrowsError(try config(#"{"metric": "ltv_churn_minor", "min": -1}"#))
        XCTAssertNoThrow(try config(#"{"metric": "nrr_trailing_12m", "min": 1.2}"#))
        XCTAssertNoThrow(try config(#"{"metric": "logo_churn_annual", "max": 0.1}"#))
        XCTAssertNoThrow(try config(#"{"metric": "ltv_churn_minor", "min": 5000000}"#))
    }

    func testJapaneseReportGetsAJapaneseDefaultTitle() throws {
        let c = try PipelineConfig(
            value: JSONParser.parse(
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "report": {"locale": "ja"}}"#
            ), file: "/tmp/x/pipeline.json")
        XCTAssertEqual(c.title, "継続率レポート")
    }

    func testLabelsRenameDimensionsAndValues() {
        var model = SampleReportModel.make(locale: .en)
        model.labels = ["acquisition_channel": "Channel", "organic": "Organic search"]
        let md = MarkdownReport.render(model)
        XCTAssertTrue(md.contains("#### Channel"), md)
        XCTAssertTrue(md.contains("| Organic search |"))
        let t = Localizer(locale: .ja)
        XCTAssertEqual(t.dimensionName("acquisition_channel"), "獲得チャネル")
        XCTAssertEqual(t.valueName("high_touch"), "ハイタッチ")
        XCTAssertEqual(t.dimensionName("customer_segment"), "customer segment")
    }

    /// A built-in name serves only what it names: a dimension's name is not a value's, nor a metric's.
    func testBuiltInNamesKeepToTheirKind() {
        let t = Localizer(locale: .ja, labels: ["plan": "料金プラン"])
        XCTAssertEqual(t.dimensionName("plan"), "料金プラン", "report.labels first")
        XCTAssertEqual(t.dimensionName("region"), "地域")
        XCTAssertEqual(t.dimensionName("high_touch"), "high touch", "a value's id as a dimension")
        XCTAssertEqual(t.valueName("region"), "region", "a dimension's id as a value")
        XCTAssertEqual(t.valueName("nrr_trailing_12m"), "nrr_trailing_12m")
        XCTAssertEqual(t.valueName("not_activated"), "未アクティベート")
        XCTAssertNil(t.metricNames("activation"))
        XCTAssertEqual(t.metricName("activation_rate"), "アクティベーション率")
        XCTAssertEqual(t.metricName("drift_alerts"), "異常検知アラート")
        XCTAssertEqual(t.metricName("no_such_metric"), "no_such_metric")
    }

    // MARK: summary.md

    func testSummaryMarkdownStaysSmallWithThousandsOfChannelsAndHugeLabels() {
        var model = SampleReportModel.make(locale: .en)
        let long = String(repeating: ".", count: 100_000)
        model.title = long
        let rows = (0..<30).map { c in
            TriangleRow(
                cohort: String(format: "2022-%02d", c % 12 + 1), customers: 10, logo: Array(repeating: 0.9, count: 25),
                revenue: Array(repeating: 1.1, count: 25))
        }
        model.triangles =
            [RetentionTriangle(channel: "(all)", rows: rows)]
            + (0..<3_000).map { RetentionTriangle(channel: "ch\($0)" + long, rows: rows) }
        model.attribution.segments = (0..<3_000).map {
            AttributionSegment(
                dimension: "acquisition_channel", value: "ch\($0)" + long, customers: 1, churned: 1, earlyChurn: nil,
                earlyLower: nil, earlyUpper: nil,
                yearChurn: nil, yearLower: nil, yearUpper: nil, churnedMRR12m: 0, churnedMRRShare: nil,
                relativeRisk: 1 + Double($0))
        }
        model.checks = Array(repeating: model.checks[0], count: 500)
        let md = SummaryMarkdown.render(model, fullReport: ["reports/report.md", "reports/report.html"])
        XCTAssertLessThan(md.count, 10_000, "summary.md is \(md.count) characters")
        XCTAssertTrue(md.contains("… and 480 more checks in the full report."))
        XCTAssertTrue(md.contains("Full report: `reports/report.md` and `reports/report.html`"))
    }

    func testSummaryMarkdownHasNoHTMLOnlyReferences() {
        for locale in ReportLocale.allCases {
            let md = SummaryMarkdown.render(SampleReportModel.make(locale: locale), fullReport: ["reports/report.html"])
            XCTAssertFalse(md.lowercased().contains("hatch"), md)
            XCTAssertFalse(md.contains("斜線"), md)
            XCTAssertFalse(md.contains("<script>"), md)
            let full = MarkdownReport.render(SampleReportModel.make(locale: locale))
            XCTAssertFalse(full.lowercased().contains("hatched"))
            XCTAssertFalse(full.contains("斜線"))
        }
    }

    func testLatestCohortsSkipCohortsWithNoCompleteMonth() {
        let md = SummaryMarkdown.render(SampleReportModel.make(locale: .en), fullReport: [])
        // 2024-09, 2024-10 and 2024-11 have M1; the weighted row closes the table.
        XCTAssertTrue(md.contains("| 2024-11 | 4 | 50.0% |"), md)
        XCTAssertTrue(md.contains("| Weighted (complete cells) | 22 |"), md)
    }

    // MARK: Retention curves

    func testCurvesStopAtAbsentCellsAndPutTheWeightedLineOnTop() {
        let triangle = SampleReportModel.make(locale: .en).triangles[0]
        let lines = RetentionCurvesChart.byCohort(
            triangle, revenue: false, recent: 1, weightedLabel: "weighted", cohortLabel: { $0 })
        XCTAssertEqual(lines.map(\.emphasis), [.faint, .faint, .normal, .bold])
        XCTAssertEqual(lines[2].legend, "2024-11 (n = 4)")
        let chart = RetentionCurvesChart(
            text: ChartText(id: "c", title: "t", desc: "d"), lines: lines,
            axes: LineChartAxes(x: "x", y: "y", percent: { "\(Int(($0 * 100).rounded()))%" }), faintLegend: "older")
        let svg = chart.render()
        // 2024-10 has three observed months: one path of three points, nothing drawn at M3.
        XCTAssertEqual(svg.components(separatedBy: "<path").count - 1, 4)
        // The weighted (bold, black) path is drawn last.
        let lastPath = svg.components(separatedBy: "<path").last ?? ""
        XCTAssertTrue(lastPath.contains("stroke=\"#1a1a1a\"") && lastPath.contains("stroke-width=\"3.2\""), lastPath)
    }

    func testCurveYRangeFollowsTheData() {
        XCTAssertEqual(RetentionCurvesChart.yRange([0.63, 1.0]).lo, 0.6)
        XCTAssertEqual(RetentionCurvesChart.yRange([0.63, 1.0]).hi, 1.0)
        XCTAssertEqual(RetentionCurvesChart.yRange([0.95, 1.42]).hi, 1.5, accuracy: 1e-12)
        XCTAssertEqual(RetentionCurvesChart.yRange([]).lo, 0)
    }

    /// Where nobody churned every value is 100%: the range was 100% to 110%, every line on the x
    /// axis. Data is above the floor (unless it is 0), and 100% is the top, as in any retention chart.
    func testFlatCurvesStayAboveTheAxis() {
        for values in [[1.0, 1.0, 1.0], [1.0], [0.6, 0.8, 1.0], [1.0, 1.04], [0.5, 0.5]] {
            let (lo, hi) = RetentionCurvesChart.yRange(values)
            XCTAssertLessThan(lo, values.min() ?? 0, "\(values)")
            XCTAssertGreaterThanOrEqual(hi, values.max() ?? 0, "\(values)")
        }
        XCTAssertEqual(RetentionCurvesChart.yRange([1, 1]).lo, 0.9, accuracy: 1e-12)
        XCTAssertEqual(RetentionCurvesChart.yRange([1, 1]).hi, 1)
        XCTAssertEqual(RetentionCurvesChart.yRange([0, 1]).lo, 0)
        let chart = RetentionCurvesChart(
            text: ChartText(id: "c", title: "t", desc: "d"),
            lines: [.init(label: "web", values: [1, 1, 1], emphasis: .normal, legend: "web (n = 3)")],
            axes: LineChartAxes(x: "x", y: "y", percent: { "\(Int(($0 * 100).rounded()))%" }), faintLegend: nil)
        let svg = chart.render()
        // The line runs along the top of the plot (y = 14), the x axis is at its bottom (y = 274).
        XCTAssertTrue(svg.contains("<path d=\"M56 14 L336 14 L616 14\""), svg)
        XCTAssertTrue(svg.contains(">90%</text>") && svg.contains(">100%</text>"), svg)
        XCTAssertFalse(svg.contains(">110%</text>"), svg)
    }

    func testNarrowRenderingFitsAPhone() {
        let model = SampleReportModel.make(locale: .en)
        let lines = RetentionCurvesChart.byChannel(
            model.triangles, revenue: true, allLabel: "All", channelLabel: { $0 })
        let chart = RetentionCurvesChart(
            text: ChartText(id: "c", title: "t", desc: "d"), lines: lines,
            axes: LineChartAxes(x: "x", y: "y", percent: { "\($0)" }), faintLegend: nil)
        let (wide, narrow) = chart.renderings()
        XCTAssertTrue(wide.contains("width=\"632\""), String(wide.prefix(300)))
        XCTAssertTrue(narrow.contains("width=\"380\""), String(narrow.prefix(300)))
        XCTAssertTrue(narrow.contains("id=\"cn-title\""))
    }

    func testCurvesGolden() throws {
        let model = SampleReportModel.make(locale: .en)
        let lines = RetentionCurvesChart.byCohort(
            model.triangles[0], revenue: false, recent: 2, weightedLabel: "weighted average", cohortLabel: { $0 })
        let chart = RetentionCurvesChart(
            text: ChartText(id: "curves", title: "Logo retention by signup month", desc: "Lines by cohort"),
            lines: lines,
            axes: LineChartAxes(
                x: "Months since signup", y: "Logo retention",
                percent: { ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0).percent($0, digits: 0) }),
            faintLegend: "older cohorts")
        try ReportGoldenTests.assertGolden(chart.render(), "curves.svg")
    }

    func testSummaryGoldenEnglish() throws {
        try ReportGoldenTests.assertGolden(
            SummaryMarkdown.render(
                SampleReportModel.make(locale: .en), fullReport: ["reports/report.md", "reports/report.html"]),
            "summary.en.md")
    }

    /// With no signup month observed past its first month, the latest-cohorts section says so.
    func testNoCompleteCohortIsSaid() {
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.triangles = []
            let md = SummaryMarkdown.render(model, fullReport: [])
            let said =
                locale == .en
                ? "No first subscription month has a complete month after it yet, as of the as-of date."
                : "基準日時点で、翌月まで観測できたコホートはまだありません。"
            XCTAssertTrue(md.contains(Escaping.markdown(said)), "\(locale): \(md)")
        }
    }

    func testSummaryGoldenJapanese() throws {
        try ReportGoldenTests.assertGolden(
            SummaryMarkdown.render(
                SampleReportModel.make(locale: .ja), fullReport: ["reports/report.md", "reports/report.html"]),
            "summary.ja.md")
    }

    // MARK: Spreadsheet exports and heatmap scale

    func testSpreadsheetExportsDefuseFormulasButKeepNumbers() {
        let model = SampleReportModel.make(locale: .en)
        var hostile = model
        hostile.triangles[1].channel = "=HYPERLINK(\"http://x\")"
        let csv = SpreadsheetExport.triangles(hostile)
        XCTAssertTrue(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), csv)
        XCTAssertTrue(csv.contains("logo_retention,(all),2024-10,8,2,0.625\r\n"))
        // Absent cells have no row: 2024-11 has two observed logo cells per channel.
        XCTAssertEqual(csv.components(separatedBy: "logo_retention,(all),2024-11,").count - 1, 2)
        let kpis = SpreadsheetExport.kpis(model)
        XCTAssertTrue(kpis.hasPrefix("\u{FEFF}metric,value,unit,band\r\n"))
        XCTAssertTrue(kpis.contains("nrr_trailing_12m,1.042,ratio,ok\r\n"))
        XCTAssertTrue(kpis.contains("upsell_rate,,ratio,none\r\n"))
        XCTAssertEqual(SpreadsheetExport.number(-0.5), "-0.5")
        // A headline value just under a bar is not rounded onto it: it reads as summary.json has it.
        var near = model
        near.kpis = [
            HeadlineKPI(id: "nrr_trailing_12m", value: 0.9999996, kind: .percent, band: .bad, definitionKey: "nrr"),
            HeadlineKPI(id: "arpa_minor", value: 12_345, kind: .money, definitionKey: "arpa"),
        ]
        let nearCSV = SpreadsheetExport.kpis(near)
        XCTAssertTrue(nearCSV.contains("nrr_trailing_12m,0.9999996,ratio,bad\r\n"), nearCSV)
        XCTAssertTrue(nearCSV.contains("arpa_minor,12345,"), nearCSV)
    }

    func testHeatmapScaleStartsAtTheDataFloor() {
        XCTAssertEqual(Heatmap.floor(of: [0.634, 1.0]), 0.6, accuracy: 1e-12)
        XCTAssertEqual(Heatmap.floor(of: [0.97, 1.0]), 0.9, accuracy: 1e-12)
        XCTAssertEqual(Heatmap.floor(of: []), 0)
        let map = Heatmap(
            text: ChartText(id: "h", title: "t", desc: "d"), columnHeaders: ["M0", "M1"], columnAxisLabel: "x",
            rows: [.init(label: "2024-01", values: [1.0, 0.6], emphasized: false, customers: "12")],
            domainMax: 1, domainMin: 0.6, format: { "\(Int(($0 * 100).rounded()))%" }, legendTitle: "scale",
            incompleteLegend: "absent")
        let svg = map.render()
        XCTAssertTrue(svg.contains("<title>2024-01 · M1: 60%</title>"), svg)
        XCTAssertTrue(svg.contains(">12</text>"))
        // 60% sits at the dark end of the scale, 100% at the light end.
        XCTAssertTrue(svg.contains("fill=\"\(Palette.sequential(0))\""))
        XCTAssertTrue(svg.contains("fill=\"\(Palette.sequential(1))\""))
    }

    /// A heatmap is drawn as two SVGs, row labels and cells, of one height (so rows line up) and
    /// flex weights equal to their widths (so they scale as one on a wide screen); the labels
    /// are hidden from assistive technology and kept in view on a phone.
    /// A report holds dozens of heatmaps of hundreds of cells: a cell writes its hover title, its
    /// rectangle and its value, and nothing its group already says (text size, anchor, black ink).
    /// White ink on dark cells and bold in the pooled row are still written where they apply.
    func testHeatmapCellsWriteOnlyWhatDiffersFromTheirGroup() throws {
        let months = (0..<25).map { "M\($0)" }
        let rows = (0..<24).map { r in
            Heatmap.Row(
                label: String(format: "2023-%02d", r % 12 + 1), values: months.indices.map { 1 - Double($0 + r) / 60 },
                emphasized: r == 23)
        }
        let map = Heatmap(
            text: ChartText(id: "h", title: "t", desc: "d"), columnHeaders: months, columnAxisLabel: "x", rows: rows,
            domainMax: 1, domainMin: 0.2, format: { "\(Int(($0 * 100).rounded()))%" }, legendTitle: "scale",
            incompleteLegend: "absent")
        let svg = map.renderCells(map.layout).render()
        XCTAssertEqual(
            svg.components(separatedBy: "<g font-size=\"11\" text-anchor=\"middle\" fill=\"#000000\">").count, 2)
        let cells = svg.split(separator: "\n").filter { $0.hasPrefix("<g><title>") }
        XCTAssertEqual(cells.count, 25 * 24)
        XCTAssertTrue(
            cells.contains {
                $0.contains("<title>2023-01 · M0: 100%</title>") && $0.contains("<text x=\"23\" y=\"61\">100%</text>")
            })
        for cell in cells {
            XCTAssertFalse(
                cell.contains("font-size") || cell.contains("text-anchor") || cell.contains("\"#000000\""), String(cell)
            )
        }
        // Dark cells (the scale's low end) write white ink; the pooled row is bold.
        XCTAssertTrue(cells.contains { $0.contains("fill=\"#ffffff\">") })
        XCTAssertEqual(cells.filter { $0.contains("font-weight=\"bold\"") }.count, 25)
        // About 140 bytes a cell here (hover title included); written in full it was about 190.
        XCTAssertLessThan(cells.map(\.utf8.count).reduce(0, +) / cells.count, 150)
    }

    /// A table of numbers (a triangle: thousands of cells) aligns its cells as numbers with one
    /// class on the table; a table mixing text and numbers marks its number cells one by one.
    func testATableOfNumbersIsAlignedByOneClass() throws {
        let html = HTMLReport.render(SampleReportModel.make(locale: .en))
        // The logo-retention triangle's data table: row headers, then numbers only.
        let triangle = try XCTUnwrap(
            html.firstMatch(
                of: #/<table class="nums"><thead><tr><th scope="col">First subscription month</th>.*?</table>/#
                    .dotMatchesNewlines()
            ))
        XCTAssertTrue(triangle.output.contains("<td>100.0%</td>"), String(triangle.output.prefix(2000)))
        XCTAssertFalse(triangle.output.contains("<td class="))
        // A table mixing text and numbers (the Cox terms) marks its number cells one by one.
        XCTAssertTrue(html.contains("<td class=\"num\">"))
        XCTAssertTrue(Stylesheet.css.contains(".num, .nums td { text-align: right;"))
    }

    func testHeatmapLabelsAreASeparateStickyPart() throws {
        let map = Heatmap(
            text: ChartText(id: "h", title: "t", desc: "d"), columnHeaders: ["M0", "M1"], columnAxisLabel: "x",
            rows: [
                .init(label: "2024-01", values: [1.0, 0.6], emphasized: false, customers: "12"),
                .init(label: "Weighted (complete cells)", values: [1.0, 0.6], emphasized: true, customers: "12"),
            ],
            domainMax: 1, domainMin: 0.6, format: { "\(Int(($0 * 100).rounded()))%" }, legendTitle: "scale",
            incompleteLegend: "absent")
        let html = map.render()
        let labels = map.renderLabels(map.layout)
        let cells = map.renderCells(map.layout)
        // Each row's label sits on the baseline of its cells' text, in both parts.
        XCTAssertEqual(labels.height, cells.height)
        let labelY = try XCTUnwrap(labels.render().firstMatch(of: #/y="([0-9.]+)"[^>]*>2024-01</#)?.1)
        XCTAssertNotNil(
            cells.render().firstMatch(of: try Regex("<text x=\"23\" y=\"\(labelY)\"[ >]")), "row 1 at y \(labelY)")
        XCTAssertEqual(
            labels.render().firstMatch(of: #/y="([0-9.]+)"[^>]*>Weighted</#)?.1.description,
            SVGBuilder.num(map.layout.rowTops[1] + 11.5))
        XCTAssertTrue(
            html.hasPrefix(
                "<div class=\"heatmap\" style=\"--heatmap-width: \(SVGBuilder.num(labels.width + cells.width))px\">"
                    + "<div class=\"heatmap-labels\" style=\"--heatmap-grow: \(SVGBuilder.num(labels.width)); "
                    + "--heatmap-natural: \(SVGBuilder.num(labels.width))px\">"), html)
        XCTAssertTrue(
            html.contains(
                "<div class=\"heatmap-cells\" style=\"--heatmap-grow: \(SVGBuilder.num(cells.width)); "
                    + "--heatmap-natural: \(SVGBuilder.num(cells.width))px\">"))
        let labelSVG = labels.render()
        XCTAssertTrue(labelSVG.contains("aria-hidden=\"true\""))
        XCTAssertFalse(labelSVG.contains("role=\"img\"") || labelSVG.contains("<title"))
        XCTAssertTrue(labelSVG.contains(">2024-01</text>"))
        XCTAssertFalse(labelSVG.contains("<rect"), "no cells among the labels")
        // The pooled label goes on two lines instead of widening the label column.
        XCTAssertTrue(labelSVG.contains(">Weighted</text>") && labelSVG.contains(">(complete cells)</text>"), labelSVG)
        XCTAssertLessThan(map.layout.nameW, SVGBuilder.textWidth("Weighted (complete cells)", size: 12))
        let cellSVG = cells.render()
        XCTAssertTrue(cellSVG.contains("role=\"img\"") && cellSVG.contains("<title id=\"h-title\">t</title>"))
        XCTAssertFalse(cellSVG.contains(">2024-01</text>"), "labels only in the sticky part")
        XCTAssertEqual(Heatmap.lines("短い", fitting: 100), ["短い"])
        XCTAssertEqual(Heatmap.lines("加重平均（確定セルのみ）", fitting: 60), ["加重平均", "（確定セルのみ）"])
        XCTAssertEqual(Heatmap.lines("Weightedcompletecells", fitting: 20), ["Weightedcompletecells"])
        // On a phone the labels stay in view while the cells scroll.
        let phone = try XCTUnwrap(Stylesheet.css.range(of: "@media (max-width: 600px)"))
        let rules = Stylesheet.css[phone.upperBound...]
        XCTAssertTrue(rules.contains(".heatmap-labels { position: sticky; left: 0;"))
        // The W3C validator's CSS checker (CI) fails on calc() over a custom property.
        XCTAssertFalse(Stylesheet.css.contains("calc(var("))
    }
}
