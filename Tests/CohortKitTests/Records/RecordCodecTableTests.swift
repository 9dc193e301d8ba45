import Foundation
import XCTest

@testable import CohortKit

/// The record codec's member tables: which types get one, that a table writes and reads exactly
/// as the `Codable` path does, and that each type keeps its own.
final class RecordCodecTableTests: XCTestCase {
    /// A record with a member of every kind a table holds, plain and optional.
    struct Flat: Codable, Equatable {
        var text: String
        var maybeText: String?
        var count: Int
        var maybeCount: Int?
        var amountMinor: Int64
        var maybeAmountMinor: Int64?
        var ratio: Double
        var maybeRatio: Double?
        var flag: Bool
        var maybeFlag: Bool?
        var month: Month
        var maybeMonth: Month?
        var day: Day
        var maybeDay: Day?
        var names: [String]
        var maybeNames: [String]?
    }

    static func flat(_ i: Int) -> Flat {
        let odd = i % 2 == 1
        return Flat(
            text: odd ? "a\"b\\c\u{1}é" : "plain \(i)", maybeText: odd ? nil : "café \(i)", count: i,
            maybeCount: odd ? i : nil,
            amountMinor: Int64(-i * 1000), maybeAmountMinor: odd ? nil : Int64.max, ratio: Double(i) / 3,
            maybeRatio: odd ? .nan : nil, flag: odd, maybeFlag: odd ? nil : false,
            month: Month(year: 2020 + i, month: 1 + i % 12),
            maybeMonth: odd ? Month(year: 2024, month: 2) : nil, day: Day(raw: Int32(19_750 + i)),
            maybeDay: odd ? nil : Day(raw: 19_722), names: odd ? [] : ["web", "a\"d\(i)"],
            maybeNames: odd ? ["x"] : nil)
    }

    /// The line `record` writes through the `Codable` path alone.
    private func coded(_ record: some Encodable) throws -> [UInt8] {
        let b = JSONLineBuilder()
        b.beginObject()
        try record.encode(to: RecordEncoder(line: b))
        b.endObject()
        return b.bytes
    }

    /// The line `record` writes through `members(of:)`, on `builder`.
    private func written(_ record: some Encodable, on builder: JSONLineBuilder = JSONLineBuilder()) throws -> [UInt8] {
        builder.reset()
        builder.beginObject()
        try builder.members(of: record)
        builder.endObject()
        return builder.bytes
    }

    private func hasWriteTable(_ type: Any.Type) -> Bool {
        if case .table = RecordTables.shared.writer(type) { return true }
        return false
    }
    private func hasReadTable(_ type: Any.Type) -> Bool {
        if case .table = RecordTables.shared.reader(type) { return true }
        return false
    }

