import XCTest

@testable import CohortKit

final class ReportPoolingTests: XCTestCase {
    func model() -> ReportModel {
        var m = ReportModel(title: "t", asOf: "2024-06-30", reportCurrency: "JPY", currencyMinorUnits: 0)
        let names = ["(all)", "a", "b", "c", "d", "(other)"]
        let customers = [40, 20, 10, 6, 4, 10]
        m.survival = zip(names, customers).map {
            SurvivalCurve(channel: $0, points: [], medianDays: nil, customers: $1, churned: 0)
        }
        m.triangles = names.map { RetentionTriangle(channel: $0, rows: []) }
        m.reasons.rows = [
            ReasonRow(category: "price", reason: "too_expensive", channel: "a", customers: 2, churnedMRR: 100),
            ReasonRow(category: "price", reason: "too_expensive", channel: "c", customers: 1, churnedMRR: 10),
            ReasonRow(category: "price", reason: "too_expensive", channel: "d", customers: 3, churnedMRR: 30),
            ReasonRow(category: "gap", reason: "missing", channel: "z", customers: 1, churnedMRR: 5),
        ]
        m.activation = [
            ActivationRow(cohort: "2024-01", channel: "(all)", customers: 10, activated: 5, rate: 0.5),
            ActivationRow(cohort: "2024-01", channel: "a", customers: 4, activated: 2, rate: 0.5),
            ActivationRow(cohort: "2024-01", channel: "c", customers: 4, activated: 1, rate: 0.25),
            ActivationRow(cohort: "2024-01", channel: "d", customers: 2, activated: 2, rate: 1),
            ActivationRow(cohort: "2024-02", channel: "b", customers: 3, activated: 3, rate: 1),
        ]
        return m
    }

    func testTopChannelsKeepTheirRowsAndCountsOfTheRestAreSummed() {
        var m = model()
        m.poolChannels(max: 2)
        XCTAssertEqual(m.pooledChannels, 2)
        XCTAssertEqual(m.survival.map(\.channel), ["(all)", "a", "b", "(other)"])
        XCTAssertEqual(m.triangles.map(\.channel), ["(all)", "a", "b", "(other)"])
        XCTAssertEqual(
            m.reasons.rows,
            [
                ReasonRow(category: "price", reason: "too_expensive", channel: "a", customers: 2, churnedMRR: 100),
                ReasonRow(category: "gap", reason: "missing", channel: "(other)", customers: 1, churnedMRR: 5),
                ReasonRow(category: "price", reason: "too_expensive", channel: "(other)", customers: 4, churnedMRR: 40),
            ])
        XCTAssertEqual(
            m.activation,
            [
                ActivationRow(cohort: "2024-01", channel: "(all)", customers: 10, activated: 5, rate: 0.5),
                ActivationRow(cohort: "2024-01", channel: "a", customers: 4, activated: 2, rate: 0.5),
                ActivationRow(cohort: "2024-01", channel: "(other)", customers: 6, activated: 3, rate: 0.5),
                ActivationRow(cohort: "2024-02", channel: "b", customers: 3, activated: 3, rate: 1),
            ])
    }

    func testOtherRowsOfAnotherPoolingAreLeftOut() {
        // cohort pooled c and d (10 customers); with 3 channels shown only d (4) is pooled here.
        var m = model()
        m.poolChannels(max: 3)
        XCTAssertEqual(m.pooledChannels, 1)
        XCTAssertEqual(m.survival.map(\.channel), ["(all)", "a", "b", "c"])
        XCTAssertEqual(m.triangles.map(\.channel), ["(all)", "a", "b", "c"])
    }

    func testNothingChangesWhileTheChannelsFit() {
        var m = model()
        let before = m
        m.poolChannels(max: 4)
        XCTAssertEqual(m.pooledChannels, 0)
        XCTAssertEqual(
            m.survival, before.survival.filter { $0.channel != "(other)" }, "no (other) curve when nothing is pooled")
        XCTAssertEqual(m.reasons, before.reasons)
        XCTAssertEqual(m.activation, before.activation)
    }

