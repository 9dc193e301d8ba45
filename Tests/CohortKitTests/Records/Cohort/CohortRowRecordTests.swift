import XCTest

@testable import CohortKit

/// cohort's JSON Lines records: each written value reads back equal, and the keys written are the
/// documented ones, in the output's order (docs/metrics.md).
final class CohortRowRecordTests: XCTestCase {
    func testTriangleRoundTrip() throws {
        let rows = [
            TriangleRecord(
                cohort: "2024-01", channel: "web", offset: 1, month: Month(year: 2024, month: 2), customers: 2,
                active: 1, logoRetention: 0.5, mrrStartMinor: 150, mrrMinor: 150, revenueRetention: 1,
                grossRevenueRetention: 100.0 / 150),
            TriangleRecord(
                cohort: "(weighted)", channel: "(all)", offset: 0, month: nil, customers: 0, active: 0,
                logoRetention: nil, mrrStartMinor: 0, mrrMinor: 0, revenueRetention: nil, grossRevenueRetention: nil),
        ]
        let (keys, r) = try CohortRecordFile.write(rows, test: self)
        let expected = [
            "cohort", "channel", "offset", "month", "customers", "active", "logo_retention", "mrr_start_minor",
            "mrr_minor", "revenue_retention", "gross_revenue_retention",
        ]
        XCTAssertEqual(keys, [expected, expected])
        try CohortRecordFile.assertDocumented(expected)
        for row in rows {
            XCTAssertTrue(try r.next())
            XCTAssertEqual(try TriangleRecord(reading: r), row)
        }
        XCTAssertFalse(try r.next())
    }

