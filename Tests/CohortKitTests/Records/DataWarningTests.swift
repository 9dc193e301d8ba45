import Foundation
import XCTest

@testable import CohortKit

/// Data-quality warnings: each kind's English sentence, its record in the manifest's
/// `warning_kinds`, and manifests written before kinds were recorded.
final class DataWarningTests: XCTestCase {
    static let kinds: [DataWarning.Kind] = [
        .missingColumn(
            source: .customers, path: "raw/customers.csv", field: "acquisition_channel",
            column: "acquisition_channel", rows: 3_000, near: nil),
        .missingColumn(
            source: .subscriptions, path: "raw/subs.csv", field: "end_date", column: "end", rows: 40, near: nil),
        .missingOptionalSource(source: .events, path: "raw/events.jsonl"),
        .staleAsOf(asOf: Day(iso: "2024-12-31")!, last: Day(iso: "2024-01-15")!, openAtAsOf: nil),
        .staleAsOf(asOf: Day(iso: "2024-12-31")!, last: Day(iso: "2024-01-15")!, openAtAsOf: 0),
        .staleAsOf(asOf: Day(iso: "2024-12-31")!, last: Day(iso: "2024-01-15")!, openAtAsOf: 12),
        .sourcesChanged(resized: [
            .init(path: "raw/customers.csv", bytesNow: 1_234, bytesRead: 1_200),
            .init(path: "raw/subscriptions.csv", bytesNow: nil, bytesRead: 98_765),
        ]),
        .sourcesChanged(resized: []),
        .asOfBeforeData(asOf: Day(iso: "2022-01-31")!, first: Day(iso: "2023-01-04")!),
        .signupAfterAsOf(asOf: Day(iso: "2024-06-30")!, customers: 1, example: "C7", signup: Day(iso: "2024-09-01")!),
        .signupAfterAsOf(
            asOf: Day(iso: "2024-06-30")!, customers: 1_204, example: "C7", signup: Day(iso: "2024-09-01")!),
        .missingColumn(
            source: .subscriptions, path: "raw/subs.csv", field: "currency", column: "currency", rows: 2,
            near: "Currency Code"),
        .unnamedColumns(source: .customers, path: "raw/customers.csv", columns: 2, values: 15),
        .unnamedColumns(source: .customers, path: "raw/customers.csv", columns: 1, values: 1),
        .lookAlikeAttributes(
            path: "raw/customers.csv", values: 1, column: "region", line: 3, value: "Kanto\\u200b",
            character: "U+200B ZERO WIDTH SPACE", position: 6, looksLike: nil),
        .lookAlikeAttributes(
            path: "raw/customers.csv", values: 40, column: "sales_rep", line: 9, value: "\u{0410}nna",
            character: "U+0410 CYRILLIC CAPITAL LETTER A", position: 1, looksLike: "Anna"),
        .excessDecimals(
            path: "raw/subs.csv", field: "mrr", rows: 1, line: 4, value: "1.234", currency: "JPY", minorUnits: 0),
        .excessDecimals(
            path: "raw/subs.csv", field: "amount", rows: 12_000, line: 2, value: "49.995", currency: "USD",
            minorUnits: 2),
        .zeroMRRWithAmount(path: "raw/subs.csv", rows: 1, line: 7, mrr: "0", amount: "49.00"),
        .zeroMRRWithAmount(path: "raw/subs.csv", rows: 1_200, line: 2, mrr: "0.00", amount: "120"),
        .noSubscriptions(path: "raw/subs.csv", read: 0),
        .noSubscriptions(path: "raw/subs.csv", read: 1_500),
    ]

