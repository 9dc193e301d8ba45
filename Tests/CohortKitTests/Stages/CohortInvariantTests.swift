import Foundation
import XCTest

@testable import CohortKit

/// Data tests (dbt's `unique`, `not_null`, `relationships` spirit) on generated projects, checked
/// against a slow, independent recomputation from normalize's outputs: 600 customers (seed 7,
/// as_of the generator's 2024-12-31) run in process, and 500 customers (seed 11) run by the stage
/// executables as of a mid-month day, on 3 threads with every file cut into parts
/// (`--debug-part-min-bytes 1`), with `cohort_basis: signup_date`, 3 grace days and 2 channels kept
/// apart (the others pooled as `(other)`): intervals are capped at as_of, the last complete month
/// is the one before as_of's, cohorts can start before the first payment, and the cohort stage
/// merges the accumulators of several parts.
final class CohortInvariantTests: XCTestCase {
    struct Project {
        var label: String
        var dir: URL
        var asOf: Day
        var signupCohorts = false
        /// `report.max_channels`: the triangle pools the others under `(other)`.
        var maxChannels = 12
    }

    static var projects: [Project] = []
    static var project: URL! { projects.first?.dir }

    override class func setUp() {
        super.setUp()
        let runs: [(customers: Int, seed: UInt64, asOf: String?)] = [(600, 7, nil), (500, 11, "2024-11-17")]
        for run in runs {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cohort-inv-\(run.seed)-\(UUID().uuidString)")
            var asOf = "2024-12-31"
            do {
                let generator = try SampleGenerator(customers: run.customers, seed: run.seed)
                _ = try generator.write(to: dir.path)
                asOf = run.asOf ?? generator.asOfDate
                if run.asOf != nil {
                    let config = dir.appendingPathComponent("pipeline.json")
                    let text = try String(contentsOf: config, encoding: .utf8)
                        .replacingOccurrences(of: "\"grace_days\": 7", with: "\"grace_days\": 3")
                        .replacingOccurrences(of: "\"first_subscription\"", with: "\"signup_date\"")
                        .replacingOccurrences(of: "\"report\": {", with: "\"report\": {\"max_channels\": 2,")
                    XCTAssertTrue(
                        text.contains("\"signup_date\"") && text.contains("\"grace_days\": 3")
                            && text.contains("\"max_channels\": 2"))
                    try text.write(to: config, atomically: true, encoding: .utf8)
                }
            } catch { XCTFail("generator: \(error)") }
            let args = ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"]
            if let a = run.asOf {
                for stage in ["ingest", "normalize", "cohort"] {
                    let r = try? StageProcess.run(
                        stage, args + ["--as-of", a, "--threads", "3", "--debug-part-min-bytes", "1"])
                    if r?.exitCode != 0 { XCTFail("\(stage) failed (seed \(run.seed)): \(r?.stderr ?? "not run")") }
                }
            } else {
                let stages: [(StageDescription, (StageContext) throws -> Void)] = [
                    (.ingest, { try IngestStage.run($0) }), (.normalize, { try NormalizeStage.run($0) }),
                    (.cohort, { try CohortStage.run($0) }),
                ]
                for (d, body) in stages where StageCommand.run(d, arguments: args, body: body) != 0 {
                    XCTFail("\(d.name) failed (seed \(run.seed))")
                }
            }
            projects.append(
                Project(
                    label: "seed \(run.seed)", dir: dir, asOf: Day(iso: asOf) ?? Day(raw: 0),
                    signupCohorts: run.asOf != nil, maxChannels: run.asOf != nil ? 2 : 12))
        }
    }

    override class func tearDown() {
        for p in projects { try? FileManager.default.removeItem(at: p.dir) }
        projects = []
        super.tearDown()
    }

    func rows(_ path: String, in p: Project? = nil) throws -> [[String: Any]] {
        try Output.lines((p?.dir ?? Self.project).appendingPathComponent("work/\(path)"))
    }
    func int(_ r: [String: Any], _ k: String) -> Int { r[k] as? Int ?? 0 }

