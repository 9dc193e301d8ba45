import XCTest

@testable import CohortKit

/// The record codec: members' keys, what each member type writes (null for nil), and what a
/// missing, null or mistyped value reads as.
final class RecordCodecTests: XCTestCase {
    /// A record with one member of every type the codec writes itself, and a nested record.
    struct Sample: JSONLRecord, JSONLReadableRecord, JSONObjectRecord, Equatable {
        static let output = "sample"
        struct Inner: Codable, Equatable { var pHolm: Double? }
        var text: String
        var maybeText: String?
        var count: Int
        var maybeCount: Int?
        var amountMinor: Int64
        var maybeAmountMinor: Int64?
        var ratio: Double?
        var flag: Bool
        var maybeFlag: Bool?
        var month: Month?
        var day: Day?
        var names: [String]
        var inner: Inner?
    }

    static let full = Sample(
        text: "a\"b", maybeText: "x", count: 3, maybeCount: 4, amountMinor: -5, maybeAmountMinor: 6, ratio: 1,
        flag: true, maybeFlag: false, month: Month(year: 2024, month: 2), day: Day(iso: "2024-02-29"),
        names: ["web", "ads"], inner: .init(pHolm: 0.25))
    static let empty = Sample(
        text: "", maybeText: nil, count: 0, maybeCount: nil, amountMinor: 0, maybeAmountMinor: nil, ratio: nil,
        flag: false, maybeFlag: nil, month: nil, day: nil, names: [], inner: nil)

    private func line(_ s: Sample) throws -> String {
        let b = JSONLineBuilder()
        b.beginObject()
        try s.write(to: b)
        b.endObject()
        return String(decoding: b.bytes, as: UTF8.self)
    }

    func testKeysAreTheMembersInSnakeCase() {
        let cases = [
            ("mrrStartMinor", "mrr_start_minor"), ("logoMAEPoints", "logo_mae_points"),
            ("baseMRRMinor", "base_mrr_minor"), ("churnProb1y", "churn_prob_1y"),
            ("churnProb1yLower", "churn_prob_1y_lower"), ("churnedMRR12mMinor", "churned_mrr_12m_minor"),
            ("nrrTrailing12m", "nrr_trailing_12m"), ("trailing12mBaseCustomers", "trailing_12m_base_customers"),
            ("projectedNRR12m", "projected_nrr_12m"), ("logrankPValue", "logrank_p_value"), ("pHolm", "p_holm"),
            ("z", "z"), ("already_snake_12m", "already_snake_12m"),
        ]
        for (member, key) in cases { XCTAssertEqual(RecordKey.snakeCase(member), key, member) }
    }

    /// A record asks for its keys in declaration order, but any order finds the right ones.
    func testKeysAreFoundInAnyOrder() {
        enum Members: CodingKey { case aB, cD, eF1 }
        for order in [[Members.aB, .cD, .eF1], [.eF1, .aB, .cD], [.cD, .cD, .aB, .eF1, .eF1]] {
            let keys = RecordKeyCursor(Members.self)
            XCTAssertEqual(order.map { keys.key($0).name }, order.map { RecordKey.snakeCase($0.stringValue) })
        }
        XCTAssertEqual(RecordKey.list(Members.self).names, ["aB", "cD", "eF1"])
    }

    func testMembersWriteInDeclarationOrderWithNullForNil() throws {
        XCTAssertEqual(
            try line(Self.full),
            #"{"text":"a\"b","maybe_text":"x","count":3,"maybe_count":4,"amount_minor":-5,"maybe_amount_minor":6,"#
                + #""ratio":1.0,"flag":true,"maybe_flag":false,"month":"2024-02","day":"2024-02-29","#
                + #""names":["web","ads"],"inner":{"p_holm":0.25}}"#)
        XCTAssertEqual(
            try line(Self.empty),
            #"{"text":"","maybe_text":null,"count":0,"maybe_count":null,"amount_minor":0,"maybe_amount_minor":null,"#
                + #""ratio":null,"flag":false,"maybe_flag":null,"month":null,"day":null,"names":[],"inner":null}"#)
    }

    func testRecordsRoundTripThroughALineAndThroughAnObject() throws {
        for s in [Self.full, Self.empty] {
            XCTAssertEqual(try RecordFiles.readLine(self, try line(s)) { try Sample(reading: $0) }, s)
            XCTAssertEqual(try Sample(json: try JSONParser.parse(try s.json.serialized(pretty: true))), s)
        }
    }

    /// Missing required members read as "", 0, false and []; optional ones as nil, also when
    /// their value is of another type or does not spell a month or date.
    func testMissingAndMistypedValuesReadLeniently() throws {
        let mistyped =
            #"{"maybe_text": 1, "maybe_count": "4", "amount_minor": 1.5, "ratio": "0.5", "maybe_flag": 0, "#
            + #""month": "2024-13", "day": "yesterday", "names": "web", "inner": 3}"#
        for text in ["{}", mistyped] {
            XCTAssertEqual(try RecordFiles.readLine(self, text) { try Sample(reading: $0) }, Self.empty, text)
            XCTAssertEqual(try Sample(json: try JSONParser.parse(text)), Self.empty, text)
        }
    }

    func testARequiredMonthThatIsMissingFailsTheRead() throws {
        struct Dated: Codable { var month: Month }
        XCTAssertThrowsError(try RecordFiles.readLine(self, #"{"month": "May"}"#) { try $0.decode(Dated.self) })
        XCTAssertEqual(
            try RecordFiles.readLine(self, #"{"month": "2024-05"}"#) { try $0.decode(Dated.self) }.month,
            Month(year: 2024, month: 5))
    }

    func testAMemberTypeTheCodecDoesNotWriteIsAnError() {
        struct Narrow: Encodable { var n: Int32 }
        XCTAssertThrowsError(try JSONLineBuilder().members(of: Narrow(n: 1)))
    }

    /// A record whose month has no default: its absence is a data error naming the member, and,
    /// read from a JSON Lines file, the file and line too.
    struct Dated: Decodable { var month: Month }

    func testMissingRequiredMemberNamesFileLineAndMember() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("codec-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"month\":\"2024-02\"}\n{\"other\":1}\n".utf8).write(to: URL(fileURLWithPath: path))
        let r = try JSONLReader(path: path)
        XCTAssertTrue(try r.next())
        XCTAssertEqual(try r.decode(Dated.self).month, Month(year: 2024, month: 2))
        XCTAssertTrue(try r.next())
        XCTAssertThrowsError(try r.decode(Dated.self)) { e in
            guard case InputError.malformedFile(let p, let line, let reason) = e else {
                return XCTFail("expected a malformed-file error, got \(e)")
            }
            XCTAssertEqual(p, path)
            XCTAssertEqual(line, 2)
            XCTAssertTrue(reason.contains("month"), reason)
        }
        XCTAssertThrowsError(try JSONValue.object([("other", .number("1"))]).decode(Dated.self)) { e in
            XCTAssertEqual((e as? RecordReadError)?.member, "month")
        }
    }
}
