import Foundation
import XCTest

@testable import CohortKit

final class AccountsAtRiskStageTests: XCTestCase {
    /// On the generated sample (planted plan, activation and channel effects), the accounts flagged
    /// six months before the end of the data churn in the next 90 days at least twice as often as
    /// all accounts flagged then.
    func testTopDecileChurnsAtLeastTwiceTheBaseRateInTheNext90Days() throws {
        let seed: UInt64 = 42
        let note = "(generate-sample --customers 3000 --seed \(seed))"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("at-risk-sample-\(UUID().uuidString)")
        let generator = try SampleGenerator(customers: 3000, seed: seed)
        _ = try generator.write(to: root.path)
        let p = AttributionPipeline(root: root)
        defer { p.remove() }
        // as_of' = 2024-06-30, six months before the data's as_of 2024-12-31.
        guard let earlier = Day(iso: "2024-06-30"), p.run(extraArguments: ["--as-of", earlier.description]) else {
            return
        }
        let flagged = try p.rows("at_risk")
        XCTAssertEqual(
            try p.keys("at_risk").first,
            [
                "customer_id", "touch_tier", "mrr_minor", "relative_hazard", "churn_prob_90d",
                "expected_mrr_loss_90d_minor", "drivers",
            ])
        guard p.run() else { return }
        var firstChurn: [String: Day] = [:]
        for c in try p.normalizeRows("customers") {
            if let id = c.string("customer_id"), let s = c.string("first_churn"), let d = Day(iso: s) {
                firstChurn[id] = d
            }
        }
        // Churned in the next 90 days: first churn in (as_of', as_of' + 90].
        func churned(_ row: [String: Any]) -> Bool {
            guard let id = row.string("customer_id"), let d = firstChurn[id] else { return false }
            return d.raw > earlier.raw && d.raw <= earlier.raw + 90
        }
        XCTAssertGreaterThan(flagged.count, 500, note)
        let byProbability = flagged.sorted { ($0.double("churn_prob_90d") ?? 0) > ($1.double("churn_prob_90d") ?? 0) }
        let top = byProbability.prefix(flagged.count / 10)
        let baseRate = Double(flagged.filter(churned).count) / Double(flagged.count)
        let topRate = Double(top.filter(churned).count) / Double(top.count)
        XCTAssertGreaterThan(baseRate, 0, note)
        XCTAssertGreaterThanOrEqual(topRate, 2 * baseRate, "top decile \(topRate) vs base \(baseRate) \(note)")
        print("at-risk backtest: top decile \(topRate), base \(baseRate), \(flagged.count) accounts \(note)")
    }
}