    func testMovementRoundTrip() throws {
        var acc = MovementsAccumulator.Row()
        (acc.start, acc.new, acc.expansion, acc.contraction, acc.churn, acc.reactivation, acc.end) =
            (100, 20, 5, 3, 10, 7, 119)
        (acc.customersStart, acc.customersEnd, acc.newCustomers, acc.reactivatedCustomers, acc.churnedCustomers) =
            (4, 5, 1, 1, 1)
        let row = MovementRecord(month: Month(year: 2024, month: 3), channel: "(all)", acc)
        XCTAssertEqual(row.mrrEndMinor, 119)
        let (keys, r) = try CohortRecordFile.write([row], test: self)
        let expected = [
            "month", "channel", "mrr_start_minor", "new_minor", "expansion_minor", "contraction_minor", "churn_minor",
            "reactivation_minor", "mrr_end_minor", "customers_start", "customers_end", "new_customers",
            "reactivated_customers", "churned_customers",
        ]
        XCTAssertEqual(keys, [expected])
        try CohortRecordFile.assertDocumented(expected)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try MovementRecord(reading: r), row)
    }

    func testWindowRoundTrip() throws {
        var c = WindowsAccumulator.Cell()
        (c.base, c.retained, c.upsell, c.crossSell, c.baseMRR, c.endMRR, c.grr) = (4, 3, 1, 2, 400, 420, 300)
        let row = WindowRecord(kind: .quarter, month: Month(year: 2024, month: 6), channel: "web", c)
        XCTAssertEqual(row.from?.description, "2024-03-31")
        XCTAssertEqual(row.to?.description, "2024-06-30")
        XCTAssertEqual(row.logoChurnRate, 0.25)
        XCTAssertEqual(row.nrr, 1.05)
        let (keys, r) = try CohortRecordFile.write([row], test: self)
        let expected = [
            "kind", "month", "from", "to", "channel", "base_customers", "retained_customers", "logo_churn_rate",
            "base_mrr_minor", "end_mrr_minor", "nrr", "grr", "upsell_rate", "cross_sell_rate",
        ]
        XCTAssertEqual(keys, [expected])
        try CohortRecordFile.assertDocumented(expected)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try WindowRecord(reading: r), row)
    }

    func testSurvivalRoundTripOfBothRowKinds() throws {
        let rows: [SurvivalRecord] = [
            .mark(
                .init(
                    channel: "web", monthMark: 1, day: 30, atRisk: 10, events: 2, survival: 0.8, ciLower: 0.6,
                    ciUpper: nil)),
            .median(.init(channel: "web", medianDays: nil, customers: 10, churned: 2)),
            .median(.init(channel: "(all)", medianDays: 400, customers: 12, churned: 7)),
        ]
        let (keys, r) = try CohortRecordFile.write(rows, test: self)
        let mark = ["row", "channel", "month_mark", "day", "at_risk", "events", "survival", "ci_lower", "ci_upper"]
        let median = ["row", "channel", "median_days", "customers", "churned"]
        XCTAssertEqual(keys, [mark, median, median])
        try CohortRecordFile.assertDocumented(mark + median)
        for row in rows {
            XCTAssertTrue(try r.next())
            XCTAssertEqual(try SurvivalRecord(reading: r), row)
        }
    }

    func testProjectionDriftAndBacktestRoundTrip() throws {
        let p = ProjectionRecord(
            cohort: "2024-05", channel: "(all)", offset: 3, logoRetention: 0.9, logoLower: 0.85, logoUpper: 0.95,
            revenueRetention: nil, revenueLower: nil, revenueUpper: nil, method: "pooled")
        let (pk, pr) = try CohortRecordFile.write([p], test: self)
        let projection = [
            "cohort", "channel", "offset", "logo_retention", "logo_lower", "logo_upper", "revenue_retention",
            "revenue_lower", "revenue_upper", "method",
        ]
        XCTAssertEqual(pk, [projection])
        try CohortRecordFile.assertDocumented(projection)
        XCTAssertTrue(try pr.next())
        XCTAssertEqual(try ProjectionRecord(reading: pr), p)

        let d = DriftRecord(
            cohort: "2024-11", channel: "organic_search", offset: 1, logoRetention: 0.925, bandLower: 0.937,
            predecessorsRetention: 0.992, predecessors: 6)
        let (dk, dr) = try CohortRecordFile.write([d], test: self)
        let drift = [
            "cohort", "channel", "offset", "logo_retention", "band_lower", "predecessors_retention", "predecessors",
        ]
        XCTAssertEqual(dk, [drift])
        XCTAssertEqual(try RecordFiles.documentedKeys(metricsTableUnder: "Drift alerts"), drift)
        XCTAssertTrue(try dr.next())
        XCTAssertEqual(try DriftRecord(reading: dr), d)

        let b = BacktestRecord(
            horizonMonths: 0, cells: 21, logoMAEPoints: 1.25, logoCoverage: 0.9, revenueCells: 20,
            revenueMAEPoints: nil, revenueCoverage: nil)
        let (bk, br) = try CohortRecordFile.write([b], test: self)
        let backtest = [
            "horizon_months", "cells", "logo_mae_points", "logo_coverage", "revenue_cells", "revenue_mae_points",
            "revenue_coverage",
        ]
        XCTAssertEqual(bk, [backtest])
        try CohortRecordFile.assertDocumented(backtest)
        XCTAssertTrue(try br.next())
        XCTAssertEqual(try BacktestRecord(reading: br), b)
    }

    func testRowsMissingWhatPlacesThemReadAsNil() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(#"{"cohort": "2024-01", "offset": 0}"#.utf8 + [10]).write(to: path)
        let r = try JSONLReader(path: path.path)
        XCTAssertTrue(try r.next())
        XCTAssertNil(try TriangleRecord(reading: r), "no channel")
        XCTAssertNil(try ProjectionRecord(reading: r), "no channel")
        XCTAssertNil(try SurvivalRecord(reading: r), "no channel")
        XCTAssertEqual(try DriftRecord(reading: r).channel, "")
    }

    /// A row holding only a cell's coordinates reads with each reader's documented defaults:
    /// counts and money 0, ratios and months nil, text "".
    func testRowsWithOnlyTheirCoordinatesReadTheDocumentedDefaults() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bare-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(#"{"cohort": "2024-01", "channel": "web", "offset": 2}"#.utf8 + [10]).write(to: path)
        let r = try JSONLReader(path: path.path)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            try TriangleRecord(reading: r),
            TriangleRecord(
                cohort: "2024-01", channel: "web", offset: 2, month: nil, customers: 0, active: 0, logoRetention: nil,
                mrrStartMinor: 0, mrrMinor: 0, revenueRetention: nil, grossRevenueRetention: nil))
        XCTAssertEqual(
            try ProjectionRecord(reading: r),
            ProjectionRecord(
                cohort: "2024-01", channel: "web", offset: 2, logoRetention: nil, logoLower: nil, logoUpper: nil,
                revenueRetention: nil, revenueLower: nil, revenueUpper: nil, method: ""))
        XCTAssertEqual(
            try DriftRecord(reading: r),
            DriftRecord(
                cohort: "2024-01", channel: "web", offset: 2, logoRetention: nil, bandLower: nil,
                predecessorsRetention: nil, predecessors: 0))
        let movement = try MovementRecord(reading: r)
        XCTAssertNil(movement.month)
        XCTAssertEqual(movement.channel, "web")
        XCTAssertEqual([movement.mrrStartMinor, movement.churnMinor, movement.mrrEndMinor], [0, 0, 0])
        XCTAssertEqual(movement.customersEnd, 0)
        let window = try WindowRecord(reading: r)
        XCTAssertEqual(window.kind, "")
        XCTAssertNil(window.month)
        XCTAssertEqual(window.baseMRRMinor, 0)
        XCTAssertNil(window.nrr)
    }
}
