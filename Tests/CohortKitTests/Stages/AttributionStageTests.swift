import Foundation
import XCTest

@testable import CohortKit

/// The attribution stage on planted data: effects it must find, confounding it must see through,
/// and the output contract of docs/stages.md#churn-attribution.
final class AttributionStageTests: XCTestCase {
    /// Customers with exponential churn times (mean 400 days / hazard ratio), uniform censoring.
    /// Channels: organic (reference, the largest), paid_social (hazard × `paidSocialHR`), reseller
    /// (no effect of its own, but 80% starter plans against 20% elsewhere). Plan: starter has hazard
    /// × `starterHR` against pro.
    private func planted(seed: UInt64, n: Int, paidSocialHR: Double, starterHR: Double) -> [AttributionPipeline
        .Customer]
    {
        var rng = SplitMix(state: seed)
        return (0..<n).map { i in
            let u = rng.uniform()
            let channel = u < 0.5 ? "organic" : u < 0.7 ? "paid_social" : "reseller"
            let starter = rng.uniform() < (channel == "reseller" ? 0.8 : 0.2)
            var hr = 1.0
            if channel == "paid_social" { hr *= paidSocialHR }
            if starter { hr *= starterHR }
            let eventTime = rng.exponential(mean: 400 / hr)
            let censorTime = 30 + 870 * rng.uniform()
            let duration = max(1, Int(min(eventTime, censorTime).rounded(.up)))
            return AttributionPipeline.Customer(
                id: String(format: "C%05d", i), channel: channel, attributes: ["plan": starter ? "starter" : "pro"],
                duration: duration, churned: eventTime <= censorTime, lead: Int(rng.next() % 60))
        }
    }

    private func coxRow(_ rows: [[String: Any]], _ dimension: String, _ level: String) -> [String: Any]? {
        rows.first { $0.string("dimension") == dimension && $0.string("level") == level }
    }

    func testPlantedChannelEffectAndPlanConfounding() throws {
        let seed: UInt64 = 0x5EED_2024_0611
        let customers = planted(seed: seed, n: 1500, paidSocialHR: 2.0, starterHR: 2.5)
        let p = try AttributionPipeline(
            customers: customers, attributeColumns: ["plan"], dimensions: ["acquisition_channel", "plan"])
        defer { p.remove() }
        guard p.run() else { return }
        let note = "(seed \(seed), data in a deleted temporary folder; rerun with this seed to reproduce)"
        let cox = try p.rows("cox")
        guard let social = coxRow(cox, "acquisition_channel", "paid_social"),
            let reseller = coxRow(cox, "acquisition_channel", "reseller"),
            let starter = coxRow(cox, "plan", "starter")
        else {
            return XCTFail("missing Cox terms in \(cox) \(note)")
        }
        XCTAssertEqual(social.string("reference"), "organic", note)
        XCTAssertEqual(starter.string("reference"), "pro", note)

        // (a) the planted channel: HR > 1 with the whole CI above 1.
        XCTAssertGreaterThan(social.double("hazard_ratio") ?? 0, 1, note)
        XCTAssertGreaterThan(social.double("ci_lower") ?? 0, 1, "paid_social CI must exclude 1 \(note)")
        // (b) the plan effect is the plan's: starter's CI excludes 1 ...
        XCTAssertGreaterThan(starter.double("ci_lower") ?? 0, 1, "starter CI must exclude 1 \(note)")
        // ... and the channel that merely sells starter plans is not blamed for it.
        let lower = reseller.double("ci_lower") ?? .nan
        let upper = reseller.double("ci_upper") ?? .nan
        XCTAssertTrue(lower < 1 && upper > 1, "reseller CI [\(lower), \(upper)] must include 1 \(note)")

        // The confounding is real: unadjusted, reseller churns visibly more than organic.
        let pairwise = try p.rows("pairwise")
        let pair = pairwise.first {
            $0.string("dimension") == "acquisition_channel" && $0.string("a") == "organic"
                && $0.string("b") == "reseller"
        }
        XCTAssertLessThan(
            pair?.double("p_value") ?? 1, 0.001, "without adjustment reseller differs from organic \(note)")
        let segments = try p.rows("segments")
        func oneYear(_ v: String) -> Double {
            segments.first { $0.string("dimension") == "acquisition_channel" && $0.string("value") == v }?.double(
                "churn_prob_1y") ?? .nan
        }
        XCTAssertGreaterThan(oneYear("reseller"), oneYear("organic") + 0.05, note)
    }