    /// The sentences stages printed before warnings had kinds, word for word.
    func testEnglishSentencesAreTheOnesStagesPrint() {
        XCTAssertEqual(
            Self.kinds.map(\.english),
            [
                "raw/customers.csv: no \"acquisition_channel\" column (for acquisition_channel): all 3,000 customers are in (unknown). Map the right column with \"columns\": {\"acquisition_channel\": \"<column name>\"} in sources.customers.",
                "raw/subs.csv: no \"end\" column (for end_date): all 40 subscriptions are open-ended, so no one churns. Map the right column with \"columns\": {\"end_date\": \"<column name>\"} in sources.subscriptions.",
                "raw/events.jsonl: the optional events file was not found, so the run has no events. Check sources.events.path if it should be there.",
                "as_of 2024-12-31 is 351 days after the last date in the data (2024-01-15): open subscriptions count as paying up to it, which flatters churn and LTV. Set as_of (or --as-of) to the data's end, or check the exports are current.",
                "as_of 2024-12-31 is 351 days after the last date in the data (2024-01-15): no subscription is open at as_of, so every customer counts as gone by then and the months after the data show no new customers. Set as_of (or --as-of) to the data's end, or check the exports are current.",
                "as_of 2024-12-31 is 351 days after the last date in the data (2024-01-15): open subscriptions count as paying up to it, which flatters churn and LTV. Set as_of (or --as-of) to the data's end, or check the exports are current.",
                "The sources changed after ingest read them, or the ingest outputs are not the ones ingest wrote here (raw/customers.csv: 1,234 bytes now, 1,200 when read; raw/subscriptions.csv: missing now, 98,765 when read): these numbers are from the data as ingest read it. Run make (or ingest and every stage after it) to refresh them.",
                "The sources changed after ingest read them, or the ingest outputs are not the ones ingest wrote here: these numbers are from the data as ingest read it. Run make (or ingest and every stage after it) to refresh them.",
                "as_of 2022-01-31 is before the first subscription starts (2023-01-04): nobody is a customer yet, so every metric is empty. Set as_of (or --as-of) to a date within the data.",
                "1 paying customer has a signup_date in a month after as_of 2024-06-30 (C7: 2024-09-01): with cohort_basis signup_date their cohort has no month observed yet, so they are in no retention triangle. Check their signup dates, or use cohort_basis first_subscription.",
                "1,204 paying customers have a signup_date in a month after as_of 2024-06-30 (C7: 2024-09-01): with cohort_basis signup_date their cohort has no month observed yet, so they are in no retention triangle. Check their signup dates, or use cohort_basis first_subscription.",
                "raw/subs.csv: no \"currency\" column (for currency): amounts are read in sources.subscriptions.currency, or else in the report currency. The file has \"Currency Code\": if that is it, map it with \"columns\": {\"currency\": \"Currency Code\"} in sources.subscriptions.",
                "raw/customers.csv: 2 columns have no name in the header line; the 15 values in them are not read. Name the column to keep it as an attribute.",
                "raw/customers.csv: a column has no name in the header line; the 1 value in it is not read. Name the column to keep it as an attribute.",
                "raw/customers.csv: 1 attribute value holds a character that makes it look like another value (line 3, region \"Kanto\\u200b\": U+200B ZERO WIDTH SPACE at character 6); such values are kept as written, so in churn attribution each is a segment of its own. Clean them in the export.",
                "raw/customers.csv: 40 attribute values hold characters that make them look like other values (line 9, sales_rep \"\u{0410}nna\": U+0410 CYRILLIC CAPITAL LETTER A at character 1, so it looks like \"Anna\"); such values are kept as written, so in churn attribution each is a segment of its own. Clean them in the export.",
                "raw/subs.csv: 1 mrr value has more decimal places than the currency's minor units (line 4: 1.234 JPY, which has 0 decimal places); they are read as written and rounded once converted. If the export writes a dot between thousands (1.234 for one thousand two hundred thirty-four), each such amount is read as a thousandth of itself: write the amounts without it.",
                "raw/subs.csv: 12,000 amount values have more decimal places than the currency's minor units (line 2: 49.995 USD, which has 2 decimal places); they are read as written and rounded once converted. If the export writes a dot between thousands (1.234 for one thousand two hundred thirty-four), each such amount is read as a thousandth of itself: write the amounts without it.",
                "raw/subs.csv: 1 subscription gives mrr 0 and an amount above 0 (line 7: mrr 0, amount 49.00); mrr wins, so they count as free subscriptions, with no MRR and no churn. If the mrr column is each subscription's current MRR (0 once it is cancelled, as some billing exports write it), map amount and billing_period and leave mrr out.",
                "raw/subs.csv: 1,200 subscriptions give mrr 0 and an amount above 0 (line 2: mrr 0.00, amount 120); mrr wins, so they count as free subscriptions, with no MRR and no churn. If the mrr column is each subscription's current MRR (0 once it is cancelled, as some billing exports write it), map amount and billing_period and leave mrr out.",
                "raw/subs.csv: the subscriptions file has no rows (only its header line), so no customer pays and every metric is empty. Check the export.",
                "raw/subs.csv: the subscriptions file has no accepted row (1,500 read, every one rejected), so no customer pays and every metric is empty. Check the export.",
            ])
        XCTAssertEqual(DataWarning(Self.kinds[2]).text, Self.kinds[2].english)
        // One row reads in the singular.
        XCTAssertEqual(
            DataWarnings.consequence(.customers, "acquisition_channel", rows: 1), "the 1 customer is in (unknown)")
        XCTAssertEqual(
            DataWarnings.consequence(.subscriptions, "end_date", rows: 1),
            "the 1 subscription is open-ended, so no one churns")
        XCTAssertEqual(DataWarnings.consequence(.cancellations, "reason", rows: 1), "the 1 cancellation has no reason")
        XCTAssertEqual(DataWarnings.consequence(.subscriptions, "plan", rows: 0), "all 0 subscriptions have no plan")
    }

