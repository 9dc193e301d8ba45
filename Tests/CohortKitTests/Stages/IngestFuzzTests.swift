import Foundation
import XCTest

/// Mutation fuzzing of `ingest`: random byte flips, insertions, deletions and truncations of a valid
/// subscriptions file. Whatever the damage, the stage must exit 0, 1 or 2 with a message (never crash)
/// and, when it succeeds, account for every row it read: read = written + rejected + duplicates.
/// Seeded; the seed of a failing mutant is printed.
final class IngestFuzzTests: XCTestCase {
    func testMutantsNeverCrashAndEveryRowIsAccounted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var customers = "customer_id,acquisition_channel\n"
        var valid = "subscription_id,customer_id,product,plan,start_date,end_date,mrr,amount,billing_period,currency\n"
        for i in 1...50 {
            customers += "C\(i),\(["organic", "paid", "partner"][i % 3])\n"
            valid +=
                "S\(i),C\(i),core,\"plan, \"\"\(i % 4)\"\"\",2024-0\(1 + i % 9)-1\(i % 10),\(i % 3 == 0 ? "" : "2024-12-01"),\(i * 100).50,,,\(i % 5 == 0 ? "USD" : "JPY")\n"
        }
        try customers.write(to: dir.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let config = """
            {"version": 1, "as_of": "2024-12-31", "work_dir": "work",
             "currency": {"report": "JPY", "rates": {"USD": 150}, "minor_units": {"JPY": 0, "USD": 2}},
             "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv"}},
             "ingest": {"max_reject_ratio": 1.0}}
            """
        try config.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        let base = Array(valid.utf8)
        let interesting: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF, 0xE3, 0x5C, 0x20, 0x2D]
        for seed in UInt64(1)...100 {
            var rng = SplitMix(state: seed &* 7919)
            func below(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
            var bytes = base
            for _ in 0..<(1 + below(6)) {
                let at = below(bytes.count)
                switch below(4) {
                case 0:
                    bytes[at] =
                        below(2) == 0 ? interesting[below(interesting.count)] : UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.insert(interesting[below(interesting.count)], at: at)
                case 2: if bytes.count > 1 { bytes.remove(at: at) }
                default: if below(3) == 0 { bytes = Array(bytes.prefix(max(at, 1))) }
                }
            }
            try Data(bytes).write(to: dir.appendingPathComponent("subscriptions.csv"))
            let r = try StageProcess.run(
                "ingest", ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"])
            let context = "seed \(seed): exit \(r.exitCode)\n\(r.stderr)"
            XCTAssertFalse(r.signaled, context)
            // 1: unreadable data; 2: a damaged header no longer names a required column.
            XCTAssertTrue([0, 1, 2].contains(r.exitCode), context)
            for bad in ["Fatal error", "Stack dump"] { XCTAssertFalse(r.stderr.contains(bad), context) }
            if r.exitCode != 0 {
                XCTAssertFalse(r.stderr.isEmpty, context)
                continue
            }
            let manifest = try Output.object(dir.appendingPathComponent("work/ingest/ingest.manifest.json"))
            let rows = manifest["reconciliation"] as? [[String: Any]] ?? []
            let subs = try XCTUnwrap(rows.first { $0["source"] as? String == "subscriptions" }, context)
            let read = subs["read"] as? Int ?? -1
            XCTAssertEqual(
                read,
                (subs["written"] as? Int ?? 0) + (subs["rejected"] as? Int ?? 0) + (subs["duplicates"] as? Int ?? 0),
                context)
            let written = try Output.lines(dir.appendingPathComponent("work/ingest/subscriptions.jsonl")).count
            let rejected = try Output.lines(dir.appendingPathComponent("work/ingest/rejects.jsonl")).count
            XCTAssertEqual(written, subs["written"] as? Int, context)
            XCTAssertEqual(rejected, subs["rejected"] as? Int, context)
        }
    }
}
