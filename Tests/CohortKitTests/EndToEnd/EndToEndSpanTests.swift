import Foundation
import XCTest

@testable import CohortKit

/// One customer who started paying a century before everyone else: the movements and windows hold
/// that century for the customer's own channel and `(all)`, not for every channel, so the outputs
/// (and cohort's memory) stay in proportion to the data (docs/metrics.md#mrr-movements).
final class EndToEndSpanTests: XCTestCase {
    func testOneOldCustomerCostsItsOwnChannelTheYearsNotEveryChannel() throws {
        let dir = try E2EFixture.emptyFolder("e2e-span", for: self)
        let base = E2EFixture.root.deletingLastPathComponent().appendingPathComponent("hostile-corpus/_base.json")
        try FileManager.default.copyItem(at: base, to: dir.appendingPathComponent("pipeline.json"))
        let channels = 40
        var customers = "customer_id,acquisition_channel\nOLD,heritage\n"
        var subscriptions = "customer_id,start_date,end_date,mrr\nOLD,1924-01-15,1924-03-01,1000\n"
        for i in 0..<channels {
            customers += "C\(i),ch\(i)\n"
            subscriptions += "C\(i),2024-07-01,,500\n"
        }
        try customers.write(to: dir.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try subscriptions.write(to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        for stage in ["ingest", "normalize", "cohort"] {
            let r = try StageProcess.run(stage, ["--config", "pipeline.json", "--quiet"], cwd: dir)
            XCTAssertEqual(r.exitCode, 0, "\(stage): \(r.stderr)")
        }
        // as_of 2024-12-31: 1924-01 … 2024-12 is 1,212 months.
        let months = (2024 - 1924) * 12 + 12
        let movements = try Output.text(dir.appendingPathComponent("work/cohort/movements.jsonl"))
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        func count(_ channel: String) -> Int { movements.filter { $0["channel"] as? String == channel }.count }
        XCTAssertEqual(count("(all)"), months)
        XCTAssertEqual(count("heritage"), months)
        // Each other channel from its first customer's month, 2024-07, through 2024-12.
        for i in 0..<channels { XCTAssertEqual(count("ch\(i)"), 6, "ch\(i)") }
        XCTAssertEqual(movements.count, 2 * months + channels * 6)
        let july = try XCTUnwrap(movements.first { $0["channel"] as? String == "ch0" })
        XCTAssertEqual(july["month"] as? String, "2024-07")
        XCTAssertEqual(july["new_minor"] as? Int, 500)
        let allJuly = try XCTUnwrap(
            movements.first { $0["channel"] as? String == "(all)" && $0["month"] as? String == "2024-07" })
        XCTAssertEqual(allJuly["new_minor"] as? Int, 500 * channels)
        // Windows likewise: month and trailing-12m windows every month, quarters every third.
        let windows = try Output.text(dir.appendingPathComponent("work/cohort/windows.jsonl"))
            .split(separator: "\n").count
        XCTAssertEqual(windows, 2 * (2 * months + months / 3) + channels * (6 + 6 + 2))
    }
}
