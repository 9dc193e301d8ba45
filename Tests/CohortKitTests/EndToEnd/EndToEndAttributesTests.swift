import Foundation
import XCTest

@testable import CohortKit

/// normalize passes each customer's `attributes` object on byte for byte, whichever part of the
/// file the customer was read in (docs/stages.md#normalize).
final class EndToEndAttributesTests: XCTestCase {
    /// The raw `attributes` object of each line, by customer_id (the generated values hold no
    /// braces, so the object is the text between its braces).
    private func attributesByCustomer(_ url: URL) throws -> [String: Substring] {
        var out: [String: Substring] = [:]
        for line in try Output.text(url).split(separator: "\n") {
            let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try XCTUnwrap(row["customer_id"] as? String)
            let start = try XCTUnwrap(line.range(of: #""attributes":{"#)).upperBound
            let end = try XCTUnwrap(line[start...].firstIndex(of: "}"))
            out[id] = line[line.index(before: start)...end]
        }
        return out
    }

    /// A generated project read in parts of one line each: customers share attribute objects
    /// across parts, and two customers are created from orphan subscriptions. Every customer's
    /// object in normalize/customers.jsonl is the bytes ingest wrote for it, or `{}` for the
    /// created ones.
    func testEveryCustomersAttributesPassThroughNormalizeUnchanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("attrs-\(UUID().uuidString)")
        _ = try SampleGenerator(customers: 400, seed: 11).write(to: dir.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        // Two subscriptions of customers missing from customers.csv, one sorting first, one last.
        let subscriptions = dir.appendingPathComponent("subscriptions.csv")
        let orphanRows =
            "SX-1,C0000000-orphan,core,starter,2024-03-01,,100.00,,month,USD\n"
            + "SX-2,CZ-orphan,core,starter,2024-04-01,,100.00,,month,USD\n"
        try (Output.text(subscriptions) + orphanRows).write(to: subscriptions, atomically: true, encoding: .utf8)
        for stage in ["ingest", "normalize"] {
            let r = try StageProcess.run(
                stage, ["--config", "pipeline.json", "--debug-part-min-bytes", "1"], cwd: dir)
            XCTAssertEqual(r.exitCode, 0, r.stderr)
        }
        let work = dir.appendingPathComponent("work")
        let ingested = try attributesByCustomer(work.appendingPathComponent("ingest/customers.jsonl"))
        let normalized = try attributesByCustomer(work.appendingPathComponent("normalize/customers.jsonl"))
        let orphans = Set(
            try Output.lines(work.appendingPathComponent("normalize/customers.jsonl"))
                .filter { $0["orphan"] as? Bool == true }.compactMap { $0["customer_id"] as? String })
        XCTAssertEqual(orphans, ["C0000000-orphan", "CZ-orphan"])
        XCTAssertLessThan(Set(ingested.values).count, ingested.count / 2, "customers should share attribute objects")
        XCTAssertEqual(normalized.count, ingested.count + orphans.count)
        for (id, object) in normalized {
            XCTAssertEqual(object, orphans.contains(id) ? Substring("{}") : ingested[id], "customer \(id)")
        }
    }
}