    /// Several seeds: with no channel effect planted the channel's CI should include 1 most of the
    /// time; the planted plan effect is found every time.
    func testConfoundingAcrossSeeds() throws {
        var excluded = 0
        let seeds: [UInt64] = [1, 2, 3, 4, 5]
        for seed in seeds {
            let customers = planted(seed: seed, n: 1200, paidSocialHR: 1.0, starterHR: 2.5)
            let p = try AttributionPipeline(
                customers: customers, attributeColumns: ["plan"], dimensions: ["acquisition_channel", "plan"])
            defer { p.remove() }
            guard p.run() else { return }
            let cox = try p.rows("cox")
            let starter = coxRow(cox, "plan", "starter")
            XCTAssertGreaterThan(starter?.double("ci_lower") ?? 0, 1, "seed \(seed)")
            for level in ["paid_social", "reseller"] {
                let row = coxRow(cox, "acquisition_channel", level)
                if !((row?.double("ci_lower") ?? 2) < 1 && (row?.double("ci_upper") ?? 0) > 1) { excluded += 1 }
            }
        }
        // 10 null intervals at 95%: more than 2 excluding 1 has probability below 1.2%.
        XCTAssertLessThanOrEqual(excluded, 2, "null channel CIs excluding 1 over seeds \(seeds)")
    }

    // MARK: edge cases through the stage

    /// A channel nobody leaves: its hazard ratio has no estimate (its coefficient heads to −∞), so
    /// its customers are set aside and the model fitted on the rest converges, equal to a run
    /// without them; cox_model.json says which level, and its accounts are not scored.
    func testChannelWithNoChurnIsSetAside() throws {
        var rng = SplitMix(state: 77)
        let customers = (0..<300).map { i -> AttributionPipeline.Customer in
            let channel = ["organic", "partner", "quiet"][i % 3]
            let t = rng.exponential(mean: 300)
            let c = 60 + 600 * rng.uniform()
            let churned = channel != "quiet" && t <= c
            return AttributionPipeline.Customer(
                id: String(format: "C%04d", i), channel: channel,
                duration: max(1, Int(churned ? t.rounded(.up) : c)), churned: churned)
        }
        let p = try AttributionPipeline(customers: customers, attributeColumns: [], dimensions: ["acquisition_channel"])
        defer { p.remove() }
        guard p.run() else { return }
        let model = try p.object("cox_model")
        XCTAssertEqual(model["converged"] as? Bool, true)
        XCTAssertEqual(model["n"] as? Int, 200)
        XCTAssertEqual(model["set_aside_levels"] as? [String], ["acquisition_channel=quiet"])
        XCTAssertEqual(model["set_aside_customers"] as? Int, 100)
        let message = model.string("message") ?? ""
        XCTAssertTrue(message.contains("'acquisition_channel=quiet' (100 customers)"), message)
        XCTAssertNil(try p.rows("cox").first { $0.string("level") == "quiet" })
        let partner = try XCTUnwrap(try p.rows("cox").first { $0.string("level") == "partner" })
        XCTAssertLessThan(partner.double("se") ?? .infinity, 1)
        let atRisk = try p.rows("at_risk").compactMap { $0.string("customer_id") }
        XCTAssertFalse(atRisk.isEmpty)
        XCTAssertTrue(atRisk.allSatisfy { Int($0.dropFirst())! % 3 != 2 }, "no quiet account is scored")
        let segment = try p.rows("segments").first { $0.string("value") == "quiet" }
        XCTAssertEqual(segment?.double("churn_prob_1y"), 0)

        // The same customers without the quiet ones give the same model.
        let rest = try AttributionPipeline(
            customers: customers.filter { $0.channel != "quiet" }, attributeColumns: [],
            dimensions: ["acquisition_channel"])
        defer { rest.remove() }
        guard rest.run() else { return }
        let alone = try XCTUnwrap(try rest.rows("cox").first { $0.string("level") == "partner" })
        XCTAssertEqual(partner.double("coef") ?? .nan, alone.double("coef") ?? 0, accuracy: 1e-12)
        XCTAssertEqual(partner.double("se") ?? .nan, alone.double("se") ?? 0, accuracy: 1e-12)
        XCTAssertEqual(try rest.object("cox_model")["set_aside_customers"] as? Int, 0)
    }