    func testKindsRoundTripThroughTheirRecord() throws {
        for kind in Self.kinds {
            let parsed = try JSONParser.parse(Array(kind.json.serialized().utf8))
            XCTAssertEqual(DataWarning.Kind(json: parsed), kind)
        }
        XCTAssertEqual(
            Self.kinds[3].json.serialized(), #"{"kind":"stale_as_of","as_of":"2024-12-31","last":"2024-01-15"}"#)
        XCTAssertEqual(
            Self.kinds[4].json.serialized(),
            #"{"kind":"stale_as_of","as_of":"2024-12-31","last":"2024-01-15","open_at_as_of":0}"#)
        // A kind this version does not know, or one missing a member, reads as none.
        for unknown in [
            #"{"kind":"future_kind","path":"x"}"#, #"{"kind":"missing_optional_source","source":"orders","path":"x"}"#,
            #"{"kind":"stale_as_of","as_of":"2024-12-31"}"#, "null", #""text""#,
        ] {
            XCTAssertNil(DataWarning.Kind(json: try JSONParser.parse(Array(unknown.utf8))), unknown)
        }
    }

    private func manifestDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("warnings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// The manifest keeps each warning's sentence in `warnings` and its kind beside it in
    /// `warning_kinds`; a manifest without warnings has no `warning_kinds`.
    func testManifestKeepsEachWarningsKindBesideItsSentence() throws {
        let dir = try manifestDirectory()
        var m = Manifest(stage: "ingest", config: .object([]), configDigest: "d", asOf: "2024-12-31")
        try m.write(toDirectory: dir)
        XCTAssertNil(try Self.json(dir)["warning_kinds"], "no warnings, no kinds")
        m.warnings = Self.kinds.map(DataWarning.init) + [DataWarning(text: "a warning of no known kind")]
        try m.write(toDirectory: dir)
        let json = try Self.json(dir)
        XCTAssertEqual(json["warnings"]?.arrayValue?.compactMap(\.stringValue), m.warnings.map(\.text))
        XCTAssertEqual(json["warning_kinds"]?.arrayValue?.count, m.warnings.count)
        XCTAssertEqual(json["warning_kinds"]?.arrayValue?.last, .null)
        XCTAssertEqual(try Manifest.read(stage: "ingest", directory: dir), m)
    }

    /// A manifest written before kinds were recorded, or whose kinds do not pair up with its
    /// sentences, gives warnings known by their sentence alone: the report shows them as written.
    func testOlderManifestsGiveWarningsWithoutKinds() throws {
        let dir = try manifestDirectory()
        let stale = Self.kinds[3]
        let events = Self.kinds[2]
        func write(_ kinds: String?) throws -> [DataWarning] {
            let texts = [stale.english, events.english].map { JSONValue.string($0).serialized() }
            let json =
                #"{"stage":"ingest","outputs":[],"warnings":["# + texts.joined(separator: ",") + "]"
                + (kinds.map { #","warning_kinds":"# + $0 } ?? "") + "}"
            try Data(json.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("ingest.manifest.json"))
            return try Manifest.read(stage: "ingest", directory: dir).warnings
        }
        let textsOnly = [DataWarning(text: stale.english), DataWarning(text: events.english)]
        XCTAssertEqual(try write(nil), textsOnly)
        XCTAssertEqual(try write("[" + stale.json.serialized() + "]"), textsOnly, "one kind for two sentences")
        XCTAssertEqual(
            try write("[" + stale.json.serialized() + "," + stale.json.serialized() + "]"),
            [DataWarning(stale), DataWarning(text: events.english)], "a kind that does not say what its sentence says")
        XCTAssertEqual(
            try write("[" + stale.json.serialized() + "," + events.json.serialized() + "]"),
            [DataWarning(stale), DataWarning(events)])
    }

    private static func json(_ dir: String) throws -> JSONValue {
        try JSONParser.parse(FilePaths.readAll("\(dir)/ingest.manifest.json"))
    }
}
