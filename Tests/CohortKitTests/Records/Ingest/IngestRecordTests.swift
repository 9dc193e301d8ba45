import XCTest

@testable import CohortKit

/// Ingest's records: each writes what it reads back, omits null fields, reads an absent key and
/// an explicit null alike, and writes the keys docs/stages.md lists, in that order.
final class IngestRecordTests: XCTestCase {
    let day = Day(iso: "2024-03-01")!

    func testCustomerRoundTripsAndOmitsNulls() throws {
        let full = IngestCustomerRecord(
            customerId: "C1", signupDate: day, acquisitionChannel: "web",
            attributes: [("region", "Kanto"), ("note", "say \"hi\"")], line: 2)
        let bare = IngestCustomerRecord(
            customerId: "C\u{e9}", signupDate: nil, acquisitionChannel: nil, attributes: [], line: 3)
        let back = try RecordFiles.roundTrip(
            self, [full, bare], write: { $0.write(to: $1) }, read: { try IngestCustomerRecord(reading: $0) })
        XCTAssertEqual(back.rows, [full, bare])
        XCTAssertEqual(back.keys[0], IngestCustomerRecord.keys)
        XCTAssertEqual(back.keys[1], ["customer_id", "attributes", "line"], "null fields omitted")
        XCTAssertEqual(
            try RecordFiles.documentedKeys(stagesRowFor: "customers.jsonl", section: "ingest"),
            IngestCustomerRecord.keys)
        let null = try RecordFiles.readLine(
            self, #"{"customer_id":"C2","signup_date":null,"acquisition_channel":null,"attributes":{},"line":4}"#
        ) { try IngestCustomerRecord(reading: $0) }
        XCTAssertNil(null.signupDate)
        XCTAssertNil(null.acquisitionChannel)
    }

    func testSubscriptionRoundTripsAndOmitsNulls() throws {
        let full = SubscriptionRecord(
            customerId: "C1", subscriptionId: "S1", product: "core", plan: "pro", startDate: day,
            endDate: Day(iso: "2024-04-01"), mrrMinor: 12_506, sourceCurrency: "USD", quantity: "3")
        let bare = SubscriptionRecord(
            customerId: "C2", subscriptionId: nil, product: "default", plan: nil, startDate: day, endDate: nil,
            mrrMinor: 0)
        let back = try RecordFiles.roundTrip(
            self, [full, bare], write: { $0.write(to: $1) }, read: { try SubscriptionRecord(reading: $0) })
        XCTAssertEqual(back.rows, [full, bare])
        XCTAssertEqual(back.keys[0], SubscriptionRecord.keys)
        XCTAssertEqual(back.keys[1], ["customer_id", "product", "start_date", "mrr_minor"], "null fields omitted")
        let documented = try RecordFiles.documentedKeys(stagesRowFor: "subscriptions.jsonl", section: "ingest")
        XCTAssertEqual(documented, SubscriptionRecord.keys)
        // A version-1 row with explicit nulls reads like one without the keys.
        let null = try RecordFiles.readLine(
            self,
            #"{"customer_id":"C2","subscription_id":null,"product":"core","plan":null,"start_date":"2024-03-01","end_date":null,"mrr_minor":5}"#
        ) { try SubscriptionRecord(reading: $0) }
        XCTAssertEqual(
            null,
            SubscriptionRecord(
                customerId: "C2", subscriptionId: nil, product: "core", plan: nil, startDate: day, endDate: nil,
                mrrMinor: 5))
    }

    func testSubscriptionWithoutRequiredKeysIsAMalformedFile() {
        XCTAssertThrowsError(
            try RecordFiles.readLine(self, #"{"customer_id":"C2","product":"core","mrr_minor":5}"#) {
                try SubscriptionRecord(reading: $0)
            }
        ) { error in
            guard case InputError.malformedFile(_, let line, let reason)? = error as? InputError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(line, 1)
            XCTAssertTrue(reason.contains("start_date"), reason)
        }
    }

    func testCancellationRoundTripsAndOmitsNulls() throws {
        let full = CancellationRecord(customerId: "C1", date: day, reason: "too_expensive", comment: "x\ny", line: 5)
        let bare = CancellationRecord(customerId: "C2", date: day, reason: nil, comment: nil, line: 6)
        let back = try RecordFiles.roundTrip(
            self, [full, bare], write: { $0.write(to: $1) }, read: { try CancellationRecord(reading: $0) })
        XCTAssertEqual(back.rows, [full, bare])
        XCTAssertEqual(back.keys[0], CancellationRecord.keys)
        XCTAssertEqual(back.keys[1], ["customer_id", "date", "line"], "null fields omitted")
        XCTAssertEqual(
            try RecordFiles.documentedKeys(stagesRowFor: "cancellations.jsonl", section: "ingest"),
            CancellationRecord.keys)
    }

    func testEventRoundTripsAndOmitsNulls() throws {
        let full = EventRecord(customerId: "C1", date: day, event: "login", userId: "u1")
        let bare = EventRecord(customerId: "C1", date: day, event: "export", userId: nil)
        let back = try RecordFiles.roundTrip(
            self, [full, bare], write: { $0.write(to: $1) }, read: { try EventRecord(reading: $0) })
        XCTAssertEqual(back.rows, [full, bare])
        XCTAssertEqual(back.keys[0], EventRecord.keys)
        XCTAssertEqual(back.keys[1], ["customer_id", "date", "event"], "null fields omitted")
        XCTAssertEqual(
            try RecordFiles.documentedKeys(stagesRowFor: "events.jsonl", section: "ingest"), EventRecord.keys)
        let null = try RecordFiles.readLine(
            self, #"{"customer_id":"C1","date":"2024-03-01","event":"login","user_id":null}"#
        ) { try EventRecord(reading: $0) }
        XCTAssertNil(null.userId)
    }

    func testRejectRoundTrips() throws {
        let row = RejectRecord(
            source: "subscriptions", line: 7, field: "mrr", value: "-5", reason: "negative amount -5",
            reasonGroup: "negative amount", raw: "S1,C1,core,,2024-01-01,,-5")
        let back = try RecordFiles.roundTrip(
            self, [row], write: { $0.write(to: $1) }, read: { RejectRecord(reading: $0) })
        XCTAssertEqual(back.rows, [row])
        XCTAssertEqual(back.keys[0], RejectRecord.keys)
        XCTAssertEqual(
            try RecordFiles.documentedKeys(stagesRowFor: "rejects.jsonl", section: "ingest"), RejectRecord.keys)
    }

    /// A rejects.jsonl written before `reason_group` existed reads each reason as its own group.
    func testRejectWithoutGroupReadsItsReasonAsTheGroup() throws {
        let older = try RecordFiles.readLine(
            self,
            #"{"source":"events","line":3,"field":"event","value":"","reason":"event is empty","raw":"C1,,x"}"#
        ) { RejectRecord(reading: $0) }
        XCTAssertEqual(older.reasonGroup, "event is empty")
    }

    /// The stage description takes each output's name and schema version from its record.
    func testIngestDescriptionUsesTheRecords() {
        let d = StageDescription.ingest
        for (name, version) in [
            (IngestCustomerRecord.output, 2), (SubscriptionRecord.output, 2), (CancellationRecord.output, 2),
            (EventRecord.output, 2), (RejectRecord.output, 1),
        ] {
            XCTAssertEqual(d.output(name)?.schemaVersion, version, name)
        }
    }
}
