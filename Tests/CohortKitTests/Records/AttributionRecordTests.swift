import Foundation
import XCTest

@testable import CohortKit

/// Each churn-attribution record written and read back gives the same value, with the output's
/// documented keys in order (docs/metrics.md).
final class AttributionRecordTests: XCTestCase {
    /// Writes `rows` as a JSON Lines file and returns a reader over it (the file goes on teardown).
    func reader(_ rows: [some JSONLRecord]) throws -> JSONLReader {
        let line = JSONLineBuilder()
        for r in rows {
            line.beginObject()
            try r.write(to: line)
            line.endObject()
            line.newline()
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).jsonl")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Data(line.bytes).write(to: url)
        return try JSONLReader(path: url.path)
    }

    func testSegmentRoundTrip() throws {
        let row = SegmentRecord(
            dimension: "plan", value: "pro", customers: 12, churned: 3, churnProbEarly: 0.125,
            churnProbEarlyLower: 0.05, churnProbEarlyUpper: nil, churnProb1y: 0.25, churnProb1yLower: 0.1,
            churnProb1yUpper: 0.4, churnedMRR12mMinor: 9_000, churnedMRRShare: 0.3, relativeRisk: 1.5,
            logrankPValue: 0.01, pooled: true)
        let r = try reader([row])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            r.keys,
            [
                "dimension", "value", "customers", "churned", "churn_prob_early", "churn_prob_early_lower",
                "churn_prob_early_upper", "churn_prob_1y", "churn_prob_1y_lower", "churn_prob_1y_upper",
                "churned_mrr_12m_minor", "churned_mrr_share", "relative_risk", "logrank_p_value", "pooled",
            ])
        XCTAssertEqual(try SegmentRecord(reading: r), row)
    }

    func testPairwiseRoundTrip() throws {
        let rows = [
            PairwiseRecord(dimension: "plan", a: "a", b: "b", statistic: 4.5, pValue: 0.03, pHolm: 0.09),
            PairwiseRecord(dimension: "plan", a: "a", b: "(other)", statistic: nil, pValue: nil, pHolm: nil),
        ]
        let r = try reader(rows)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(r.keys, ["dimension", "a", "b", "statistic", "p_value", "p_holm"])
        XCTAssertEqual(try PairwiseRecord(reading: r), rows[0])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try PairwiseRecord(reading: r), rows[1])
    }

    func testReasonRoundTrip() throws {
        let row = ReasonRecord(
            channel: "web", category: "price", reason: "too \"expensive\"", customers: 4, churnedMRRMinor: 12_000)
        let r = try reader([row])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(r.keys, ["channel", "category", "reason", "customers", "churned_mrr_minor"])
        XCTAssertEqual(try ReasonRecord(reading: r), row)
    }

    func testCoxTermRoundTrip() throws {
        let row = CoxTermRecord(
            dimension: "plan", level: "basic", reference: "pro", coef: 0.5, se: 0.1, hazardRatio: 1.6487212707001282,
            ciLower: 1.35, ciUpper: 2.0, z: 5.0, pValue: 5.7e-7)
        let r = try reader([row])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            r.keys,
            ["dimension", "level", "reference", "coef", "se", "hazard_ratio", "ci_lower", "ci_upper", "z", "p_value"])
        XCTAssertEqual(try CoxTermRecord(reading: r), row)
    }

    func testCoxModelRoundTrip() throws {
        let model = CoxModelRecord(
            n: 1_000, events: 250, logLikelihood: -1_234.5, concordance: 0.61, iterations: 5, converged: false,
            message: "plan=x: no churns",
            notes: CoxNotes([
                .setAside(customers: 40, levels: [SetAsideLevel(dimension: "plan", level: "new", customers: 40)]),
                .dropped([CoxDroppedTerm(name: "region=eu", collinearWith: ["plan=x"])]),
                .diverging([CoxDivergingTerm(name: "plan=x", towardPlus: false)]),
            ]),
            dimensions: ["plan", "region"], droppedTerms: ["region=eu"], setAsideLevels: ["plan=new"],
            setAsideCustomers: 40)
        let parsed = try JSONParser.parse(model.json.serialized(pretty: true))
        XCTAssertEqual(
            parsed.objectValue?.map(\.0),
            [
                "n", "events", "log_likelihood", "concordance", "iterations", "converged", "message", "notes",
                "dimensions", "dropped_terms", "set_aside_levels", "set_aside_customers",
            ])
        XCTAssertEqual(try CoxModelRecord(json: parsed), model)
        var clean = model
        clean.message = nil
        clean.notes = CoxNotes([])
        clean.concordance = nil
        XCTAssertEqual(try CoxModelRecord(json: try JSONParser.parse(clean.json.serialized())), clean)
        // A file written before the set-aside fields and the notes reads as nothing set aside and
        // no notes.
        var older = clean
        older.setAsideLevels = []
        older.setAsideCustomers = 0
        let withoutFields = try JSONParser.parse(
            Array(
                #"{"n":1000,"events":250,"log_likelihood":-1234.5,"concordance":null,"iterations":5,"converged":false,"message":null,"dimensions":["plan","region"],"dropped_terms":["region=eu"]}"#
                    .utf8))
        XCTAssertEqual(try CoxModelRecord(json: withoutFields), older)
    }

    func testAtRiskRoundTrip() throws {
        let row = AtRiskRecord(
            customerID: "c-1", touchTier: "high_touch", mrrMinor: 50_000, relativeHazard: 2.5, churnProb90d: 0.2,
            expectedMRRLoss90dMinor: 10_000,
            drivers: [.init(dimension: "plan", level: "basic", hazardRatio: 1.7)])
        let r = try reader([row])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            r.keys,
            [
                "customer_id", "touch_tier", "mrr_minor", "relative_hazard", "churn_prob_90d",
                "expected_mrr_loss_90d_minor", "drivers",
            ])
        XCTAssertEqual(AtRiskRecord(reading: r), row)
    }

    /// A line's tier read from its first bytes is the tier the indexed line gives, whenever the
    /// first bytes give one: on rows this record writes (escaped ids and tiers, MRRs of every
    /// length) and on hand-made lines that move, drop, retype or repeat a field, or hold a tier
    /// that is not ASCII or not UTF-8. `nextUnindexed()` then `indexLine()` index a line as
    /// `next()` does.
    func testAtRiskTierFromTheFirstBytesIsTheIndexedLinesTier() throws {
        let written = [
            ("c-1", "high_touch", Int64(50_000)), ("c\"2", "low_touch", 7), ("c-3", "tech\u{1}touch", 0),
            ("c-4", "tech_touch", -12), ("c-5", "low_touch", 999_999_999_999_999_999), ("", "", 1),
            ("c-6", "tech_touch", Int64.max), ("c-7", "h\\t", 3),
        ].map {
            AtRiskRecord(
                customerID: $0.0, touchTier: $0.1, mrrMinor: $0.2, relativeHazard: 1, churnProb90d: 0.1,
                expectedMRRLoss90dMinor: 5, drivers: [.init(dimension: "touch_tier", level: "x", hazardRatio: 2)])
        }
        let line = JSONLineBuilder()
        for r in written {
            line.beginObject()
            r.write(to: line)
            line.endObject()
            line.newline()
        }
        let handMade = [
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":10}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":1.5}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":"10"}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":10"#,
            #"{"touch_tier":"high_touch","customer_id":"a","mrr_minor":10}"#,
            #"{"customer_id":"a","touch_tier":"high_touch"}"#,
            #"{"customer_id":1,"touch_tier":"high_touch","mrr_minor":10}"#,
            #"{"customer_id": "a", "touch_tier": "high_touch", "mrr_minor": 10}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":-}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":12345678901234567890}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":1,"touch_tier":"low_touch"}"#,
            #"{"customer_id":"a","touch_tier":"high_touch","mrr_minor":1,"drivers":[{"touch_tier":"x"}]}"#,
            #"{"customer_id":"a","touch_tier":"caf\#u{e9}","mrr_minor":1}"#,
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tier-\(UUID().uuidString).jsonl")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        // And a tier that is not UTF-8.
        let notUTF8 = Array(#"{"customer_id":"a","touch_tier":"hi"#.utf8) + [0xFF] + Array(#"","mrr_minor":1}"#.utf8)
        try Data(line.bytes + Array(handMade.joined(separator: "\n").utf8) + [10] + notUTF8).write(to: url)
        let r = try JSONLReader(path: url.path)
        let indexed = try JSONLReader(path: url.path)
        var fromBytes: [String?] = []
        while try r.nextUnindexed() {
            XCTAssertTrue(try indexed.next())
            XCTAssertEqual(r.fieldCount, 0, "not indexed yet")
            let leading = r.withLineBytes {
                AtRiskRecord.leadingTouchTier($0).map { String(decoding: $0, as: UTF8.self) }
            }
            let tier = AtRiskRecord.touchTier(reading: indexed)
            if let leading { XCTAssertEqual(leading, tier, r.rawLine) }
            fromBytes.append(leading)
            r.indexLine()
            XCTAssertEqual(r.keys, indexed.keys, r.rawLine)
            XCTAssertEqual(r.lineError, indexed.lineError, r.rawLine)
            XCTAssertEqual(AtRiskRecord.touchTier(reading: r), tier, r.rawLine)
        }
        XCTAssertFalse(try indexed.next())
        XCTAssertEqual(
            fromBytes,
            [
                "high_touch", nil, nil, "tech_touch", "low_touch", "", nil, nil,
                "high_touch", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
            ])
    }

    func testAtRiskBacktestRoundTrip() throws {
        let scored = AtRiskBacktestRecord(
            months: 6,
            scored: .init(
                asOf: try XCTUnwrap(Day(iso: "2024-06-30")), horizonDays: 90, accounts: 500, accountsChurned: 25,
                baseChurnRate: 0.05, topDecileAccounts: 50, topDecileChurned: 10, topDecileChurnRate: 0.2, lift: 4))
        let parsed = try JSONParser.parse(scored.json.serialized(pretty: true))
        XCTAssertEqual(
            parsed.objectValue?.map(\.0),
            [
                "months", "as_of", "horizon_days", "accounts", "accounts_churned", "base_churn_rate",
                "top_decile_accounts", "top_decile_churned", "top_decile_churn_rate", "lift",
            ])
        XCTAssertEqual(try AtRiskBacktestRecord(json: parsed), scored)
        XCTAssertEqual(try AtRiskBacktestRecord.none.json.serialized(), #"{"months":0}"#)
        XCTAssertEqual(try AtRiskBacktestRecord(json: try JSONParser.parse(#"{"months": 0}"#)), .none)
    }

    func testActivationRoundTrip() throws {
        let rows = [
            ActivationRecord(
                cohort: nil, channel: "(all)", customers: 10, activated: 7, activationRate: 0.7, windowOpen: 2),
            ActivationRecord(
                cohort: Month(year: 2024, month: 3), channel: "web", customers: 0, activated: 0, activationRate: nil,
                windowOpen: 1),
        ]
        let r = try reader(rows)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(r.keys, ["cohort", "channel", "customers", "activated", "activation_rate", "window_open"])
        XCTAssertEqual(try ActivationRecord(reading: r), rows[0])
        XCTAssertEqual(r.string("cohort"), "(all)")
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try ActivationRecord(reading: r), rows[1])
        XCTAssertEqual(try ActivationRecord(reading: r).cohortText, "2024-03")
    }

    /// A cohort that is neither a month nor (all) is a data error naming the file and line.
    func testActivationWithABadCohortIsADataError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"cohort": "March", "channel": "web"}"#.utf8 + [10]).write(to: url)
        let r = try JSONLReader(path: url.path)
        XCTAssertTrue(try r.next())
        XCTAssertThrowsError(try ActivationRecord(reading: r)) { e in
            guard case .malformedFile(let path, let line, let reason)? = e as? InputError else {
                return XCTFail("\(e)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertEqual(line, 1)
            XCTAssertTrue(reason.contains("\"March\""), reason)
        }
    }

    func testImpactRoundTrip() throws {
        let rows = [
            ImpactRecord(
                dimension: "(all)", value: "(all)", monthlyChurn: 0.02, overallMonthlyChurn: 0.02, mrrMinor: 1_000_000,
                mrrKeptPerYearMinor: 120_000),
            ImpactRecord(
                dimension: "plan", value: "x", monthlyChurn: nil, overallMonthlyChurn: 0.02, mrrMinor: 0,
                mrrKeptPerYearMinor: nil),
        ]
        let r = try reader(rows)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            r.keys,
            ["dimension", "value", "monthly_churn", "overall_monthly_churn", "mrr_minor", "mrr_kept_per_year_minor"])
        XCTAssertEqual(try ImpactRecord(reading: r), rows[0])
        XCTAssertTrue(try ImpactRecord(reading: r).isOverall)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try ImpactRecord(reading: r), rows[1])
    }

    func testPhaseRoundTrip() throws {
        let rows = [
            PhaseRecord(
                cohort: Month(year: 2023, month: 11), channel: "ads", customers: 9,
                activation: .init(customers: 8, reached: 6), adoption: .init(customers: 7, reached: 2),
                expansion: .init(customers: 5, reached: 1)),
            PhaseRecord(cohort: nil, channel: "(all)", customers: 3),
        ]
        let r = try reader(rows)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            r.keys,
            [
                "cohort", "channel", "customers", "activation_customers", "activated", "activation_rate",
                "adoption_customers", "adopted", "adoption_rate", "expansion_customers", "expanded", "expansion_rate",
            ])
        XCTAssertEqual(r.double("activation_rate"), 0.75)
        XCTAssertEqual(try PhaseRecord(reading: r), rows[0])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try PhaseRecord(reading: r), rows[1])
        XCTAssertEqual(r.kind("activation_customers"), .null)
    }

    /// Every record names an output the stage declares, with the declared schema version.
    func testRecordsMatchTheStageDescription() {
        let records: [(String, Int)] = [
            (SegmentRecord.output, SegmentRecord.schemaVersion), (PairwiseRecord.output, PairwiseRecord.schemaVersion),
            (ReasonRecord.output, ReasonRecord.schemaVersion), (CoxTermRecord.output, CoxTermRecord.schemaVersion),
            (CoxModelRecord.output, CoxModelRecord.schemaVersion), (AtRiskRecord.output, AtRiskRecord.schemaVersion),
            (AtRiskBacktestRecord.output, AtRiskBacktestRecord.schemaVersion),
            (ActivationRecord.output, ActivationRecord.schemaVersion),
            (ImpactRecord.output, ImpactRecord.schemaVersion),
            (PhaseRecord.output, PhaseRecord.schemaVersion),
        ]
        XCTAssertEqual(Set(records.map(\.0)), Set(StageDescription.attribution.writes.map(\.name)))
        for (name, version) in records {
            XCTAssertEqual(StageDescription.attribution.output(name)?.schemaVersion, version, name)
        }
    }
}