    func testSegmentsKeepTheLargestValuesAndThePooledRow() {
        var m = model()
        func seg(_ v: String, _ n: Int, pooled: Bool = false) -> AttributionSegment {
            AttributionSegment(
                dimension: "plan", value: v, customers: n, churned: 0, earlyChurn: nil, earlyLower: nil,
                earlyUpper: nil,
                yearChurn: nil, yearLower: nil, yearUpper: nil, churnedMRR12m: 0, churnedMRRShare: nil,
                relativeRisk: nil, pooled: pooled)
        }
        m.attribution.segments = [
            seg("p1", 3), seg("p2", 9), seg("p3", 5), seg("p4", 5), seg("(other)", 2, pooled: true),
        ]
        m.impact.rows = ["p1", "p2", "p3", "p4", "(other)"].map {
            ImpactRow(dimension: "plan", value: $0, monthlyChurn: nil, overallMonthlyChurn: nil, mrrKeptPerYear: 0)
        }
        m.cox.terms = ["p1", "p2", "p3"].map {
            CoxTermRow(
                dimension: "plan", level: $0, reference: "p4", hazardRatio: 1, lower: nil, upper: nil, p: nil)
        }
        m.poolChannels(max: 2)
        XCTAssertEqual(m.attribution.segments.map(\.value), ["p2", "p3", "(other)"])
        XCTAssertEqual(m.impact.rows.map(\.value), ["p2", "p3", "(other)"])
        XCTAssertEqual(m.attribution.omittedValues, ["plan": 2])
        // The Cox terms and impact rows left out are counted, and the pages say where they are.
        XCTAssertEqual(m.cox.terms.map(\.level), ["p2", "p3"])
        XCTAssertEqual(m.cox.hiddenTerms, 1)
        XCTAssertEqual(m.impact.hiddenRows, 2)
        for text in [MarkdownReport.render(m), HTMLReport.render(m)] {
            XCTAssertTrue(text.contains("1 more row is in cox.jsonl."))
            XCTAssertTrue(text.contains("2 more rows are in impact.jsonl."))
        }
    }

    /// Five signup months in two channels, with activation and phase rows.
    func longHistory() -> ReportModel {
        var m = ReportModel(title: "t", asOf: "2024-06-30", reportCurrency: "JPY", currencyMinorUnits: 0)
        let months = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
        func rows(_ n: Int) -> [TriangleRow] {
            months.map { TriangleRow(cohort: $0, customers: n, logo: [1], revenue: [1]) }
                + [TriangleRow(cohort: TriangleRow.weightedCohort, customers: 5 * n, logo: [1], revenue: [1])]
        }
        m.triangles = [
            RetentionTriangle(channel: "(all)", rows: rows(3)), RetentionTriangle(channel: "a", rows: rows(2)),
        ]
        m.activation = months.map {
            ActivationRow(cohort: $0, channel: "(all)", customers: 3, activated: 1, rate: 1 / 3)
        }
        m.phases = [PhaseRow(cohort: "(all)", customers: 15)] + months.map { PhaseRow(cohort: $0, customers: 3) }
        return m
    }

    func testThePagesShowTheLatestSignupMonthsAndKeepTheWeightedRowAndTotals() {
        let m = longHistory()
        let shown = m.limitingMonths(to: 2)
        XCTAssertEqual(shown.hiddenCohorts, 3)
        XCTAssertEqual(shown.firstShownCohort, "2024-04")
        XCTAssertEqual(shown.maxMonths, 2)
        for t in shown.triangles {
            XCTAssertEqual(t.rows.map(\.cohort), ["2024-04", "2024-05", TriangleRow.weightedCohort], t.channel)
        }
        // A channel's customers still count every cohort (the curves' legends and tables).
        XCTAssertEqual(shown.triangles.map(\.customers), [15, 10])
        XCTAssertEqual(shown.triangles.map(\.customers), m.triangles.map(\.customers))
        XCTAssertEqual(shown.activation.map(\.cohort), ["2024-04", "2024-05"])
        XCTAssertEqual(shown.phases.map(\.cohort), ["(all)", "2024-04", "2024-05"])
        // Everything else is the model's own.
        var same = shown
        same.triangles = m.triangles
        same.activation = m.activation
        same.phases = m.phases
        same.hiddenCohorts = 0
        same.firstShownCohort = ""
        same.maxMonths = m.maxMonths
        XCTAssertEqual(same, m)
    }

    func testAHistoryWithinTheLimitIsShownWhole() {
        let m = longHistory()
        XCTAssertEqual(m.limitingMonths(to: 5), m)
        XCTAssertEqual(m.limitingMonths(to: 36), m)
        XCTAssertEqual(m.limitingMonths(to: 4).triangles[0].rows.count, 5, "4 months and the weighted row")
    }