    /// Nobody has churned yet: no estimates, clear nulls and a message, exit 0.
    func testAllCensored() throws {
        let customers = (0..<60).map { i in
            AttributionPipeline.Customer(
                id: String(format: "C%03d", i), channel: i % 2 == 0 ? "a" : "b",
                duration: 30 + i * 5, churned: false)
        }
        let p = try AttributionPipeline(customers: customers, attributeColumns: [], dimensions: ["acquisition_channel"])
        defer { p.remove() }
        guard p.run() else { return }
        let model = try p.object("cox_model")
        XCTAssertEqual(model.int("events"), 0)
        XCTAssertEqual(model["converged"] as? Bool, false)
        XCTAssertTrue(model.string("message")?.contains("no events") ?? false, "\(model)")
        XCTAssertEqual(try p.rows("cox").count, 0)
        let segments = try p.rows("segments")
        XCTAssertEqual(segments.filter { $0.string("dimension") == "acquisition_channel" }.count, 2)
        for row in segments {
            XCTAssertEqual(row.double("churn_prob_1y"), 0)
            XCTAssertEqual(row.int("churned"), 0)
        }
        // No event, no evidence: statistic 0 and p = 1, as lifelines' logrank_test([30, 40, 50],
        // [35, 45], [0, 0, 0], [0, 0]) gives (0.0, 1.0).
        for row in try p.rows("pairwise") {
            XCTAssertEqual(row.double("statistic"), 0, "\(row)")
            XCTAssertEqual(row.double("p_value"), 1, "\(row)")
            XCTAssertEqual(row.double("p_holm"), 1, "\(row)")
        }
    }

    /// A second dimension that splits customers exactly as the channel does: its terms are
    /// collinear with the channel's, dropped and named in cox_model.json; small values pool into
    /// `(other)`, flagged in segments and fitted as their own level.
    func testCollinearDimensionAndPooling() throws {
        var rng = SplitMix(state: 2024)
        let customers = (0..<200).map { i -> AttributionPipeline.Customer in
            let channel = i < 8 ? (i < 4 ? "events" : "podcast") : ["organic", "partner"][i % 2]
            let team =
                ["events": "field", "podcast": "field", "organic": "self_serve", "partner": "alliances"][channel] ?? ""
            let t = rng.exponential(mean: channel == "partner" ? 500 : 250)
            let c = 60 + 600 * rng.uniform()
            return AttributionPipeline.Customer(
                id: String(format: "C%04d", i), channel: channel, attributes: ["team": team],
                duration: max(1, Int(min(t, c).rounded(.up))), churned: t <= c)
        }
        let p = try AttributionPipeline(
            customers: customers, attributeColumns: ["team"],
            dimensions: ["acquisition_channel", "team"], minSegment: 30)
        defer { p.remove() }
        guard p.run() else { return }
        let segments = try p.rows("segments").filter { $0.string("dimension") == "acquisition_channel" }
        XCTAssertEqual(segments.map { $0.string("value") ?? "" }, ["organic", "partner", "(other)"])
        XCTAssertEqual(segments.map { $0["pooled"] as? Bool ?? false }, [false, false, true])
        XCTAssertEqual(segments.last?.int("customers"), 8)
        // team: self_serve 96, alliances 96, field 8 (pooled into (other) too, min 30).
        let model = try p.object("cox_model")
        let dropped = model["dropped_terms"] as? [String] ?? []
        XCTAssertEqual(dropped.count, 2, "\(model)")
        XCTAssertTrue(dropped.allSatisfy { $0.hasPrefix("team=") }, "\(dropped)")
        XCTAssertTrue(model.string("message")?.contains("collinear with acquisition_channel=") ?? false, "\(model)")
        XCTAssertEqual(model["converged"] as? Bool, true)
        let terms = try p.rows("cox").map { "\($0.string("dimension") ?? "")=\($0.string("level") ?? "")" }
        XCTAssertEqual(terms, ["acquisition_channel=partner", "acquisition_channel=(other)"])
    }

