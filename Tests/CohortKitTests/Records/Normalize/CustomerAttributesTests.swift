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
        var raw = CustomerAttributes()
        var parsed = CustomerAttributes()
        for (k, text) in texts.enumerated() {
            if k == 4 { raw.finishReading() }
            Array(text.utf8).withUnsafeBufferPointer { raw.append(rawObject: $0) }
            parsed.append(object: try? JSONParser.parse(text))
        }
        XCTAssertEqual(raw.count, texts.count)
        for i in texts.indices {
            XCTAssertEqual(
                raw.attributes(of: i).map { "\($0.0)=\($0.1)" }, parsed.attributes(of: i).map { "\($0.0)=\($0.1)" },
                "customer \(i)")
        }
        XCTAssertEqual(raw.attributes(of: 2).map(\.1), ["eu", "3"])
        XCTAssertTrue(raw.attributes(of: 3).isEmpty)
    }
}
