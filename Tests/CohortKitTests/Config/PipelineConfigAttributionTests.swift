import XCTest

@testable import CohortKit

/// `attribution`: reason categories are keyed as the data's reasons are matched (trimmed,
/// ignoring case), and a dimension is listed once.
final class PipelineConfigAttributionTests: XCTestCase {
    func config(_ attribution: String) throws -> PipelineConfig {
        try ConfigSectionTesting.config("attribution", attribution)
    }

    func assertRefused(
        _ attribution: String, keyPath: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        ConfigSectionTesting.assertRefused(
            "attribution", attribution, keyPath: keyPath, mentions: mentions, prefixed: true, file: file, line: line)
    }

    /// Reasons are looked up ignoring case, so two keys of one reason in two cases left the
    /// category of `too_expensive` to the order of the keys in the file.
    func testReasonKeysThatAreOneReasonIgnoringCaseOrSpacesAreRefused() {
        assertRefused(
            #"{"reason_categories": {"Too_Expensive": "A", "too_expensive": "B"}}"#,
            keyPath: "attribution.reason_categories.too_expensive",
            mentions: [
                #""too_expensive" is the same reason as "Too_Expensive""#, "ignoring case", "Give each reason once",
            ])
        // Equal once trimmed, as the data's reasons are: both keys are named as written.
        assertRefused(
            #"{"reason_categories": {"price": "A", " PRICE\t": "A"}}"#,
            keyPath: #"attribution.reason_categories. PRICE\u0009"#,
            mentions: [#"" PRICE\u0009" is the same reason as "price""#, "leading and trailing spaces"])
        assertRefused(
            #"{"reason_categories": {"price\u3000": "A", "Price": "B"}}"#,
            keyPath: "attribution.reason_categories.Price",
            mentions: [#""Price" is the same reason as "price\u3000""#])
        // A key of only spaces is no reason at all: no cancellation could ever meet it.
        assertRefused(
            #"{"reason_categories": {"  ": "A"}}"#, keyPath: "attribution.reason_categories.  ",
            mentions: [#""  " is no reason: it is empty once trimmed of spaces"#, "(no reason given)"])
        assertRefused(
            #"{"reason_categories": {"": "A"}}"#, keyPath: "attribution.reason_categories.",
            mentions: [#""" is no reason"#])
    }

    /// A key with surrounding spaces never met a reason (the data's are trimmed), so its
    /// customers were `(unmapped)`: it is read trimmed, and the resolved configuration (the
    /// digest make compares) records it trimmed.
    func testReasonKeysAreTrimmedAsTheDataReasonsAre() throws {
        let c = try config(
            #"{"reason_categories": {"too_expensive ": "price", "\u00a0missing_feature\t": "function gap", "Bug": "x"}}"#
        )
        XCTAssertEqual(c.reasonCategories.map(\.0), ["too_expensive", "missing_feature", "Bug"])
        XCTAssertEqual(c.reasonCategories.map(\.1), ["price", "function gap", "x"])
        let plain = try config(
            #"{"reason_categories": {"too_expensive": "price", "missing_feature": "function gap", "Bug": "x"}}"#)
        XCTAssertEqual(c.digest, plain.digest)

        var reasons = ExitReasons(customers: 2)
        reasons.add(customer: 0, day: 1, reason: "too_expensive")
        reasons.add(customer: 1, day: 1, reason: "BUG")
        let rows = try reasons.rows(
            channel: [0, 0], channels: ["web"], lastChurnMRR: [10, 20], categories: c.reasonCategories)
        XCTAssertEqual(
            Set(rows.filter { $0.reason != "(all)" }.map { "\($0.reason) \($0.category)" }),
            ["too_expensive price", "BUG x"])
    }

    /// A dimension listed twice made churn-attribution write each of its segments twice.
    func testADimensionListedTwiceIsRefused() throws {
        assertRefused(
            #"{"dimensions": ["plan", "region", "plan"]}"#, keyPath: "attribution.dimensions",
            mentions: [#"dimension "plan" is listed twice"#, "List each dimension once", "case included"])
        // `channel` is the acquisition channel; canonically equal names are one attribute.
        assertRefused(
            #"{"dimensions": ["acquisition_channel", "channel"]}"#, keyPath: "attribution.dimensions",
            mentions: [#"dimension "channel" is the same dimension as "acquisition_channel""#])
        assertRefused(
            #"{"dimensions": ["caf\u00e9", "cafe\u0301"]}"#, keyPath: "attribution.dimensions",
            mentions: ["is the same dimension as"])
        // Attribute names are matched exactly, case included: two spellings are two columns.
        XCTAssertEqual(try config(#"{"dimensions": ["plan", "Plan"]}"#).dimensions, ["plan", "Plan"])
        XCTAssertEqual(try config(#"{}"#).dimensions, ["acquisition_channel", "plan"])
    }
}