    func testMovementIdentityAndContinuity() throws {
        for p in Self.projects {
            let movements = try rows("cohort/movements.jsonl", in: p)
            XCTAssertFalse(movements.isEmpty)
            var lastEnd: [String: Int] = [:]
            for r in movements {
                let identity =
                    int(r, "mrr_start_minor") + int(r, "new_minor") + int(r, "reactivation_minor")
                    + int(r, "expansion_minor")
                    - int(r, "contraction_minor") - int(r, "churn_minor")
                XCTAssertEqual(int(r, "mrr_end_minor"), identity, "\(p.label) \(r)")
                let channel = r["channel"] as? String ?? ""
                if let previous = lastEnd[channel] {
                    XCTAssertEqual(
                        int(r, "mrr_start_minor"), previous, "\(p.label) month \(r["month"] ?? "") \(channel)")
                }
                lastEnd[channel] = int(r, "mrr_end_minor")
            }
        }
    }

    func testChannelsSumToAll() throws {
        func check(_ p: Project, _ path: String, key: (([String: Any]) -> String), fields: [String]) throws {
            var all: [String: [Int]] = [:]
            var sum: [String: [Int]] = [:]
            // `(other)` repeats the pooled channels' customers: not a channel of its own.
            for r in try rows(path, in: p)
            where r["cohort"] as? String != "(weighted)" && r["channel"] as? String != "(other)" {
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
            for (k, v) in all {
                XCTAssertEqual(sum[k] ?? Array(repeating: 0, count: fields.count), v, "\(p.label) \(path) \(k)")
            }
        }
        for p in Self.projects {
            try check(
                p, "cohort/triangle.jsonl", key: { "\($0["cohort"] ?? "")/\($0["offset"] ?? "")" },
                fields: ["customers", "active", "mrr_start_minor", "mrr_minor"])
            try check(
                p, "cohort/movements.jsonl", key: { "\($0["month"] ?? "")" },
                fields: [
                    "mrr_start_minor", "new_minor", "expansion_minor", "contraction_minor", "churn_minor",
                    "reactivation_minor", "mrr_end_minor",
                    "customers_start", "customers_end", "new_customers", "reactivated_customers", "churned_customers",
                ])
            try check(
                p, "cohort/windows.jsonl", key: { "\($0["kind"] ?? "")/\($0["to"] ?? "")" },
                fields: ["base_customers", "retained_customers", "base_mrr_minor", "end_mrr_minor"])
        }
    }

    /// Triangle cells recomputed from normalize/intervals.jsonl with plain loops: a customer is
    /// active at a month end when one of its intervals covers that day. Every channel, `(all)`
    /// and `(other)` (the second project keeps 2 channels, `report.max_channels`), every complete
    /// cell and no other, and the `(weighted)` rows as sums of the cells.
    func testTriangleMatchesIntervals() throws {
        for p in Self.projects {
            let d = try MetricDefinitions(p, rows: { try self.rows($0, in: p) })
            // The channels kept: the most converted customers, ties by name in byte order.
            let sizes = Dictionary(d.channel.map { ($0.value, 1) }, uniquingKeysWith: +)
            let ranked = sizes.keys.sorted {
                sizes[$0] != sizes[$1]
                    ? (sizes[$0] ?? 0) > (sizes[$1] ?? 0) : $0.utf8.lexicographicallyPrecedes($1.utf8)
            }
            let pooled = Set(ranked.dropFirst(p.maxChannels))
            func inGroup(_ id: String, _ g: String) -> Bool {
                g == "(all)" || d.channel[id] == g || (g == "(other)" && pooled.contains(d.channel[id] ?? ""))
            }
            var expected = Set<String>()
            for g in sizes.keys + ["(all)"] + (pooled.isEmpty ? [] : ["(other)"]) {
                for cohort in Set(d.cohort.filter { inGroup($0.key, g) }.map(\.value)) {
                    guard let c = Month(iso: cohort) else { continue }
                    for k in 0...24 where c + k <= d.lastMonth { expected.insert("\(cohort) \(g) +\(k)") }
                }
            }
            var seen = Set<String>()
            var weighted: [String: [Int]] = [:]
            var weightedRows: [String: [String: Any]] = [:]
            for r in try rows("cohort/triangle.jsonl", in: p) {
                let cohort = r["cohort"] as? String ?? ""
                let channel = r["channel"] as? String ?? ""
                let key = "\(cohort) \(channel) +\(int(r, "offset"))"
                XCTAssertTrue(seen.insert(key).inserted, "\(p.label): \(key) twice")
                if cohort == "(weighted)" {
                    weightedRows["\(channel) +\(int(r, "offset"))"] = r
                    continue
                }
                let members = d.cohort.filter { $0.value == cohort && inGroup($0.key, channel) }.map(\.key)
                guard let month = Month(iso: r["month"] as? String ?? ""), let start = Month(iso: cohort) else {
                    XCTFail("bad month in \(r)")
                    continue
                }
                let what = "\(p.label) \(key)"
                let snapshot = month.lastDay
                XCTAssertEqual(month, start + int(r, "offset"), what)
                XCTAssertEqual(int(r, "customers"), members.count, what)
                XCTAssertEqual(int(r, "active"), members.filter { d.mrr($0, on: snapshot) > 0 }.count, what)
                XCTAssertEqual(int(r, "mrr_minor"), members.reduce(0) { $0 + d.mrr($1, on: snapshot) }, what)
                let mrrStart = members.reduce(0) { $0 + d.mrr($1, on: start.lastDay) }
                XCTAssertEqual(int(r, "mrr_start_minor"), mrrStart, what)
                let gross = members.reduce(0) { $0 + min(d.mrr($1, on: snapshot), d.mrr($1, on: start.lastDay)) }
                Self.assertRatio(r, "logo_retention", int(r, "active"), members.count, what)
                Self.assertRatio(r, "gross_revenue_retention", gross, mrrStart, what)
                Self.assertRatio(r, "revenue_retention", int(r, "mrr_minor"), mrrStart, what)
                // A cohort without MRR at its start adds its customers, not its later MRR, to the
                // weighted row (docs/metrics.md#weighted-rows).
                let counted = mrrStart == 0 ? 0 : int(r, "mrr_minor")
                let sums = [int(r, "customers"), int(r, "active"), mrrStart, counted, gross]
                weighted["\(channel) +\(int(r, "offset"))", default: [0, 0, 0, 0, 0]] = zip(
                    weighted["\(channel) +\(int(r, "offset"))"] ?? [0, 0, 0, 0, 0], sums
                ).map(+)
            }
            XCTAssertEqual(seen.filter { !$0.hasPrefix("(weighted)") }, expected, p.label)
            XCTAssertEqual(Set(weightedRows.keys), Set(weighted.keys), "\(p.label): weighted rows")
            for (key, sums) in weighted {
                let r = weightedRows[key] ?? [:]
                let what = "\(p.label) (weighted) \(key)"
                XCTAssertEqual(
                    [int(r, "customers"), int(r, "active"), int(r, "mrr_start_minor"), int(r, "mrr_minor")],
                    Array(sums.prefix(4)), what)
                XCTAssertTrue(r["month"] is NSNull, what)
                Self.assertRatio(r, "logo_retention", sums[1], sums[0], what)
                Self.assertRatio(r, "revenue_retention", sums[3], sums[2], what)
                Self.assertRatio(r, "gross_revenue_retention", sums[4], sums[2], what)
            }
            XCTAssertGreaterThan(expected.count, 400, p.label)
            XCTAssertEqual(pooled.isEmpty, p.maxChannels >= sizes.count, p.label)
        }
    }

    /// Survival rows recomputed from the customers' durations: at-risk counts customers with
    /// duration >= t, events the churned ones with duration <= t.
    func testSurvivalCountsMatchDurations() throws {
        for p in Self.projects {
            let customers = try rows("normalize/customers.jsonl", in: p).filter { $0["converted"] as? Bool == true }
            for r in try rows("cohort/survival.jsonl", in: p)
            where r["row"] as? String == "mark" && r["channel"] as? String == "(all)" {
                let t = int(r, "day")
                XCTAssertEqual(
                    int(r, "at_risk"), customers.filter { int($0, "duration_days") >= t }.count, "\(p.label) t = \(t)")
                XCTAssertEqual(
                    int(r, "events"),
                    customers.filter { $0["churned"] as? Bool == true && int($0, "duration_days") <= t }.count,
                    "\(p.label) t = \(t)")
            }
        }
    }

    /// The customer timeline against the intervals: first paying day, cohort (by first payment,
    /// or by signup month falling back to it), MRR on as_of, and which customers converted.
    func testCustomersMatchIntervals() throws {
        for p in Self.projects {
            let d = try MetricDefinitions(p, rows: { try self.rows($0, in: p) })
            var earlierSignups = 0
            for c in try rows("normalize/customers.jsonl", in: p) {
                let id = c["customer_id"] as? String ?? ""
                let what = "\(p.label) \(id)"
                guard let first = d.firstStart[id] else {
                    XCTAssertEqual(c["converted"] as? Bool, false, what)
                    // The contract's fields are present, null (docs/stages.md#null-fields).
                    XCTAssertTrue(c["cohort"] is NSNull && c["first_start"] is NSNull, what)
                    continue
                }
                XCTAssertEqual(c["converted"] as? Bool, true, what)
                XCTAssertEqual(c["first_start"] as? String, first.description, what)
                XCTAssertEqual(int(c, "mrr_at_as_of_minor"), d.mrr(id, on: p.asOf), what)
                let signup = (c["signup_date"] as? String).flatMap { Day(iso: $0) }
                let cohort = p.signupCohorts ? (signup ?? first).month : first.month
                XCTAssertEqual(c["cohort"] as? String, cohort.description, what)
                if cohort < first.month { earlierSignups += 1 }
            }
            if p.signupCohorts {
                XCTAssertGreaterThan(earlierSignups, 0, "\(p.label): a cohort before its first payment")
            }
        }
    }

    /// MRR movements recomputed from the definitions in docs/metrics.md#mrr-movements, every month
    /// and channel: each customer's MRR at s(m-1) and s(m) compared, `new` when the first paying
    /// day is on or after the first day of m.
    func testMovementsMatchIntervals() throws {
        let fields = [
            "mrr_start_minor", "new_minor", "expansion_minor", "contraction_minor", "churn_minor", "reactivation_minor",
            "mrr_end_minor", "customers_start", "customers_end", "new_customers", "reactivated_customers",
            "churned_customers",
        ]
        for p in Self.projects {
            let d = try MetricDefinitions(p, rows: { try self.rows($0, in: p) })
            var expected: [String: [String: Int]] = [:]
            let zero = Dictionary(uniqueKeysWithValues: fields.map { ($0, 0) })
            for m in d.months {
                for g in d.channelNames + ["(all)"] where d.hasRow(m, g) { expected["\(m) \(g)"] = zero }
                for (id, channel) in d.channel {
                    let a = d.mrr(id, on: (m - 1).lastDay)
                    let b = d.mrr(id, on: m.lastDay)
                    if a == 0 && b == 0 { continue }
                    var delta: [String: Int] = ["mrr_start_minor": a, "mrr_end_minor": b]
                    if a > 0 { delta["customers_start"] = 1 }
                    if b > 0 { delta["customers_end"] = 1 }
                    if a == 0 && b > 0 {
                        let isNew = (d.firstStart[id] ?? Day(raw: 0)) >= m.firstDay
                        delta[isNew ? "new_minor" : "reactivation_minor"] = b
                        delta[isNew ? "new_customers" : "reactivated_customers"] = 1
                    } else if a > 0 && b == 0 {
                        delta["churn_minor"] = a
                        delta["churned_customers"] = 1
                    } else if b > a {
                        delta["expansion_minor"] = b - a
                    } else if b < a {
                        delta["contraction_minor"] = a - b
                    }
                    for g in [channel, "(all)"] {
                        for (k, v) in delta { expected["\(m) \(g)", default: zero][k, default: 0] += v }
                    }
                }
            }
            var seen = Set<String>()
            for r in try rows("cohort/movements.jsonl", in: p) {
                let key = "\(r["month"] ?? "") \(r["channel"] ?? "")"
                XCTAssertTrue(seen.insert(key).inserted, "\(p.label): \(key) twice")
                guard let want = expected[key] else {
                    XCTFail("\(p.label): unexpected row \(key)")
                    continue
                }
                for k in fields { XCTAssertEqual(int(r, k), want[k], "\(p.label) \(key) \(k)") }
            }
            XCTAssertEqual(seen, Set(expected.keys), p.label)
            XCTAssertGreaterThan(expected.values.reduce(0) { $0 + ($1["reactivated_customers"] ?? 0) }, 0, p.label)
            XCTAssertGreaterThan(expected.values.reduce(0) { $0 + ($1["contraction_minor"] ?? 0) }, 0, p.label)
        }
    }

    /// Windows recomputed from the definitions in docs/metrics.md#windows: month, quarter and
    /// trailing twelve months, per channel and `(all)`, NRR and GRR included.
    func testWindowsMatchIntervals() throws {
        let counts = [
            "base_customers", "retained_customers", "base_mrr_minor", "end_mrr_minor", "upsell", "cross_sell", "gross",
        ]
        for p in Self.projects {
            let d = try MetricDefinitions(p, rows: { try self.rows($0, in: p) })
            var expected: [String: [String: Int]] = [:]
            let zero = Dictionary(uniqueKeysWithValues: counts.map { ($0, 0) })
            for (kind, span) in [("month", 1), ("quarter", 3), ("trailing_12m", 12)] {
                for m in d.months where kind != "quarter" || m.monthOfYear % 3 == 0 {
                    for g in d.channelNames + ["(all)"] where d.hasRow(m, g) { expected["\(kind) \(m) \(g)"] = zero }
                    let dayA = (m - span).lastDay
                    let dayB = m.lastDay
                    for (id, channel) in d.channel {
                        let a = d.mrr(id, on: dayA)
                        guard a > 0 else { continue }
                        let b = d.mrr(id, on: dayB)
                        let products = Set(d.intervals[id, default: []].map(\.product))
                        let heldAtA = products.filter { d.mrr(id, on: dayA, product: $0) > 0 }
                        let heldA = heldAtA.reduce(0) { $0 + d.mrr(id, on: dayA, product: $1) }
                        let heldB = heldAtA.reduce(0) { $0 + d.mrr(id, on: dayB, product: $1) }
                        let crossSold = products.contains {
                            !heldAtA.contains($0) && d.mrr(id, on: dayB, product: $0) > 0
                        }
                        let delta = [
                            "base_customers": 1, "retained_customers": b > 0 ? 1 : 0, "base_mrr_minor": a,
                            "end_mrr_minor": b, "upsell": heldB > heldA ? 1 : 0, "cross_sell": crossSold ? 1 : 0,
                            "gross": min(a, b),
                        ]
                        for g in [channel, "(all)"] {
                            for (k, v) in delta { expected["\(kind) \(m) \(g)", default: zero][k, default: 0] += v }
                        }
                    }
                }
            }
            var seen = Set<String>()
            for r in try rows("cohort/windows.jsonl", in: p) {
                let kind = r["kind"] as? String ?? ""
                let key = "\(kind) \(r["month"] ?? "") \(r["channel"] ?? "")"
                XCTAssertTrue(seen.insert(key).inserted, "\(p.label): \(key) twice")
                guard let want = expected[key], let m = Month(iso: r["month"] as? String ?? "") else {
                    XCTFail("\(p.label): unexpected row \(key)")
                    continue
                }
                let what = "\(p.label) \(key)"
                let span = ["month": 1, "quarter": 3, "trailing_12m": 12][kind] ?? 0
                XCTAssertEqual(r["from"] as? String, (m - span).lastDay.description, what)
                XCTAssertEqual(r["to"] as? String, m.lastDay.description, what)
                for k in counts.prefix(4) { XCTAssertEqual(int(r, k), want[k], "\(what) \(k)") }
                let base = want["base_customers"] ?? 0
                let baseMRR = want["base_mrr_minor"] ?? 0
                Self.assertRatio(r, "logo_churn_rate", base - (want["retained_customers"] ?? 0), base, what)
                Self.assertRatio(r, "nrr", want["end_mrr_minor"] ?? 0, baseMRR, what)
                Self.assertRatio(r, "grr", want["gross"] ?? 0, baseMRR, what)
                Self.assertRatio(r, "upsell_rate", want["upsell"] ?? 0, base, what)
                Self.assertRatio(r, "cross_sell_rate", want["cross_sell"] ?? 0, base, what)
            }
            XCTAssertEqual(seen, Set(expected.keys), p.label)
            for k in ["upsell", "cross_sell"] {
                XCTAssertGreaterThan(expected.values.reduce(0) { $0 + ($1[k] ?? 0) }, 0, "\(p.label) \(k)")
            }
        }
    }

    /// A ratio field is `a / b`, or null when `b` is 0 (docs/metrics.md#conventions).
    static func assertRatio(
        _ r: [String: Any], _ k: String, _ a: Int, _ b: Int, _ what: String, line: UInt = #line
    ) {
        if b == 0 {
            XCTAssertTrue(r[k] is NSNull, "\(what) \(k) should be null", line: line)
        } else {
            XCTAssertEqual(
                (r[k] as? NSNumber)?.doubleValue ?? .nan, Double(a) / Double(b), accuracy: 1e-12, "\(what) \(k)",
                line: line)
        }
    }
}

/// A project's converted customers and paying intervals from normalize's outputs, with the
/// metric definitions of docs/metrics.md written as directly (and slowly) as they read.
struct MetricDefinitions {
    struct Interval {
        var product: String
        var start: Day
        var end: Day?
        var mrr: Int
    }

