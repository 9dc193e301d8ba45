import XCTest

@testable import CohortKit

/// A customer of a hand-made table: nil `firstStart` for one who never converted.
struct TestCustomer {
    var id: String
    var channel = "web"
    var firstStart: String? = "2024-01-10"
    var duration: Int32 = 100
    var churned = false
    var mrrAtAsOf: Int64 = 0
    var initialMRR: Int64 = 0
    var plan: String? = nil
    var attributes: [(String, String)] = []
}

extension CustomerTable {
    /// A table of `customers`, in the given order (ids should be sorted for lookups).
    static func make(_ customers: [TestCustomer]) throws -> CustomerTable {
        var t = CustomerTable()
        for c in customers {
            t.ids.append(c.id)
            t.channel.append(t.channels.id(c.channel))
            if let s = c.firstStart {
                let d = try XCTUnwrap(Day(iso: s))
                t.firstStart.append(d.raw)
                t.cohort.append(d.month.raw)
                t.duration.append(c.duration)
            } else {
                t.firstStart.append(Int32.min)
                t.cohort.append(Int32.min)
                t.duration.append(-1)
            }
            t.churned.append(c.churned)
            t.mrrAtAsOf.append(c.mrrAtAsOf)
            t.initialMRR.append(c.initialMRR)
            t.firstPlan.append(c.plan.map { t.plans.id($0) } ?? -1)
            t.attributes.append(c.attributes)
        }
        return t
    }
}

final class DimensionsTests: XCTestCase {
    /// Levels b, a, c, d with 1, 5, 3 and 0 customers, one customer outside the population (-1).
    /// With min 3: a (5) and c (3) are kept and sorted by name, b (1) goes to (other), d (no
    /// customers) disappears: levels a, c, (other); a→0, b→2, c→1.
    func testPoolKeepsLargeLevelsByNameAndJoinsSmallOnesToOther() {
        let d = AttributionDimension(
            name: "plan", levels: ["b", "a", "c", "d"], level: [1, 1, 1, 1, 1, 0, 2, 2, 2, -1], pooledLevel: nil)
        let p = Dimensions.pool(d, min: 3)
        XCTAssertEqual(p.levels, ["a", "c", "(other)"])
        XCTAssertEqual(p.level, [0, 0, 0, 0, 0, 2, 1, 1, 1, -1])
        XCTAssertEqual(p.pooledLevel, 2)
        XCTAssertNil(Dimensions.pool(d, min: 1).pooledLevel, "nothing below 1 customer but the empty level")
        XCTAssertEqual(Dimensions.pool(d, min: 1).levels, ["a", "b", "c"])
    }