    func testThePagesSayWhereTheEarlierSignupMonthsAre() {
        let shown = longHistory().limitingMonths(to: 2)
        let md = MarkdownReport.render(shown)
        let html = HTMLReport.render(shown)
        for text in [md, html] {
            XCTAssertTrue(
                text.contains(
                    "The 2 latest first subscription months are shown, from 2024-04; the 3 before them are in triangles.csv, triangle.jsonl. The weighted row pools the complete cells of every first subscription month."
                ))
            XCTAssertTrue(text.contains("the 3 before them are in activation.jsonl."))
            XCTAssertTrue(text.contains("the 3 before them are in phases.jsonl."))
            XCTAssertFalse(text.contains("2024-01"), "no row of an earlier cohort")
        }
        let whole = MarkdownReport.render(longHistory())
        XCTAssertFalse(whole.contains("latest first subscription months are shown"))
        XCTAssertTrue(whole.contains("2024-01"))
    }

    func testTheMovementsShowTheLatestCalendarMonths() {
        var m = longHistory()
        m.movements = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"].map {
            MovementRow(month: $0, start: 0, new: 1, expansion: 0, contraction: 0, churn: 0, reactivation: 0, end: 1)
        }
        let shown = m.limitingMonths(to: 2)
        XCTAssertEqual(shown.movements.map(\.month), ["2024-04", "2024-05"])
        XCTAssertEqual(shown.hiddenMovementMonths, 3)
        let said = "The 2 latest months are shown, from 2024-04; the 3 before them are in movements.jsonl."
        XCTAssertTrue(MarkdownReport.render(shown).contains(said))
        XCTAssertTrue(HTMLReport.render(shown).contains(said))
        XCTAssertFalse(MarkdownReport.render(m.limitingMonths(to: 5)).contains("movements.jsonl."))
        XCTAssertEqual(m.limitingMonths(to: 5).movements, m.movements)
    }

    func testOffsetColumnsStepByAYearAfterThreeYears() {
        XCTAssertEqual(ShownOffsets.upTo(-1), [])
        XCTAssertEqual(ShownOffsets.upTo(0), [0])
        XCTAssertEqual(ShownOffsets.upTo(24), Array(0...24))
        XCTAssertEqual(ShownOffsets.upTo(37), Array(0...37))
        XCTAssertFalse(ShownOffsets.leavesOutMonths(37))
        XCTAssertTrue(ShownOffsets.leavesOutMonths(38))
        XCTAssertEqual(ShownOffsets.upTo(38), Array(0...36) + [38])
        XCTAssertEqual(ShownOffsets.upTo(100), Array(0...36) + [48, 60, 72, 84, 96, 100])
        XCTAssertEqual(ShownOffsets.upTo(240), Array(0...36) + Array(stride(from: 48, through: 240, by: 12)))
        XCTAssertEqual(ShownOffsets.upTo(240).count, 54)
    }

    /// Twenty years of offsets: the triangles' columns are monthly to 36, then yearly, and the
    /// values shown are those of the offsets named in the headers.
    func testALongTriangleShowsYearlyColumnsAfterThreeYears() {
        var m = emptyModel()
        // Offset k keeps 1 - k/1000: 96.4% at 36, 96.3% at 37, 95.2% at 48, 76.1% at 239, 76.0% at 240.
        let values: [Double?] = (0...240).map { 1 - Double($0) / 1000 }
        m.triangles = [
            RetentionTriangle(
                channel: "(all)",
                rows: [
                    TriangleRow(cohort: "2005-01", customers: 10, logo: values, revenue: values, gross: values),
                    TriangleRow(
                        cohort: TriangleRow.weightedCohort, customers: 10, logo: values, revenue: values, gross: values),
                ])
        ]
        let html = HTMLReport.render(m)
        for text in pages(m) {
            XCTAssertTrue(
                text.contains(
                    "After month 36 the columns are every twelfth month and the last month; every month is in triangles.csv, triangle.jsonl."
                ))
            for shown in ["M36", "M48", "M240", "96.4%", "95.2%", "76.0%"] {
                XCTAssertTrue(text.contains(shown), shown)
            }
            for left in ["M37", "M47", "M239", "96.3%", "76.1%"] { XCTAssertFalse(text.contains(left), left) }
        }
        // The heatmaps have a cell per shown offset: 54 columns, not 241.
        XCTAssertEqual(
            html.components(separatedBy: ">M48<").count - 1, 3 * 2 + 4,
            "a header in each of the three heatmaps and their tables, and in the four curve tables")
        // Up to 37 months every column is shown, without the note.
        m.triangles[0].rows = m.triangles[0].rows.map { r in
            var r = r
            r.logo = Array(r.logo.prefix(38))
            r.revenue = Array(r.revenue.prefix(38))
            r.gross = Array(r.gross.prefix(38))
            return r
        }
        for text in pages(m) {
            XCTAssertFalse(text.contains("every twelfth month"))
            XCTAssertTrue(text.contains("M37"))
        }
    }

    /// Free-text reasons: per channel and category the pages list the `max_channels` reasons
    /// with the most customers (then churned MRR, then name) in their order and sum the rest
    /// into `(other)`; a group within the limit is left as it is.
    func testReasonsKeepTheLargestPerChannelAndCategoryAndSumTheRest() {
        var m = emptyModel()
        func row(_ channel: String, _ reason: String, _ customers: Int, _ mrr: Int64) -> ReasonRow {
            ReasonRow(category: "price", reason: reason, channel: channel, customers: customers, churnedMRR: mrr)
        }
        // r1..r5: 1..5 customers; r0 and rz tie r1 on customers, r0 wins on churned MRR, rz loses on name.
        m.reasons.rows =
            (1...5).map { row("(all)", "r\($0)", $0, 10) } + [row("(all)", "rz", 1, 10), row("(all)", "r0", 1, 99)]
            + [row("a", "x", 1, 1), row("a", "y", 2, 2)]
        m.reasons.categories = [ReasonCategoryRow(category: "price", customers: 17, churnedMRR: 162)]
        m.poolChannels(max: 3)
        XCTAssertEqual(m.reasons.rows.map(\.reason), ["r3", "r4", "r5", "(other)", "x", "y"])
        XCTAssertEqual(m.reasons.rows[3].channel, "(all)")
        XCTAssertEqual(m.reasons.rows[3].customers, 1 + 2 + 1 + 1)
        XCTAssertEqual(m.reasons.rows[3].churnedMRR, 10 + 10 + 10 + 99)
        XCTAssertEqual(m.reasons.hiddenRows, 4)
        for text in pages(m) {
            XCTAssertTrue(
                text.contains(
                    "Per channel and category, the 3 reasons with the most customers are listed and the others are summed as (other), 4 reasons in all; every reason is in reasons.jsonl."
                ))
            XCTAssertFalse(text.contains("r2"))
        }
        var tie = emptyModel()
        tie.reasons.rows = [
            row("(all)", "rz", 1, 10), row("(all)", "r0", 1, 99), row("(all)", "r1", 1, 10), row("(all)", "r2", 1, 10),
        ]
        tie.limitReasons(2)
        XCTAssertEqual(tie.reasons.rows.map(\.reason), ["r0", "r1", "(other)"], "churned MRR, then the name")
        // One row over the limit: kept by name, nothing summed.
        var oneOver = emptyModel()
        oneOver.reasons.rows = [row("(all)", "a", 3, 1), row("(all)", "b", 2, 1), row("(all)", "c", 1, 1)]
        oneOver.limitReasons(2)
        XCTAssertEqual(oneOver.reasons.rows.map(\.reason), ["a", "b", "c"])
        XCTAssertEqual(oneOver.reasons.hiddenRows, 0)
        // Sums stop at the largest value.
        var big = emptyModel()
        big.reasons.rows = [row("(all)", "a", 3, 1), row("(all)", "b", 2, .max), row("(all)", "c", 1, .max)]
        big.limitReasons(1)
        XCTAssertEqual(big.reasons.rows.last?.churnedMRR, .max)
        // Within the limit nothing changes and nothing is said.
        var small = emptyModel()
        small.reasons.rows = [row("(all)", "a", 3, 1), row("(all)", "b", 2, 1)]
        let before = small
        small.limitReasons(2)
        XCTAssertEqual(small, before)
        XCTAssertFalse(MarkdownReport.render(small).contains("summed as (other)"))
    }

    /// A model with nothing in it, as of 2024-12-31.
    private func emptyModel() -> ReportModel {
        ReportModel(title: "t", asOf: "2024-12-31", reportCurrency: "JPY", currencyMinorUnits: 0)
    }

    /// Both pages of `m`: Markdown, then HTML.
    private func pages(_ m: ReportModel) -> [String] { [MarkdownReport.render(m), HTMLReport.render(m)] }
}
