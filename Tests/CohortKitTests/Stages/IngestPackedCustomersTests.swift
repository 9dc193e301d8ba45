import Foundation
import XCTest

@testable import CohortKit

/// Ingest hands customer rows to its writer's thread packed as bytes, batch after batch: over
/// several batches, from CSV columns and from JSON lines' extra keys, every customer's id,
/// channel and attributes come out as the source has them, and the file is the same bytes on one
/// thread as on two.
final class IngestPackedCustomersTests: XCTestCase {
    static let customers = 20_000
    static let regions = ["eu", "", "Île-de-France", "say \"hi\"", "tab\there", "東京"]

    /// Customer `i`'s channel (empty for some) and attributes (region, note, rank).
    static func customer(_ i: Int) -> (id: String, channel: String, attributes: [(String, String)]) {
        let note = i % 97 == 0 ? String(repeating: "n", count: 200 + i % 500) : (i % 3 == 0 ? "" : "note \(i)")
        return (
            String(format: "C%06d", i), i % 11 == 0 ? "" : ["web", "ads", "partner"][i % 3],
            [("region", regions[i % regions.count]), ("note", note), ("rank", "\(i % 7)")]
        )
    }

    func project(jsonl: Bool) throws -> URL {
        let dir = try E2EFixture.emptyFolder("ingest-packed", for: self)
        var customers = jsonl ? "" : "customer_id,acquisition_channel,region,note,rank\n"
        var subscriptions = "customer_id,start_date,mrr\n"
        func csv(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func json(_ s: String) -> String {
            "\""
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\t", with: "\\t") + "\""
        }
        for i in 0..<Self.customers {
            let c = Self.customer(i)
            if jsonl {
                let members = [("customer_id", c.id), ("acquisition_channel", c.channel)] + c.attributes
                customers += "{" + members.map { "\(json($0.0)): \(json($0.1))" }.joined(separator: ", ") + "}\n"
            } else {
                customers += ([c.id, c.channel] + c.attributes.map(\.1)).map(csv).joined(separator: ",") + "\n"
            }
            subscriptions += "\(c.id),2024-01-01,100\n"
        }
        let ext = jsonl ? "jsonl" : "csv"
        try customers.write(to: dir.appendingPathComponent("customers.\(ext)"), atomically: true, encoding: .utf8)
        try subscriptions.write(to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try """
        {"version": 1, "as_of": "2024-06-30", "work_dir": "work", "currency": {"report": "JPY"},
         "sources": {"customers": {"path": "customers.\(ext)", "format": "\(ext)"},
                     "subscriptions": {"path": "subscriptions.csv"}}}
        """.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func ingest(_ dir: URL, threads: Int) throws -> Data {
        let code = StageCommand.run(
            .ingest,
            arguments: [
                "--config", dir.appendingPathComponent("pipeline.json").path, "--quiet", "--threads", "\(threads)",
            ],
            body: { try IngestStage.run($0) })
        XCTAssertEqual(code, 0)
        return try Data(contentsOf: dir.appendingPathComponent("work/ingest/customers.jsonl"))
    }

    func testCustomersComeOutAsTheSourceHasThemOverManyBatches() throws {
        XCTAssertGreaterThan(Self.customers, 2 * PackedCustomerRows.maxRows, "rows cross several batches")
        for jsonl in [false, true] {
            let dir = try project(jsonl: jsonl)
            let two = try ingest(dir, threads: 2)
            let one = try ingest(dir, threads: 1)
            XCTAssertEqual(one, two, "jsonl \(jsonl): one thread and two write the same file")
            let r = try JSONLReader(path: dir.appendingPathComponent("work/ingest/customers.jsonl").path)
            var i = 0
            while try r.next() {
                let row = try IngestCustomerRecord(reading: r)
                let c = Self.customer(i)
                XCTAssertEqual(row.customerId, c.id)
                XCTAssertEqual(row.acquisitionChannel, c.channel.isEmpty ? nil : c.channel, c.id)
                XCTAssertEqual(row.attributes.map(\.key), c.attributes.map(\.0), c.id)
                XCTAssertEqual(row.attributes.map(\.value), c.attributes.map(\.1), c.id)
                XCTAssertEqual(row.line, jsonl ? i + 1 : i + 2, c.id)
                i += 1
            }
            XCTAssertEqual(i, Self.customers, "jsonl \(jsonl)")
        }
    }
}