    /// Initial MRR 500,000 → ARR 6,000,000 ≥ 5,000,000: high; 50,000 → 600,000 ≥ 500,000: low;
    /// 40,000 → 480,000: tech. A customer who never converted has no level.
    func testTouchTierFromInitialARR() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", initialMRR: 500_000), TestCustomer(id: "b", initialMRR: 50_000),
            TestCustomer(id: "c", initialMRR: 40_000), TestCustomer(id: "d", firstStart: nil, initialMRR: 900_000),
        ])
        let d = try Dimensions.touchTier(table: t, high: 5_000_000, low: 500_000)
        XCTAssertEqual(d.name, "touch_tier")
        XCTAssertEqual(d.levels, ["high_touch", "low_touch", "tech_touch"])
        XCTAssertEqual(d.level, [0, 1, 2, -1])
    }

    /// `channel` is the acquisition channel; a customers' attribute wins over the plan of the
    /// same name; an empty attribute is (unknown); a missing plan is (unknown).
    func testResolveReadsChannelsAttributesAndPlans() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", channel: "ads", plan: "pro", attributes: [("region", "eu")]),
            TestCustomer(id: "b", channel: "web", plan: nil, attributes: [("region", "")]),
            TestCustomer(id: "c", channel: "ads", plan: "basic", attributes: []),
        ])
        let dims = try resolve(t, ["channel", "plan", "region"])
        XCTAssertEqual(dims.map(\.name), ["acquisition_channel", "plan", "region"])
        XCTAssertEqual(dims[0].levels, ["ads", "web"])
        XCTAssertEqual(dims[0].level, [0, 1, 0])
        XCTAssertEqual(dims[1].levels, ["pro", "(unknown)", "basic"])
        XCTAssertEqual(dims[2].levels, ["eu", "(unknown)"])
        XCTAssertEqual(dims[2].level, [0, 1, 1])
    }

    private func resolve(_ t: CustomerTable, _ dimensions: [String]) throws -> [AttributionDimension] {
        let list = dimensions.map { "\"\($0)\"" }.joined(separator: ", ")
        let cfg = try PipelineConfig(
            value: JSONParser.parse(
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "attribution": {"dimensions": ["#
                    + list + "]}}"), file: "/tmp/x/pipeline.json")
        return try Dimensions.resolve(cfg: cfg, table: t)
    }

    /// An attribute value that reads as a bucket name is escaped like a channel or plan, on its
    /// first customer and on the later ones that repeat it, and under every attribute name that
    /// has it; an empty value is (unknown).
    func testAttributeValuesAreEscapedLikeOtherLabelsOnEveryRepeat() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", attributes: [("region", "(other)"), ("team", "(other)")]),
            TestCustomer(id: "b", attributes: [("region", "(other)")]),
            TestCustomer(id: "c", attributes: [("region", "")]),
            TestCustomer(id: "d", attributes: [("region", "\\(all)"), ("team", "x")]),
        ])
        let dims = try resolve(t, ["region", "team"])
        XCTAssertEqual(dims[0].levels, ["\\(other)", "(unknown)", "\\\\(all)"])
        XCTAssertEqual(dims[0].level, [0, 0, 1, 2])
        XCTAssertEqual(dims[1].levels, ["\\(other)", "(unknown)", "x"])
        XCTAssertEqual(dims[1].level, [0, 1, 1, 2])
    }

    /// Attribute names match as strings compare (canonical equivalence): "café" typed with a
    /// precomposed or a combining accent is one dimension. Values are one level per text as
    /// strings compare too, spelled as its first customer spells it.
    func testAttributeNamesAndValuesMatchByCanonicalEquivalence() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", attributes: [("caf\u{e9}", "x"), ("city", "Caf\u{e9}")]),
            TestCustomer(id: "b", attributes: [("cafe\u{301}", "y"), ("city", "Cafe\u{301}")]),
        ])
        let dims = try resolve(t, ["caf\u{e9}", "city"])
        XCTAssertEqual(dims[0].levels, ["x", "y"])
        XCTAssertEqual(dims[0].level, [0, 1])
        XCTAssertEqual(dims[1].levels.map { Array($0.utf8) }, [Array("Caf\u{e9}".utf8)])
        XCTAssertEqual(dims[1].level, [0, 0])
    }

    /// Each dimension's levels are numbered as a dictionary from every converted customer's
    /// label would number them, in order of first appearance, whatever customers who never
    /// converted hold before them; a missing and an empty attribute are one (unknown) level.
    /// On random tables of channels, plans, an attribute, touch tiers and activation.
    func testLevelsNumberEachConvertedCustomersLabelInOrderOfFirstAppearance() throws {
        var rng = SplitMix64(seed: 20_261_202)
        for _ in 0..<30 {
            let n = 1 + rng.below(60)
            var customers: [TestCustomer] = []
            for i in 0..<n {
                var c = TestCustomer(id: String(format: "c%03d", i))
                c.channel = ["web", "ads", "partner", "(other)"][rng.below(4)]
                c.firstStart = rng.below(3) == 0 ? nil : "2024-01-10"
                c.plan = rng.below(4) == 0 ? nil : ["pro", "basic", "team"][rng.below(3)]
                c.initialMRR = Int64(rng.below(3)) * 300_000
                if rng.below(5) > 0 { c.attributes = [("region", ["eu", "us", "", "(other)", "apac"][rng.below(5)])] }
                customers.append(c)
            }
            let t = try CustomerTable.make(customers)
            let activated = (0..<n).map { _ in rng.below(2) == 0 }
            var dims = try resolve(t, ["channel", "plan", "region"])
            dims.append(try Dimensions.touchTier(table: t, high: 5_000_000, low: 500_000))
            dims.append(Dimensions.activation(activated, table: t))
            let labels: [[String]] = [
                customers.map(\.channel),
                customers.map { $0.plan ?? "(unknown)" },
                customers.map { c in
                    let v = c.attributes.first?.1 ?? ""
                    return v.isEmpty ? "(unknown)" : Label.fromInput(v)
                },
                customers.map { AccountsAtRisk.tier(arrMinor: $0.initialMRR * 12, high: 5_000_000, low: 500_000) },
                activated.map { $0 ? "activated" : "not_activated" },
            ]
            XCTAssertEqual(dims.count, labels.count)
            for (d, label) in zip(dims, labels) {
                var ids: [String: Int32] = [:]
                var levels: [String] = []
                let level = (0..<n).map { i -> Int32 in
                    guard customers[i].firstStart != nil else { return -1 }
                    if let l = ids[label[i]] { return l }
                    ids[label[i]] = Int32(levels.count)
                    levels.append(label[i])
                    return Int32(levels.count - 1)
                }
                XCTAssertEqual(d.levels, levels, d.name)
                XCTAssertEqual(d.level, level, d.name)
            }
        }
    }

    /// Every customer's ARR is checked, one who never converted included: an initial MRR whose
    /// ARR overflows is an error naming that customer.
    func testTouchTierChecksEveryCustomersARR() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", initialMRR: 500_000),
            TestCustomer(id: "b", firstStart: nil, initialMRR: Int64.max / 2),
        ])
        XCTAssertThrowsError(try Dimensions.touchTier(table: t, high: 5_000_000, low: 500_000)) { e in
            XCTAssertTrue("\(e)".contains("customer b"), "\(e)")
        }
    }

    func testUnknownDimensionIsAConfigErrorListingWhatTheDataHas() throws {
        let t = try CustomerTable.make([TestCustomer(id: "a", attributes: [("region", "eu")])])
        XCTAssertThrowsError(try resolve(t, ["industry"])) { e in
            let c = e as? ConfigError
            XCTAssertEqual(c?.keyPath, "attribution.dimensions")
            XCTAssertEqual(c?.hint.contains("acquisition_channel, plan, region"), true)
        }
    }

    /// Levels a..d with 4, 9, 4, 1 customers and (other) with 6; Cox keeps at most 3: the two
    /// largest but (other) (b 9, then a 4 before c 4 by name), the rest joins (other).
    func testForCoxDropsTouchTierAndCapsLevels() {
        var level: [Int32] = []
        for (l, n) in [4, 9, 4, 1, 6].enumerated() { level += Array(repeating: Int32(l), count: n) }
        let plan = AttributionDimension(
            name: "plan", levels: ["a", "b", "c", "d", "(other)"], level: level, pooledLevel: 4)
        let tier = AttributionDimension(name: "touch_tier", levels: ["x"], level: [0], pooledLevel: nil)
        let cox = Dimensions.forCox([plan, tier], max: 3, events: 1_000)
        XCTAssertEqual(cox.map(\.name), ["plan"])
        XCTAssertEqual(cox[0].levels, ["a", "b", "(other)"])
        XCTAssertEqual(cox[0].pooledLevel, 2)
        XCTAssertEqual(cox[0].level.filter { $0 == 2 }.count, 4 + 1 + 6)
    }

    /// Two dimensions of 60 and 30 levels (one customer each) make 58 + 28 = 86 terms: with 300
    /// events (a limit of max(20, 30) = 30 terms) both are cut to the same cap, the largest that
    /// fits: 16 levels each (15 + 15 terms; a cap of 17 would make 32). With 2,000 events the
    /// limit is 200 and nothing changes; with 5 the floor of 20 terms holds (11 levels each).
    func testForCoxKeepsTenEventsPerTerm() {
        func dimension(_ name: String, _ n: Int) -> AttributionDimension {
            AttributionDimension(
                name: name, levels: (0..<n).map { "\(name)\($0)" }, level: (0..<n).map { Int32($0) },
                pooledLevel: nil)
        }
        let dims = [dimension("plan", 60), dimension("rep", 30)]
        XCTAssertEqual(Dimensions.coxTermLimit(events: 300), 30)
        XCTAssertEqual(Dimensions.coxTermLimit(events: 5), 20)
        let cut = Dimensions.forCox(dims, max: 1000, events: 300)
        XCTAssertEqual(cut.map(\.levels.count), [16, 16])
        XCTAssertEqual(cut.map(\.levels.last), ["(other)", "(other)"])
        XCTAssertEqual(cut[0].level.filter { $0 == 15 }.count, 60 - 15, "the rest joins (other)")
        XCTAssertEqual(Dimensions.forCox(dims, max: 1000, events: 2_000).map(\.levels.count), [60, 30])
        XCTAssertEqual(Dimensions.forCox(dims, max: 1000, events: 5).map(\.levels.count), [11, 11])
        XCTAssertEqual(Dimensions.forCox(dims, max: 8, events: 2_000).map(\.levels.count), [8, 8])
        // Unequal dimensions share one cap: 60, 3 and 1 levels with 250 events (25 terms) keep 24,
        // 3 and 1 (23 + 2 + 0 terms); with no churn at all the floor of 20 terms holds.
        let mixed = [dimension("plan", 60), dimension("region", 3), dimension("product", 1)]
        XCTAssertEqual(Dimensions.forCox(mixed, max: 1000, events: 250).map(\.levels.count), [24, 3, 1])
        XCTAssertEqual(Dimensions.forCox(mixed, max: 1000, events: 0).map(\.levels.count), [19, 3, 1])
    }
}
