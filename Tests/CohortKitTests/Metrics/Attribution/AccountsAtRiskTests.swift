import XCTest

@testable import CohortKit

final class AccountsAtRiskTests: XCTestCase {
    func testRowsGoByTierThenExpectedLossThenCustomerID() {
        func row(_ id: String, _ tier: String, _ loss: Int64) -> AtRiskRecord {
            AtRiskRecord(
                customerID: id, touchTier: tier, mrrMinor: 100, relativeHazard: 1, churnProb90d: 0.1,
                expectedMRRLoss90dMinor: loss, drivers: [])
        }
        let rows = [
            row("c", "tech_touch", 50), row("b", "low_touch", 5), row("a", "low_touch", 5), row("z", "high_touch", 1),
            row("d", "low_touch", 9),
        ]
        XCTAssertEqual(AccountsAtRisk.ranked(rows).map(\.customerID), ["z", "d", "a", "b", "c"])
        // Losses up to the largest MRR keep their order; ids break ties in byte order ("Z" before
        // "a"), whatever the rows' order.
        let big = CheckedMinor.maxMRR
        let more = [
            row("a", "high_touch", big), row("b", "high_touch", big - 1), row("Z", "high_touch", big),
            row("c", "high_touch", 0), row("é", "low_touch", 0), row("e", "low_touch", 0),
        ]
        XCTAssertEqual(AccountsAtRisk.ranked(more).map(\.customerID), ["Z", "a", "b", "c", "e", "é"])
        XCTAssertEqual(AccountsAtRisk.ranked(more.reversed()).map(\.customerID), ["Z", "a", "b", "c", "e", "é"])
    }

    func testDriversKeepTheThreeLargestHazardRatiosAboveOne() {
        typealias D = AtRiskRecord.Driver
        let c = [
            D(dimension: "plan", level: "starter", hazardRatio: 1.8),
            D(dimension: "channel", level: "x", hazardRatio: 0.7),
            D(dimension: "region", level: "b", hazardRatio: 1.2),
            D(dimension: "activation", level: "no", hazardRatio: 2.0),
            D(dimension: "industry", level: "a", hazardRatio: 1.2), D(dimension: "size", level: "s", hazardRatio: 1.0),
        ]
        XCTAssertEqual(AccountsAtRisk.drivers(c).map(\.level), ["no", "starter", "a"])
        XCTAssertEqual(AccountsAtRisk.drivers([D(dimension: "plan", level: "pro", hazardRatio: 0.5)]), [])
    }

    func testTierAndExpectedLoss() throws {
        XCTAssertEqual(AccountsAtRisk.tier(arrMinor: 100, high: 100, low: 10), "high_touch")
        XCTAssertEqual(AccountsAtRisk.tier(arrMinor: 10, high: 100, low: 10), "low_touch")
        XCTAssertEqual(AccountsAtRisk.tier(arrMinor: 9, high: 100, low: 10), "tech_touch")
        // 0.125 × 1,000 = 125; 0.0125 × 100 = 1.25 → 1; 0.015 × 100 = 1.5 → 2 (halves away from zero).
        XCTAssertEqual(try AccountsAtRisk.expectedLoss(probability: 0.125, mrrMinor: 1_000, customer: "a"), 125)
        XCTAssertEqual(try AccountsAtRisk.expectedLoss(probability: 0.0125, mrrMinor: 100, customer: "a"), 1)
        XCTAssertEqual(try AccountsAtRisk.expectedLoss(probability: 0.015, mrrMinor: 100, customer: "a"), 2)
    }
}

extension AccountsAtRiskTests {
    /// A row written by the stage reads back in the report with its drivers, fields as written.
    func testRowReadsBackAsWritten() throws {
        let row = AtRiskRecord(
            customerID: "c-\"1\"", touchTier: "low_touch", mrrMinor: 12_345, relativeHazard: 1.5, churnProb90d: 0.25,
            expectedMRRLoss90dMinor: 3_086,
            drivers: [
                .init(dimension: "plan", level: "starter", hazardRatio: 1.8),
                .init(dimension: "activation", level: "not_activated", hazardRatio: 1.25),
            ])
        let line = JSONLineBuilder()
        line.beginObject()
        row.write(to: line)
        line.endObject()
        line.newline()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("at-risk-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(line.bytes).write(to: url)
        let reader = try JSONLReader(path: url.path)
        XCTAssertTrue(try reader.next())
        XCTAssertEqual(
            reader.keys,
            [
                "customer_id", "touch_tier", "mrr_minor", "relative_hazard", "churn_prob_90d",
                "expected_mrr_loss_90d_minor", "drivers",
            ])
        XCTAssertEqual(AtRiskRecord(reading: reader), row)
    }
}