    var asOf: Day
    /// Converted customers only: their channel, cohort month and first paying day.
    var channel: [String: String] = [:]
    var cohort: [String: String] = [:]
    var firstStart: [String: Day] = [:]
    var intervals: [String: [Interval]] = [:]

    init(_ p: CohortInvariantTests.Project, rows: (String) throws -> [[String: Any]]) throws {
        asOf = p.asOf
        for c in try rows("normalize/customers.jsonl") where c["converted"] as? Bool == true {
            let id = c["customer_id"] as? String ?? ""
            channel[id] = c["channel"] as? String ?? ""
            cohort[id] = c["cohort"] as? String ?? ""
        }
        for r in try rows("normalize/intervals.jsonl") {
            let id = r["customer_id"] as? String ?? ""
            let start = Day(iso: r["start"] as? String ?? "") ?? Day(raw: 0)
            intervals[id, default: []].append(
                Interval(
                    product: r["product"] as? String ?? "", start: start,
                    end: (r["end"] as? String).flatMap { Day(iso: $0) }, mrr: r["mrr_minor"] as? Int ?? 0))
            firstStart[id] = min(firstStart[id] ?? start, start)
        }
    }

    /// MRR on day `d`: the intervals covering it (end exclusive), of one product or all; nothing after as_of.
    func mrr(_ id: String, on d: Day, product: String? = nil) -> Int {
        guard d <= asOf else { return 0 }
        return intervals[id, default: []].filter {
            $0.start <= d && ($0.end.map { d < $0 } ?? true) && (product == nil || $0.product == product)
        }.reduce(0) { $0 + $1.mrr }
    }

    /// The last month whose last day is on or before as_of.
    var lastMonth: Month {
        var m = asOf.month
        while m.lastDay > asOf { m = m - 1 }
        return m
    }

    /// The movements' and windows' months: the first month with a paying customer through the last complete month.
    var months: [Month] {
        let first = firstStart.values.map(\.month).min() ?? lastMonth
        return Array(stride(from: min(first, lastMonth), through: lastMonth, by: 1))
    }

    /// The channels with a converted customer.
    var channelNames: [String] { Array(Set(channel.values)) }

    /// Whether the movements and windows have a row for month `m` and channel `g`: `(all)` every
    /// month, a channel from the month of its first customer's first paying day.
    func hasRow(_ m: Month, _ g: String) -> Bool {
        if g == "(all)" { return true }
        let first = firstStart.filter { channel[$0.key] == g }.map(\.value.month).min() ?? lastMonth
        return m >= min(first, lastMonth)
    }
}