    // MARK: output contract (docs/stages.md#churn-attribution)

    func testFieldNamesReasonsAndImpact() throws {
        var customers: [AttributionPipeline.Customer] = []
        let reasons = ["too_expensive", "Too_Expensive", "Moved everything to spreadsheets", "", "missing_feature"]
        for i in 0..<40 {
            let churned = i % 2 == 0
            customers.append(
                AttributionPipeline.Customer(
                    id: String(format: "C%03d", i), channel: i % 4 < 2 ? "organic" : "partner",
                    attributes: ["plan": "pro", "region": i < 20 ? "emea" : "apac"],
                    duration: 20 + i * 9, churned: churned, mrr: 10_000 + 100 * i,
                    cancellationReason: churned ? reasons[(i / 2) % reasons.count] : nil))
        }
        let p = try AttributionPipeline(
            customers: customers, attributeColumns: ["plan", "region"],
            dimensions: ["acquisition_channel", "plan", "region"],
            reasonCategories: ["too_expensive": "price", "missing_feature": "function gap"])
        defer { p.remove() }
        guard p.run() else { return }

        let required: [String: [String]] = [
            "segments": [
                "dimension", "value", "customers", "churned", "churn_prob_early", "churn_prob_early_lower",
                "churn_prob_early_upper", "churn_prob_1y", "churn_prob_1y_lower", "churn_prob_1y_upper",
                "churned_mrr_12m_minor", "churned_mrr_share", "relative_risk", "logrank_p_value", "pooled",
            ],
            "pairwise": ["dimension", "a", "b", "statistic", "p_value", "p_holm"],
            "reasons": ["channel", "category", "reason", "customers", "churned_mrr_minor"],
            "cox": [
                "dimension", "level", "reference", "coef", "se", "hazard_ratio", "ci_lower", "ci_upper", "z", "p_value",
            ],
            "impact": ["dimension", "value", "monthly_churn", "overall_monthly_churn", "mrr_kept_per_year_minor"],
        ]
        for (file, fields) in required.sorted(by: { $0.key < $1.key }) {
            let keys = try p.keys(file)
            XCTAssertFalse(keys.isEmpty, "\(file).jsonl has rows")
            for (n, row) in keys.enumerated() {
                let missing = fields.filter { !row.contains($0) }
                XCTAssertEqual(missing, [], "\(file).jsonl row \(n + 1) lacks \(missing)")
            }
        }
        // No events source: activation.jsonl exists and is empty.
        XCTAssertEqual(try p.keys("activation").count, 0)
        let model = try p.object("cox_model")
        for field in ["n", "events", "log_likelihood", "concordance", "iterations", "converged", "message"] {
            XCTAssertNotNil(model[field], "cox_model.json lacks \(field)")
        }
        // plan has one value: a segment row but no Cox term and no pairwise row.
        XCTAssertEqual(try p.rows("segments").filter { $0.string("dimension") == "plan" }.count, 1)
        XCTAssertEqual(try p.rows("cox").filter { $0.string("dimension") == "plan" }.count, 0)
        XCTAssertEqual(try p.rows("pairwise").filter { $0.string("dimension") == "plan" }.count, 0)

        // region: emea and apac have 20 customers each; the tie goes to the first name.
        let region = try p.rows("cox").filter { $0.string("dimension") == "region" }
        XCTAssertEqual(region.map { $0.string("level") ?? "" }, ["emea"])
        XCTAssertEqual(region.first?.string("reference"), "apac")

        // Reasons: every cancellation counted once under (all); unmapped reasons keep their text.
        let rows = try p.rows("reasons")
        let allRows = rows.filter { $0.string("channel") == "(all)" && $0.string("reason") != "(all)" }
        XCTAssertEqual(
            allRows.reduce(0) { $0 + ($1.int("customers") ?? 0) }, 20, "20 churned customers each with a cancellation")
        func count(_ reason: String) -> (String?, Int?) {
            let r = allRows.first { $0.string("reason") == reason }
            return (r?.string("category"), r?.int("customers"))
        }
        XCTAssertEqual(count("Moved everything to spreadsheets").0, "(unmapped)")
        XCTAssertEqual(count("Moved everything to spreadsheets").1, 4)
        // too_expensive and Too_Expensive (4 customers each) are one reason, shown in the first
        // spelling in byte order, mapped ignoring case.
        XCTAssertEqual(count("Too_Expensive").0, "price", "categories match case-insensitively")
        XCTAssertEqual(count("Too_Expensive").1, 8)
        XCTAssertNil(count("too_expensive").0, "one row for both spellings")
        XCTAssertEqual(count("(no reason given)").1, 4)
        XCTAssertEqual(count("missing_feature").0, "function gap")

        // Impact: (all) row is one point of monthly churn, 0.01 × 12 × MRR at as_of. The 20
        // still-running customers (odd i) pay 10,000 + 100 i.
        let mrr = (0..<40).filter { $0 % 2 == 1 }.reduce(0) { $0 + 10_000 + 100 * $1 }
        let impact = try p.rows("impact")
        let all = impact.filter { $0.string("dimension") == "(all)" }
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all.first?.string("value"), "(all)")
        XCTAssertEqual(all.first?.int("mrr_minor"), mrr)
        XCTAssertEqual(all.first?.int("mrr_kept_per_year_minor"), Int((Double(mrr) * 0.12).rounded()))
    }
}

