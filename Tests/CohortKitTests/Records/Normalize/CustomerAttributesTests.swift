import XCTest

@testable import CohortKit

final class CustomerAttributesTests: XCTestCase {
    /// Strings, numbers and booleans keep their text; null, arrays and objects are left out; a
    /// customer without an object has no attributes; a repeated name (possible only from a
    /// sequence, the JSON parser refuses duplicate keys) finds its first value.
    func testObjectsKeepScalarValuesAsTextAndTheFirstOfARepeatedName() throws {
        var a = CustomerAttributes()
        a.append(object: try JSONParser.parse(#"{"region":"eu","seats":10.50,"trial":true,"x":null,"l":[1],"o":{}}"#))
        a.append(object: nil)
        a.append([("region", "us"), ("region", "apac")])
        XCTAssertEqual(a.count, 3)
        XCTAssertEqual(a.attributes(of: 0).map { "\($0.0)=\($0.1)" }, ["region=eu", "seats=10.50", "trial=true"])
        XCTAssertTrue(a.attributes(of: 1).isEmpty)
        let region = try XCTUnwrap(a.names.lookup("region"))
        XCTAssertEqual(a.value(of: region, customer: 2).map { a.values[Int($0)] }, "us")
        XCTAssertNil(a.value(of: try XCTUnwrap(a.names.lookup("seats")), customer: 2))
        XCTAssertNil(a.names.lookup("x"), "a name seen only with null is not an attribute")
    }

    /// Values are numbered by their bytes: "é" precomposed and decomposed stay two values, each
    /// with its own text, and a repeated value is stored once.
    func testValuesAreInternedByTheirBytes() {
        var a = CustomerAttributes()
        a.append([("city", "Caf\u{e9}")])
        a.append([("city", "Cafe\u{301}")])
        a.append([("city", "Caf\u{e9}")])
        XCTAssertEqual(a.values.count, 2)
        XCTAssertEqual(Array(a.attributes(of: 1)[0].1.utf8), Array("Cafe\u{301}".utf8))
        XCTAssertEqual(a.value(of: 0, customer: 0), a.value(of: 0, customer: 2))
        XCTAssertNotEqual(a.value(of: 0, customer: 0), a.value(of: 0, customer: 1))
    }

    /// Parts read side by side number names and values on their own; appended, every customer
    /// reads as it did in its part.
    func testAppendingPartsRenumbersNamesAndValues() {
        var first = CustomerAttributes()
        first.append([("region", "eu"), ("size", "1-10")])
        var second = CustomerAttributes()
        second.append([("size", "11-50")])
        second.append([])
        second.append([("team", "a"), ("region", "eu")])
        var all = first
        all.append(contentsOf: second)
        XCTAssertEqual(all.count, 4)
        let rows = (0..<all.count).map { all.attributes(of: $0).map { "\($0.0)=\($0.1)" } }
        XCTAssertEqual(rows, [["region=eu", "size=1-10"], ["size=11-50"], [], ["team=a", "region=eu"]])
        XCTAssertEqual(all.names.names, ["region", "size", "team"])
        XCTAssertEqual(all.values, ["eu", "1-10", "11-50", "a"])
    }

    /// Raw objects give what their parsed text gives, whether met for the first time or again,
    /// and text that does not parse gives no attributes; after `finishReading` too.
    func testRawObjectsReadAsTheirParsedText() throws {
        let texts = [
            #"{"region":"eu","seats":3}"#, #"{"region":"us"}"#, #"{"region":"eu","seats":3}"#, "{not json", "[1]",
            #"{"region":"us"}"#,
        ]
        let (raw, parsed) = readRawAndParsed(texts, finishingAt: 4)
        assertSameAttributes(raw, parsed, texts)
        XCTAssertEqual(raw.attributes(of: 2).map(\.1), ["eu", "3"])
        XCTAssertTrue(raw.attributes(of: 3).isEmpty)
    }

    /// Plain objects are read from their bytes, everything else parsed: for every kind of text
    /// (spaces, escapes, non-ASCII, numbers, nulls, nested values, duplicate names, broken
    /// text, names in a new order) each customer's attributes and the numbering of names and
    /// values are those of the parsed text.
    func testRawObjectsGiveTheParsedAttributesAndNumberingForEveryKindOfText() throws {
        let texts = [
            #"{"region":"eu","size":"1-10","vip":true}"#, #"{"region":"us","size":"11-50","vip":false}"#,
            #"{"size":"11-50","region":"us"}"#, #"{}"#, #"{"region":"eu","region":"us"}"#,
            #"{"plan":"a","plan":"b","new":"x"}"#, #"{"region": "eu"}"#, #"{"region":"e\"u"}"#,
            #"{"region":"e\u0301u","zone":"1"}"#, "{\"city\":\"Caf\u{e9}\"}", "{\"city\":\"Cafe\u{301}\"}",
            "{\"Caf\u{e9}\":\"x\",\"Cafe\u{301}\":\"y\"}", #"{"seats":3,"region":"eu"}"#,
            #"{"region":null,"l":[1,{"a":"b"}],"o":{"k":"v"}}"#, #"{"region":"eu""#, #"{"region":"eu",}"#,
            #"{"region":"eu"}x"#, #"{"vip":truex}"#, #"{"vip":tru}"#, #"{"region":"eu"} "#, "{\"tab\":\"a\tb\"}",
            #"{"region":"eu","size":"1-10","vip":true}"#, #"{"region":"apac","size":"1-10","vip":true}"#, "",
            "[1]", #"{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","a":"10"}"#,
            #"{"size":"1-10","region":"eu","team":"t"}"#,
        ]
        let (raw, parsed) = readRawAndParsed(texts)
        assertSameAttributes(raw, parsed, texts)
        XCTAssertEqual(raw.names.names, parsed.names.names)
        XCTAssertEqual(raw.values.map { Array($0.utf8) }, parsed.values.map { Array($0.utf8) })
        XCTAssertEqual(raw.attributes(of: 1).map(\.1), ["us", "11-50", "false"])
        XCTAssertEqual(raw.attributes(of: 2).map(\.0), ["size", "region"])
        XCTAssertTrue(raw.attributes(of: 4).isEmpty, "a duplicate name of known names")
        XCTAssertTrue(raw.attributes(of: 5).isEmpty, "a duplicate name among new names")
        XCTAssertNil(raw.names.lookup("plan"), "names of an object that does not parse are not attributes")
        XCTAssertEqual(raw.attributes(of: 6).map(\.1), ["eu"])
        XCTAssertEqual(raw.attributes(of: 12).map(\.1), ["3", "eu"])
        for broken in 14...18 { XCTAssertTrue(raw.attributes(of: broken).isEmpty, texts[broken]) }
    }

    /// A thousand random objects over a few names and values, some with the names in another
    /// order, repeated or left out, read raw and parsed: the same tables.
    func testRandomPlainObjectsReadAsParsed() {
        var rng = SplitMix64(seed: 7)
        let names = ["region", "size", "team", "vip", "a", "b"]
        let values = [#""eu""#, #""us""#, #""1-10""#, "true", "false", #""""#, "3", #""x y""#]
        let texts = (0..<1000).map { _ in
            let members = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                "\"\(names.randomElement(using: &rng)!)\":\(values.randomElement(using: &rng)!)"
            }
            return "{" + members.joined(separator: ",") + "}"
        }
        let (raw, parsed) = readRawAndParsed(texts)
        assertSameAttributes(raw, parsed, texts)
        XCTAssertEqual(raw.names.names, parsed.names.names)
        XCTAssertEqual(raw.values, parsed.values)
    }

    /// Objects of many members (thirty attributes and more) are read from their bytes from the
    /// first one on, not parsed each: the first object's names are checked for a repeat through
    /// a set and numbered, and the objects after it find them known. A repeat among many new
    /// names still gives none, as the parser's refusal does.
    func testObjectsOfManyMembersAreReadFromTheirBytes() {
        var rng = SplitMix64(seed: 11)
        let names = (0..<33).map { "attr_\($0)" }
        func object(_ members: [String]) -> String {
            "{" + members.map { "\"\($0)\":\"v\(Int.random(in: 0..<35, using: &rng))\"" }.joined(separator: ",") + "}"
        }
        var texts = [object(names + ["attr_7"])]
        texts += (0..<500).map { _ in object(names) }
        texts.append(object(Array(names.reversed())))
        let (raw, parsed) = readRawAndParsed(texts)
        assertSameAttributes(raw, parsed, texts)
        XCTAssertEqual(raw.names.names, parsed.names.names)
        XCTAssertEqual(raw.values, parsed.values)
        XCTAssertTrue(raw.attributes(of: 0).isEmpty, "a repeated name among 34 new ones")
        XCTAssertEqual(raw.attributes(of: 1).count, 33)
        XCTAssertEqual(raw.attributes(of: texts.count - 1).first?.0, "attr_32")
        XCTAssertEqual(raw.parsedObjects, 0, "every object was plain, so none went through the parser")
    }

    /// Past the objects it remembers, a table reads every object member by member, repeated ones
    /// included, with the same result.
    func testObjectsPastTheRememberedOnesReadAlike() {
        let n = CustomerAttributes.rememberedObjects + 10
        let texts =
            (0..<n).map { #"{"id":"v\#($0)","k":"x"}"# } + [#"{"id":"v0","k":"x"}"#, #"{"id":"v\#(n - 1)","k":"x"}"#]
        let (a, parsed) = readRawAndParsed(texts)
        XCTAssertEqual(a.count, n + 2)
        for i in texts.indices where a.attributes(of: i).map(\.1) != parsed.attributes(of: i).map(\.1) {
            XCTFail("customer \(i): \(texts[i])")
        }
        XCTAssertEqual(a.names.names, parsed.names.names)
        XCTAssertEqual(a.values, parsed.values)
        XCTAssertEqual(a.attributes(of: n).map { "\($0.0)=\($0.1)" }, ["id=v0", "k=x"])
        XCTAssertEqual(a.attributes(of: n + 1).map { "\($0.0)=\($0.1)" }, ["id=v\(n - 1)", "k=x"])
        XCTAssertEqual(a.values.count, n + 1)
    }

    /// `texts` read into one table as raw objects and into another as parsed text
    /// (`finishReading` on the raw one before text `finishingAt`).
    private func readRawAndParsed(_ texts: [String], finishingAt: Int? = nil) -> (
        raw: CustomerAttributes, parsed: CustomerAttributes
    ) {
        var raw = CustomerAttributes()
        var parsed = CustomerAttributes()
        for (k, text) in texts.enumerated() {
            if k == finishingAt { raw.finishReading() }
            Array(text.utf8).withUnsafeBufferPointer { raw.append(rawObject: $0) }
            parsed.append(object: try? JSONParser.parse(text))
        }
        return (raw, parsed)
    }

    /// Each customer of `raw` has the attributes it has in `parsed`.
    private func assertSameAttributes(
        _ raw: CustomerAttributes, _ parsed: CustomerAttributes, _ texts: [String], line: UInt = #line
    ) {
        XCTAssertEqual(raw.count, texts.count, line: line)
        for i in texts.indices {
            XCTAssertEqual(
                raw.attributes(of: i).map { "\($0.0)=\($0.1)" }, parsed.attributes(of: i).map { "\($0.0)=\($0.1)" },
                "customer \(i): \(texts[i])", line: line)
        }
    }
}
