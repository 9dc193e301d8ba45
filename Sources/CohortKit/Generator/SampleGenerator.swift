import Dispatch
import Foundation

/// A deterministic generator of realistic SaaS inputs: customers, subscription terms,
/// cancellations, product events and the matching `pipeline.json`.
///
/// Every customer draws from its own SplitMix64 stream (`seed`, customer number), so the output
/// is byte-identical for a seed whatever the thread count, and customer 17 is the same customer in
/// a sample of 100 and of a million. What is planted, and how strongly, is in `PlantedEffects`
/// and docs/generator.md.
///
/// - Complexity: O(customers * terms); a million customers (about 10 million subscription rows)
///   is written in chunks of `chunkCustomers` generated on two threads.
public struct SampleGenerator {
    /// Number of customers to generate.
    public let customers: Int
    /// Seed of every random stream.
    public let seed: UInt64
    /// Number of calendar months covered, ending with the as-of month.
    public let months: Int
    /// Share of subscription rows written with a realistic mistake (bad date, negative amount,
    /// unknown currency), drawn from a separate stream so the clean rows do not change.
    public let dirtyRatio: Double
    /// What kind of business the sample looks like.
    public let shape: Shape
    /// Days since 1970-01-01 of the first day of the first generated month.
    let startDay: Int
    /// Days since 1970-01-01 of `as_of`, the last day of the last generated month.
    let asOfDay: Int
    /// The first day on which new terms pay the raised list price.
    let priceChangeDay: Int

    /// The data shapes the generator writes.
    public enum Shape: String, CaseIterable, Sendable {
        /// B2B software: five channels, four plans, an add-on, monthly to annual terms, years of
        /// renewals (the default).
        case saas
        /// Retail subscription boxes: one product and plan, two channels, 35 stores with planted
        /// hazard differences, monthly terms that most customers renew only a few times.
        case retail
    }

    /// Customers per chunk; each chunk is generated into memory, then appended to the files.
    static let chunkCustomers = 8192

    /// Creates a generator for `customers` customers over `months` months ending with
    /// `asOfYear`-`asOfMonth` (as_of is that month's last day).
    public init(
        customers: Int, seed: UInt64 = 42, asOfYear: Int = 2024, asOfMonth: Int = 12,
        months: Int = 30, dirtyRatio: Double = 0.002, shape: Shape = .saas
    ) throws {
        guard customers >= 1 else { throw ConfigurationError("customers must be at least 1, got \(customers)") }
        guard months >= 1, months <= 600 else { throw ConfigurationError("months must be 1 to 600, got \(months)") }
        guard (1...12).contains(asOfMonth), (1971...9999).contains(asOfYear) else {
            throw ConfigurationError("as-of month must be a real month, got \(asOfYear)-\(asOfMonth)")
        }
        guard dirtyRatio >= 0, dirtyRatio <= 0.5 else {
            throw ConfigurationError("dirty ratio must be between 0 and 0.5, got \(dirtyRatio)")
        }
        self.customers = customers
        self.seed = seed
        self.months = months
        self.dirtyRatio = dirtyRatio
        self.shape = shape
        let lastMonth = asOfYear * 12 + asOfMonth - 1
        let firstMonth = lastMonth - months + 1
        startDay = GeneratorCalendar.firstDay(ofMonthIndex: firstMonth)
        asOfDay = GeneratorCalendar.firstDay(ofMonthIndex: lastMonth + 1) - 1
        let changeMonth = firstMonth + Int((Double(months) * PlantedEffects.priceChangeAtFraction).rounded(.down))
        priceChangeDay = GeneratorCalendar.firstDay(ofMonthIndex: changeMonth)
    }

    /// The as-of date, `yyyy-MM-dd`.
    public var asOfDate: String { Self.iso(asOfDay) }
    /// The first generated day, `yyyy-MM-dd`.
    public var startDate: String { Self.iso(startDay) }
    /// The day from which new terms pay the raised list price, `yyyy-MM-dd`.
    public var priceChangeDate: String { Self.iso(priceChangeDay) }

    static func iso(_ day: Int) -> String {
        let buffer = GeneratorByteBuffer(capacity: 16)
        buffer.date(day)
        return String(decoding: UnsafeBufferPointer(start: buffer.base, count: buffer.count), as: UTF8.self)
    }