    /// A reader over `lines`, one JSON object each.
    private func reader(_ lines: [String]) throws -> JSONLReader {
        let p = RecordFiles.path(self, "table")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: p))
        return try JSONLReader(path: p)
    }

    func testAPlainRecordGetsATableThatWritesAsCodableDoes() throws {
        let b = JSONLineBuilder()
        for i in 0..<6 {
            let row = Self.flat(i)
            XCTAssertEqual(try written(row, on: b), try coded(row), "row \(i)")
        }
        XCTAssertTrue(hasWriteTable(Flat.self))
    }

    func testTheTableReadsAsCodableDoesWhateverTheKeyOrder() throws {
        let rows = (0..<4).map(Self.flat)
        var lines = try rows.map { String(decoding: try coded($0), as: UTF8.self) }
        // The same members in reverse order, and with an unknown member first.
        let reversed = try JSONParser.parse(lines[1]).objectValue.map { JSONValue.object($0.reversed()) }
        let extra = try JSONParser.parse(lines[2]).objectValue.map { JSONValue.object([("zzz", .number("1"))] + $0) }
        lines += [try XCTUnwrap(reversed).serialized(), try XCTUnwrap(extra).serialized()]
        let r = try reader(lines)
        var read: [Flat] = []
        while try r.next() { read.append(try r.decode(Flat.self)) }
        XCTAssertTrue(hasReadTable(Flat.self))
        XCTAssertEqual(read.count, 6)
        // A NaN ratio is written null and reads back nil: compare what is written again.
        for (got, want) in zip(read, rows + [rows[1], rows[2]]) { XCTAssertEqual(try coded(got), try coded(want)) }
    }

    /// Missing members read through the table as through `Codable`: text "", counts 0,
    /// optionals nil; a missing required month fails naming file, line and member, and the next
    /// line still reads.
    func testTheTableKeepsTheLenientReadsAndTheErrors() throws {
        struct Lenient: Codable, Equatable {
            var text: String
            var count: Int
            var amountMinor: Int64
            var flag: Bool
            var names: [String]
            var ratio: Double?
            var month: Month
        }
        let r = try reader([
            #"{"text":"t","count":1,"amount_minor":2,"flag":true,"names":["a"],"ratio":0.5,"month":"2024-01"}"#,
            #"{"month":"2024-02"}"#,
            #"{"text":"u","count":3}"#,
            #"{"count":"4","ratio":"x","month":"2024-03"}"#,
        ])
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            try r.decode(Lenient.self),
            Lenient(
                text: "t", count: 1, amountMinor: 2, flag: true, names: ["a"], ratio: 0.5,
                month: Month(year: 2024, month: 1)))
        XCTAssertTrue(hasReadTable(Lenient.self))
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            try r.decode(Lenient.self),
            Lenient(
                text: "", count: 0, amountMinor: 0, flag: false, names: [], ratio: nil,
                month: Month(year: 2024, month: 2)))
        XCTAssertTrue(try r.next())
        XCTAssertThrowsError(try r.decode(Lenient.self)) { e in
            guard case InputError.malformedFile(_, let line, let reason) = e else {
                return XCTFail("expected a malformed-file error, got \(e)")
            }
            XCTAssertEqual(line, 3)
            XCTAssertTrue(reason.hasPrefix("month:"), reason)
        }
        XCTAssertTrue(try r.next())
        XCTAssertEqual(
            try r.decode(Lenient.self),
            Lenient(
                text: "", count: 0, amountMinor: 0, flag: false, names: [], ratio: nil,
                month: Month(year: 2024, month: 3)))
    }

    /// Two record types written in turn on one builder, and read in turn from one reader: each
    /// row through its own type's table.
    func testTypesInTurnUseTheirOwnTables() throws {
        struct First: Codable, Equatable {
            var a: Int
            var b: String
        }
        struct Second: Codable, Equatable {
            var b: String
            var a: Double?
            var c: Int64
        }
        let b = JSONLineBuilder()
        var lines: [String] = []
        for i in 0..<3 {
            let first = First(a: i, b: "f\(i)")
            let second = Second(b: "s\(i)", a: i == 1 ? nil : 0.5, c: Int64(i))
            let f = try written(first, on: b)
            XCTAssertEqual(f, try coded(first))
            let s = try written(second, on: b)
            XCTAssertEqual(s, try coded(second))
            lines += [String(decoding: f, as: UTF8.self), String(decoding: s, as: UTF8.self)]
        }
        XCTAssertTrue(hasWriteTable(First.self) && hasWriteTable(Second.self))
        let r = try reader(lines)
        for i in 0..<3 {
            XCTAssertTrue(try r.next())
            XCTAssertEqual(try r.decode(First.self), First(a: i, b: "f\(i)"))
            XCTAssertTrue(try r.next())
            XCTAssertEqual(try r.decode(Second.self), Second(b: "s\(i)", a: i == 1 ? nil : 0.5, c: Int64(i)))
        }
        XCTAssertTrue(hasReadTable(First.self) && hasReadTable(Second.self))
    }

    /// A record with a hand-written conformance that differs from its stored members keeps the
    /// `Codable` path: a member written under another name, a value written changed, members
    /// read into other ones.
    func testHandWrittenConformancesKeepCodable() throws {
        struct Renamed: Codable {
            var a: Int
            enum CodingKeys: String, CodingKey { case a = "other" }
        }
        struct Shifted: Codable {
            var a: Int
            enum CodingKeys: CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(a + 1, forKey: .a)
            }
            init(a: Int) { self.a = a }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                a = try c.decode(Int.self, forKey: .a) * 10
            }
        }
        for i in 0..<2 {
            XCTAssertEqual(String(decoding: try written(Renamed(a: i)), as: UTF8.self), #"{"other":\#(i)}"#)
            XCTAssertEqual(String(decoding: try written(Shifted(a: i)), as: UTF8.self), #"{"a":\#(i + 1)}"#)
        }
        XCTAssertFalse(hasWriteTable(Renamed.self) || hasWriteTable(Shifted.self))
        let r = try reader([#"{"a":1}"#, #"{"a":2}"#])
        for want in [10, 20] {
            XCTAssertTrue(try r.next())
            XCTAssertEqual(try r.decode(Shifted.self).a, want)
        }
        XCTAssertFalse(hasReadTable(Shifted.self))
    }

    /// An enum keeps `Codable`; the records its hand-written conformance writes and reads as a
    /// part of its members (`encodeMembers`, `decodeMembers`) go through their own tables.
    func testAnEnumKeepsCodableAndItsPartsUseTheirTables() throws {
        let rows: [SurvivalRecord] = [
            .mark(
                .init(
                    channel: "web", monthMark: 1, day: 30, atRisk: 5, events: 1, survival: 0.8, ciLower: nil,
                    ciUpper: 0.9)),
            .median(.init(channel: "ads", medianDays: nil, customers: 3, churned: 1)),
            .mark(
                .init(
                    channel: "ads", monthMark: 2, day: 61, atRisk: 4, events: 0, survival: nil, ciLower: 0.1,
                    ciUpper: nil)),
            .median(.init(channel: "web", medianDays: 120, customers: 9, churned: 5)),
        ]
        let b = JSONLineBuilder()
        var lines: [String] = []
        for row in rows + rows {
            let line = try written(row, on: b)
            XCTAssertEqual(line, try coded(row))
            lines.append(String(decoding: line, as: UTF8.self))
        }
        XCTAssertTrue(lines[0].hasPrefix(#"{"row":"mark","channel":"web","month_mark":1,"#), lines[0])
        XCTAssertFalse(hasWriteTable(SurvivalRecord.self))
        XCTAssertTrue(hasWriteTable(SurvivalRecord.Mark.self) && hasWriteTable(SurvivalRecord.Median.self))
        let r = try reader(lines)
        var read: [SurvivalRecord] = []
        while try r.next() { read.append(try r.decode(SurvivalRecord.self)) }
        XCTAssertEqual(read, rows + rows)
        XCTAssertTrue(hasReadTable(SurvivalRecord.Mark.self) && hasReadTable(SurvivalRecord.Median.self))
    }

    /// Records with a member the table does not hold (a nested record) keep `Codable`.
    func testNestedRecordsKeepCodable() throws {
        struct Outer: Codable {
            struct Inner: Codable { var x: Int }
            var inner: Inner
        }
        for _ in 0..<2 {
            XCTAssertEqual(
                String(decoding: try written(Outer(inner: .init(x: 1))), as: UTF8.self), #"{"inner":{"x":1}}"#)
        }
        XCTAssertFalse(hasWriteTable(Outer.self))
        XCTAssertTrue(hasWriteTable(Outer.Inner.self))
    }
}
