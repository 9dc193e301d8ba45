import Foundation
import XCTest

@testable import CohortKit

/// A throwaway project folder: raw CSVs and a pipeline.json written from customer specs, run through
/// ingest, normalize and churn-attribution in process, with the attribution outputs read back.
struct AttributionPipeline {
    /// One customer: its attributes, and one subscription that either churns after `duration` days
    /// (end = start + duration) or is still running at as_of with `duration` observed days
    /// (start = as_of − duration + 1), so normalize's survival duration is exactly `duration`.
    struct Customer {
        var id: String
        var channel: String
        var attributes: [String: String] = [:]
        var duration: Int
        var churned: Bool
        var mrr: Int = 10_000
        /// Days between the churned subscription's start and as_of − duration (spreads cohorts).
        var lead: Int = 0
        var cancellationReason: String?
    }

    static let asOf = Day(iso: "2024-12-31") ?? Day(raw: 0)

    let root: URL
    var work: URL { root.appendingPathComponent("work/churn-attribution") }

    /// A project already written into `root` (with its pipeline.json, work_dir "work").
    init(root: URL) { self.root = root }

    /// Writes the project: `attributeColumns` become customers.csv columns (and `dimensions` may
    /// name them); `minSegment` and `reasonCategories` go to the attribution section of pipeline.json.
    init(
        customers: [Customer], attributeColumns: [String], dimensions: [String], minSegment: Int = 1,
        reasonCategories: [String: String] = [:]
    ) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("attribution-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var cust = "customer_id,acquisition_channel" + attributeColumns.map { ",\($0)" }.joined() + "\n"
        var subs = "subscription_id,customer_id,product,start_date,end_date,mrr,currency\n"
        var cancels = "customer_id,date,reason,comment\n"
        let asOf = Self.asOf
        for c in customers {
            cust += "\(c.id),\(c.channel)" + attributeColumns.map { ",\(c.attributes[$0] ?? "")" }.joined() + "\n"
            if c.churned {
                let start = asOf - (c.duration + 1 + c.lead)
                let end = start + c.duration
                subs += "S-\(c.id),\(c.id),core,\(start),\(end),\(c.mrr),JPY\n"
                if let reason = c.cancellationReason { cancels += "\(c.id),\(end - 1),\(reason),\n" }
            } else {
                subs += "S-\(c.id),\(c.id),core,\(asOf - (c.duration - 1)),,\(c.mrr),JPY\n"
            }
        }
        try cust.write(to: root.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try subs.write(to: root.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try cancels.write(to: root.appendingPathComponent("cancellations.csv"), atomically: true, encoding: .utf8)
        func json(_ s: String) -> String { "\"\(s)\"" }
        let categories = reasonCategories.sorted { $0.key < $1.key }.map { "\(json($0.key)): \(json($0.value))" }
        let config = """
            {
              "version": 1, "as_of": "\(asOf)", "work_dir": "work", "reports_dir": "reports",
              "currency": { "report": "JPY", "rates": {}, "minor_units": { "JPY": 0 } },
              "sources": {
                "customers": { "path": "customers.csv", "format": "csv" },
                "subscriptions": { "path": "subscriptions.csv", "format": "csv" },
                "cancellations": { "path": "cancellations.csv", "format": "csv", "optional": true }
              },
              "attribution": { "dimensions": [\(dimensions.map(json).joined(separator: ", "))], "early_churn_days": 90,
                               "min_segment_customers": \(minSegment),
                               "reason_categories": { \(categories.joined(separator: ", ")) } }
            }
            """
        try config.write(to: root.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
    }

    /// Runs the three stages; fails the test (and returns false) on a non-zero exit.
    @discardableResult
    func run(extraArguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let args = ["--config", root.appendingPathComponent("pipeline.json").path, "--quiet"] + extraArguments
        let stages: [(StageDescription, (StageContext) throws -> Void)] = [
            (.ingest, { try IngestStage.run($0) }),
            (.normalize, { try NormalizeStage.run($0) }),
            (.attribution, { try AttributionStage.run($0) }),
        ]
        for (description, body) in stages {
            let code = StageCommand.run(description, arguments: args, body: body)
            if code != 0 {
                XCTFail("\(description.name) exited \(code)", file: file, line: line)
                return false
            }
        }
        return true
    }

    /// The rows of a normalize JSONL output.
    func normalizeRows(_ name: String) throws -> [[String: Any]] {
        let url = root.appendingPathComponent("work/normalize/\(name).jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The rows of an attribution JSONL output (`keys` gives their key order as written).
    func rows(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: work.appendingPathComponent("\(name).jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The key order of each row of an attribution JSONL output, as written.
    func keys(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: work.appendingPathComponent("\(name).jsonl"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            // Top-level keys of a flat object: every `"key":` at depth 1 outside strings.
            var keys: [String] = []
            var depth = 0
            var inString = false
            var escaped = false
            var current = ""
            var afterString = false
            for ch in line {
                if inString {
                    if escaped {
                        escaped = false
                        current.append(ch)
                    } else if ch == "\\" {
                        escaped = true
                    } else if ch == "\"" {
                        inString = false
                        afterString = true
                    } else {
                        current.append(ch)
                    }
                    continue
                }
                if ch == "\"" {
                    inString = true
                    current = ""
                    continue
                }
                if ch == ":" && afterString && depth == 1 { keys.append(current) }
                if ch == "{" || ch == "[" { depth += 1 }
                if ch == "}" || ch == "]" { depth -= 1 }
                afterString = false
            }
            return keys
        }
    }

    func object(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: work.appendingPathComponent("\(name).json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// SplitMix64: a tiny seeded generator so planted-effect data is reproducible from the printed seed.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -mean * log(uniform()) }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func string(_ key: String) -> String? { self[key] as? String }
}