    /// Row counts of one generated sample.
    public struct Summary: Equatable {
        public var customers = 0
        public var subscriptions = 0
        public var cancellations = 0
        public var events = 0
        /// Subscription rows written with a deliberate mistake.
        public var dirtySubscriptions = 0

        mutating func add(_ other: Summary) {
            customers += other.customers
            subscriptions += other.subscriptions
            cancellations += other.cancellations
            events += other.events
            dirtySubscriptions += other.dirtySubscriptions
        }
    }

    /// An invalid generator setting (bad count, month or ratio).
    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
        init(_ message: String) { description = message }
    }

    /// A file that could not be created or written.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// The five output files, in the order they are listed in docs/generator.md.
    public static let fileNames = [
        "customers.csv", "subscriptions.csv", "cancellations.csv", "events.jsonl", "pipeline.json",
    ]

    /// Writes customers.csv, subscriptions.csv, cancellations.csv, events.jsonl and pipeline.json
    /// into `directory` (created if missing). Each file is written under a temporary name and
    /// renamed when complete.
    @discardableResult
    public func write(to directory: String) throws -> Summary {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: "cannot create the directory (\(error.localizedDescription))")
        }
        let dataFiles = Array(Self.fileNames.prefix(4))
        var handles: [UnsafeMutablePointer<FILE>] = []
        defer { for handle in handles { fclose(handle) } }
        let paths = dataFiles.map { (directory as NSString).appendingPathComponent($0) }
        for path in paths {
            guard let handle = fopen(path + ".tmp", "wb") else {
                throw WriteError(path: path + ".tmp", reason: String(cString: strerror(errno)))
            }
            handles.append(handle)
        }

        let lanes = 2
        let buffers = (0..<lanes).map { _ in ChunkBuffers() }
        var summary = Summary()
        for (i, header) in (shape == .retail ? Self.retailHeaders : Self.headers).enumerated() {
            buffers[0].files[i].bytes(header)
        }
        var next = 0
        while next < customers {
            let batchStart = next
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let lo = batchStart + lane * Self.chunkCustomers
                let hi = min(lo + Self.chunkCustomers, customers)
                if lo < hi { generate(from: lo, to: hi, into: buffers[lane]) }
            }
            for lane in 0..<lanes {
                summary.add(buffers[lane].summary)
                buffers[lane].summary = Summary()
                for i in 0..<dataFiles.count {
                    try buffers[lane].files[i].flush(to: handles[i], path: paths[i])
                }
            }
            next = batchStart + lanes * Self.chunkCustomers
        }
        for (i, handle) in handles.enumerated() where fflush(handle) != 0 {
            throw WriteError(path: paths[i], reason: String(cString: strerror(errno)))
        }
        for handle in handles { fclose(handle) }
        handles.removeAll()
        for path in paths where rename(path + ".tmp", path) != 0 {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let configPath = (directory as NSString).appendingPathComponent("pipeline.json")
        do {
            try Data(pipelineJSON().utf8).write(to: URL(fileURLWithPath: configPath), options: .atomic)
        } catch {
            throw WriteError(path: configPath, reason: error.localizedDescription)
        }
        return summary
    }

    /// The per-lane output buffers: one per data file, plus the lane's row counts.
    final class ChunkBuffers {
        let files = [
            GeneratorByteBuffer(capacity: 1 << 21), GeneratorByteBuffer(capacity: 1 << 24),
            GeneratorByteBuffer(capacity: 1 << 20), GeneratorByteBuffer(capacity: 1 << 22),
        ]
        var summary = Summary()
    }

    static let headers: [[UInt8]] = [
        Array("Account ID,signup_date,acquisition_channel,sales_rep,region,company_size\n".utf8),
        Array("subscription_id,customer_id,product,plan,start_date,end_date,mrr,amount,billing_period,currency\n".utf8),
        Array("customer_id,date,reason,comment\n".utf8),
        [],
    ]

    static let retailHeaders: [[UInt8]] = [
        Array("Account ID,signup_date,acquisition_channel,store\n".utf8),
        Array("subscription_id,customer_id,product,plan,start_date,end_date,mrr,amount,billing_period,currency\n".utf8),
        Array("customer_id,date,reason,comment\n".utf8),
        [],
    ]
}