/// The committed sample's generator with its planted effects (see `PlantedEffects`): paid_social
/// churns three times as fast in its first 90 days; partner has no effect of its own and sells
/// mostly enterprise, the least-churning plan.
final class AttributionSampleTests: XCTestCase {
    func testGeneratedSampleRecoversPlantedEffects() throws {
        let seed: UInt64 = 42
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attribution-sample-\(UUID().uuidString)")
        let generator = try SampleGenerator(customers: 3000, seed: seed)
        _ = try generator.write(to: root.path)
        let p = AttributionPipeline(root: root)
        defer { p.remove() }
        guard p.run() else { return }
        let note = "(generate-sample --customers 3000 --seed \(seed))"
        let cox = try p.rows("cox")
        func term(_ level: String) -> [String: Any]? {
            cox.first { $0.string("dimension") == "acquisition_channel" && $0.string("level") == level }
        }
        guard let social = term("paid_social"), let partner = term("partner") else {
            return XCTFail("missing channel terms: \(cox.map { $0.string("level") ?? "" }) \(note)")
        }
        XCTAssertGreaterThan(social.double("hazard_ratio") ?? 0, 1, note)
        XCTAssertGreaterThan(social.double("ci_lower") ?? 0, 1, "paid_social CI must exclude 1 \(note)")
        let lower = partner.double("ci_lower") ?? .nan
        let upper = partner.double("ci_upper") ?? .nan
        XCTAssertTrue(lower < 1 && upper > 1, "partner CI [\(lower), \(upper)] must include 1 \(note)")
        // Unadjusted, partner does look better than the largest channel: its plan mix at work.
        let segments = try p.rows("segments").filter { $0.string("dimension") == "acquisition_channel" }
        let partnerChurn = segments.first { $0.string("value") == "partner" }?.double("churn_prob_1y") ?? .nan
        let organicChurn = segments.first { $0.string("value") == "organic_search" }?.double("churn_prob_1y") ?? .nan
        XCTAssertLessThan(partnerChurn, organicChurn, note)
        let model = try p.object("cox_model")
        XCTAssertEqual(model["converged"] as? Bool, true, "\(model["message"] ?? "") \(note)")
        // Adoption: 70% of the 60% activated create a report in their second month too (42%).
        let all = try p.rows("phases").first { $0.string("cohort") == "(all)" && $0.string("channel") == "(all)" }
        let adoption = all?.double("adoption_rate") ?? .nan
        XCTAssertTrue(adoption > 0.35 && adoption < 0.5, "adoption rate \(adoption) \(note)")
    }
}
