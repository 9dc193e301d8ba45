import Foundation
import XCTest

@testable import CohortKit

/// Data tests (dbt's `unique`, `not_null`, `relationships` spirit) on a generated project of 600
/// customers, checked against a slow, independent recomputation from normalize's outputs.
final class CohortInvariantTests: XCTestCase {
    static var project: URL!

    override class func setUp() {
        super.setUp()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cohort-inv-\(UUID().uuidString)")
        do {
            _ = try SampleGenerator(customers: 600, seed: 7).write(to: dir.path)
        } catch { XCTFail("generator: \(error)") }
        let args = ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"]
        let stages: [(StageDescription, (StageContext) throws -> Void)] = [
            (.ingest, { try IngestStage.run($0) }), (.normalize, { try NormalizeStage.run($0) }),
            (.cohort, { try CohortStage.run($0) }),
        ]
        for (d, body) in stages where StageCommand.run(d, arguments: args, body: body) != 0 {
            XCTFail("\(d.name) failed")
        }
        project = dir
    }

    override class func tearDown() {
        if let project { try? FileManager.default.removeItem(at: project) }
        super.tearDown()
    }

    func rows(_ path: String) throws -> [[String: Any]] {
        try Output.lines(Self.project.appendingPathComponent("work/\(path)"))
    }
    func int(_ r: [String: Any], _ k: String) -> Int { r[k] as? Int ?? 0 }

    func testMovementIdentityAndContinuity() throws {
        let movements = try rows("cohort/movements.jsonl")
        XCTAssertFalse(movements.isEmpty)
        var lastEnd: [String: Int] = [:]
        for r in movements {
            let identity =
                int(r, "mrr_start_minor") + int(r, "new_minor") + int(r, "reactivation_minor")
                + int(r, "expansion_minor")
                - int(r, "contraction_minor") - int(r, "churn_minor")
            XCTAssertEqual(int(r, "mrr_end_minor"), identity, "\(r)")
            let channel = r["channel"] as? String ?? ""
            if let previous = lastEnd[channel] {
                XCTAssertEqual(int(r, "mrr_start_minor"), previous, "month \(r["month"] ?? "") \(channel)")
            }
            lastEnd[channel] = int(r, "mrr_end_minor")
        }
    }

    func testChannelsSumToAll() throws {
        func check(_ path: String, key: (([String: Any]) -> String), fields: [String]) throws {
            var all: [String: [Int]] = [:]
            var sum: [String: [Int]] = [:]
            for r in try rows(path) where r["cohort"] as? String != "(weighted)" {
                let values = fields.map { int(r, $0) }
                if r["channel"] as? String == "(all)" {
                    all[key(r)] = values
                } else {
                    sum[key(r), default: Array(repeating: 0, count: fields.count)] = zip(
                        sum[key(r)] ?? Array(repeating: 0, count: fields.count), values
                    ).map(+)
                }
            }
            XCTAssertFalse(all.isEmpty, path)
            for (k, v) in all { XCTAssertEqual(sum[k] ?? Array(repeating: 0, count: fields.count), v, "\(path) \(k)") }
        }
        try check(
            "cohort/triangle.jsonl", key: { "\($0["cohort"] ?? "")/\($0["offset"] ?? "")" },
            fields: ["customers", "active", "mrr_start_minor", "mrr_minor"])
        try check(
            "cohort/movements.jsonl", key: { "\($0["month"] ?? "")" },
            fields: [
                "mrr_start_minor", "new_minor", "expansion_minor", "contraction_minor", "churn_minor",
                "reactivation_minor", "mrr_end_minor",
                "customers_start", "customers_end", "new_customers", "reactivated_customers", "churned_customers",
            ])
        try check(
            "cohort/windows.jsonl", key: { "\($0["kind"] ?? "")/\($0["to"] ?? "")" },
            fields: ["base_customers", "retained_customers", "base_mrr_minor", "end_mrr_minor"])
    }

    /// Triangle cells recomputed from normalize/intervals.jsonl with plain loops: a customer is
    /// active at a month end when one of its intervals covers that day.
    func testTriangleMatchesIntervals() throws {
        var cohortOf: [String: String] = [:]
        for c in try rows("normalize/customers.jsonl") {
            if let m = c["cohort"] as? String { cohortOf[c["customer_id"] as? String ?? ""] = m }
        }
        var intervals: [String: [(start: Day, end: Day?, mrr: Int)]] = [:]
        for r in try rows("normalize/intervals.jsonl") {
            let start = Day(iso: r["start"] as? String ?? "") ?? Day(raw: 0)
            intervals[r["customer_id"] as? String ?? "", default: []].append(
                (start, (r["end"] as? String).flatMap { Day(iso: $0) }, int(r, "mrr_minor")))
        }
        func mrr(_ id: String, on d: Day) -> Int {
            intervals[id, default: []].filter { $0.start <= d && ($0.end.map { d < $0 } ?? true) }.reduce(0) {
                $0 + $1.mrr
            }
        }
        var checked = 0
        for r in try rows("cohort/triangle.jsonl")
        where r["channel"] as? String == "(all)" && r["cohort"] as? String != "(weighted)" {
            let cohort = r["cohort"] as? String ?? ""
            let members = cohortOf.filter { $0.value == cohort }.map(\.key)
            guard let month = Month(iso: r["month"] as? String ?? "") else {
                XCTFail("bad month in \(r)")
                continue
            }
            let snapshot = month.lastDay
            XCTAssertEqual(int(r, "customers"), members.count, "\(cohort)")
            XCTAssertEqual(
                int(r, "active"), members.filter { mrr($0, on: snapshot) > 0 }.count, "\(cohort) +\(int(r, "offset"))")
            XCTAssertEqual(
                int(r, "mrr_minor"), members.reduce(0) { $0 + mrr($1, on: snapshot) }, "\(cohort) +\(int(r, "offset"))")
            if int(r, "offset") == 0 { XCTAssertEqual(int(r, "mrr_minor"), int(r, "mrr_start_minor"), cohort) }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// Survival rows recomputed from the customers' durations: at-risk counts customers with
    /// duration >= t, events the churned ones with duration <= t.
    func testSurvivalCountsMatchDurations() throws {
        let customers = try rows("normalize/customers.jsonl").filter { $0["converted"] as? Bool == true }
        for r in try rows("cohort/survival.jsonl")
        where r["row"] as? String == "mark" && r["channel"] as? String == "(all)" {
            let t = int(r, "day")
            XCTAssertEqual(int(r, "at_risk"), customers.filter { int($0, "duration_days") >= t }.count, "t = \(t)")
            XCTAssertEqual(
                int(r, "events"),
                customers.filter { $0["churned"] as? Bool == true && int($0, "duration_days") <= t }.count, "t = \(t)")
        }
    }
}
