import Foundation
import XCTest

@testable import CohortKit

/// The generator's two data shapes: the default SaaS sample stays byte for byte what the
/// committed `data/raw` holds, and the retail shape has the structure and effects it promises.
final class GeneratorShapeTests: XCTestCase {
    func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }

    func csvRows(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// `generate-sample --customers 3000 --seed 42` wrote the committed sample; the default shape
    /// must still write exactly those bytes.
    func testDefaultShapeMatchesCommittedSample() throws {
        let raw = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../data/raw").standardized
        let out = temporaryFolder("saas-sample")
        defer { try? FileManager.default.removeItem(at: out) }
        let generator = try SampleGenerator(customers: 3000, seed: 42)
        XCTAssertEqual(generator.shape, .saas)
        try generator.write(to: out.path)
        for name in SampleGenerator.fileNames where name != "pipeline.json" {
            let expected = try Data(contentsOf: raw.appendingPathComponent(name))
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), expected, name)
        }
    }

    /// One product and plan, two channels, 35 stores, monthly terms of 28 to 31 days, about three
    /// subscription rows per customer, no events; the same files every time.
    func testRetailShapeStructure() throws {
        let out = temporaryFolder("retail-sample")
        let again = temporaryFolder("retail-sample")
        defer { for u in [out, again] { try? FileManager.default.removeItem(at: u) } }
        let generator = try SampleGenerator(customers: 4000, seed: 7, shape: .retail)
        let summary = try generator.write(to: out.path)
        try SampleGenerator(customers: 4000, seed: 7, shape: .retail).write(to: again.path)
        for name in SampleGenerator.fileNames {
            XCTAssertEqual(
                try Data(contentsOf: out.appendingPathComponent(name)),
                try Data(contentsOf: again.appendingPathComponent(name)), "\(name) is deterministic")
        }
        XCTAssertEqual(summary.events, 0)
        let customers = try csvRows(out.appendingPathComponent("customers.csv"))
        XCTAssertEqual(customers.count, 4000)
        XCTAssertEqual(Set(customers.map { $0[2] }), ["web", "app"])
        XCTAssertEqual(Set(customers.map { $0[3] }).count, 35)
        let subscriptions = try csvRows(out.appendingPathComponent("subscriptions.csv"))
        XCTAssertEqual(subscriptions.count, summary.subscriptions)
        XCTAssertEqual(Set(subscriptions.map { $0[2] }), ["box"])
        XCTAssertEqual(Set(subscriptions.map { $0[3] }), ["monthly_box"])
        let perCustomer = Double(subscriptions.count) / Double(customers.count)
        XCTAssertTrue((2.5...3.5).contains(perCustomer), "\(perCustomer) subscriptions per customer")
        for row in subscriptions where !row[5].isEmpty {
            guard let start = Day(iso: row[4]), let end = Day(iso: row[5]) else { continue }  // planted bad dates
            XCTAssertTrue((28...31).contains(Int(end.raw - start.raw)), "term \(row)")
        }
        let config = try String(contentsOf: out.appendingPathComponent("pipeline.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("\"store\""), "store is an attribution dimension")
        XCTAssertFalse(config.contains("\"events\""), "no events source")
    }

    /// Run through ingest, normalize and churn-attribution, the retail sample's Cox model finds the
    /// planted store tiers: store_05 (×1.6 per term) churns faster than the reference store_01
    /// (×0.6), store_06 (×0.6 too) does not differ from it, and app churns less than web.
    func testRetailSampleRecoversPlantedEffects() throws {
        let root = temporaryFolder("retail-attribution")
        try SampleGenerator(customers: 6000, seed: 42, shape: .retail).write(to: root.path)
        let p = AttributionPipeline(root: root)
        defer { p.remove() }
        guard p.run() else { return }
        let cox = try p.rows("cox")
        func term(_ dimension: String, _ level: String) -> [String: Any]? {
            cox.first { $0.string("dimension") == dimension && $0.string("level") == level }
        }
        let fast = try XCTUnwrap(term("store", "store_05"))
        let same = try XCTUnwrap(term("store", "store_06"))
        let app = try XCTUnwrap(term("acquisition_channel", "app"))
        XCTAssertEqual(fast.string("reference"), "store_01")
        XCTAssertGreaterThan(fast.double("ci_lower") ?? 0, 1)
        XCTAssertLessThan(same.double("ci_lower") ?? 2, 1)
        XCTAssertGreaterThan(same.double("ci_upper") ?? 0, 1)
        XCTAssertLessThan(app.double("ci_upper") ?? 2, 1)
        let stores = try p.rows("segments").filter { $0.string("dimension") == "store" }
        XCTAssertEqual(stores.count, 35)
    }

    /// All five stages on the retail shape write the same work files with one thread and with
    /// four, and with the inputs cut into parts read side by side (its short lives and wide
    /// attribute take other paths through the collapsed Cox design and the per-level tables).
    func testRetailOutputsDoNotDependOnThreadsOrParts() throws {
        let root = temporaryFolder("retail-threads")
        defer { try? FileManager.default.removeItem(at: root) }
        try SampleGenerator(customers: 1500, seed: 3, shape: .retail).write(to: root.path)
        func outputs(_ extra: [String]) throws -> [String: Data] {
            for top in ["work", "reports"] { try? FileManager.default.removeItem(at: root.appendingPathComponent(top)) }
            try StageProcess.runAll(config: "pipeline.json", extra: extra, cwd: root)
            var files: [String: Data] = [:]
            let work = root.appendingPathComponent("work")
            for stage in ["ingest", "normalize", "cohort", "churn-attribution"] {
                let folder = work.appendingPathComponent(stage)
                for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                    files["\(stage)/\(name)"] = try Data(contentsOf: folder.appendingPathComponent(name))
                }
            }
            return files
        }
        let one = try outputs(["--threads", "1"])
        XCTAssertNotNil(one["churn-attribution/cox.jsonl"])
        XCTAssertEqual(try outputs(["--threads", "4"]), one, "--threads 1 vs 4")
        XCTAssertEqual(try outputs(["--threads", "2", "--debug-part-min-bytes", "1"]), one, "whole files vs parts")
    }
}
