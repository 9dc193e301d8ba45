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

        // The full run's own backtest (cohort.backtest_months 6: scored as of 2024-06-30, refitted on
        // what was known then) reaches the same verdict from the stage's output alone.
        let backtest = try p.object("at_risk_backtest")
        XCTAssertEqual(backtest.string("as_of"), "2024-06-30")
        XCTAssertEqual(backtest.int("months"), 6)
        let accounts = try XCTUnwrap(backtest.int("accounts"))
        let top10 = try XCTUnwrap(backtest.int("top_decile_accounts"))
        XCTAssertEqual(top10, accounts / 10)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(backtest.double("lift")), 2, "\(backtest) \(note)")
        XCTAssertEqual(
            try XCTUnwrap(backtest.double("base_churn_rate")),
            Double(try XCTUnwrap(backtest.int("accounts_churned"))) / Double(accounts), accuracy: 1e-12)
    }

    /// Cutting back: a churn after the cutoff is censored there, a start after it is left out.
    func testCutCensorsAtTheEarlierDate() throws {
        let cutoff = try XCTUnwrap(Day(iso: "2024-06-30"))
        let s = cutoff.raw
        let (kept, durations, events) = AtRiskBacktest.cut(
            starts: [s - 100, s - 100, s - 10, s + 5], durations: [50, 150, 20, 3], events: [true, true, false, true],
            cutoff: cutoff)
        XCTAssertEqual(kept, [0, 1, 2])
        XCTAssertEqual(durations, [50, 101, 11])
        XCTAssertEqual(events, [true, false, false])
        let b = AtRiskBacktest.tally(
            asOf: cutoff, probability: Array(stride(from: 0.0, to: 1.0, by: 0.05)),
            churnedNext: (0..<20).map { $0 >= 18 },
            ids: (0..<20).map { "c\($0)" })
        XCTAssertEqual([b.accounts, b.topDecile, b.topDecileChurned, b.accountsChurned], [20, 2, 2, 2])
        XCTAssertEqual(b.lift ?? 0, 10, accuracy: 1e-12)
    }

    /// The report's read of at_risk.jsonl (which counts the rows after each tier's top by their
    /// first bytes) gives the rows and the count a read of every line whole gives: tiers of 25, 3
    /// and 40 rows, a tier met again after another, escaped ids and tiers, a repeated tier key,
    /// rows without an MRR or a tier (not counted), and blank lines. Only the lines it cannot tell by their first
    /// bytes are read whole.
    func testReportReadsTheTopOfEachTierAndCountsTheRestAsAWholeReadDoes() throws {
        func row(_ id: String, _ tier: String, _ mrr: Int64? = 1000) -> String {
            let r = AtRiskRecord(
                customerID: id, touchTier: tier, mrrMinor: mrr ?? 0, relativeHazard: 1.5, churnProb90d: 0.25,
                expectedMRRLoss90dMinor: 250, drivers: [.init(dimension: "plan", level: "pro", hazardRatio: 2)])
            let line = JSONLineBuilder()
            line.beginObject()
            r.write(to: line)
            line.endObject()
            let text = String(decoding: line.bytes, as: UTF8.self)
            return mrr == nil ? text.replacingOccurrences(of: #""mrr_minor":0,"#, with: "") : text
        }
        var lines: [String] = []
        for i in 0..<25 { lines.append(row(i == 14 ? "h\"\(i)" : "h\(i)", "high_touch")) }
        // A repeated tier key: the indexed line's tier is the second (low_touch), which has room.
        lines.append(String(row("hx", "high_touch").dropLast()) + #","touch_tier":"low_touch"}"#)
        lines.append(row("h-no-mrr", "high_touch", nil))
        lines.append("")
        for i in 0..<3 { lines.append(row("l\(i)", "low_touch")) }
        for i in 0..<40 { lines.append(row("t\(i)", i == 30 ? "tech\ttouch" : "tech_touch")) }
        lines.append(#"{"customer_id":"t-no-tier","mrr_minor":5}"#)
        for i in 0..<12 { lines.append(row("h2-\(i)", "high_touch")) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("at-risk-\(UUID().uuidString).jsonl")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)

        var section = AtRiskSection()
        let indexed = try ReportStage.readAtRisk(try JSONLReader(path: url.path), into: &section)
        // Read whole: high 10 shown, the 11th, the escaped id, the repeated key, the row without
        // an MRR; low 3; tech 10, the 11th, the escaped tier; the row without a tier; the first of
        // the last run.
        XCTAssertEqual(indexed, 14 + 3 + 12 + 1 + 1)

        // Every line read whole, as the report read them before.
        var expected = AtRiskSection()
        var perTier: [String: Int] = [:]
        let rk = try JSONLReader(path: url.path)
        while try rk.next() {
            guard let tier = AtRiskRecord.touchTier(reading: rk) else { continue }
            let shown = perTier[tier, default: 0]
            if shown < AtRiskSection.perTier {
                guard let row = AtRiskRecord(reading: rk) else { continue }
                expected.rows.append(row)
                perTier[tier] = shown + 1
            }
            expected.accounts += 1
        }
        XCTAssertEqual(section, expected)
        XCTAssertEqual(section.accounts, 25 + 1 + 3 + 40 + 12)
        XCTAssertEqual(
            section.rows.map(\.touchTier),
            Array(repeating: "high_touch", count: 11) + Array(repeating: "low_touch", count: 3)
                + Array(repeating: "tech_touch", count: 10) + ["tech\ttouch"])
    }
}
