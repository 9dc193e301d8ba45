import CohortKit
import Foundation

// JSON Lines I/O microbenchmark: writes then reads back N records shaped like
// normalize/intervals.jsonl, single-threaded, and prints MB/s for each direction as JSON.
//   cohort-bench io [--rows N] [--dir DIR]

var rows = 5_000_000
var dir = NSTemporaryDirectory()
var args = Array(CommandLine.arguments.dropFirst())
if args.first == "io" { args.removeFirst() }
var i = 0
while i < args.count {
    switch args[i] {
    case "--rows" where i + 1 < args.count:
        rows = Int(args[i + 1]) ?? rows
        i += 2
    case "--dir" where i + 1 < args.count:
        dir = args[i + 1]
        i += 2
    case "--help":
        print("cohort-bench io [--rows N] [--dir DIR]: JSONL write/read throughput on intervals-like records")
        exit(0)
    default:
        FileHandleStderr.write("cohort-bench: unknown option \(args[i]); see --help\n")
        exit(2)
    }
}

func now() -> Double { Date().timeIntervalSince1970 }
let path = dir + "/bench-intervals.jsonl"
let products = ["core", "analytics"]
var t0 = now()
let w = try JSONLWriter(path: path, digest: .background)
for n in 0..<rows {
    w.begin()
    IntervalRecord.write(
        customerId: "C\(1_000_000 + n / 10)", product: products[n & 1], start: Day(raw: Int32(19000 + n % 700)),
        end: n % 3 == 0 ? nil : Day(raw: Int32(19100 + n % 700)), mrrMinor: Int64(1000 + n % 50_000), to: w.line)
    try w.end()
}
try w.commit()
let writeSeconds = now() - t0
let bytes = Double(FilePaths.size(path) ?? 0)

t0 = now()
let r = try JSONLReader(path: path)
var count = 0
var sum: Int64 = 0
var days: Int64 = 0
while try r.next() {
    count += 1
    sum &+= r.int(IntervalRecord.Key.mrrMinor) ?? 0
    days &+= Int64(r.day(IntervalRecord.Key.start)?.raw ?? 0)
    _ = r.withStringBytes(IntervalRecord.Key.customerId) { $0.count }
    _ = r.withStringBytes(IntervalRecord.Key.product) { $0.count }
    days &+= Int64(r.day(IntervalRecord.Key.end)?.raw ?? 0)
}
let readSeconds = now() - t0
unlink(path)
let mb = bytes / 1_000_000
print(
    """
    {"benchmark":"jsonl_io","rows":\(count),"megabytes":\(String(format: "%.1f", mb)),\
    "write_seconds":\(String(format: "%.3f", writeSeconds)),"write_mb_per_s":\(String(format: "%.1f", mb / writeSeconds)),\
    "read_seconds":\(String(format: "%.3f", readSeconds)),"read_mb_per_s":\(String(format: "%.1f", mb / readSeconds)),"checksum":\(sum &+ days)}
    """)
