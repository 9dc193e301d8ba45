import XCTest

@testable import CohortKit

/// Normalize's records: each writes what it reads back, omits null fields, and writes the keys
/// the docs list, in that order; `CustomerTable` and `IntervalStream` read rows without the
/// omitted keys as they read rows with nulls.
final class NormalizeRecordTests: XCTestCase {
    let start = Day(iso: "2024-01-10")!

    func converted() -> NormalizedCustomerRecord {
        NormalizedCustomerRecord(
            customerId: "A", cohort: Month(iso: "2024-01"), channel: "web",
            attributes: ArraySlice(#"{"region":"Kanto"}"#.utf8), signupDate: Day(iso: "2024-01-02"),
            firstStart: start, firstChurn: Day(iso: "2024-03-01"), durationDays: 51, churned: true, mrrAtAsOfMinor: 0,
            converted: true, firstPlan: "pro", firstProduct: "core", initialMRRMinor: 1000, orphan: false)
    }

    func neverPaid() -> NormalizedCustomerRecord {
        NormalizedCustomerRecord(
            customerId: "B", cohort: nil, channel: "(unknown)", attributes: ArraySlice("{}".utf8), signupDate: nil,
            firstStart: nil, firstChurn: nil, durationDays: nil, churned: false, mrrAtAsOfMinor: 0, converted: false,
            firstPlan: nil, firstProduct: nil, initialMRRMinor: 0, orphan: true)
    }

    func testCustomerRoundTripsWithTheContractsNulls() throws {
        let back = try RecordFiles.roundTrip(
            self, [converted(), neverPaid()], write: { $0.write(to: $1) },
            read: { try NormalizedCustomerRecord(reading: $0) })
        XCTAssertEqual(back.rows, [converted(), neverPaid()])
        XCTAssertEqual(back.keys[0], NormalizedCustomerRecord.keys)
        XCTAssertEqual(
            back.keys[1],
            [
                "customer_id", "cohort", "channel", "attributes", "first_start", "first_churn", "duration_days",
                "churned", "mrr_at_as_of_minor", "converted", "initial_mrr_minor", "orphan",
            ],
            "the contract's fields written as null, the others omitted")
        XCTAssertEqual(
            try RecordFiles.documentedKeys(metricsTableUnder: "Customer timeline"), NormalizedCustomerRecord.keys)
    }

    func testIntervalRoundTripsWithEndNull() throws {
        let closed = IntervalRecord(
            customerId: "A", product: "core", start: start, end: Day(iso: "2024-03-01"), mrrMinor: 1000)
        let open = IntervalRecord(customerId: "A", product: "addon", start: start, end: nil, mrrMinor: 250)
        let back = try RecordFiles.roundTrip(
            self, [closed, open], write: { $0.write(to: $1) }, read: { try IntervalRecord(reading: $0) })
        XCTAssertEqual(back.rows, [closed, open])
        XCTAssertEqual(back.keys[0], IntervalRecord.keys)
        XCTAssertEqual(back.keys[1], IntervalRecord.keys, "an open interval has end null")
        XCTAssertEqual(
            try RecordFiles.documentedKeys(stagesRowFor: "intervals.jsonl", section: "normalize"), IntervalRecord.keys)
    }

    /// The marts' readers: a customer without the omitted keys reads as not converted, exactly as
    /// a row with explicit nulls; an interval without `end` is open.
    func testReadersTakeAnAbsentKeyAsNull() throws {
        let p = RecordFiles.path(self, "customers")
        let w = try JSONLWriter(path: p)
        for c in [converted(), neverPaid()] {
            w.begin()
            c.write(to: w.line)
            try w.end()
        }
        try w.commit()
        let absent = try CustomerTable.read(try JSONLReader(path: p))
        let nulls = RecordFiles.path(self, "customers-nulls")
        let firstLine = try String(contentsOfFile: p, encoding: .utf8).prefix { $0 != "\n" }
        try Data(
            (String(firstLine)
                + "\n"
                + #"{"customer_id":"B","cohort":null,"channel":"(unknown)","attributes":{},"signup_date":null,"first_start":null,"first_churn":null,"duration_days":null,"churned":false,"mrr_at_as_of_minor":0,"converted":false,"first_plan":null,"first_product":null,"initial_mrr_minor":0,"orphan":true}"#
                + "\n").utf8
        ).write(to: URL(fileURLWithPath: nulls))
        let withNulls = try CustomerTable.read(try JSONLReader(path: nulls))
        XCTAssertEqual(absent.ids, ["A", "B"])
        XCTAssertTrue(absent.converted(0))
        XCTAssertFalse(absent.converted(1))
        XCTAssertEqual(absent.cohort, withNulls.cohort)
        XCTAssertEqual(absent.firstStart, withNulls.firstStart)
        XCTAssertEqual(absent.duration, withNulls.duration)
        XCTAssertEqual(absent.firstPlan, withNulls.firstPlan)
        XCTAssertEqual(absent.firstPlan, [0, -1])

        let ip = RecordFiles.path(self, "intervals")
        let iw = try JSONLWriter(path: ip)
        for iv in [
            IntervalRecord(customerId: "A", product: "core", start: start, end: nil, mrrMinor: 1000),
            IntervalRecord(customerId: "A", product: "core", start: start, end: Day(iso: "2024-02-01"), mrrMinor: 5),
        ] {
            iw.begin()
            iv.write(to: iw.line)
            try iw.end()
        }
        try iw.commit()
        let stream = IntervalStream(try JSONLReader(path: ip))
        var out: [PaidInterval] = []
        try stream.intervals(of: "A", into: &out)
        XCTAssertEqual(out.map(\.isOpen), [true, false])
        try stream.intervals(of: "B", into: &out)
        XCTAssertEqual(out, [])
        try stream.finish()
    }

    func testNormalizeDescriptionUsesTheRecords() {
        XCTAssertEqual(StageDescription.normalize.output(NormalizedCustomerRecord.output)?.schemaVersion, 3)
        XCTAssertEqual(StageDescription.normalize.output(IntervalRecord.output)?.schemaVersion, 4)
    }

    /// The customer table finds an id by binary search in byte order, or among the few customers
    /// after the last one found; both give the same answers.
    func testCustomerTableFindsIdsAfterAHintOrBySearch() {
        var t = CustomerTable()
        t.ids = ["A", "B", "C", "C1", "E", "caf\u{E9}"]
        for (id, want) in [("A", 0), ("C", 2), ("C1", 3), ("E", 4), ("caf\u{E9}", 5)] as [(String, Int?)] {
            XCTAssertEqual(t.index(of: id), want, id)
            for hint in [nil, -1, 0, 1, 2, 5, 9] as [Int?] {
                XCTAssertEqual(t.index(of: id, after: hint), want, "\(id) \(hint ?? -9)")
            }
        }
        for id in ["", "0", "BB", "D", "Z", "c"] {
            XCTAssertNil(t.index(of: id), id)
            XCTAssertNil(t.index(of: id, after: 1), id)
        }
        // The same text in another Unicode form: the walk compares bytes, as the search does, so a
        // hint never finds what the search would not.
        var nfd = CustomerTable()
        nfd.ids = ["Jose\u{301}a", "Jos\u{E9}"]
        XCTAssertEqual(nfd.index(of: "Jose\u{301}", after: 0), nfd.index(of: "Jose\u{301}"))
        XCTAssertEqual(nfd.index(of: "Jos\u{E9}", after: 0), 1)
        // Canonically equivalent spellings find each other whatever lies between them by bytes.
        var jose = CustomerTable()
        jose.ids = ["Josf", "Jos\u{E9}"]
        XCTAssertEqual(jose.index(of: "Jose\u{301}"), 1, "decomposed query, composed id")
        XCTAssertEqual(jose.index(of: "Jose\u{301}", after: 0), 1)
        var decomposed = CustomerTable()
        decomposed.ids = ["Jose\u{301}", "Josf"]
        XCTAssertEqual(decomposed.index(of: "Jos\u{E9}"), 0, "composed query, decomposed id")
        var kelvin = CustomerTable()
        kelvin.ids = ["A", "K1", "Z"]
        XCTAssertEqual(kelvin.index(of: "\u{212A}1"), 1, "KELVIN SIGN is K")
        XCTAssertNil(kelvin.index(of: "k1"))
        XCTAssertEqual(t.firstIndex(notBefore: "C0"), 3, "C0 sorts after C, before C1")
        XCTAssertEqual(t.firstIndex(notBefore: "Z"), 5, "uppercase before lowercase in byte order")
        XCTAssertEqual(t.firstIndex(notBefore: "d"), 6)
    }

    /// A table read from a file (and one appended from two parts) searches by the ids' first
    /// eight bytes first: the same positions as the string search, for UUIDs, ids sharing long
    /// prefixes, ids that are prefixes of others, short and non-ASCII ids, and for misses.
    func testCustomerTableSearchesByPrefixAsByStrings() throws {
        var rng = SplitMix64(seed: 11)
        let hex = Array("0123456789abcdef")
        func random(_ n: Int) -> String { String((0..<n).map { _ in hex.randomElement(using: &rng)! }) }
        var ids: Set<String> = ["A", "C1", "C10", "abcdefgh", "abcdefgh1", "abcdefgh\u{0}", "abcdefg", "caf\u{E9}"]
        for _ in 0..<300 {
            ids.insert("\(random(8))-\(random(4))-\(random(4))-\(random(4))-\(random(12))")
            ids.insert("cus_" + random(14))
            ids.insert("customer-" + random(3))
        }
        let sorted = ids.sorted { $0.utf8Precedes($1) }
        func write(_ part: ArraySlice<String>, _ name: String) throws -> CustomerTable {
            let path = RecordFiles.path(self, name)
            let text = part.map { id -> String in
                let json = id.replacingOccurrences(of: "\u{0}", with: "\\u0000")
                return #"{"customer_id":"\#(json)","channel":"x"}"# + "\n"
            }.joined()
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return try CustomerTable.read(try JSONLReader(path: path))
        }
        let read = try write(sorted[...], "ids")
        var appended = try write(sorted[..<400], "ids-1")
        appended.append(try write(sorted[400...], "ids-2"))
        var plain = CustomerTable()
        plain.ids = sorted
        XCTAssertEqual(read.ids, sorted)
        XCTAssertEqual(appended.ids, sorted)
        XCTAssertTrue(read.searchesByPrefix)
        XCTAssertTrue(appended.searchesByPrefix)
        XCTAssertFalse(plain.searchesByPrefix, "ids set directly: the string search, the reference")
        var probes = sorted.flatMap { [$0, $0 + "0", String($0.dropLast()), $0 + "\u{0}"] }
        probes += ["", "0", "B", "C0", "Z", "abcdefgh0", "abcdefgi", "cus_", "customer-", "d", "\u{FFFF}"]
        for probe in probes {
            let want = plain.firstIndex(notBefore: probe)
            XCTAssertEqual(read.firstIndex(notBefore: probe), want, probe.debugDescription)
            XCTAssertEqual(appended.firstIndex(notBefore: probe), want, probe.debugDescription)
            XCTAssertEqual(read.index(of: probe), plain.index(of: probe), probe.debugDescription)
        }
        for (i, id) in sorted.enumerated() { XCTAssertEqual(read.index(of: id), i, id.debugDescription) }
    }
}
